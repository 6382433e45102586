// docker_container_labels: the labels of each container (GET /containers/json).
import { defineTable, text } from '../framework.js';
import { labelRows } from './docker_labels.js';

export const dockerContainerLabels = defineTable({
  name: 'docker_container_labels',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    key: text({ index: true }),
    value: text(),
  },
  generate: (ctx) =>
    labelRows(ctx, {
      column: 'id',
      key: 'Id',
      url: '/containers/json',
      path: '',
      filter: true,
      addAll: true,
    }),
});
