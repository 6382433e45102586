// file against stat(1) and find(1) on a directory made for the test (a regular
// file, a dotfile, a subdirectory, symlinks, a fifo) and on /dev/null.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lutimesSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, queryError } from '../../helpers/sql.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'osq-file-'));
  writeFileSync(join(dir, 'a.txt'), 'hello\n', { mode: 0o640 });
  writeFileSync(join(dir, '.hidden'), 'x');
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'b.bin'), Buffer.alloc(5000, 1));
  writeFileSync(join(dir, 'sub', 'deeper', 'c'), '');
  symlinkSync(join(dir, 'a.txt'), join(dir, 'link'));
  symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
  // Reading a link moves its atime while atime <= mtime or ctime (relatime), and the kernel's
  // coarse clock can keep them equal for a while. Set the links' atime after both, so neither the
  // table's read nor stat's read moves it, whichever comes first.
  const later = Date.now() / 1000 + 60;
  lutimesSync(join(dir, 'link'), later, later - 60);
  lutimesSync(join(dir, 'dangling'), later, later - 60);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const STAT_FORMAT = '%i|%u|%g|%a|%s|%o|%X|%Y|%Z|%h';
/** stat -L (follow links, like osquery) of a path; null when it cannot. */
function statL(path: string): string | null {
  try {
    return execFileSync('stat', ['-L', '-c', STAT_FORMAT, path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return execFileSync('stat', ['-c', STAT_FORMAT, path], { encoding: 'utf8' }).trim();
  }
}

function ours(r: Record<string, unknown>): string {
  const mode = Number.parseInt(r.mode as string, 8).toString(8);
  return [r.inode, r.uid, r.gid, mode, r.size, r.block_size, r.atime, r.mtime, r.ctime, r.hard_links].join(
    '|',
  );
}

describe('file', () => {
  it('matches stat for every entry of a directory', async () => {
    const rows = await query(`SELECT * FROM file WHERE directory = '${dir}'`);
    const names = execFileSync('find', [dir, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\n'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(rows.map((r) => r.filename).sort(), names);
    for (const r of rows) {
      assert.equal(r.path, join(dir, r.filename as string));
      assert.equal(r.directory, dir);
      assert.equal(ours(r), statL(r.path as string), `stat of ${r.path}`);
      assert.match(r.mode as string, /^[0-7]{4}$/);
      assert.equal(r.btime, 0);
    }
    const byName = Object.fromEntries(rows.map((r) => [r.filename, r]));
    assert.equal(byName['a.txt']?.type, 'regular');
    assert.equal(byName['a.txt']?.mode, '0640');
    assert.equal(byName['a.txt']?.symlink, 0);
    assert.equal(byName['a.txt']?.symlink_target_path, null);
    assert.equal(byName.sub?.type, 'directory');
    assert.equal(byName.pipe?.type, 'fifo');
    assert.equal(byName.link?.symlink, 1);
    assert.equal(byName.link?.type, 'regular');
    assert.equal(byName.link?.symlink_target_path, join(dir, 'a.txt'));
    assert.equal(byName.dangling?.symlink, 1);
    assert.equal(byName.dangling?.type, 'unknown');
  });

  it('expands path LIKE with % (one level, no dotfiles) and %% (recursive)', async () => {
    const one = await query(`SELECT path FROM file WHERE path LIKE '${dir}/%'`);
    const find1 = execFileSync('find', [dir, '-mindepth', '1', '-maxdepth', '1', '-not', '-name', '.*'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    assert.deepEqual(one.map((r) => (r.path as string).replace(/\/$/, '')).sort(), find1.sort());
    // Directories come back as osquery gives them: with a trailing '/'.
    assert.ok(one.some((r) => r.path === `${dir}/sub/`));
    const all = await query(`SELECT path FROM file WHERE path LIKE '${dir}/%%'`);
    const findAll = execFileSync('find', [dir, '-mindepth', '1', '-not', '-name', '.*'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    assert.deepEqual(all.map((r) => (r.path as string).replace(/\/$/, '')).sort(), findAll.sort());
  });

  it('reports a device with its st_rdev', async () => {
    const [r] = await query("SELECT type, device, mode FROM file WHERE path = '/dev/null'");
    const [major, minor] = execFileSync('stat', ['-c', '%t %T', '/dev/null'], { encoding: 'utf8' })
      .trim()
      .split(' ')
      .map((h) => Number.parseInt(h, 16));
    assert.equal(r?.type, 'character');
    assert.equal(r?.device, ((major as number) << 8) | (minor as number));
  });

  it('needs a path or directory constraint', async () => {
    assert.match(await queryError('SELECT * FROM file'), /path|directory|constraint/i);
  });
});
