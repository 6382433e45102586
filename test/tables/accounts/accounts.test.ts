// users, groups, user_groups, shell_history and authorized_keys against getent,
// id and files written for a temporary user. One file, so that the temporary
// user never appears half-way through another test's comparison.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.js';
import { createTempUser, removeLeftoverTempUsers, run, type TempUser } from './helpers.js';

await holdMachineLockForFile(removeLeftoverTempUsers);

let user: TempUser;
before(() => {
  user = createTempUser('a');
});
after(() => user?.remove());

function getent(db: string): string[][] {
  return run('getent', [db])
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(':'));
}

describe('users', () => {
  it('matches getent passwd', async () => {
    const expected = getent('passwd')
      .map((f) => [Number(f[2]), f[0], Number(f[3]), f[4], f[5], f[6]].join('|'))
      .sort();
    const rows = await query('SELECT uid, username, gid, description, directory, shell FROM users');
    const got = rows
      .map((r) => [r.uid, r.username, r.gid, r.description, r.directory, r.shell].join('|'))
      .sort();
    assert.ok(rows.length > 1);
    assert.deepEqual(got, expected);
  });

  it('serves uid and username lookups with osquery types', async () => {
    const [r] = await query(`SELECT * FROM users WHERE uid = ${user.uid}`);
    assert.ok(r);
    assert.equal(r.username, user.name);
    assert.equal(r.gid, user.gid);
    assert.equal(r.uid_signed, user.uid);
    assert.equal(r.directory, user.home);
    assert.equal(r.shell, '/bin/bash');
    assert.equal(r.uuid, '');
    assert.equal(typeof r.uid, 'number');
    const byName = await query(`SELECT uid FROM users WHERE username = '${user.name}'`);
    assert.deepEqual(byName, [{ uid: user.uid }]);
    assert.deepEqual(await query('SELECT uid FROM users WHERE uid = 4294967000'), []);
  });
});

describe('groups', () => {
  it('matches getent group (first entry of each gid)', async () => {
    const seen = new Map<number, string>();
    for (const f of getent('group')) if (!seen.has(Number(f[2]))) seen.set(Number(f[2]), f[0] as string);
    const expected = [...seen].map(([gid, name]) => `${gid}|${name}`).sort();
    const rows = await query('SELECT gid, gid_signed, groupname FROM groups');
    assert.deepEqual(rows.map((r) => `${r.gid}|${r.groupname}`).sort(), expected);
    assert.ok(rows.every((r) => r.gid_signed === r.gid || (r.gid as number) > 0x7fffffff));
  });

  it('finds the temporary group by gid', async () => {
    const rows = await query(`SELECT groupname FROM groups WHERE gid = ${user.groupGid}`);
    assert.deepEqual(rows, [{ groupname: user.group }]);
  });
});

describe('user_groups', () => {
  it('matches id -G for every user', async () => {
    const rows = await query('SELECT uid, gid FROM user_groups');
    const ours = new Map<number, number[]>();
    for (const r of rows) ours.set(r.uid as number, [...(ours.get(r.uid as number) ?? []), r.gid as number]);
    const seen = new Set<number>();
    for (const f of getent('passwd')) {
      const uid = Number(f[2]);
      if (seen.has(uid)) continue;
      seen.add(uid);
      const expected = run('id', ['-G', f[0] as string])
        .trim()
        .split(/\s+/)
        .map(Number);
      assert.deepEqual([...(ours.get(uid) ?? [])].sort(), [...new Set(expected)].sort(), `groups of ${f[0]}`);
    }
    assert.equal(ours.size, seen.size);
  });

  it('lists the temporary user with its primary group first', async () => {
    const rows = await query(`SELECT uid, gid FROM user_groups WHERE uid = ${user.uid}`);
    assert.deepEqual(
      rows.map((r) => r.gid),
      [user.gid, user.groupGid],
    );
  });
});

describe('shell_history', () => {
  it('reads the bash history with #<epoch> timestamps', async () => {
    const file = join(user.home, '.bash_history');
    writeFileSync(
      file,
      '#1700000000\nls -la /tmp\n#1700000100\necho "hi there"\nplain command\n: 1700000200:0;zsh style\n#notatime\nlast',
    );
    chownSync(file, user.uid, user.gid);
    const rows = await query(
      `SELECT uid, time, command, history_file FROM shell_history WHERE uid = ${user.uid}`,
    );
    assert.deepEqual(
      rows.map((r) => [r.time, r.command]),
      [
        [1700000000, 'ls -la /tmp'],
        [1700000100, 'echo "hi there"'],
        [0, 'plain command'],
        [1700000200, 'zsh style'],
        [0, '#notatime'],
        [0, 'last'],
      ],
    );
    assert.ok(rows.every((r) => r.uid === user.uid && r.history_file === file));
  });

  it('without a uid constraint covers every user, including the temporary one', async () => {
    const rows = await query('SELECT DISTINCT uid FROM shell_history');
    assert.ok(rows.some((r) => r.uid === user.uid));
  });
});

describe('authorized_keys', () => {
  it('splits keys made by ssh-keygen into algorithm, key, options and comment', async () => {
    const ssh = join(user.home, '.ssh');
    mkdirSync(ssh, { mode: 0o700 });
    const ed = join(ssh, 'id_ed25519');
    const rsa = join(ssh, 'id_rsa');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'osq test key', '-f', ed]);
    run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'rsa@osq', '-f', rsa]);
    const edPub = readFileSync(`${ed}.pub`, 'utf8').trim().split(' ');
    const rsaPub = readFileSync(`${rsa}.pub`, 'utf8').trim().split(' ');
    const keys = join(ssh, 'authorized_keys');
    writeFileSync(
      keys,
      `# a comment line\n${edPub.join(' ')}\nfrom="10.0.0.1",no-pty ${rsaPub.join(' ')}\n\nnot a key line\n`,
    );
    chmodSync(keys, 0o600);
    const rows = await query(
      `SELECT uid, algorithm, key, options, comment, key_file FROM authorized_keys WHERE uid = ${user.uid}`,
    );
    assert.deepEqual(rows, [
      {
        uid: user.uid,
        algorithm: edPub[0],
        key: edPub[1],
        options: null,
        comment: 'osq test key',
        key_file: keys,
      },
      {
        uid: user.uid,
        algorithm: rsaPub[0],
        key: rsaPub[1],
        options: 'from="10.0.0.1",no-pty',
        comment: 'rsa@osq',
        key_file: keys,
      },
    ]);
  });
});
