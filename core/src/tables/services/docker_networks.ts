// docker_networks: networks from GET /networks (with osquery's id filter); the
// subnet and gateway are those of the first IPAM config entry.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { dockerGet, filterQuery, keyValue } from './docker_api.js';
import { at, boolInt, str } from './util.js';

/**
 * Seconds since the epoch of "2016-10-19T06:21:00.416543526Z" read to the second
 * as LOCAL time, as osquery does for this column (mktime); 0 when unparsable.
 */
export function localUnixSeconds(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) return 0;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Math.floor(new Date(y, mo - 1, d, h, mi, s).getTime() / 1000);
}

export const dockerNetworks = defineTable({
  name: 'docker_networks',
  columns: {
    id: text({ index: true, collate: 'nocase' }),
    name: text(),
    driver: text(),
    created: bigint(),
    enable_ipv6: integer(),
    subnet: text(),
    gateway: text(),
  },
  generate(ctx) {
    const wanted = new Set<string>();
    const list = dockerGet(`/networks${filterQuery(ctx, 'id', false, wanted)}`);
    return childValues(list ?? undefined).map((n) => {
      const row: Row = {
        id: keyValue(n, 'Id', wanted),
        name: str(at(n, 'Name')),
        driver: str(at(n, 'Driver')),
        created: localUnixSeconds(str(at(n, 'Created'))),
        enable_ipv6: boolInt(at(n, 'EnableIPv6')),
      };
      const first = childValues(at(n, 'IPAM', 'Config'))[0];
      if (first !== undefined) {
        row.subnet = str(at(first, 'Subnet'));
        row.gateway = str(at(first, 'Gateway'));
      }
      return row;
    });
  },
});
