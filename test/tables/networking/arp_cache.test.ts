// arp_cache against `ip -j -4 neigh show`. A fresh machine may have an empty
// cache, so the test adds a permanent entry on a veth pair of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.js';
import { createVeth, ipJson, otherTestLink, removeLeftoverTestLinks, removeVeth, sh } from './net_helpers.js';

await holdMachineLockForFile(removeLeftoverTestLinks);

const IF = 'osqarp0';
const NEIGH = '203.0.113.77';
const MAC = '02:00:5e:00:53:77';

interface IpNeigh {
  dst: string;
  dev: string;
  lladdr?: string;
  state: string[];
}

before(() => {
  createVeth(IF);
  sh('ip', ['neigh', 'add', NEIGH, 'lladdr', MAC, 'dev', IF, 'nud', 'permanent']);
});

after(() => removeVeth(IF));

test('arp_cache matches ip neigh', async () => {
  const neigh = ipJson<IpNeigh>(['-4', 'neigh', 'show']).filter((n) => !otherTestLink(n.dev, IF));
  const expected = neigh.map((n) =>
    JSON.stringify([
      n.dst,
      n.lladdr ?? '00:00:00:00:00:00',
      n.dev,
      n.state.includes('PERMANENT') ? '1' : '0',
    ]),
  );
  const rows = (await query('SELECT * FROM arp_cache')).filter((r) => !otherTestLink(r.interface, IF));
  const actual = rows.map((r) => JSON.stringify([r.address, r.mac, r.interface, r.permanent]));
  assert.deepEqual([...actual].sort(), [...expected].sort());
  const mine = rows.find((r) => r.address === NEIGH);
  assert.deepEqual(mine, { address: NEIGH, mac: MAC, interface: IF, permanent: '1' });
  // mac compares without case.
  const upper = await query(`SELECT address FROM arp_cache WHERE mac = '${MAC.toUpperCase()}'`);
  assert.deepEqual(upper, [{ address: NEIGH }]);
});
