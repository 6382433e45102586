// dns_resolvers against glibc itself: a small python3 ctypes script calls res_init()
// and prints the resolver state (test/fixtures/dns_resolvers/res_state.py). The
// fixture resolv.conf is bind-mounted over /etc/resolv.conf in a private mount
// namespace for glibc (unshare, util-linux) and given to the table through
// OSQ_RESOLV_CONF_PATH. Needs root and python3.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { query } from '../../helpers/sql.ts';

const FIXTURES = new URL('../../fixtures/dns_resolvers/', import.meta.url).pathname;
const SCRIPT = `${FIXTURES}res_state.py`;

interface ResState {
  options: number;
  nameservers: string[];
  search: string[];
  sortlist: [string, number][];
}

function glibcState(resolvConf?: string): ResState {
  const py = `python3 '${SCRIPT}'`;
  const out = resolvConf
    ? execFileSync('unshare', ['-m', 'sh', '-c', `mount --bind '${resolvConf}' /etc/resolv.conf && ${py}`], {
        encoding: 'utf8',
      })
    : execFileSync('sh', ['-c', py], { encoding: 'utf8' });
  return JSON.parse(out) as ResState;
}

function compare(rows: Record<string, unknown>[], state: ResState): void {
  const of = (type: string) => rows.filter((r) => r.type === type);
  assert.deepEqual(
    of('nameserver').map((r) => r.address),
    state.nameservers,
  );
  for (const r of rows) assert.equal(r.options, state.options, `options of ${r.type} ${r.id}`);
  for (const r of of('nameserver')) assert.equal(r.netmask, '32');
  // osquery repeats the first search domain on every search row.
  assert.deepEqual(
    of('search').map((r) => r.address),
    state.search.map(() => state.search[0]),
  );
  assert.deepEqual(
    of('sortlist').map((r) => [r.address, Number(r.netmask)]),
    state.sortlist,
  );
  for (const type of ['nameserver', 'search', 'sortlist']) {
    assert.deepEqual(
      of(type).map((r) => r.id),
      of(type).map((_, i) => i),
    );
  }
}

const canRun = process.getuid?.() === 0 && spawnSync('python3', ['-c', 'import ctypes']).status === 0;

test('dns_resolvers matches glibc res_init on this host', { skip: !canRun }, async () => {
  const rows = await query('SELECT id, type, address, netmask, options FROM dns_resolvers');
  assert.ok(rows.length > 0);
  compare(rows, glibcState());
});

test('dns_resolvers matches glibc on a full resolv.conf fixture', { skip: !canRun }, async () => {
  const conf = `${FIXTURES}resolv.conf`;
  process.env.OSQ_RESOLV_CONF_PATH = conf;
  try {
    const rows = await query('SELECT id, type, address, netmask, options FROM dns_resolvers');
    const state = glibcState(conf);
    assert.equal(state.nameservers.length, 3, 'glibc keeps three nameservers');
    assert.ok(state.search.length === 3 && state.sortlist.length === 3);
    compare(rows, state);
  } finally {
    delete process.env.OSQ_RESOLV_CONF_PATH;
  }
});
