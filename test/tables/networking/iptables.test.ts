// iptables against `iptables-legacy -L -n -v -x` (Debian package `iptables`; the
// table reads the legacy x_tables that osquery's libiptc sees). The test adds a
// custom chain with uniquely commented rules to the filter table and removes it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { sh, shQuiet } from './net_helpers.ts';

// Its test flushes and removes the chain before making it, so a killed run's is replaced.
await holdMachineLockForFile();

const CHAIN = 'OSQTEST_IPT';
const ipt = (...args: string[]) => sh('iptables-legacy', ['-w', ...args]);
const available =
  process.getuid?.() === 0 &&
  spawnSync('sh', ['-c', 'command -v iptables-legacy'], { stdio: 'ignore' }).status === 0;

after(() => {
  if (!available) return;
  shQuiet('iptables-legacy', ['-w', '-F', CHAIN]);
  shQuiet('iptables-legacy', ['-w', '-X', CHAIN]);
});

/** Chains and rules of one table as `iptables -L -n -v -x` lists them. */
function listed(
  table: string,
): Map<string, { policy: string; packets: number; bytes: number; targets: string[] }> {
  const out = sh('iptables-legacy', ['-w', '-t', table, '-L', '-n', '-v', '-x']);
  const chains = new Map<string, { policy: string; packets: number; bytes: number; targets: string[] }>();
  let cur: { policy: string; packets: number; bytes: number; targets: string[] } | undefined;
  for (const line of out.split('\n')) {
    const head = /^Chain (\S+) \((?:policy (\S+) (\d+) packets, (\d+) bytes|\d+ references)\)/.exec(line);
    if (head) {
      cur = {
        policy: head[2] ?? '',
        packets: Number(head[3] ?? 0),
        bytes: Number(head[4] ?? 0),
        targets: [],
      };
      chains.set(head[1]!, cur);
      continue;
    }
    const w = line.trim().split(/\s+/);
    if (cur && /^\d+$/.test(w[0] ?? '')) {
      // pkts bytes target prot opt in out source destination: target is empty for "no target" rules.
      cur.targets.push(/^(all|tcp|udp|icmp|\d+)$/.test(w[2]!) && w.length < 9 ? '' : w[2]!);
    }
  }
  return chains;
}

test('iptables lists chains and rules of the legacy tables', { skip: !available }, async () => {
  shQuiet('iptables-legacy', ['-w', '-F', CHAIN]);
  shQuiet('iptables-legacy', ['-w', '-X', CHAIN]);
  ipt('-N', CHAIN);
  ipt(
    '-A',
    CHAIN,
    '-s',
    '10.1.2.0/24',
    '-i',
    'eth+',
    '-p',
    'tcp',
    '--dport',
    '8080',
    '-m',
    'comment',
    '--comment',
    'osq test',
    '-j',
    'ACCEPT',
  );
  ipt('-A', CHAIN, '!', '-d', '192.0.2.1', '-o', 'lo', '-p', 'udp', '--sport', '53', '-j', 'DROP');
  ipt('-A', CHAIN, '-p', 'icmp', '-j', 'RETURN');

  const names = sh('cat', ['/proc/net/ip_tables_names']).trim().split('\n');
  const rows = await query('SELECT * FROM iptables');
  for (const table of names) {
    const theirs = listed(table);
    const ours = rows.filter((r) => r.filter_name === table);
    const chainRows = ours.filter((r) => r.target === null);
    // Chains in libiptc order: built-ins first, user chains sorted, as iptables -L.
    assert.deepEqual(
      chainRows.map((r) => r.chain),
      [...theirs.keys()],
      table,
    );
    for (const c of chainRows) {
      const t = theirs.get(String(c.chain))!;
      assert.equal(c.policy, t.policy);
      const ruleRows = ours.filter((r) => r.chain === c.chain && r.target !== null);
      assert.deepEqual(
        ruleRows.map((r) => r.target),
        t.targets,
        `${table}/${c.chain} targets`,
      );
      if (c.policy !== '') assert.ok(Number(c.packets) >= t.packets, 'counters only grow');
    }
  }

  const mine = rows.filter((r) => r.chain === CHAIN && r.target !== null);
  assert.equal(mine.length, 3);
  assert.deepEqual(
    { ...mine[0] },
    {
      filter_name: 'filter',
      chain: CHAIN,
      policy: '',
      target: 'ACCEPT',
      protocol: 6,
      src_port: '0:65535',
      dst_port: '8080:8080',
      src_ip: '10.1.2.0',
      src_mask: '255.255.255.0',
      iniface: 'eth+',
      iniface_mask: 'FFFFFF',
      dst_ip: '0.0.0.0',
      dst_mask: '0.0.0.0',
      outiface: 'all',
      outiface_mask: '',
      match: 'yes',
      packets: 0,
      bytes: 0,
    },
  );
  assert.equal(mine[1]!.dst_ip, '!192.0.2.1');
  assert.equal(mine[1]!.dst_mask, '255.255.255.255');
  assert.equal(mine[1]!.outiface, 'lo');
  assert.equal(mine[1]!.outiface_mask, 'FFFFFF');
  assert.equal(mine[1]!.protocol, 17);
  assert.equal(mine[1]!.src_port, '53:53');
  assert.equal(mine[2]!.protocol, 1);
  assert.equal(mine[2]!.src_port, '');
});
