// device_file: files of one partition's file system on a `device =` block device
// or image file, read with The Sleuth Kit (tools, see tsk.ts) rather than through
// the mounted file system. `partition =` (exactly one) is TSK's partition address
// (device_partitions.partition). With `path =` or `inode =` only those files;
// otherwise a walk of every regular file (osquery stops after 10240 entries).
import { fileName } from '../files/util.js';
import { bigint, defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { type FileEntry, findPartition, linkCount, listFiles, readFileSystem } from './tsk.js';

const WALK_LIMIT = 10240;

const TYPE_NAMES: Record<string, string> = {
  r: 'regular',
  d: 'directory',
  l: 'symlink',
  b: 'block',
  c: 'character',
  p: 'fifo',
  s: 'socket',
};

function fileRow(
  device: string,
  partition: string,
  blockSize: number,
  e: FileEntry,
  links: number | undefined,
): Row {
  const row: Row = {
    device,
    partition,
    path: e.path,
    filename: fileName(e.path),
    block_size: blockSize,
    inode: e.inode,
    uid: e.uid,
    gid: e.gid,
    mode: String(e.mode),
    size: e.size,
    atime: e.atime,
    mtime: e.mtime,
    // osquery reports the creation time here.
    ctime: e.crtime,
    type: TYPE_NAMES[e.typeLetter] ?? 'unknown',
  };
  if (links !== undefined) row.hard_links = links;
  return row;
}

function generate(ctx: QueryContext): Row[] {
  const devices = ctx.equals('device');
  const parts = ctx.equals('partition');
  if (devices.length === 0 || parts.length !== 1) return [];
  const partition = parts[0] as string;
  const paths = new Set(ctx.equals('path'));
  const inodes = new Set(ctx.integerEquals('inode'));
  const wantLinks = ctx.isColumnUsed('hard_links');
  const rows: Row[] = [];
  for (const device of devices) {
    const part = findPartition(device, partition);
    const fs = part ? readFileSystem(device, part.start) : undefined;
    if (!part || !fs) continue;
    const files = listFiles(device, part.start);
    let chosen: FileEntry[];
    if (paths.size === 0 && inodes.size === 0) {
      chosen = files.filter((f) => f.typeLetter === 'r').slice(0, WALK_LIMIT);
    } else {
      const byPath = files.filter((f) => paths.has(f.path));
      // An inode is named by the first path that reaches it.
      const byInode = [...inodes].flatMap((i) => files.find((f) => f.inode === i) ?? []);
      chosen = [...byPath, ...byInode];
    }
    for (const f of chosen) {
      const links = wantLinks ? linkCount(device, part.start, f.inode) : undefined;
      rows.push(fileRow(device, partition, fs.blockSize, f, links));
    }
  }
  return rows;
}

export const deviceFile = defineTable({
  name: 'device_file',
  columns: {
    device: text({ index: true, required: true }),
    partition: text({ index: true, required: true }),
    path: text({ additional: true }),
    filename: text(),
    inode: bigint({ index: true }),
    uid: bigint(),
    gid: bigint(),
    mode: text(),
    size: bigint(),
    block_size: integer(),
    atime: bigint(),
    mtime: bigint(),
    ctime: bigint(),
    hard_links: integer(),
    type: text(),
  },
  generate,
});
