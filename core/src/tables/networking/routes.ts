// routes: the kernel's routing tables as osquery dumps them over netlink
// (RTM_GETROUTE, every family and table), rebuilt from /proc:
//  - IPv4 main table: /proc/net/route (destination, gateway, metric, device).
//  - IPv4 local table (local and broadcast routes): /proc/net/fib_trie, matched to
//    the interface addresses the kernel created them for.
//  - IPv6, every table: /proc/net/ipv6_route.
// /proc does not show a route's preferred source except for the kernel's own
// routes (connected prefixes and local/broadcast routes), whose source is the
// interface address; IPv4 tables other than main/local are not listed, and a
// route's mtu and hop limit metrics are not visible (reported as 0).
import { networkInterfaces } from 'node:os';
import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import {
  formatIPv4,
  formatIPv6,
  hexToBytes,
  ipv4PrefixLength,
  ipv4ToNumber,
  procWordsToBytes,
  readLocalTrie,
  sysNetAttr,
} from './util.js';

// Route flags of /proc/net/route and /proc/net/ipv6_route (linux/route.h, ipv6_route.h).
const RTF_GATEWAY = 0x2;
const RTF_REJECT = 0x200;
const RTF_ANYCAST = 0x100000;
const RTF_CACHE = 0x1000000;
const RTF_LOCAL = 0x80000000;
// rtm_flags bit the kernel sets on routes whose device has no carrier.
const RTNH_F_LINKDOWN = 16;

/** The route row with osquery's defaults (metric, mtu and hopcount 0). */
function baseRow(): Row {
  return { metric: 0, mtu: 0, hopcount: 0 };
}

/** osquery reports a host route's mask (/32, /128) as 0. */
function maskColumn(prefix: number): number {
  return prefix === 32 || prefix === 128 ? 0 : prefix;
}

/** rtm_flags: linkdown when the route's device is up but has no carrier. */
function linkdownFlag(dev: string, cache: Map<string, number>): number {
  let f = cache.get(dev);
  if (f === undefined) {
    const up = sysNetAttr(dev, 'operstate');
    f =
      up !== null && up !== 'up' && up !== 'unknown' && sysNetAttr(dev, 'carrier') === '0'
        ? RTNH_F_LINKDOWN
        : 0;
    cache.set(dev, f);
  }
  return f;
}

interface V4Address {
  dev: string;
  address: number;
  prefix: number;
  text: string;
}

function ipv4Addresses(): V4Address[] {
  const out: V4Address[] = [];
  for (const [dev, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4') continue;
      out.push({
        dev,
        address: ipv4ToNumber(a.address) ?? 0,
        prefix: ipv4PrefixLength(a.netmask),
        text: a.address,
      });
    }
  }
  return out;
}

function inPrefix(addr: number, net: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const shift = 32 - prefix;
  return Math.floor(addr / 2 ** shift) === Math.floor(net / 2 ** shift);
}

