// device_hash: md5, sha1 and sha256 of the contents of `inode =` files on one
// `partition =` of a `device =` block device or image file, read with The Sleuth
// Kit's icat (see tsk.ts). An empty file, or one that cannot be read whole (or is
// larger than --read_max), has empty digests, as in osquery.
import { createHash } from 'node:crypto';
import { flags } from '../../flags/index.js';
import { bigint, defineTable, type QueryContext, type Row, text } from '../framework.js';
import { findPartition, listFiles, readFileSystem, readInode } from './tsk.js';

function digests(data: Buffer | undefined, size: number): Row {
  if (!data || size === 0 || data.length !== size) return { md5: '', sha1: '', sha256: '' };
  const hex = (alg: string) => createHash(alg).update(data).digest('hex');
  return { md5: hex('md5'), sha1: hex('sha1'), sha256: hex('sha256') };
}

function generate(ctx: QueryContext): Row[] {
  const partition = ctx.equals('partition')[0];
  const inodes = [...new Set(ctx.integerEquals('inode'))];
  if (partition === undefined || inodes.length === 0) return [];
  const rows: Row[] = [];
  for (const device of ctx.equals('device')) {
    const part = findPartition(device, partition);
    if (!part || !readFileSystem(device, part.start)) continue;
    const files = listFiles(device, part.start);
    for (const inode of inodes) {
      const file = files.find((f) => f.inode === inode);
      if (!file) continue; // no name reaches this inode
      const data = file.size <= flags.read_max ? readInode(device, part.start, inode, file.size) : undefined;
      rows.push({ device, partition, inode, ...digests(data, file.size) });
    }
  }
  return rows;
}

export const deviceHash = defineTable({
  name: 'device_hash',
  columns: {
    device: text({ required: true }),
    partition: text({ required: true }),
    inode: bigint({ required: true }),
    md5: text({ collate: 'nocase' }),
    sha1: text({ collate: 'nocase' }),
    sha256: text({ collate: 'nocase' }),
  },
  generate,
});
