// routes against iproute2 (`ip -j -d -4 route show table all` and the -6 one),
// with a veth pair carrying test routes (nothing is sent on it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.js';
import {
  canonicalIp,
  createVeth,
  ipJson,
  otherTestLink,
  removeLeftoverTestLinks,
  removeVeth,
  sleep,
} from './net_helpers.js';

await holdMachineLockForFile(removeLeftoverTestLinks);

const IF = 'osqrt0';

interface IpRoute {
  type: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  prefsrc?: string;
  metric?: number;
  flags: string[];
  metrics?: Record<string, number>[];
}

before(async () => {
  createVeth(IF, [
    ['addr', 'add', '203.0.113.1/25', 'brd', '+', 'dev', IF],
    ['addr', 'add', '2001:db8:77::1/64', 'dev', IF, 'nodad'],
  ]);
  await sleep(300);
  // Routes are added once the link is up (the kernel drops them when it goes down).
  const add = (args: string[]) => ipJson(['route', 'add', ...args]);
  add(['198.18.0.0/16', 'via', '203.0.113.2', 'dev', IF, 'metric', '77']);
  ipJson(['-6', 'route', 'add', '2001:db8:99::/48', 'via', '2001:db8:77::2', 'dev', IF, 'metric', '55']);
});

after(() => removeVeth(IF));

const TYPES: Record<string, string> = {
  unicast: 'gateway',
  local: 'local',
  broadcast: 'broadcast',
  anycast: 'anycast',
};
const FLAG_BITS: Record<string, number> = { dead: 1, pervasive: 2, onlink: 4, offload: 8, linkdown: 16 };

function expectedRow(r: IpRoute, v6: boolean): string {
  let destination: string;
  let netmask: number;
  if (r.dst === 'default') {
    destination = v6 ? '::' : '0.0.0.0';
    netmask = 0;
  } else {
    const [addr, len] = r.dst.split('/');
    destination = canonicalIp(addr!);
    const prefix = len === undefined ? (v6 ? 128 : 32) : Number(len);
    netmask = prefix === 32 || prefix === 128 ? 0 : prefix;
  }
  // A route's mtu metric is not visible in /proc (a documented gap): always 0.
  const mtu = 0;
  let flags = 0;
  for (const f of r.flags) flags |= FLAG_BITS[f] ?? 0;
  return JSON.stringify([
    destination,
    netmask,
    r.gateway ? canonicalIp(r.gateway) : null,
    r.dev ?? null,
    r.metric ?? 0,
    mtu,
    TYPES[r.type] ?? 'other',
    flags,
  ]);
}

function actualRow(r: Record<string, unknown>): string {
  return JSON.stringify([
    canonicalIp(String(r.destination)),
    r.netmask,
    r.gateway === null ? null : canonicalIp(String(r.gateway)),
    r.interface,
    r.metric,
    r.mtu,
    r.type,
    r.flags,
  ]);
}

test('routes matches ip route show table all (IPv4 main/local and IPv6)', async () => {
  // IPv4 tables other than main and local are a documented gap.
  const v4 = ipJson<IpRoute>(['-d', '-4', 'route', 'show', 'table', 'all']).filter(
    (r) => (r.table === undefined || r.table === 'main' || r.table === 'local') && !otherTestLink(r.dev, IF),
  );
  const v6 = ipJson<IpRoute>(['-d', '-6', 'route', 'show', 'table', 'all']).filter(
    (r) => !otherTestLink(r.dev, IF),
  );
  const expected = [...v4.map((r) => expectedRow(r, false)), ...v6.map((r) => expectedRow(r, true))];
  const rows = (await query('SELECT * FROM routes')).filter((r) => !otherTestLink(r.interface, IF));
  const actual = rows.map(actualRow);
  assert.deepEqual([...actual].sort(), [...expected].sort());
  for (const r of rows) assert.equal(r.hopcount, 0);

  // The kernel's own IPv4 routes carry the interface address as source.
  for (const r of v4.filter((x) => x.prefsrc)) {
    const dst = r.dst.split('/')[0];
    const row = rows.find(
      (x) => x.destination === dst && x.interface === r.dev && x.type === (TYPES[r.type] ?? 'other'),
    );
    assert.equal(row?.source, r.prefsrc, `source of ${r.dst}`);
  }
  const mine = rows.find((r) => r.destination === '198.18.0.0');
  assert.deepEqual(
    [mine?.netmask, mine?.gateway, mine?.interface, mine?.metric, mine?.mtu],
    [16, '203.0.113.2', IF, 77, 0],
  );
  const mine6 = rows.find((r) => r.destination === '2001:db8:99::');
  assert.deepEqual([mine6?.netmask, mine6?.gateway, mine6?.metric], [48, '2001:db8:77::2', 55]);
});
