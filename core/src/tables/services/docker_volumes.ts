// docker_volumes: volumes from GET /volumes (with osquery's name filter).

import { childValues } from '../../lib/json.js';
import { defineTable, text } from '../framework.js';
import { dockerGet, filterQuery, keyValue } from './docker_api.js';
import { at, str } from './util.js';

export const dockerVolumes = defineTable({
  name: 'docker_volumes',
  columns: {
    name: text({ index: true }),
    driver: text(),
    mount_point: text(),
    type: text(),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const tree = dockerGet(`/volumes${filterQuery(ctx, 'name', false, wanted)}`);
    return childValues(at(tree ?? undefined, 'Volumes')).map((v) => ({
      name: keyValue(v, 'Name', wanted),
      driver: str(at(v, 'Driver')),
      mount_point: str(at(v, 'Mountpoint')),
      type: str(at(v, 'Options', 'type')),
    }));
  },
});
