// docker_container_ports: the Ports of each container in GET /containers/json
// (a published port has a host address and port; an exposed one has 0).

import { childValues } from '../../lib/json.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { keyValue, listContainers } from './docker_api.js';
import { at, int, str } from './util.js';

export const dockerContainerPorts = defineTable({
  name: 'docker_container_ports',
  columns: {
    id: text({ additional: true, collate: 'nocase' }),
    type: text(),
    port: integer(),
    host_ip: text(),
    host_port: integer(),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const rows: Row[] = [];
    for (const c of listContainers(ctx, wanted) ?? []) {
      for (const p of childValues(at(c, 'Ports'))) {
        rows.push({
          id: keyValue(c, 'Id', wanted),
          type: str(at(p, 'Type')),
          port: int(at(p, 'PrivatePort')),
          host_ip: str(at(p, 'IP')),
          host_port: int(at(p, 'PublicPort')),
        });
      }
    }
    return rows;
  },
});
