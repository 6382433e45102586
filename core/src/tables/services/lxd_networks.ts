// lxd_networks: each network (GET /1.0/networks, then each URL) with its counters
// and link state from <url>/state.

import { childValues } from '../../lib/json.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { lxdGet, lxdList, needBool, needInt, needStr, orSkip } from './lxd_api.js';
import { at, str } from './util.js';

/** Users of the network, instance URLs shortened to instance names. */
function usedBy(list: ReturnType<typeof at>): string {
  return childValues(list)
    .map((u) =>
      str(u)
        .replace(/^\/1\.0\/containers\//, '')
        .replace(/^\/1\.0\/instances\//, ''),
    )
    .join(',');
}

function addState(url: string, row: Row): void {
  const s = lxdGet(`${url}/state`);
  if (s === null) return;
  const state = orSkip(`network state ${url}`, () => ({
    bytes_received: needInt(s, 'counters', 'bytes_received'),
    bytes_sent: needInt(s, 'counters', 'bytes_sent'),
    packets_received: needInt(s, 'counters', 'packets_received'),
    packets_sent: needInt(s, 'counters', 'packets_sent'),
    hwaddr: needStr(s, 'hwaddr'),
    state: needStr(s, 'state'),
    mtu: needInt(s, 'mtu'),
  }));
  if (state) Object.assign(row, state);
}

function networkRow(url: string): Row | null {
  const m = lxdGet(url);
  if (m === null) return null;
  const row = orSkip(`network ${url}`, () => ({
    name: needStr(m, 'name'),
    type: needStr(m, 'type'),
    managed: needBool(m, 'managed'),
    ipv4_address: str(at(m, 'config', 'ipv4.address')),
    ipv6_address: str(at(m, 'config', 'ipv6.address')),
    used_by: usedBy(at(m, 'used_by')),
  })) as Row | null;
  if (row !== null) addState(url, row);
  return row;
}

export const lxdNetworks = defineTable({
  name: 'lxd_networks',
  columns: {
    name: text(),
    type: text(),
    managed: integer(),
    ipv4_address: text(),
    ipv6_address: text(),
    used_by: text(),
    bytes_received: bigint(),
    bytes_sent: bigint(),
    packets_received: bigint(),
    packets_sent: bigint(),
    hwaddr: text(),
    state: text(),
    mtu: integer(),
  },
  generate() {
    return lxdList('/1.0/networks')
      .map(networkRow)
      .filter((r): r is Row => r !== null);
  },
});
