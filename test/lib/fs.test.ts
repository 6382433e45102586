// The tolerant filesystem helpers against a directory made for the test (files,
// a dotfile, sub-directories, a symlink to a directory, a dangling symlink, a fifo)
// and real /proc files; listing orders are checked against `LC_ALL=C ls` and
// contents against readFileSync and readlink(1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  canonical,
  globNames,
  isDirectory,
  isFile,
  isReadable,
  joinPath,
  listDir,
  listDirectoriesInDirectory,
  listFilesInDirectory,
  listFilesRecursive,
  pathExists,
  readBytes,
  readLink,
  readText,
} from '../../core/src/lib/fs.ts';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'osq-lib-fs-'));
  writeFileSync(join(dir, 'b.txt'), 'bee\n');
  writeFileSync(join(dir, 'B.txt'), 'upper\n');
  writeFileSync(join(dir, '.hidden'), 'x');
  writeFileSync(join(dir, '\u{1F600}'), 'emoji');
  writeFileSync(join(dir, '\uFF01'), 'fullwidth');
  writeFileSync(join(dir, 'big'), Buffer.alloc(200 * 1024, 0x61));
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(dir, '.dotdir'));
  writeFileSync(join(dir, 'sub', 'one'), '1');
  writeFileSync(join(dir, 'sub', 'deeper', 'two'), '2');
  writeFileSync(join(dir, '.dotdir', 'inside'), '');
  symlinkSync(join(dir, 'sub'), join(dir, 'to-sub'));
  symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
  execFileSync('mkfifo', [join(dir, 'pipe')]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Names in `d` as `LC_ALL=C ls` sorts them (strcmp order); `all` adds dot names. */
function lsNames(d: string, all: boolean): string[] {
  const out = execFileSync('ls', [all ? '-A' : '-1', d], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  return out.split('\n').filter((n) => n !== '');
}

describe('reading files', () => {
  it('readText gives the whole text of small, /proc and large files, null otherwise', () => {
    assert.equal(readText(join(dir, 'b.txt')), 'bee\n');
    // /proc files report size 0; the text must still be complete.
    const status = readText('/proc/self/status');
    assert.ok(status?.startsWith('Name:'));
    assert.equal(readText('/proc/version'), readFileSync('/proc/version', 'utf8'));
    assert.equal(readText(join(dir, 'big'))?.length, 200 * 1024);
    assert.equal(readText(join(dir, 'missing')), null);
    assert.equal(readText(dir), null, 'a directory');
    assert.equal(readText(join(dir, 'dangling')), null);
  });

  it('readBytes gives bytes, null when unreadable', () => {
    assert.deepEqual(readBytes(join(dir, 'b.txt')), Buffer.from('bee\n'));
    assert.equal(readBytes(join(dir, 'missing')), null);
  });

  it('readLink gives the stored target (dangling or not), null for a non-link', () => {
    const target = execFileSync('readlink', [join(dir, 'dangling')], { encoding: 'utf8' }).trim();
    assert.equal(readLink(join(dir, 'dangling')), target);
    assert.equal(
      readLink('/proc/self/exe'),
      execFileSync('readlink', [`/proc/${process.pid}/exe`], { encoding: 'utf8' }).trim(),
    );
    assert.equal(readLink(join(dir, 'b.txt')), null);
    assert.equal(readLink(join(dir, 'missing')), null);
  });

  it('canonical resolves links, and keeps a path it cannot resolve', () => {
    const real = execFileSync('realpath', [join(dir, 'to-sub')], { encoding: 'utf8' }).trim();
    assert.equal(canonical(join(dir, 'to-sub')), real);
    assert.equal(canonical(join(dir, 'missing', 'x')), join(dir, 'missing', 'x'));
  });
});

describe('what a path is', () => {
  it('follows symlinks: a dangling link does not exist, a link to a directory is one', () => {
    assert.equal(pathExists(join(dir, 'b.txt')), true);
    assert.equal(pathExists(join(dir, 'dangling')), false);
    assert.equal(isDirectory(join(dir, 'to-sub')), true);
    assert.equal(isDirectory(join(dir, 'b.txt')), false);
    assert.equal(isFile(join(dir, 'b.txt')), true);
    assert.equal(isFile(join(dir, 'pipe')), false, 'a fifo is not a regular file');
    assert.equal(isFile(join(dir, 'sub')), false);
    assert.equal(isReadable(join(dir, 'b.txt')), true);
    assert.equal(isReadable(join(dir, 'missing')), false);
  });

  it('joinPath appends like boost::filesystem: one separator, and an empty directory adds none', () => {
    assert.equal(joinPath('/etc', 'passwd'), '/etc/passwd');
    assert.equal(joinPath('/etc/', 'passwd'), '/etc/passwd');
    assert.equal(joinPath('/', 'etc'), '/etc');
    assert.equal(joinPath('', 'passwd'), 'passwd');
  });
});

describe('listing directories', () => {
  it('listDir gives every name (dot names too) in strcmp order, [] when unlistable', () => {
    assert.deepEqual(listDir(dir), lsNames(dir, true));
    // strcmp order: the emoji (F0 ..) after U+FF01 (EF ..), which UTF-16 order would swap.
    const names = listDir(dir);
    assert.ok(names.indexOf('\uFF01') < names.indexOf('\u{1F600}'));
    assert.deepEqual(listDir(join(dir, 'missing')), []);
    assert.deepEqual(listDir(join(dir, 'b.txt')), []);
  });

  it('globNames splits what a glob of dir/* sees into folders and files', () => {
    const found = globNames(dir);
    assert.ok(found);
    assert.deepEqual(found.folders, ['sub', 'to-sub']);
    // Everything not a directory is a file, the dangling link and the fifo included.
    assert.deepEqual(
      found.files,
      lsNames(dir, false).filter((n) => !['sub', 'to-sub'].includes(n)),
    );
    assert.ok(found.files.includes('dangling') && found.files.includes('pipe'));
    assert.equal(globNames(join(dir, 'missing')), null);
  });

  it('listFilesInDirectory and listDirectoriesInDirectory give full paths, folders ending in /', () => {
    assert.deepEqual(listDirectoriesInDirectory(dir), [`${dir}/sub/`, `${dir}/to-sub/`]);
    assert.deepEqual(listDirectoriesInDirectory(`${dir}/`), [`${dir}/sub/`, `${dir}/to-sub/`]);
    assert.deepEqual(listFilesInDirectory(join(dir, 'sub')), [`${dir}/sub/one`]);
    assert.equal(listFilesInDirectory(join(dir, 'missing')), null);
    assert.deepEqual(listDirectoriesInDirectory(join(dir, 'sub', 'deeper')), []);
  });

  it('listFilesRecursive gives each folder its files before its sub-folders, no dot names', () => {
    assert.deepEqual(listFilesRecursive(join(dir, 'sub')), [`${dir}/sub/one`, `${dir}/sub/deeper/two`]);
    const all = listFilesRecursive(dir);
    assert.ok(!all.some((p) => p.includes('.dotdir') || p.endsWith('.hidden')));
    // The link to sub/ is followed like a folder.
    assert.ok(all.includes(`${dir}/to-sub/deeper/two`));
    assert.deepEqual(listFilesRecursive(join(dir, 'missing')), []);
  });
});
