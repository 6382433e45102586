// docker_network_labels: the labels of each network (GET /networks).
import { defineTable, text } from '../framework.js';
import { labelRows } from './docker_labels.js';

export const dockerNetworkLabels = defineTable({
  name: 'docker_network_labels',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    key: text(),
    value: text(),
  },
  generate: (ctx) =>
    labelRows(ctx, { column: 'id', key: 'Id', url: '/networks', path: '', filter: true, addAll: false }),
});
