// docker_images: images from GET /images/json.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, type Row, text } from '../framework.js';
import { dockerGet, stripSha } from './docker_api.js';
import { at, int, joinList, str } from './util.js';

/** The images Docker lists, or [] when it is unreachable. */
export function listImages(): ReturnType<typeof childValues> {
  return childValues(dockerGet('/images/json') ?? undefined);
}

export const dockerImages = defineTable({
  name: 'docker_images',
  columns: {
    id: text({ collate: 'nocase' }),
    created: bigint(),
    size_bytes: bigint(),
    tags: text(),
  },
  generate() {
    return listImages().map(
      (img): Row => ({
        id: stripSha(str(at(img, 'Id'))),
        created: int(at(img, 'Created')),
        size_bytes: int(at(img, 'Size')),
        tags: joinList(at(img, 'RepoTags'), ','),
      }),
    );
  },
});
