// mounts against findmnt(1) and stat -f, with a tmpfs mounted at a path holding a space.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { run } from './tools.js';

interface FindmntEntry {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

function findmnt(): FindmntEntry[] {
  const out = JSON.parse(run('findmnt', ['-J', '-l', '--kernel', '-o', 'SOURCE,TARGET,FSTYPE,OPTIONS']));
  return out.filesystems as FindmntEntry[];
}

describe('mounts', () => {
  let dir: string;
  let mounted = false;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osq mnt '));
    try {
      run('mount', ['-t', 'tmpfs', '-o', 'size=4m,nr_inodes=1000', 'osqtestfs', dir]);
      mounted = true;
    } catch {
      // Not root or no mount permission: the tmpfs checks below are skipped.
    }
  });

  after(() => {
    if (mounted) run('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the same mount points, types, devices and options as findmnt', async () => {
    const rows = await query('SELECT device, path, type, flags FROM mounts');
    const theirs = findmnt();
    assert.equal(rows.length, theirs.length);
    const key = (p: unknown, t: unknown) => `${p}\u0000${t}`;
    const ours = new Map(rows.map((r) => [key(r.path, r.type), r]));
    for (const m of theirs) {
      const r = ours.get(key(m.target, m.fstype));
      assert.ok(r, `mount ${m.target} (${m.fstype})`);
      // findmnt shows a bind mount's source with its [subdir]; /proc/mounts does not.
      assert.equal(r.device, m.source.replace(/\[.*\]$/, ''));
      assert.equal(r.flags, m.options);
    }
  });

  test('a tmpfs at a path with a space: statfs numbers match stat -f', async (t) => {
    if (!mounted) return t.skip('cannot mount a tmpfs here');
    const rows = await query(`SELECT * FROM mounts WHERE path = '${dir.replaceAll("'", "''")}'`);
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.device, 'osqtestfs');
    assert.equal(r.device_alias, 'osqtestfs');
    assert.equal(r.type, 'tmpfs');
    // %s block size, %b blocks, %f free, %a available, %c inodes, %d free inodes
    const [bsize, blocks, bfree, bavail, files, ffree] = run('stat', ['-f', '-c', '%s %b %f %a %c %d', dir])
      .trim()
      .split(' ')
      .map(Number);
    assert.deepEqual(
      [r.blocks_size, r.blocks, r.blocks_free, r.blocks_available, r.inodes, r.inodes_free],
      [bsize, blocks, bfree, bavail, files, ffree],
    );
    assert.equal(Number(r.blocks) * Number(r.blocks_size), 4 * 1024 * 1024);
    assert.equal(r.inodes, 1000);
  });

  test('the root filesystem: block counts match stat -f within a tolerance', async () => {
    const rows = await query(
      `SELECT blocks_size, blocks, blocks_available, inodes FROM mounts WHERE path = '/'`,
    );
    assert.ok(rows.length >= 1);
    const r = rows[rows.length - 1]!;
    const [bsize, blocks, bavail, files] = run('stat', ['-f', '-c', '%s %b %a %c', '/'])
      .trim()
      .split(' ')
      .map(Number);
    assert.equal(r.blocks_size, bsize);
    assert.equal(r.blocks, blocks);
    assert.equal(r.inodes, files);
    assert.ok(Math.abs(Number(r.blocks_available) - bavail!) < 10_000);
  });

  test('device_alias resolves device paths', async () => {
    const rows = await query(`SELECT device, device_alias FROM mounts WHERE device LIKE '/%'`);
    for (const r of rows) {
      const expected = fs.existsSync(String(r.device))
        ? run('realpath', [String(r.device)]).trim()
        : r.device;
      assert.equal(r.device_alias, expected);
    }
  });
});
