// docker_image_layers: RootFS.Layers of each image's inspect document
// (GET /images/<id>/json), numbered from 1. Visits every image without `id = ...`.

import { childValues } from '../../lib/json.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { dockerGet, hashConstraints, stripSha } from './docker_api.js';
import { listImages } from './docker_images.js';
import { at, str } from './util.js';

function layerRows(imageId: string): Row[] {
  const doc = dockerGet(`/images/${imageId}/json`);
  return childValues(at(doc ?? undefined, 'RootFS', 'Layers')).map((layer, i) => ({
    id: imageId,
    layer_id: stripSha(str(layer)),
    layer_order: i + 1,
  }));
}

export const dockerImageLayers = defineTable({
  name: 'docker_image_layers',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    layer_id: text({ collate: 'nocase' }),
    layer_order: integer(),
  },
  generate(ctx) {
    const ids = ctx.equals('id').length > 0 ? hashConstraints(ctx, 'id') : imageIds();
    return ids.flatMap(layerRows);
  },
});

/** Every image id Docker lists, without "sha256:". */
export function imageIds(): string[] {
  return listImages().map((img) => stripSha(str(at(img, 'Id'))));
}
