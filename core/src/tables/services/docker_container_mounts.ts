// docker_container_mounts: the Mounts of each container in GET /containers/json.

import { childValues } from '../../lib/json.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { keyValue, listContainers } from './docker_api.js';
import { at, boolInt, str } from './util.js';

export const dockerContainerMounts = defineTable({
  name: 'docker_container_mounts',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    type: text(),
    name: text({ index: true }),
    source: text(),
    destination: text(),
    driver: text(),
    mode: text(),
    rw: integer(),
    propagation: text(),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const rows: Row[] = [];
    for (const c of listContainers(ctx, wanted) ?? []) {
      for (const m of childValues(at(c, 'Mounts'))) {
        rows.push({
          id: keyValue(c, 'Id', wanted),
          type: str(at(m, 'Type')),
          name: str(at(m, 'Name')),
          source: str(at(m, 'Source')),
          destination: str(at(m, 'Destination')),
          driver: str(at(m, 'Driver')),
          mode: str(at(m, 'Mode')),
          rw: boolInt(at(m, 'RW')),
          propagation: str(at(m, 'Propagation')),
        });
      }
    }
    return rows;
  },
});
