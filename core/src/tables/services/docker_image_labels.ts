// docker_image_labels: the labels of each image (GET /images/json, unfiltered).
import { defineTable, text } from '../framework.js';
import { labelRows } from './docker_labels.js';

export const dockerImageLabels = defineTable({
  name: 'docker_image_labels',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    key: text(),
    value: text(),
  },
  generate: (ctx) =>
    labelRows(ctx, { column: 'id', key: 'Id', url: '/images/json', path: '', filter: false, addAll: false }),
});
