// dns_resolvers: the resolver configuration glibc's res_init() builds from
// /etc/resolv.conf (and the LOCALDOMAIN / RES_OPTIONS environment variables), in
// osquery's rows: up to 3 nameservers, up to 10 sortlist entries and up to 6 search
// domains, each carrying the resolver option bits (resolv.h RES_*).
//
// glibc rules reproduced: no nameserver line means 127.0.0.1; IPv6 nameservers are
// kept outside the IPv4 list, so osquery prints '' for them; the last "search" or
// "domain" line wins; without either the domain part of the host name is used.
// osquery's own quirk is kept too: every search row shows the first domain.
// OSQ_RESOLV_CONF_PATH points the table at a fixture.
import * as os from 'node:os';
import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { formatIPv4, ipv4ToNumber } from './util.js';

const MAXNS = 3;
const MAXDNSRCH = 6;
const MAXRESOLVSORT = 10;

// resolv.h option bits.
export const RES = {
  INIT: 0x1,
  DEBUG: 0x2,
  USEVC: 0x8,
  RECURSE: 0x40,
  DEFNAMES: 0x80,
  DNSRCH: 0x200,
  ROTATE: 0x4000,
  USE_EDNS0: 0x100000,
  SNGLKUP: 0x200000,
  SNGLKUPREOP: 0x400000,
  NOTLDQUERY: 0x1000000,
  NORELOAD: 0x2000000,
  TRUSTAD: 0x4000000,
  NOAAAA: 0x8000000,
} as const;

/** glibc's "options" words that set a bit (matched as prefixes, in this order). */
const OPTION_FLAGS: [string, number][] = [
  ['rotate', RES.ROTATE],
  ['edns0', RES.USE_EDNS0],
  ['single-request-reopen', RES.SNGLKUPREOP],
  ['single-request', RES.SNGLKUP],
  ['no_tld_query', RES.NOTLDQUERY],
  ['no-tld-query', RES.NOTLDQUERY],
  ['no-reload', RES.NORELOAD],
  ['use-vc', RES.USEVC],
  ['trust-ad', RES.TRUSTAD],
  ['no-aaaa', RES.NOAAAA],
];

function applyOptions(options: number, words: string[]): number {
  let out = options;
  for (const w of words) {
    const hit = OPTION_FLAGS.find(([name]) => w.startsWith(name));
    if (hit) out |= hit[1];
  }
  return out;
}

/** The classful default mask of an IPv4 address (glibc's net_mask), network order bytes. */
function classfulMask(addr: number): number {
  const first = Math.floor(addr / 0x1000000);
  if (first < 128) return 0xff000000;
  if (first < 192) return 0xffff0000;
  return 0xffffff00;
}

/** A 32-bit value whose network-order bytes are `n`, read as a little-endian integer. */
function hostOrder(n: number): number {
  return (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24)) >>> 0;
}

export interface ResolverEnv {
  hostname: string;
  localdomain?: string;
  resOptions?: string;
}

export function parseResolvConf(content: string | null, env: ResolverEnv): Row[] {
  let options = RES.RECURSE | RES.DEFNAMES | RES.DNSRCH;
  const nameservers: string[] = [];
  const sortlist: { addr: number; mask: number }[] = [];
  let search: string[] = [];
  let haveSearch = false;

  for (const raw of (content ?? '').split('\n')) {
    if (raw.startsWith(';') || raw.startsWith('#')) continue;
    const words = osquerySplit(raw, ' \t\r');
    const key = words[0];
    if (key === 'domain') {
      if (words[1] !== undefined) search = [words[1]];
      haveSearch = true;
    } else if (key === 'search') {
      search = words.slice(1, 1 + MAXDNSRCH);
      haveSearch = true;
    } else if (key === 'nameserver' && words[1] !== undefined) {
      if (nameservers.length >= MAXNS) continue;
      const addr = words[1];
      if (ipv4ToNumber(addr) !== null) nameservers.push(addr);
      else if (/^[0-9a-fA-F:.]+(%\S+)?$/.test(addr) && addr.includes(':')) nameservers.push('');
    } else if (key === 'sortlist') {
      for (const item of words.slice(1)) {
        if (sortlist.length >= MAXRESOLVSORT) break;
        const [a, m] = item.split(/[/&]/);
        const addr = ipv4ToNumber(a ?? '');
        if (addr === null) continue;
        const mask = m !== undefined ? ipv4ToNumber(m) : null;
        sortlist.push({ addr, mask: mask ?? classfulMask(addr) });
      }
    } else if (key === 'options') {
      options = applyOptions(options, words.slice(1));
    }
  }
  if (nameservers.length === 0) nameservers.push('127.0.0.1');
  if (env.localdomain !== undefined && env.localdomain !== '') {
    search = osquerySplit(env.localdomain, ' \t').slice(0, MAXDNSRCH);
    haveSearch = true;
  }
  if (!haveSearch) {
    const dot = env.hostname.indexOf('.');
    if (dot >= 0 && env.hostname.length > dot + 1) search = [env.hostname.slice(dot + 1)];
  }
  if (env.resOptions !== undefined) options = applyOptions(options, osquerySplit(env.resOptions, ' \t'));
  options |= RES.INIT;

  const rows: Row[] = [];
  const base = { options, pid_with_namespace: 0 };
  nameservers.forEach((address, id) => {
    rows.push({ id, type: 'nameserver', address, netmask: '32', ...base });
  });
  sortlist.forEach((s, id) => {
    const addrBytes = [s.addr >>> 24, (s.addr >>> 16) & 0xff, (s.addr >>> 8) & 0xff, s.addr & 0xff];
    rows.push({
      id,
      type: 'sortlist',
      address: formatIPv4(addrBytes),
      netmask: String(hostOrder(s.mask)),
      ...base,
    });
  });
  search.forEach((_, id) => {
    rows.push({ id, type: 'search', address: search[0], ...base });
  });
  return rows;
}

export const dnsResolvers = defineTable({
  name: 'dns_resolvers',
  columns: {
    id: integer(),
    type: text(),
    address: text(),
    netmask: text(),
    options: bigint(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate() {
    // pid_with_namespace (another network namespace's resolver) is not supported.
    const path = process.env.OSQ_RESOLV_CONF_PATH || '/etc/resolv.conf';
    return parseResolvConf(readText(path), {
      hostname: os.hostname(),
      localdomain: process.env.LOCALDOMAIN,
      resOptions: process.env.RES_OPTIONS,
    });
  },
});