function numberToIPv4(n: number): string {
  return formatIPv4([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function ipv4MainRoutes(addrs: V4Address[], linkdown: Map<string, number>): Row[] {
  const rows: Row[] = [];
  const lines = (readText('/proc/net/route') ?? '').split('\n').slice(1);
  for (const line of lines) {
    const f = osquerySplit(line);
    if (f.length < 11) continue;
    const [dev, dstHex, gwHex, flagsHex, , , metric, maskHex] = f;
    const dst = formatIPv4(procWordsToBytes(dstHex!));
    const prefix = ipv4PrefixLength(formatIPv4(procWordsToBytes(maskHex!)));
    const flags = Number.parseInt(flagsHex!, 16);
    const row = baseRow();
    row.destination = dst;
    row.netmask = maskColumn(prefix);
    if (flags & RTF_GATEWAY) row.gateway = formatIPv4(procWordsToBytes(gwHex!));
    if (dev !== '*') row.interface = dev;
    row.metric = Number(metric);
    row.type = flags & RTF_REJECT ? 'other' : 'gateway';
    row.flags = dev === '*' ? 0 : linkdownFlag(dev!, linkdown);
    // A connected prefix route gets the interface address as preferred source.
    if (!(flags & RTF_GATEWAY)) {
      const net = ipv4ToNumber(dst) ?? 0;
      const owner = addrs.find(
        (a) => a.dev === dev && a.prefix === prefix && inPrefix(a.address, net, prefix),
      );
      if (owner) row.source = owner.text;
    }
    rows.push(row);
  }
  return rows;
}

const TRIE_TYPES: Record<string, string> = { LOCAL: 'local', BROADCAST: 'broadcast', ANYCAST: 'anycast' };

function ipv4LocalRoutes(addrs: V4Address[]): Row[] {
  const rows: Row[] = [];
  for (const r of readLocalTrie()) {
    // Unicast entries seen here belong to the main table (the tries are merged).
    if (r.type === 'UNICAST') continue;
    const row = baseRow();
    row.destination = numberToIPv4(r.dst);
    row.netmask = maskColumn(r.prefix);
    row.type = TRIE_TYPES[r.type] ?? 'other';
    row.flags = 0;
    const owner =
      r.type === 'LOCAL' && r.prefix === 32
        ? addrs.find((a) => a.address === r.dst)
        : addrs.find((a) => inPrefix(r.dst, a.address, a.prefix) && a.prefix <= r.prefix);
    if (owner) {
      row.interface = owner.dev;
      row.source = owner.text;
    }
    rows.push(row);
  }
  return rows;
}

function isNullEntry(f: string[], flags: number): boolean {
  // The kernel's placeholder "unreachable ::/0 dev lo metric 0xffffffff" is not dumped over netlink.
  return f[1] === '00' && f[5] === 'ffffffff' && (flags & RTF_REJECT) !== 0 && f[9] === 'lo';
}

function ipv6Routes(linkdown: Map<string, number>): Row[] {
  const rows: Row[] = [];
  for (const line of (readText('/proc/net/ipv6_route') ?? '').split('\n')) {
    const f = osquerySplit(line);
    if (f.length < 10) continue;
    const flags = Number.parseInt(f[8]!, 16) >>> 0;
    if (flags & RTF_CACHE || isNullEntry(f, flags)) continue;
    const dstBytes = hexToBytes(f[0]!);
    const prefix = Number.parseInt(f[1]!, 16);
    const dev = f[9]!;
    const row = baseRow();
    row.destination = formatIPv6(dstBytes);
    row.netmask = maskColumn(prefix);
    if (flags & RTF_GATEWAY) row.gateway = formatIPv6(hexToBytes(f[4]!));
    row.metric = Number.parseInt(f[5]!, 16) | 0;
    row.interface = dev;
    if (flags & RTF_LOCAL) row.type = 'local';
    else if (flags & RTF_ANYCAST) row.type = 'anycast';
    else if (flags & RTF_REJECT || dstBytes[0] === 0xff) row.type = 'other';
    else row.type = 'gateway';
    row.flags = flags & (RTF_LOCAL | RTF_ANYCAST) ? 0 : linkdownFlag(dev, linkdown);
    rows.push(row);
  }
  return rows;
}

export const routes = defineTable({
  name: 'routes',
  columns: {
    destination: text(),
    netmask: integer(),
    gateway: text(),
    source: text(),
    flags: integer(),
    interface: text(),
    mtu: integer(),
    metric: integer(),
    type: text({ additional: true }),
    hopcount: integer({ platforms: ['linux', 'darwin'] }),
  },
  attributes: { cacheable: true },
  generate() {
    const addrs = ipv4Addresses();
    const linkdown = new Map<string, number>();
    return [...ipv4MainRoutes(addrs, linkdown), ...ipv4LocalRoutes(addrs), ...ipv6Routes(linkdown)];
  },
});
