// process_open_pipes: the pipe descriptors of every process and the other ends
// they are connected to. Anonymous pipes are the "pipe:[inode]" descriptors;
// named pipes are descriptors whose path is a FIFO. Two descriptors on the same
// pipe inode are partners when their modes differ (reader and writer) or when
// the first is read-write; a pipe seen only once gets a row without a partner.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { readLink } from '../../lib/fs.js';
import { allPids } from '../../lib/proc.js';
import { defineTable, type Row, bigint as sqlBigint, text } from '../framework.js';

export interface PipeEnd {
  pid: number;
  fd: number;
  mode: string;
  inode: number;
  type: 'anonymous' | 'named';
}

/** The open mode of a descriptor, from the permission bits of its /proc link. */
function descriptorMode(pid: number, fd: string): string {
  let mode: number;
  try {
    mode = lstatSync(`/proc/${pid}/fd/${fd}`).mode;
  } catch {
    return '-';
  }
  return (mode & 0o444 ? 'r' : '') + (mode & 0o222 ? 'w' : '');
}

function pipeEnd(pid: number, fd: string, target: string): PipeEnd | null {
  if (target.includes('pipe:')) {
    const inode = Number(/\d+/.exec(target)?.[0] ?? 0);
    return { pid, fd: Number(fd), mode: descriptorMode(pid, fd), inode, type: 'anonymous' };
  }
  if (target.includes('socket:') || target.includes('anon_inode:')) return null;
  try {
    const st = statSync(target);
    if (!st.isFIFO()) return null;
    return { pid, fd: Number(fd), mode: descriptorMode(pid, fd), inode: st.ino, type: 'named' };
  } catch {
    return null;
  }
}

/** Pipe ends of one process, in osquery's (string-sorted) descriptor order. */
function pipeEnds(pid: number): PipeEnd[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`).filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const out: PipeEnd[] = [];
  for (const fd of fds.sort()) {
    const target = readLink(`/proc/${pid}/fd/${fd}`) ?? '';
    if (target === '') continue;
    const end = pipeEnd(pid, fd, target);
    if (end) out.push(end);
  }
  return out;
}

/** Pair up the ends of every pipe; `ends` is every pipe end of every process. */
export function pipeRows(ends: readonly PipeEnd[]): Row[] {
  const byInode = new Map<number, PipeEnd[]>();
  for (const e of ends) byInode.set(e.inode, [...(byInode.get(e.inode) ?? []), e]);
  const rows: Row[] = [];
  for (const e of ends) {
    const base: Row = { pid: e.pid, fd: e.fd, mode: e.mode, inode: e.inode, type: e.type };
    const partners = byInode.get(e.inode) ?? [];
    if (partners.length === 1) {
      rows.push(base);
      continue;
    }
    for (const p of partners) {
      const same = p.pid === e.pid && p.fd === e.fd && p.mode === e.mode;
      if (same || (p.mode === e.mode && e.mode !== 'rw')) continue;
      rows.push({ ...base, partner_pid: p.pid, partner_fd: p.fd, partner_mode: p.mode });
    }
  }
  return rows;
}

export const processOpenPipes = defineTable({
  name: 'process_open_pipes',
  columns: {
    pid: sqlBigint(),
    fd: sqlBigint(),
    mode: text(),
    inode: sqlBigint(),
    type: text(),
    partner_pid: sqlBigint(),
    partner_fd: sqlBigint(),
    partner_mode: text(),
  },
  generate() {
    // osquery visits the pids as strings, in string order.
    const pids = allPids().sort((a, b) => (String(a) < String(b) ? -1 : 1));
    return pipeRows(pids.flatMap(pipeEnds));
  },
});
