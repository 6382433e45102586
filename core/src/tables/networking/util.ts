// Shared helpers of the networking tables: address formatting as glibc prints it,
// and /sys/class/net.
import { listDir, readText } from '../../lib/fs.js';

/** Dotted IPv4 text for 4 bytes in network order. */
export function formatIPv4(bytes: ArrayLike<number>, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * IPv6 text for 16 bytes in network order, as glibc's inet_ntop writes it: the
 * longest run (first on ties) of two or more zero groups becomes '::', and
 * IPv4-mapped / IPv4-compatible addresses end in dotted form.
 */
export function formatIPv6(bytes: ArrayLike<number>): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));

  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else {
      curBase = -1;
      curLen = 0;
    }
  }
  if (bestLen < 2) bestBase = -1;

  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return out + formatIPv4(bytes, 12);
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Bytes of a plain hex string (network order, as /proc/net/if_inet6 prints addresses). */
export function hexToBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/**
 * Bytes of an address that /proc/net/{tcp,udp,...} and /proc/net/route print as
 * 32-bit words in host order (little-endian on the machines we run on).
 */
export function procWordsToBytes(hex: string): number[] {
  const out: number[] = [];
  for (let w = 0; w + 8 <= hex.length; w += 8) {
    const word = Number.parseInt(hex.slice(w, w + 8), 16) >>> 0;
    out.push(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, (word >>> 24) & 0xff);
  }
  return out;
}

/** Address text of a /proc/net socket-table address ('' when malformed, as osquery). */
export function procHexAddress(hex: string, family: number): string {
  if (family === 2 && hex.length === 8) return formatIPv4(procWordsToBytes(hex));
  if (family === 10 && hex.length === 32) return formatIPv6(procWordsToBytes(hex));
  return '';
}

/** Dotted IPv4 netmask for a prefix length. */
export function ipv4Mask(prefix: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    bytes.push((0xff << (8 - bits)) & 0xff);
  }
  return formatIPv4(bytes);
}

/** IPv6 netmask text for a prefix length. */
export function ipv6Mask(prefix: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    bytes.push((0xff << (8 - bits)) & 0xff);
  }
  return formatIPv6(bytes);
}

/** Parse dotted IPv4 text into a 32-bit unsigned number (null if malformed). */
export function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Count the leading one bits of a dotted IPv4 mask. */
export function ipv4PrefixLength(mask: string): number {
  const n = ipv4ToNumber(mask) ?? 0;
  let bits = 0;
  for (let i = 31; i >= 0; i--) {
    if (Math.floor(n / 2 ** i) % 2 === 1) bits++;
    else break;
  }
  return bits;
}

// Interface flag bits (linux/if.h).
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
  ECHO: 0x40000,
} as const;

const SYS_NET = '/sys/class/net';

/** Read /sys/class/net/<name>/<attr> trimmed, or null. */
export function sysNetAttr(name: string, attr: string): string | null {
  const v = readText(`${SYS_NET}/${name}/${attr}`);
  return v === null ? null : v.trim();
}

/** A numeric /sys/class/net attribute (hex with 0x or decimal), or null. */
export function sysNetNumber(name: string, attr: string): number | null {
  const v = sysNetAttr(name, attr);
  if (v === null || v === '') return null;
  const n = v.startsWith('0x') ? Number.parseInt(v.slice(2), 16) : Number(v);
  return Number.isFinite(n) ? n : null;
}

export interface LinkInfo {
  name: string;
  index: number;
}

/** Every network interface of this namespace, in ifindex order. */
export function listLinks(): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const name of listDir(SYS_NET)) {
    const index = sysNetNumber(name, 'ifindex');
    if (index !== null) links.push({ name, index });
  }
  return links.sort((a, b) => a.index - b.index);
}

/**
 * The interface flags as the kernel reports them over netlink (what getifaddrs
 * returns): the configured flags from sysfs plus the operational RUNNING,
 * LOWER_UP and DORMANT bits that the kernel computes from the link state.
 */
export function linkFlags(name: string): number {
  let flags = sysNetNumber(name, 'flags') ?? 0;
  flags &= ~(IFF.RUNNING | IFF.LOWER_UP | IFF.DORMANT);
  if (flags & IFF.UP) {
    const oper = sysNetAttr(name, 'operstate');
    if (oper === 'up' || oper === 'unknown') flags |= IFF.RUNNING;
    if (sysNetAttr(name, 'carrier') === '1') flags |= IFF.LOWER_UP;
    if (sysNetAttr(name, 'dormant') === '1') flags |= IFF.DORMANT;
  }
  return flags >>> 0;
}

/** Text as osquery's INTEGER columns read it (strtol on the whole text), else null (SQL NULL). */
export function toInteger(s: string): number | null {
  return /^\s*[+-]?\d+$/.test(s) ? Number(s) : null;
}

export interface TrieRoute {
  dst: number;
  prefix: number;
  type: string;
}

/** The routes of the "Local:" section of /proc/net/fib_trie. */
export function readLocalTrie(): TrieRoute[] {
  const out: TrieRoute[] = [];
  let inLocal = false;
  let leaf: number | null = null;
  for (const raw of (readText('/proc/net/fib_trie') ?? '').split('\n')) {
    if (/^\S/.test(raw)) {
      inLocal = raw.startsWith('Local:');
      continue;
    }
    if (!inLocal) continue;
    const line = raw.trim();
    const leafMatch = /^\|-- (\S+)$/.exec(line);
    if (leafMatch) {
      leaf = ipv4ToNumber(leafMatch[1]!);
      continue;
    }
    const route = /^\/(\d+) \S+ (\S+)$/.exec(line);
    if (route && leaf !== null) out.push({ dst: leaf, prefix: Number(route[1]), type: route[2]! });
  }
  return out;
}
