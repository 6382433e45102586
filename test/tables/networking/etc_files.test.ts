// etc_hosts / etc_services / etc_protocols against glibc's own parsers (getent).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { canonicalIp, sh } from './net_helpers.js';

function getent(db: string): string[][] {
  return sh('getent', [db])
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
}

test('etc_hosts matches getent hosts', async () => {
  const rows = await query('SELECT address, hostnames FROM etc_hosts');
  assert.ok(rows.length > 0, '/etc/hosts has entries');
  for (const r of rows) assert.equal(typeof r.address, 'string');
  // glibc skips lines without a name; compare the named entries it enumerates.
  const ours = new Set(
    rows.filter((r) => r.hostnames).map((r) => `${canonicalIp(String(r.address))} ${r.hostnames}`),
  );
  const theirs = getent('hosts').map(([addr, ...names]) => `${canonicalIp(addr!)} ${names.join(' ')}`);
  assert.ok(theirs.length > 0);
  for (const t of theirs) assert.ok(ours.has(t), `getent entry ${t} is in etc_hosts`);
  const ipv4 = rows.filter((r) => r.hostnames && !String(r.address).includes(':'));
  assert.ok(ipv4.length <= theirs.length);
});

test('hosts is an alias of etc_hosts', async () => {
  const a = await query('SELECT address, hostnames FROM etc_hosts');
  const b = await query('SELECT address, hostnames FROM hosts');
  assert.deepEqual(b, a);
});

test('etc_services matches getent services', async () => {
  const rows = await query('SELECT name, port, protocol, aliases, comment FROM etc_services');
  const theirs = getent('services').map(([name, portProto, ...aliases]) => {
    const [port, proto] = portProto!.split('/');
    return `${name} ${port} ${proto} ${aliases.join(' ')}`.trim();
  });
  assert.ok(theirs.length > 10, 'getent lists services');
  const ours = rows.map((r) => `${r.name} ${r.port} ${r.protocol} ${r.aliases}`.trim());
  assert.deepEqual([...ours].sort(), [...theirs].sort());
  for (const r of rows) {
    assert.equal(typeof r.port, 'number');
    assert.equal(typeof r.aliases, 'string');
  }
  const tcpmux = rows.find((r) => r.name === 'tcpmux');
  if (tcpmux) assert.equal(typeof tcpmux.comment, 'string');
});

test('etc_protocols matches getent protocols', async () => {
  const rows = await query('SELECT name, number, alias, comment FROM etc_protocols');
  const theirs = getent('protocols').map(([name, num, alias]) => `${name} ${num} ${alias ?? ''}`.trim());
  assert.ok(theirs.length > 5);
  const ours = rows.map((r) => `${r.name} ${r.number} ${r.alias ?? ''}`.trim());
  assert.deepEqual([...ours].sort(), [...theirs].sort());
  const tcp = rows.find((r) => r.name === 'tcp');
  assert.equal(tcp?.number, 6);
});
