// Tolerant filesystem reads as tables make them: a file that is gone, unreadable or
// not what was expected gives null (or false, or []) instead of an exception, so a
// table reports no value rather than failing the query. Paths join the way
// boost::filesystem does, and directory listings come in the order osquery's
// glob-based helpers return them (strcmp order of the names).
import * as fs from 'node:fs';
import { compareBytes } from './bytes.js';

const scratch = Buffer.allocUnsafe(64 * 1024);

/** The whole file as UTF-8 text, or null when it cannot be read (gone, no permission, a directory). */
export function readText(path: string): string | null {
  // /proc and /sys files report size 0, so readFileSync stats, allocates and reads in
  // rounds; one read into a reused buffer costs a third of that for the small files
  // that tables read by the thousand (a process's stat, status, io, ...).
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, scratch, n, scratch.length - n, null);
      if (got === 0) return scratch.toString('utf8', 0, n);
      n += got;
      if (n === scratch.length) break; // larger than the buffer: read it whole below
    }
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The whole file as bytes, or null when it cannot be read. */
export function readBytes(path: string): Buffer | null {
  try {
    return fs.readFileSync(path);
  } catch {
    return null;
  }
}

/** The target of a symlink as stored, or null when `path` is not a readable link. */
export function readLink(path: string): string | null {
  try {
    return fs.readlinkSync(path);
  } catch {
    return null;
  }
}

/** The path with every symlink resolved (boost::filesystem::canonical), or the path itself when that fails. */
export function canonical(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

/** True if `path` exists, following symlinks (boost::filesystem::exists). */
export function pathExists(path: string): boolean {
  try {
    fs.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** True if `path` is a directory, following symlinks. */
export function isDirectory(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** True if `path` is a regular file, following symlinks. */
export function isFile(path: string): boolean {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True if this process may read `path` (access(2) with R_OK). */
export function isReadable(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** `dir / name` the way boost::filesystem appends: no doubled separator, and '' / name is name. */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function names(dir: string): string[] | null {
  try {
    // libuv already returns names in strcmp order; sorting again keeps that a promise of ours.
    return fs.readdirSync(dir).sort(compareBytes);
  } catch {
    return null;
  }
}

/** Every name in `dir` (dot names included) in strcmp order, or [] when it cannot be listed. */
export function listDir(dir: string): string[] {
  return names(dir) ?? [];
}

/**
 * The names osquery's glob of `dir/*` matches: dot names skipped, strcmp order,
 * split into folders (symlinks followed) and everything else (a dangling link is
 * a file). null when `dir` cannot be listed.
 */
export function globNames(dir: string): { files: string[]; folders: string[] } | null {
  const all = names(dir);
  if (all === null) return null;
  const files: string[] = [];
  const folders: string[] = [];
  for (const name of all) {
    if (name.startsWith('.')) continue;
    (isDirectory(joinPath(dir, name)) ? folders : files).push(name);
  }
  return { files, folders };
}

/** osquery's listFilesInDirectory(dir): full paths of the files globNames finds, or null. */
export function listFilesInDirectory(dir: string): string[] | null {
  return globNames(dir)?.files.map((name) => joinPath(dir, name)) ?? null;
}

/** osquery's listDirectoriesInDirectory(dir): full paths of the sub-directories, each ending in '/' (GLOB_MARK), or null. */
export function listDirectoriesInDirectory(dir: string): string[] | null {
  return globNames(dir)?.folders.map((name) => `${joinPath(dir, name)}/`) ?? null;
}

/** osquery's recursive listFilesInDirectory: every file below `dir`, each folder's files before its sub-folders'. */
export function listFilesRecursive(dir: string): string[] {
  const found = globNames(dir);
  if (found === null) return [];
  const out = found.files.map((name) => joinPath(dir, name));
  for (const sub of found.folders) out.push(...listFilesRecursive(joinPath(dir, sub)));
  return out;
}
