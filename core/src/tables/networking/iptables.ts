// iptables: the legacy (x_tables) IPv4 firewall rules, one row per rule plus one
// row per chain, as osquery reads them with libiptc. The tables to read are those
// listed in /proc/net/ip_tables_names; each is dumped with
// `iptables-legacy-save -c -t <table>` (Debian package `iptables`), falling back to
// `iptables-save` when that is the legacy variant. nftables-only rules (the
// iptables-nft backend) are invisible to libiptc and so to this table too.
//
// Column conventions kept from osquery: a rule row carries its chain's policy and
// the chain's policy counters (not the rule's own); protocol/addresses/interfaces
// are prefixed with '!' when inverted; match is always 'yes'; ports are
// "min:max" for tcp/udp rules with a tcp/udp match, '' otherwise. The chain row
// follows the chain's rules and has only filter_name, chain, policy and counters.

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { runToolText } from '../../lib/tool.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { ipv4Mask } from './util.js';

/** Protocol names iptables-save prints, and the numbers libiptc stores. */
const PROTOCOLS: Record<string, number> = {
  all: 0,
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  ospf: 89,
  pim: 103,
  sctp: 132,
  mh: 135,
  udplite: 136,
};

function protocolNumber(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  if (name in PROTOCOLS) return PROTOCOLS[name]!;
  // Anything else is a name from /etc/protocols.
  for (const line of osquerySplit(readText('/etc/protocols') ?? '', '\n')) {
    const w = line.split(/\s+/);
    if (w[0] === name || w.slice(2).includes(name)) return Number(w[1]);
  }
  return 0;
}

/** Split a command line the way iptables-save quotes it ("..." with \" escapes). */
function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  }
  return out;
}

/** "10.0.0.0/8" or "10.0.0.0/255.0.0.0" -> [address, mask]. */
function parseAddress(spec: string): [string, string] {
  const [addr, mask] = spec.split('/');
  if (mask === undefined) return [addr!, '255.255.255.255'];
  return [addr!, mask.includes('.') ? mask : ipv4Mask(Number(mask))];
}

/** The interface mask iptables stores: FF for each name byte and the NUL, or up to a '+'. */
function interfaceMask(name: string): string {
  const n = name.endsWith('+') ? name.length - 1 : name.length + 1;
  return 'FF'.repeat(Math.min(n, 16));
}

interface Chain {
  name: string;
  policy: string;
  packets: number;
  bytes: number;
  rules: Row[];
}

function parseRule(tokens: string[]): Row {
  const r: Row = {
    target: '',
    match: 'yes',
    src_port: '',
    dst_port: '',
    protocol: 0,
    iniface: 'all',
    outiface: 'all',
    src_ip: '0.0.0.0',
    dst_ip: '0.0.0.0',
    src_mask: '0.0.0.0',
    dst_mask: '0.0.0.0',
    iniface_mask: '',
    outiface_mask: '',
  };
  let invert = false;
  let currentMatch = '';
  let firstMatch: string | null = null;
  let sport: string | null = null;
  let dport: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '!') {
      invert = true;
      continue;
    }
    const bang = invert ? '!' : '';
    const arg = tokens[i + 1] ?? '';
    switch (t) {
      case '-p':
      case '--protocol': {
        const n = protocolNumber(arg);
        r.protocol = invert ? `!${n}` : n;
        i++;
        break;
      }
      case '-s':
      case '--source':
      case '-d':
      case '--destination': {
        const [addr, mask] = parseAddress(arg);
        const side = t.startsWith('-s') || t === '--source' ? 'src' : 'dst';
        r[`${side}_ip`] = bang + addr;
        r[`${side}_mask`] = mask;
        i++;
        break;
      }
      case '-i':
      case '--in-interface':
      case '-o':
      case '--out-interface': {
        const side = t === '-i' || t === '--in-interface' ? 'iniface' : 'outiface';
        r[side] = bang + arg;
        r[`${side}_mask`] = interfaceMask(arg);
        i++;
        break;
      }
      case '-m':
      case '--match':
        currentMatch = arg;
        if (firstMatch === null) firstMatch = arg;
        i++;
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto':
        r.target = arg;
        i++;
        currentMatch = '';
        break;
      case '--sport':
      case '--source-port':
        if (currentMatch === 'tcp' || currentMatch === 'udp') sport = arg;
        i++;
        break;
      case '--dport':
      case '--destination-port':
        if (currentMatch === 'tcp' || currentMatch === 'udp') dport = arg;
        i++;
        break;
      default:
        break;
    }
    invert = false;
  }
  const proto = r.protocol;
  if ((proto === 6 || proto === 17) && (firstMatch === 'tcp' || firstMatch === 'udp')) {
    const range = (p: string | null) => {
      if (p === null) return '0:65535';
      const [a, b] = p.split(':');
      return `${a || '0'}:${b === undefined ? a : b || '65535'}`;
    };
    r.src_port = range(sport);
    r.dst_port = range(dport);
  }
  return r;
}

