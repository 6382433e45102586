// process_namespaces: the namespace inodes of each process, read from the
// /proc/<pid>/ns/<type> links ("net:[4026531840]"). A namespace whose link
// cannot be read is left NULL.

import { readLink } from '../../lib/fs.js';
import { pidsToVisit } from '../../lib/proc.js';
import { defineTable, integer, type Row, text } from '../framework.js';

const NAMESPACES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'];

/** The inode number inside a namespace link target, or null. */
export function namespaceInode(link: string): string | null {
  const m = /^[a-z_]+:\[(\d+)\]$/.exec(link);
  return m ? (m[1] as string) : null;
}

export function namespaceRow(pid: number): Row {
  const row: Row = { pid };
  for (const ns of NAMESPACES) {
    const inode = namespaceInode(readLink(`/proc/${pid}/ns/${ns}`) ?? '');
    if (inode !== null) row[`${ns}_namespace`] = inode;
  }
  return row;
}

export const processNamespaces = defineTable({
  name: 'process_namespaces',
  columns: {
    pid: integer({ index: true, optimized: true }),
    cgroup_namespace: text(),
    ipc_namespace: text(),
    mnt_namespace: text(),
    net_namespace: text(),
    pid_namespace: text(),
    user_namespace: text(),
    uts_namespace: text(),
  },
  generate(ctx) {
    return pidsToVisit(ctx).map(namespaceRow);
  },
});
