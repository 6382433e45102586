// docker_image_history: the build steps of each image (GET /images/<id>/history).
// Visits every image without `id = ...`.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, type Row, text } from '../framework.js';
import { dockerGet, hashConstraints } from './docker_api.js';
import { imageIds } from './docker_image_layers.js';
import { at, int, joinList, str } from './util.js';

function historyRows(imageId: string): Row[] {
  return childValues(dockerGet(`/images/${imageId}/history`) ?? undefined).map((step) => ({
    id: imageId,
    created: int(at(step, 'Created')),
    size: int(at(step, 'Size')),
    created_by: str(at(step, 'CreatedBy')),
    tags: joinList(at(step, 'Tags'), ','),
    comment: str(at(step, 'Comment')),
  }));
}

export const dockerImageHistory = defineTable({
  name: 'docker_image_history',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    created: bigint(),
    size: bigint(),
    created_by: text(),
    tags: text(),
    comment: text(),
  },
  generate(ctx) {
    const ids = ctx.equals('id').length > 0 ? hashConstraints(ctx, 'id') : imageIds();
    return ids.flatMap(historyRows);
  },
});