/** Parse one table of `iptables-save -c` output into osquery's rows. */
export function parseIptablesSave(filter: string, text: string): Row[] {
  const chains: Chain[] = [];
  const byName = new Map<string, Chain>();
  for (const line of text.split('\n')) {
    const chainHead = /^:(\S+)\s+(\S+)\s+\[(\d+):(\d+)\]/.exec(line);
    if (chainHead) {
      const c: Chain = {
        name: chainHead[1]!,
        policy: chainHead[2] === '-' ? '' : chainHead[2]!,
        packets: chainHead[2] === '-' ? 0 : Number(chainHead[3]),
        bytes: chainHead[2] === '-' ? 0 : Number(chainHead[4]),
        rules: [],
      };
      chains.push(c);
      byName.set(c.name, c);
      continue;
    }
    const rule = /^(?:\[\d+:\d+\]\s+)?-A\s+(\S+)\s*(.*)$/.exec(line);
    if (rule) byName.get(rule[1]!)?.rules.push(parseRule(tokenize(rule[2]!)));
  }
  const rows: Row[] = [];
  for (const c of chains) {
    const base: Row = {
      filter_name: filter,
      chain: c.name,
      policy: c.policy,
      packets: c.packets,
      bytes: c.bytes,
    };
    for (const r of c.rules) rows.push({ ...base, ...r });
    rows.push(base);
  }
  return rows;
}

let saveTool: string | null | undefined;

/** The iptables-save binary that reads the legacy tables, or null. */
function legacySaveTool(): string | null {
  if (saveTool !== undefined) return saveTool;
  saveTool = null;
  for (const tool of ['iptables-legacy-save', 'iptables-save']) {
    const version = runToolText(tool, ['--version'], { timeoutMs: 5000 });
    if (version !== null && !version.includes('nf_tables')) {
      saveTool = tool;
      break;
    }
  }
  return saveTool;
}

export const iptables = defineTable({
  name: 'iptables',
  columns: {
    filter_name: text(),
    chain: text(),
    policy: text(),
    target: text(),
    protocol: integer(),
    src_port: text(),
    dst_port: text(),
    src_ip: text(),
    src_mask: text(),
    iniface: text(),
    iniface_mask: text(),
    dst_ip: text(),
    dst_mask: text(),
    outiface: text(),
    outiface_mask: text(),
    match: text(),
    packets: integer(),
    bytes: integer(),
  },
  generate() {
    const names = osquerySplit(readText('/proc/net/ip_tables_names') ?? '', '\n');
    if (names.length === 0) return [];
    const tool = legacySaveTool();
    if (tool === null) return [];
    return names.flatMap((name) =>
      parseIptablesSave(name, runToolText(tool, ['-c', '-t', name], { timeoutMs: 5000 }) ?? ''),
    );
  },
});
