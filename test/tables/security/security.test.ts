// Security tables against independent tools: getent, find/stat, /proc/keys via
// a spawned shell, ssh-keygen, getfattr/setfattr, and fixtures for selinuxfs and
// AppArmor's securityfs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apparmorRows } from '../../../core/src/tables/security/apparmor_profiles.ts';
import { capabilityText } from '../../../core/src/tables/security/extended_attributes.ts';
import { selinuxRows } from '../../../core/src/tables/security/selinux_settings.ts';
import { sudoersRows } from '../../../core/src/tables/security/sudoers.ts';
import { removeLeftoverFiles } from '../../helpers/host-state.ts';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { createTempUser, removeLeftoverTempUsers, type TempUser } from '../accounts/helpers.ts';
import { hasTool, run, sh } from '../system/tools.ts';

await holdMachineLockForFile(() => {
  removeLeftoverTempUsers();
  removeLeftoverFiles('/etc/sudoers.d', 'osqtest');
});

const FIXTURES = join(import.meta.dirname, '../../fixtures');

describe('security tables', () => {
  let user: TempUser;
  before(() => {
    user = createTempUser('sec');
    execFileSync('chpasswd', [], { input: `${user.name}:osq-test-pass\n` });
  });
  after(() => user.remove());

  test('shadow matches getent shadow', async () => {
    const rows = await query('SELECT * FROM shadow');
    const lines = run('getent', ['shadow']).trim().split('\n');
    assert.equal(rows.length, lines.length);
    for (const line of lines) {
      const f = line.split(':');
      const row = rows.find((r) => r.username === f[0]);
      assert.ok(row, `no row for ${f[0]}`);
      const num = (s: string | undefined) => (s === undefined || s === '' ? -1 : Number(s));
      assert.deepEqual(
        [row.last_change, row.min, row.max, row.warning, row.inactive, row.expire],
        [2, 3, 4, 5, 6, 7].map((i) => num(f[i])),
      );
    }
    const mine = await query(`SELECT * FROM shadow WHERE username = '${user.name}'`);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.password_status, 'active');
    const hash = run('getent', ['shadow', user.name]).split(':')[1] as string;
    assert.equal(mine[0]?.hash_alg, /^\$(\w+)\$/.exec(hash)?.[1]);
  });

  test('sudoers parses includes, continuations and include dirs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osq-sudo-'));
    try {
      mkdirSync(join(dir, 'd'));
      writeFileSync(
        join(dir, 'sudoers'),
        'Defaults\tenv_reset\n# comment\nroot ALL=(ALL:ALL) ALL\nCmnd_Alias X = /bin/a, \\\n   /bin/b\n@includedir d\n#include extra\n#includedir\n',
      );
      writeFileSync(join(dir, 'd', 'rules'), '%adm ALL=(ALL) NOPASSWD: ALL\n');
      writeFileSync(join(dir, 'd', 'skip.conf'), 'ignored ALL=ALL\n');
      writeFileSync(join(dir, 'd', 'skip~'), 'ignored ALL=ALL\n');
      writeFileSync(join(dir, 'extra'), 'bob ALL=ALL\n');
      const rows = sudoersRows(join(dir, 'sudoers'));
      assert.deepEqual(
        rows.map((r) => [r.source, r.header, r.rule_details]),
        [
          [join(dir, 'sudoers'), 'Defaults', 'env_reset'],
          [join(dir, 'sudoers'), 'root', 'ALL=(ALL:ALL) ALL'],
          [join(dir, 'sudoers'), 'Cmnd_Alias', 'X = /bin/a, /bin/b'],
          [join(dir, 'sudoers'), '@includedir', 'd'],
          [join(dir, 'd', 'rules'), '%adm', 'ALL=(ALL) NOPASSWD: ALL'],
          [join(dir, 'sudoers'), '#include', 'extra'],
          [join(dir, 'extra'), 'bob', 'ALL=ALL'],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sudoers reads /etc/sudoers and /etc/sudoers.d through SQL', async () => {
    const created = !existsSync('/etc/sudoers');
    const dropIn = `/etc/sudoers.d/osqtest${process.pid}`;
    const hadDir = existsSync('/etc/sudoers.d');
    try {
      if (created)
        writeFileSync('/etc/sudoers', 'root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n', {
          mode: 0o440,
        });
      mkdirSync('/etc/sudoers.d', { recursive: true });
      writeFileSync(dropIn, `${user.name} ALL=(ALL) NOPASSWD: /bin/true\n`, { mode: 0o440 });
      const rows = await query(`SELECT * FROM sudoers WHERE source = '${dropIn}'`);
      // Only counted when the top file includes the directory (true for Debian's default and ours).
      const includes = sh("grep -E '^[#@]includedir[[:space:]]+/etc/sudoers.d' /etc/sudoers || true").trim();
      if (includes !== '') {
        assert.deepEqual(rows, [
          { source: dropIn, header: user.name, rule_details: 'ALL=(ALL) NOPASSWD: /bin/true' },
        ]);
      }
      const all = await query('SELECT * FROM sudoers');
      const expected = Number(sh("grep -Ev '^[[:space:]]*(#|$)' /etc/sudoers | grep -c . || true").trim());
      assert.ok(all.filter((r) => r.source === '/etc/sudoers').length >= expected);
    } finally {
      rmSync(dropIn, { force: true });
      if (!hadDir) rmSync('/etc/sudoers.d', { recursive: true, force: true });
      if (created) rmSync('/etc/sudoers', { force: true });
    }
  });

  test('suid_bin matches find over osquery directories', async () => {
    const dir = mkdtempSync('/tmp/osq-suid-');
    const bin = join(dir, 'tool');
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o6755);
    try {
      const rows = await query('SELECT * FROM suid_bin');
      const roots = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/tmp'];
      const found = roots
        .filter((r) => existsSync(r))
        .flatMap((r) =>
          sh(
            `find -H ${r} -xtype f -perm /6000 -print 2>/dev/null; find -H ${r} -type l -xtype f -print 2>/dev/null | while read p; do [ -u "$p" -o -g "$p" ] && echo "$p"; done; true`,
          )
            .trim()
            .split('\n'),
        )
        .filter((p) => p !== '');
      assert.deepEqual(rows.map((r) => r.path).sort(), [...new Set(found)].sort());
      const mine = rows.find((r) => r.path === bin);
      assert.ok(mine);
      assert.equal(mine.permissions, 'SG');
      const [u, g] = run('stat', ['-c', '%U %G', bin]).trim().split(' ');
      assert.deepEqual([mine.username, mine.groupname], [u, g]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('kernel_keys matches /proc/keys read by a shell', async () => {
    const rows = await query('SELECT * FROM kernel_keys');
    const lines = sh("awk 'NF==10 {print $1, $3, $6, $8}' /proc/keys").trim().split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    assert.deepEqual(
      rows.map((r) => `${r.serial_number} ${r.usage} ${r.uid} ${r.type}`).sort(),
      lines.sort(),
    );
  });

  test('known_hosts, user_ssh_keys and ssh_configs of a temp user', async () => {
    const ssh = join(user.home, '.ssh');
    mkdirSync(ssh, { recursive: true });
    const keygen = (args: string[]) => run('ssh-keygen', ['-q', ...args]);
    keygen(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '', '-f', join(ssh, 'id_rsa')]);
    keygen(['-t', 'ecdsa', '-b', '384', '-m', 'PKCS8', '-N', '', '-f', join(ssh, 'id_ecdsa')]);
    keygen(['-t', 'ed25519', '-N', '', '-f', join(ssh, 'id_ed25519')]);
    keygen(['-t', 'ed25519', '-N', 'secret', '-f', join(ssh, 'id_locked')]);
    keygen(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'secret', '-f', join(ssh, 'id_rsa_locked')]);
    const pub = run('cat', [join(ssh, 'id_ed25519.pub')])
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    writeFileSync(join(ssh, 'known_hosts'), `# comment\nhost1 ${pub}\n\n[host2]:2222 ${pub}\n`);
    writeFileSync(
      join(ssh, 'config'),
      '# mine\nUser Alice\nHost Example\n  Port 2222\nMatch host x\n\tForwardAgent yes\n',
    );

    const known = await query(`SELECT * FROM known_hosts WHERE uid = ${user.uid}`);
    const listed = run('ssh-keygen', ['-l', '-f', join(ssh, 'known_hosts')])
      .trim()
      .split('\n');
    assert.equal(known.length, listed.length);
    assert.ok(known.every((r) => r.key_file === join(ssh, 'known_hosts')));

    const keys = await query(`SELECT * FROM user_ssh_keys WHERE uid = ${user.uid} ORDER BY path`);
    assert.deepEqual(
      keys.map((k) => k.path),
      ['id_ecdsa', 'id_ed25519', 'id_locked', 'id_rsa', 'id_rsa_locked'].map((n) => join(ssh, n)),
    );
    const byName = (n: string) => keys.find((k) => k.path === join(ssh, n)) as Record<string, unknown>;
    for (const name of ['id_rsa', 'id_ecdsa']) {
      const bits = Number(run('ssh-keygen', ['-l', '-f', join(ssh, name)]).split(' ')[0]);
      assert.equal(byName(name).key_length, bits);
      assert.equal(byName(name).encrypted, 0);
    }
    assert.equal(byName('id_rsa').key_type, 'rsa');
    assert.equal(byName('id_rsa').key_security_bits, 112);
    assert.deepEqual([byName('id_ecdsa').key_type, byName('id_ecdsa').key_group_name], ['ec', 'secp384r1']);
    assert.deepEqual([byName('id_ed25519').encrypted, byName('id_ed25519').key_length], [0, null]);
    // ssh-keygen -y with an empty passphrase fails exactly for the encrypted keys.
    for (const name of ['id_locked', 'id_rsa_locked', 'id_ed25519']) {
      let encrypted = 0;
      try {
        run('ssh-keygen', ['-y', '-P', '', '-f', join(ssh, name)]);
      } catch {
        encrypted = 1;
      }
      assert.equal(byName(name).encrypted, encrypted, name);
    }

    const configs = await query(`SELECT * FROM ssh_configs WHERE uid = ${user.uid}`);
    const expected = sh(
      `sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' '${join(ssh, 'config')}' | tr 'A-Z' 'a-z' | grep -v '^#' | grep -v '^$' | grep -Ev '^(host|match) '`,
    )
      .trim()
      .split('\n');
    assert.deepEqual(
      configs.map((r) => r.option),
      expected,
    );
    assert.deepEqual(
      configs.map((r) => r.block),
      ['', 'host example', 'match host x'],
    );
  });

  test('extended_attributes matches getfattr', {
    skip: !hasTool('setfattr') && 'needs Debian package attr',
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osq-xattr-'));
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    try {
      run('setfattr', ['-n', 'user.text', '-v', '0x68656c6c6f00', file]);
      run('setfattr', ['-n', 'user.bin', '-v', '0x0102ff', file]);
      run('setfattr', ['-n', 'user.empty', file]);
      const rows = await query(`SELECT * FROM extended_attributes WHERE path LIKE '${dir}/%'`);
      const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
      assert.equal(
        rows.length,
        Number(sh(`getfattr -d -m - --absolute-names ${file} | grep -c '^[a-z]'`).trim()),
      );
      assert.deepEqual([byKey['user.text']?.value, byKey['user.text']?.base64], ['hello', 0]);
      assert.deepEqual(
        [byKey['user.bin']?.value, byKey['user.bin']?.base64],
        [Buffer.from([1, 2, 255]).toString('base64'), 1],
      );
      assert.deepEqual([byKey['user.empty']?.value, byKey['user.empty']?.base64], ['', 1]);
      assert.equal(byKey['user.text']?.directory, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('security.capability is decoded as libcap text', () => {
    // vfs_cap_data revision 2, effective, permitted = CAP_NET_RAW (bit 13).
    const v = Buffer.alloc(20);
    v.writeUInt32LE(0x02000001, 0);
    v.writeUInt32LE(1 << 13, 4);
    assert.equal(capabilityText(v), 'cap_net_raw=ep');
  });

  test('selinux_settings reads a selinuxfs tree (fixture)', () => {
    const rows = selinuxRows(join(FIXTURES, 'selinux_settings'));
    const get = (scope: string, key: string) => rows.find((r) => r.scope === scope && r.key === key)?.value;
    assert.equal(get('', 'enforce'), '1');
    assert.equal(get('booleans', 'httpd_can_network_connect'), 'on');
    assert.equal(get('booleans', 'ssh_sysadm_login'), 'off');
    assert.equal(get('policy_capabilities', 'network_peer_controls'), '1');
    assert.deepEqual(
      rows.filter((r) => r.scope === 'class').map((r) => [r.key, r.value]),
      [
        ['file/perms', 'read'],
        ['file/perms', 'write'],
      ],
    );
    assert.equal(rows.filter((r) => r.scope === '').length, 6);
  });

  test('apparmor_profiles reads a securityfs policy tree (fixture)', () => {
    const rows = apparmorRows(join(FIXTURES, 'apparmor_profiles'));
    assert.deepEqual(
      rows.map((r) => [r.path, r.name, r.mode, r.attach]).sort(),
      [
        ['/usr/sbin/tcpdump', '/usr/sbin/tcpdump', 'enforce', '/usr/sbin/tcpdump'],
        ['/usr/sbin/tcpdump//helper', 'helper', 'complain', '<unconfined>'],
      ].sort(),
    );
  });
});
