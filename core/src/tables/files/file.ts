// file: stat(2) facts of the files named by `path` (= or LIKE) or found in the
// directories named by `directory` (= or LIKE). A symlink is reported with the
// facts of its target (symlink = 1), or its own when the target is missing.
import { type BigIntStats, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { joinPath } from '../../lib/fs.js';
import { bigint, defineTable, integer, Op, type QueryContext, type Row, text } from '../framework.js';
import { constrainedPaths, fileName, modeString, parentPath, statNumber } from './util.js';

/** The type as boost's status() names it (following symlinks). */
function typeName(path: string): string {
  let st: BigIntStats;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A missing target is not a type boost knows; other failures are errors.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'unknown' : 'error';
  }
  if (st.isFile()) return 'regular';
  if (st.isDirectory()) return 'directory';
  if (st.isBlockDevice()) return 'block';
  if (st.isCharacterDevice()) return 'character';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'unknown';
}

/** Whole seconds of a nanosecond timestamp, rounded down like st_atime. */
function seconds(ns: bigint): number | bigint {
  const s = ns / 1_000_000_000n;
  return statNumber(ns < 0n && s * 1_000_000_000n !== ns ? s - 1n : s);
}

/** One row for `path`, listed under `directory`; null when the path does not exist. */
export function fileRow(path: string, directory: string): Row | null {
  let link: BigIntStats;
  try {
    link = lstatSync(path, { bigint: true });
  } catch {
    return null;
  }
  const r: Row = { path, directory, filename: fileName(path), symlink: 0 };
  if (link.isSymbolicLink()) {
    r.symlink = 1;
    try {
      r.symlink_target_path = readlinkSync(path);
    } catch {
      // Replaced between lstat and readlink: leave the target unknown.
    }
  }
  let st = link;
  try {
    st = statSync(path, { bigint: true });
  } catch {
    // Dangling symlink: report the link itself.
  }
  r.inode = statNumber(st.ino);
  r.uid = statNumber(st.uid);
  r.gid = statNumber(st.gid);
  r.mode = modeString(Number(st.mode));
  r.device = statNumber(st.rdev);
  r.size = statNumber(st.size);
  r.block_size = statNumber(st.blksize);
  r.hard_links = statNumber(st.nlink);
  r.atime = seconds(st.atimeNs);
  r.mtime = seconds(st.mtimeNs);
  r.ctime = seconds(st.ctimeNs);
  // Linux has no birth time in osquery's stat().
  r.btime = 0;
  r.pid_with_namespace = 0;
  r.type = typeName(path);
  return r;
}

/** Rows for every entry of a directory (not recursive), dotfiles included. */
export function directoryRows(directory: string): Row[] {
  let names: string[];
  try {
    if (!statSync(directory).isDirectory()) return [];
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const rows: Row[] = [];
  for (const name of names) {
    const row = fileRow(joinPath(directory, name), directory);
    if (row) rows.push(row);
  }
  return rows;
}

function generate(ctx: QueryContext): Row[] {
  const rows: Row[] = [];
  const paths = constrainedPaths(ctx.equals('path'), ctx.valuesFor('path', Op.LIKE), 'all');
  for (const path of paths) {
    const row = fileRow(path, parentPath(path));
    if (row) rows.push(row);
  }
  const dirs = constrainedPaths(ctx.equals('directory'), ctx.valuesFor('directory', Op.LIKE), 'folders');
  for (const dir of dirs) rows.push(...directoryRows(dir));
  return rows;
}

export const file = defineTable({
  name: 'file',
  attributes: { utility: true },
  columns: {
    path: text({ index: true, required: true, optimized: true }),
    directory: text({ required: true, optimized: true }),
    filename: text(),
    inode: bigint(),
    uid: bigint(),
    gid: bigint(),
    mode: text(),
    device: bigint(),
    size: bigint(),
    block_size: integer(),
    atime: bigint(),
    mtime: bigint(),
    ctime: bigint(),
    btime: bigint(),
    hard_links: integer(),
    symlink: integer(),
    type: text(),
    symlink_target_path: text(),
    attributes: text({ platforms: ['windows'] }),
    volume_serial: text({ platforms: ['windows'] }),
    file_id: text({ platforms: ['windows'] }),
    file_version: text({ collate: 'version', platforms: ['windows'] }),
    product_version: text({ collate: 'version', platforms: ['windows'] }),
    original_filename: text({ platforms: ['windows'] }),
    shortcut_target_path: text({ platforms: ['windows'] }),
    shortcut_target_type: text({ platforms: ['windows'] }),
    shortcut_target_location: text({ platforms: ['windows'] }),
    shortcut_start_in: text({ platforms: ['windows'] }),
    shortcut_run: text({ platforms: ['windows'] }),
    shortcut_comment: text({ platforms: ['windows'] }),
    bsd_flags: text({ platforms: ['darwin'] }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate,
});
