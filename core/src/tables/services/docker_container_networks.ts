// docker_container_networks: NetworkSettings.Networks of each container in
// GET /containers/json, one row per network the container joined.
import { defineTable, integer, type Row, text } from '../framework.js';
import { keyValue, listContainers } from './docker_api.js';
import { at, entries, int, str } from './util.js';

export const dockerContainerNetworks = defineTable({
  name: 'docker_container_networks',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    name: text({ index: true }),
    network_id: text({ collate: 'nocase' }),
    endpoint_id: text({ collate: 'nocase' }),
    gateway: text(),
    ip_address: text(),
    ip_prefix_len: integer(),
    ipv6_gateway: text(),
    ipv6_address: text(),
    ipv6_prefix_len: integer(),
    mac_address: text({ collate: 'nocase' }),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const rows: Row[] = [];
    for (const c of listContainers(ctx, wanted) ?? []) {
      for (const [name, n] of entries(at(c, 'NetworkSettings', 'Networks'))) {
        rows.push({
          id: keyValue(c, 'Id', wanted),
          name,
          network_id: str(at(n, 'NetworkID')),
          endpoint_id: str(at(n, 'EndpointID')),
          gateway: str(at(n, 'Gateway')),
          ip_address: str(at(n, 'IPAddress')),
          ip_prefix_len: int(at(n, 'IPPrefixLen')),
          ipv6_gateway: str(at(n, 'IPv6Gateway')),
          ipv6_address: str(at(n, 'GlobalIPv6Address')),
          ipv6_prefix_len: int(at(n, 'GlobalIPv6PrefixLen')),
          mac_address: str(at(n, 'MacAddress')),
        });
      }
    }
    return rows;
  },
});
