// device_partitions, device_file and device_hash (The Sleuth Kit's tools as the
// reader) on a small disk image made here: a DOS partition table written by hand
// and an ext4 file system at 1 MiB (mkfs.ext4 -E offset=), filled with debugfs.
// Compared with debugfs and dumpe2fs (e2fsprogs) and with the files' own digests.
// Needs: sleuthkit, e2fsprogs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.ts';
import { run } from '../system/tools.ts';

const SECTOR = 512;
const START = 2048; // sectors: the file system begins at 1 MiB
const LENGTH = 12288; // sectors: 6 MiB

describe('device tables on an ext4 image', () => {
  let dir: string;
  let image: string;
  let fsSpec: string;
  const contents: Record<string, string> = {
    '/a.txt': 'hello from osq\n',
    '/sub/b.txt': 'second file, in a folder\n',
    '/sub/deeper/c.bin': 'x'.repeat(5000),
  };

  const debugfs = (request: string) => run('debugfs', ['-R', request, fsSpec]);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-tsk-'));
    image = join(dir, 'disk.img');
    fsSpec = `${image}?offset=${START * SECTOR}`;
    writeFileSync(image, '');
    truncateSync(image, 8 * 1024 * 1024);
    // One primary Linux partition in a DOS (MBR) table.
    const mbr = Buffer.alloc(SECTOR);
    mbr[446 + 4] = 0x83;
    mbr.writeUInt32LE(START, 446 + 8);
    mbr.writeUInt32LE(LENGTH, 446 + 12);
    mbr.writeUInt16LE(0xaa55, 510);
    const fd = openSync(image, 'r+');
    writeSync(fd, mbr, 0, SECTOR, 0);
    closeSync(fd);
    run('mkfs.ext4', ['-q', '-F', '-E', `offset=${START * SECTOR}`, image, `${(LENGTH * SECTOR) / 1024}k`]);
    const commands: string[] = ['mkdir sub', 'mkdir sub/deeper'];
    for (const [path, data] of Object.entries(contents)) {
      const src = join(dir, path.replaceAll('/', '_'));
      writeFileSync(src, data);
      commands.push(`write ${src} ${path.slice(1)}`);
    }
    commands.push('ln a.txt hardlink.txt', 'sif a.txt links_count 2', 'symlink sym a.txt');
    commands.push('sif a.txt uid 1234', 'sif a.txt gid 4321', 'sif sub/b.txt mode 0104750');
    writeFileSync(join(dir, 'cmds'), `${commands.join('\n')}\n`);
    run('debugfs', ['-w', '-f', join(dir, 'cmds'), fsSpec]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('device_partitions: the table we wrote and the file system dumpe2fs sees', async () => {
    const rows = await query(`SELECT * FROM device_partitions WHERE device = '${image}'`);
    const linux = rows.find((r) => r.label === 'Linux (0x83)');
    assert.ok(linux, 'the Linux partition');
    const header = run('dumpe2fs', ['-h', fsSpec]);
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(header)?.[1]);
    assert.equal(linux.type, 'ext4');
    assert.equal(linux.offset, START * SECTOR);
    assert.equal(linux.blocks_size, field('Block size'));
    assert.equal(linux.blocks, field('Block count'));
    // TSK counts one more inode than the superblock: its virtual $OrphanFiles folder.
    assert.equal(linux.inodes, field('Inode count') + 1);
    // The rest of the device: the table itself and the unallocated gaps.
    const meta = rows.filter((r) => r.type === 'meta');
    const gaps = rows.filter((r) => r.type === 'unallocated');
    assert.equal(meta.length, 1);
    assert.equal(meta[0]?.flags, 4);
    assert.deepEqual(
      gaps.map((g) => [g.offset, g.blocks, g.inodes, g.flags]),
      [
        [0, START, -1, 2],
        [(START + LENGTH) * SECTOR, 16384 - START - LENGTH, -1, 2],
      ],
    );
    assert.deepEqual(
      await query(`SELECT * FROM device_partitions WHERE device = '${join(dir, 'cmds')}'`),
      [],
    );
  });

  /** debugfs' view of an inode: mode, owner, size, links, times. */
  function debugfsStat(inode: number) {
    const out = debugfs(`stat <${inode}>`);
    const num = (re: RegExp) => Number(re.exec(out)?.[1]);
    const time = (name: string) =>
      Number.parseInt(new RegExp(`${name}: 0x([0-9a-f]+)`).exec(out)?.[1] ?? '', 16);
    return {
      mode: num(/Mode:\s+0?(\d+)/),
      uid: num(/User:\s+(\d+)/),
      gid: num(/Group:\s+(\d+)/),
      size: num(/Size:\s+(\d+)/),
      links: num(/Links:\s+(\d+)/),
      atime: time('atime'),
      mtime: time('mtime'),
      crtime: time('crtime'),
    };
  }

  /** Regular files under `path`, walked with `debugfs ls -p` (/inode/mode/uid/gid/name/size/). */
  function debugfsFiles(path: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const line of debugfs(`ls -p ${path}`).split('\n')) {
      const f = line.split('/');
      if (f.length < 7) continue;
      const [inode, mode, name] = [Number(f[1]), f[2] as string, f[5] as string];
      if (name === '.' || name === '..') continue;
      const full = path === '/' ? `/${name}` : `${path}/${name}`;
      if (mode.startsWith('10')) found.set(full, inode);
      if (mode.startsWith('04')) for (const [p, i] of debugfsFiles(full)) found.set(p, i);
    }
    return found;
  }

  test('device_file walks the regular files debugfs lists, with their metadata', async () => {
    const rows = await query(`SELECT * FROM device_file WHERE device = '${image}' AND partition = '2'`);
    const expected = debugfsFiles('/');
    assert.deepEqual(rows.map((r) => r.path).sort(), [...expected.keys()].sort());
    for (const r of rows) {
      const inode = expected.get(String(r.path)) as number;
      const st = debugfsStat(inode);
      assert.equal(r.inode, inode);
      assert.equal(r.type, 'regular');
      assert.equal(r.filename, String(r.path).split('/').pop());
      assert.equal(Number(r.mode), Number.parseInt(String(st.mode), 8) & 0o7777, `mode of ${r.path}`);
      assert.deepEqual([r.uid, r.gid, r.size, r.hard_links], [st.uid, st.gid, st.size, st.links]);
      assert.deepEqual([r.atime, r.mtime, r.ctime], [st.atime, st.mtime, st.crtime]);
      assert.equal(r.block_size, 1024);
    }
    const one = await query(
      `SELECT path, inode, type FROM device_file WHERE device = '${image}' AND partition = '2' AND path = '/sym'`,
    );
    const symLine = debugfs('ls -p /')
      .split('\n')
      .find((l) => l.split('/')[5] === 'sym');
    assert.deepEqual(one, [{ path: '/sym', inode: Number(symLine?.split('/')[1]), type: 'symlink' }]);
    // Exactly one partition is required, and it must hold a file system.
    assert.deepEqual(
      await query(`SELECT * FROM device_file WHERE device = '${image}' AND partition IN ('1', '2')`),
      [],
    );
    assert.deepEqual(
      await query(`SELECT * FROM device_file WHERE device = '${image}' AND partition = '1'`),
      [],
    );
  });

  test('device_hash digests the contents of inodes', async () => {
    const files = debugfsFiles('/');
    for (const [path, data] of Object.entries(contents)) {
      const inode = files.get(path) as number;
      const rows = await query(
        `SELECT * FROM device_hash WHERE device = '${image}' AND partition = '2' AND inode = ${inode}`,
      );
      assert.equal(rows.length, 1, path);
      for (const alg of ['md5', 'sha1', 'sha256'] as const) {
        assert.equal(rows[0]?.[alg], createHash(alg).update(data).digest('hex'), `${alg} of ${path}`);
      }
    }
  });
});
