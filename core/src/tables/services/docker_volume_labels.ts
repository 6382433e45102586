// docker_volume_labels: the labels of each volume (GET /volumes).
import { defineTable, text } from '../framework.js';
import { labelRows } from './docker_labels.js';

export const dockerVolumeLabels = defineTable({
  name: 'docker_volume_labels',
  columns: {
    name: text({ index: true }),
    key: text({ index: true }),
    value: text(),
  },
  generate: (ctx) =>
    labelRows(ctx, {
      column: 'name',
      key: 'Name',
      url: '/volumes',
      path: 'Volumes',
      filter: true,
      addAll: false,
    }),
});
