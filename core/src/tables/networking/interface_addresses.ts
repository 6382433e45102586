// interface_addresses: the IPv4 and IPv6 addresses of each interface, as
// osquery reads them with getifaddrs(3).
//
// Node has no netlink, so the rows are rebuilt from two sources:
//  - IPv4: os.networkInterfaces() (libuv's getifaddrs wrapper). libuv skips
//    interfaces that are not both UP and RUNNING, so their IPv4 addresses are
//    missing here (a known gap).
//  - IPv6: /proc/net/if_inet6, which lists every IPv6 address of every interface.
// broadcast / point_to_point follow glibc: the "destination" slot of an IPv4
// entry holds the broadcast address, or the local address when the kernel has
// none; IPv6 entries have no destination. osquery files it under broadcast when
// the interface has IFF_BROADCAST, under point_to_point otherwise.
// /proc does not tell whether an address was given a broadcast address: we
// report the subnet broadcast (what DHCP clients and network managers set) for
// prefixes shorter than /31, and the local address otherwise. A point-to-point
// peer address is not visible either (the local address is reported, which is
// right for links configured without a peer).
import { networkInterfaces } from 'node:os';
import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, type Row, text } from '../framework.js';
import {
  formatIPv4,
  formatIPv6,
  hexToBytes,
  IFF,
  ipv4PrefixLength,
  ipv4ToNumber,
  ipv6Mask,
  linkFlags,
  listLinks,
} from './util.js';

/** The IPv4 broadcast address the kernel derives for address/mask. */
function ipv4Broadcast(address: string, mask: string): string {
  const a = ipv4ToNumber(address) ?? 0;
  const m = ipv4ToNumber(mask) ?? 0;
  const b = (a | (~m >>> 0)) >>> 0;
  return formatIPv4([b >>> 24, (b >>> 16) & 0xff, (b >>> 8) & 0xff, b & 0xff]);
}

function ipv4Rows(flagsOf: (name: string) => number): Row[] {
  const rows: Row[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4') continue;
      const row: Row = { interface: name, address: a.address, mask: a.netmask, type: 'unknown' };
      const flags = flagsOf(name);
      const dest = ipv4PrefixLength(a.netmask) < 31 ? ipv4Broadcast(a.address, a.netmask) : a.address;
      if (flags & IFF.BROADCAST) row.broadcast = dest;
      else row.point_to_point = a.address;
      rows.push(row);
    }
  }
  return rows;
}

/** Link-local and multicast link-local addresses carry a scope: getnameinfo adds %ifname. */
function needsScope(bytes: number[]): boolean {
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  return (b0 === 0xfe && (b1 & 0xc0) === 0x80) || (b0 === 0xff && (b1 & 0x0f) === 0x02);
}

interface Inet6Entry {
  bytes: number[];
  index: number;
  prefix: number;
  name: string;
}

function readIfInet6(): Inet6Entry[] {
  const out: Inet6Entry[] = [];
  for (const line of (readText('/proc/net/if_inet6') ?? '').split('\n')) {
    const f = osquerySplit(line);
    if (f.length < 6 || f[0]!.length !== 32) continue;
    out.push({
      bytes: hexToBytes(f[0]!),
      index: Number.parseInt(f[1]!, 16),
      prefix: Number.parseInt(f[2]!, 16),
      name: f[5]!,
    });
  }
  // The kernel dumps addresses interface by interface.
  return out.sort((a, b) => a.index - b.index);
}

function ipv6Rows(): Row[] {
  return readIfInet6().map((e) => {
    let address = formatIPv6(e.bytes);
    if (needsScope(e.bytes)) address += `%${e.name}`;
    return { interface: e.name, address, mask: ipv6Mask(e.prefix), type: 'unknown' };
  });
}

export const interfaceAddresses = defineTable({
  name: 'interface_addresses',
  columns: {
    interface: text(),
    address: text(),
    mask: text(),
    broadcast: text(),
    point_to_point: text(),
    type: text(),
    friendly_name: text({ platforms: ['windows'] }),
  },
  attributes: { cacheable: true },
  generate() {
    const flags = new Map<string, number>();
    const order = new Map<string, number>();
    for (const l of listLinks()) order.set(l.name, l.index);
    const flagsOf = (name: string): number => {
      let f = flags.get(name);
      if (f === undefined) {
        f = linkFlags(name);
        flags.set(name, f);
      }
      return f;
    };
    // glibc lists IPv4 addresses (by interface index) before IPv6 ones.
    const v4 = ipv4Rows(flagsOf).sort(
      (a, b) => (order.get(String(a.interface)) ?? 0) - (order.get(String(b.interface)) ?? 0),
    );
    return [...v4, ...ipv6Rows()];
  },
});
