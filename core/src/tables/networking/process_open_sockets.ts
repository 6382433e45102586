// process_open_sockets: every socket of every network namespace in use, tied
// to the process and descriptor holding it. Like osquery it correlates three
// sources:
//  1. /proc/<pid>/fd links of the form socket:[inode] give inode -> (pid, fd);
//  2. /proc/<pid>/ns/net gives each process's network namespace;
//  3. the first process seen in each namespace has its /proc/<pid>/net/{icmp,tcp,
//     udp,udplite,raw}{,6}, unix and packet tables read for all of that
//     namespace's sockets.
// Sockets no process holds get pid and fd -1, unless the query filters on pid.

import { listDir, readLink, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { bigint, defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { procHexAddress, toInteger } from './util.js';

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_PACKET = 17;

// Protocol number -> /proc/net file name, in osquery's (numeric) order.
const INET_PROTOCOLS: [number, string][] = [
  [1, 'icmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [136, 'udplite'],
  [255, 'raw'],
];

// TCP states as osquery names them (index = kernel state number).
const TCP_STATES = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSED',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
];

export interface SocketInfo {
  socket: string;
  family: number;
  protocol: number;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  path: string;
  state: string;
  netNamespace: number;
}

/** A 4-digit hex port ('0' otherwise, as osquery). */
function hexPort(hex: string): number {
  return hex.length === 4 ? Number.parseInt(hex, 16) || 0 : 0;
}

/** Body lines of a /proc/net table whose header starts with one of `headers`. */
function tableLines(content: string, headers: string[]): string[] | null {
  const lines = osquerySplit(content, '\n');
  const head = lines[0];
  if (head === undefined || !headers.some((h) => head.startsWith(h))) return null;
  return lines.slice(1);
}

function parseInet(content: string, family: number, protocol: number, ns: number): SocketInfo[] {
  const out: SocketInfo[] = [];
  for (const line of tableLines(content, ['sl', 'sk']) ?? []) {
    const f = osquerySplit(line, ' ');
    if (f.length < 10) continue;
    const local = osquerySplit(f[1]!, ':');
    const remote = osquerySplit(f[2]!, ':');
    if (local.length !== 2 || remote.length !== 2) continue;
    let state = '';
    if (protocol === 6) {
      const n = /^[0-9a-fA-F]+$/.test(f[3]!) ? Number.parseInt(f[3]!, 16) : 0;
      state = n > 0 && n < TCP_STATES.length ? TCP_STATES[n]! : 'UNKNOWN';
    }
    out.push({
      socket: f[9]!,
      family,
      protocol,
      localAddress: procHexAddress(local[0]!, family),
      localPort: hexPort(local[1]!),
      remoteAddress: procHexAddress(remote[0]!, family),
      remotePort: hexPort(remote[1]!),
      path: '',
      state,
      netNamespace: ns,
    });
  }
  return out;
}

function parseUnix(content: string, ns: number): SocketInfo[] {
  const out: SocketInfo[] = [];
  for (const line of tableLines(content, ['Num']) ?? []) {
    // Num RefCount Protocol Flags Type St Inode [Path]
    const f = osquerySplit(line, ' ');
    if (f.length < 7) continue;
    out.push({
      socket: f[6]!,
      family: AF_UNIX,
      protocol: Number.parseInt(f[2]!, 10) || 0,
      localAddress: '',
      localPort: 0,
      remoteAddress: '',
      remotePort: 0,
      path: f[7] ?? '',
      state: '',
      netNamespace: ns,
    });
  }
  return out;
}

function parsePacket(content: string, ns: number): SocketInfo[] {
  const out: SocketInfo[] = [];
  for (const line of tableLines(content, ['sl', 'sk']) ?? []) {
    // sk RefCnt Type Proto Iface R Rmem User Inode
    const f = osquerySplit(line, ' ');
    if (f.length < 9) continue;
    out.push({
      socket: f[8]!,
      family: AF_PACKET,
      protocol: hexPort(f[3]!),
      localAddress: '',
      localPort: 0,
      remoteAddress: '',
      remotePort: 0,
      path: '',
      state: 'NONE',
      netNamespace: ns,
    });
  }
  return out;
}

/** Every socket of the namespace `pid` lives in, read through /proc/<pid>/net. */
function namespaceSockets(pid: string, ns: number): SocketInfo[] {
  const base = `/proc/${pid}/net/`;
  const out: SocketInfo[] = [];
  for (const [protocol, name] of INET_PROTOCOLS) {
    out.push(...parseInet(readText(base + name) ?? '', AF_INET, protocol, ns));
    out.push(...parseInet(readText(`${base + name}6`) ?? '', AF_INET6, protocol, ns));
  }
  out.push(...parseUnix(readText(`${base}unix`) ?? '', ns));
  out.push(...parsePacket(readText(`${base}packet`) ?? '', ns));
  return out;
}

/** The inode of a process's network namespace, 0 when unknown. */
function netNamespaceOf(pid: string): number {
  const m = /^net:\[(\d+)\]$/.exec(readLink(`/proc/${pid}/ns/net`) ?? '');
  return m ? Number(m[1]) : 0;
}

export interface OpenSocket extends SocketInfo {
  pid: number;
  fd: number;
}

/**
 * The sockets of the given pids (as text, like osquery's pid constraint values),
 * or of every process plus the unowned sockets when `pids` is null.
 */
export function collectOpenSockets(pids: string[] | null): OpenSocket[] {
  const filter = pids !== null;
  // osquery walks pids in string order; a socket shared by several descriptors
  // is credited to the last one seen.
  const pidList = filter ? [...new Set(pids)] : listDir('/proc').filter((p) => /^\d+$/.test(p));
  pidList.sort();

  const owners = new Map<string, { pid: number; fd: number }>();
  const seenNamespaces = new Set<number>();
  const sockets: SocketInfo[] = [];
  let unknownNamespacePid: string | undefined;
  for (const pid of pidList) {
    const fdDir = `/proc/${pid}/fd`;
    for (const fd of listDir(fdDir)) {
      const link = readLink(`${fdDir}/${fd}`);
      if (link?.startsWith('socket:[')) owners.set(link.slice(8, -1), { pid: Number(pid), fd: Number(fd) });
    }
    const ns = netNamespaceOf(pid);
    if (ns === 0) {
      unknownNamespacePid ??= pid;
    } else if (!seenNamespaces.has(ns)) {
      seenNamespaces.add(ns);
      sockets.push(...namespaceSockets(pid, ns));
    }
  }
  // osquery files processes whose namespace link cannot be read under namespace
  // 0 and reads their tables again, listing every socket twice. We only do so
  // when no namespace could be read at all.
  if (unknownNamespacePid !== undefined && seenNamespaces.size === 0) {
    sockets.push(...namespaceSockets(unknownNamespacePid, 0));
  }

  const out: OpenSocket[] = [];
  for (const s of sockets) {
    const owner = owners.get(s.socket);
    if (owner) out.push({ ...s, ...owner });
    else if (!filter) out.push({ ...s, pid: -1, fd: -1 });
  }
  return out;
}

/** The pid values to look at, or null for all (no constraint, or pid = -1 asked for). */
export function pidFilter(ctx: QueryContext): string[] | null {
  const pids = ctx.equals('pid');
  return pids.length === 0 || pids.includes('-1') ? null : pids;
}

export const processOpenSockets = defineTable({
  name: 'process_open_sockets',
  columns: {
    pid: integer({ additional: true }),
    fd: bigint(),
    socket: bigint(),
    family: integer(),
    protocol: integer(),
    local_address: text(),
    remote_address: text(),
    local_port: integer(),
    remote_port: integer(),
    path: text(),
    state: text(),
    net_namespace: text({ platforms: ['linux'] }),
  },
  generate(ctx) {
    return collectOpenSockets(pidFilter(ctx)).map(
      (s): Row => ({
        pid: s.pid,
        fd: s.fd,
        socket: toInteger(s.socket),
        family: s.family,
        protocol: s.protocol,
        local_address: s.localAddress,
        remote_address: s.remoteAddress,
        local_port: s.localPort,
        remote_port: s.remotePort,
        path: s.path,
        state: s.state,
        net_namespace: String(s.netNamespace),
      }),
    );
  },
});
