// process_open_files: descriptors of each process that name files, from /proc/<pid>/fd.
// Sockets, pipes and anonymous inodes are left out (process_open_sockets and
// process_open_pipes cover those).
import * as fs from 'node:fs';
import { readLink } from '../../lib/fs.js';
import { allPids } from '../../lib/proc.js';
import { bigint, defineTable, Op, type Row, text } from '../framework.js';

const NOT_FILES = ['socket:', 'anon_inode:', 'pipe:'];

/** fd number -> link target for every descriptor of `pid` that can be read. */
function descriptors(pid: number): [number, string][] {
  let names: string[];
  try {
    names = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: [number, string][] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const link = readLink(`/proc/${pid}/fd/${name}`) ?? '';
    // A descriptor closed between the listing and the readlink has no target.
    if (link === '') continue;
    out.push([Number(name), link]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

export const processOpenFiles = defineTable({
  name: 'process_open_files',
  columns: {
    pid: bigint({ index: true }),
    fd: bigint(),
    path: text(),
  },
  *generate(ctx) {
    // osquery takes the pid constraint as given (no existence check): a missing
    // process simply has no descriptors.
    const pids = ctx.hasConstraint('pid', Op.EQ) ? [...new Set(ctx.integerEquals('pid'))] : allPids();
    for (const pid of pids) {
      for (const [fd, path] of descriptors(pid)) {
        if (NOT_FILES.some((p) => path.includes(p))) continue;
        const row: Row = { pid, fd, path };
        yield row;
      }
    }
  },
});
