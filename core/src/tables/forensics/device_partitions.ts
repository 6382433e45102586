// device_partitions: the volume system of a `device =` block device or image file,
// as The Sleuth Kit sees it (through the sleuthkit tools, see tsk.ts). A partition
// holding a file system TSK recognises is described by that file system (type,
// block size and count, inode count); any other by its volume entry.
import { bigint, defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { readFileSystem, readVolumes } from './tsk.js';

function generate(ctx: QueryContext): Row[] {
  const rows: Row[] = [];
  for (const device of ctx.equals('device')) {
    const volumes = readVolumes(device);
    if (!volumes) continue;
    for (const part of volumes.partitions) {
      const row: Row = { device, partition: part.addr, label: part.description };
      const fs = part.kind === 'normal' ? readFileSystem(device, part.start) : undefined;
      if (fs) {
        Object.assign(row, {
          type: fs.type,
          flags: fs.flags,
          offset: part.start * volumes.blockSize,
          blocks_size: fs.blockSize,
          blocks: fs.blockCount,
          inodes: fs.inodeCount,
        });
      } else {
        Object.assign(row, {
          type: part.kind,
          flags: part.flags,
          offset: part.start * volumes.blockSize,
          blocks_size: volumes.blockSize,
          blocks: part.length,
          inodes: -1,
        });
      }
      rows.push(row);
    }
  }
  return rows;
}

export const devicePartitions = defineTable({
  name: 'device_partitions',
  columns: {
    device: text({ required: true }),
    partition: integer(),
    label: text(),
    type: text(),
    offset: bigint(),
    blocks_size: bigint(),
    blocks: bigint(),
    inodes: bigint(),
    flags: integer(),
  },
  generate,
});
