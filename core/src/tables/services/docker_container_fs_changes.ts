// docker_container_fs_changes: files changed in a container's filesystem, from
// GET /containers/<id>/changes (Kind 0 = modified "C", 1 = added "A", 2 = deleted "D").

import { childValues } from '../../lib/json.js';
import { defineTable, type Row, text } from '../framework.js';
import { dockerGet, hashConstraints } from './docker_api.js';
import { at, int } from './util.js';

const KINDS = ['C', 'A', 'D'];

export const dockerContainerFsChanges = defineTable({
  name: 'docker_container_fs_changes',
  columns: {
    id: text({ index: true, required: true, collate: 'nocase' }),
    path: text(),
    change_type: text(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const id of hashConstraints(ctx, 'id')) {
      for (const change of childValues(dockerGet(`/containers/${id}/changes`) ?? undefined)) {
        const kind = KINDS[int(at(change, 'Kind'), -1)];
        const path = at(change, 'Path');
        if (kind === undefined || typeof path !== 'string') continue;
        rows.push({ id, path, change_type: kind });
      }
    }
    return rows;
  },
});
