// in_cidr_block(cidr, ip) (osquery's sqlite_network.cpp). osquery asks boost for
// the network's host range, so this reproduces boost's ranges:
//   IPv4 /32: the address itself; other IPv4 prefixes: network+1 up to, but not
//   including, the broadcast address (so /31 contains nothing);
//   IPv6: network up to the last address, as a half-open range whose end is
//   last+1, which wraps to :: when last is ffff:...:ffff (then nothing matches).
import { ipToBigInt, parseIPv4, parseIPv6 } from './ip.js';
import { argCString, type ScalarFunction, type SqlArg, type SqlResult, sqlError, sqlType } from './util.js';

interface Network {
  address: bigint;
  prefix: number;
}

/** boost make_network_v4/v6: "<address>/<decimal prefix>", prefix within the family's width. */
function parseNetwork(text: string, parse: (s: string) => Buffer | null, width: number): Network | null {
  const slash = text.indexOf('/');
  if (slash < 0 || slash === text.length - 1) return null;
  const digits = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(digits)) return null;
  const bytes = parse(text.slice(0, slash));
  if (!bytes) return null;
  const prefix = Number(digits);
  if (prefix > width) return null;
  return { address: ipToBigInt(bytes), prefix };
}

function hostBits(prefix: number, width: number): bigint {
  return (1n << BigInt(width - prefix)) - 1n;
}

function inIPv4Hosts(net: Network, ip: bigint): boolean {
  const all = 0xffffffffn;
  if (net.prefix === 32) {
    const end = (net.address + 1n) & all;
    return ip >= net.address && ip < end;
  }
  const host = hostBits(net.prefix, 32);
  const network = net.address & ~host & all;
  const broadcast = network | host;
  return ip >= network + 1n && ip < broadcast;
}

function inIPv6Hosts(net: Network, ip: bigint): boolean {
  const all = (1n << 128n) - 1n;
  const host = hostBits(net.prefix, 128);
  const first = net.address & ~host & all;
  const end = ((net.address | host) + 1n) & all;
  return ip >= first && ip < end;
}

function inCidrBlock(cidr: SqlArg, ip: SqlArg): SqlResult {
  if (sqlType(cidr) !== 'text') throw sqlError('CIDR must be a string');
  if (sqlType(ip) !== 'text') throw sqlError('IP address must be a string');
  const cidrText = argCString(cidr) ?? '';
  const ipText = argCString(ip) ?? '';

  const v6 = parseIPv6(ipText);
  const v4 = v6 ? null : parseIPv4(ipText);
  if (!v6 && !v4) throw sqlError('IP address cannot be parsed');
  if (v4) {
    const net = parseNetwork(cidrText, parseIPv4, 32);
    if (!net) throw sqlError('CIDR for IP address v4 cannot be parsed');
    return inIPv4Hosts(net, ipToBigInt(v4)) ? 1n : 0n;
  }
  const net = parseNetwork(cidrText, parseIPv6, 128);
  if (!net) throw sqlError('CIDR for IP address v6 cannot be parsed');
  return inIPv6Hosts(net, ipToBigInt(v6 as Buffer)) ? 1n : 0n;
}

export const networkFunctions: ScalarFunction[] = [
  { name: 'in_cidr_block', arity: 2, deterministic: true, fn: inCidrBlock },
];
