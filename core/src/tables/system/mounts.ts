// mounts: mounted filesystems from /proc/mounts, with statfs(2) block and inode counts.
import * as fs from 'node:fs';
import { readText } from '../../lib/fs.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

export interface MountEntry {
  device: string;
  path: string;
  type: string;
  flags: string;
}

/** Undo the octal escapes (\040 for a space, ...) the kernel writes in /proc/mounts. */
function decodeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** The entries of /proc/mounts, read as getmntent(3) does. */
export function parseMounts(content: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of content.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(/[ \t]+/);
    if (f.length < 4) continue;
    out.push({
      device: decodeOctal(f[0]!),
      path: decodeOctal(f[1]!),
      type: decodeOctal(f[2]!),
      flags: decodeOctal(f[3]!),
    });
  }
  return out;
}

/** The canonical path of the device, or the device text itself when it is no path. */
function deviceAlias(device: string): string {
  try {
    return fs.realpathSync.native(device);
  } catch {
    return device;
  }
}

const NO_STATFS = {
  blocks_size: 0,
  blocks: 0,
  blocks_free: 0,
  blocks_available: 0,
  inodes: 0,
  inodes_free: 0,
};

function statfsColumns(entry: MountEntry): Row {
  // statfs on an autofs mount point would trigger the mount: osquery never does that.
  if (entry.type === 'autofs') return { ...NO_STATFS };
  try {
    const s = fs.statfsSync(entry.path);
    return {
      blocks_size: s.bsize,
      blocks: s.blocks,
      blocks_free: s.bfree,
      blocks_available: s.bavail,
      inodes: s.files,
      inodes_free: s.ffree,
    };
  } catch {
    return { ...NO_STATFS };
  }
}

const STATFS_COLUMNS = Object.keys(NO_STATFS);

export const mounts = defineTable({
  name: 'mounts',
  columns: {
    device: text(),
    device_alias: text(),
    path: text(),
    type: text(),
    blocks_size: bigint(),
    blocks: bigint(),
    blocks_free: bigint(),
    blocks_available: bigint(),
    inodes: bigint(),
    inodes_free: bigint(),
    flags: text(),
  },
  *generate(ctx) {
    const content = readText('/proc/mounts');
    if (content === null) return;
    const wantStatfs = ctx.isAnyColumnUsed(STATFS_COLUMNS);
    for (const entry of parseMounts(content)) {
      const row: Row = {
        device: entry.device,
        device_alias: ctx.isColumnUsed('device_alias') ? deviceAlias(entry.device) : undefined,
        path: entry.path,
        type: entry.type,
        flags: entry.flags,
        ...(wantStatfs ? statfsColumns(entry) : {}),
      };
      yield row;
    }
  },
});
