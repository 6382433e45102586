// Hashing functions: md5, sha1, sha256 and the Community ID flow hash
// (osquery's sqlite_hashing.cpp; https://github.com/corelight/community-id-spec).
import { createHash } from 'node:crypto';
import { type IpAddress, ipToBigInt, parseIp } from './ip.js';
import {
  argCBytes,
  argCString,
  type ScalarFunction,
  type SqlArg,
  type SqlResult,
  sqlError,
  sqlType,
  warn,
} from './util.js';

/** Lowercase hex digest of the argument's text up to its first NUL; NULL stays NULL. */
function hashOf(algorithm: string): (x: SqlArg) => SqlResult {
  return (x: SqlArg) => {
    const bytes = argCBytes(x);
    return bytes ? createHash(algorithm).update(bytes).digest('hex') : null;
  };
}

/** boost::asio::ip::address ordering: every IPv4 address sorts before every IPv6 one. */
function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.v !== b.v) return a.v - b.v;
  const x = ipToBigInt(a.bytes);
  const y = ipToBigInt(b.bytes);
  return x < y ? -1 : x > y ? 1 : 0;
}

class CommunityIdError extends Error {}

function integerIn(v: SqlArg, min: bigint, max: bigint, typeMessage: string, rangeMessage: string): bigint {
  if (sqlType(v) !== 'integer') throw new CommunityIdError(typeMessage);
  const n = v as bigint;
  if (n < min || n > max) throw new CommunityIdError(rangeMessage);
  return n;
}

/** Community ID v1 of a flow, or a CommunityIdError saying which input is wrong (osquery's order of checks). */
function communityId(args: SqlArg[]): string {
  const [saddrArg, daddrArg, sportArg, dportArg, protoArg] = args as [SqlArg, SqlArg, SqlArg, SqlArg, SqlArg];
  let seed = 0n;
  if (args.length === 6) {
    seed = integerIn(
      args[5] as SqlArg,
      -32768n,
      32767n,
      'Community ID seed must be an integer',
      'Community ID seed must fit in 2 bytes',
    );
  }
  if (sqlType(saddrArg) !== 'text' || sqlType(daddrArg) !== 'text') {
    throw new CommunityIdError('Community ID IPs must be strings');
  }
  let saddr = parseIp(argCString(saddrArg) ?? '');
  if (!saddr) throw new CommunityIdError('Community ID saddr cannot be parsed as IP');
  let daddr = parseIp(argCString(daddrArg) ?? '');
  if (!daddr) throw new CommunityIdError('Community ID daddr cannot be parsed as IP');
  if (sqlType(sportArg) !== 'integer' || sqlType(dportArg) !== 'integer') {
    throw new CommunityIdError('Community ID ports must be integers');
  }
  let sport = sportArg as bigint;
  let dport = dportArg as bigint;
  if (sport < 0n || sport > 65535n || dport < 0n || dport > 65535n) {
    throw new CommunityIdError('Community ID ports must fit in 2 bytes');
  }
  const proto = integerIn(
    protoArg,
    0n,
    255n,
    'Community ID protocol must be an integer',
    'Community ID protocol must fit in 1 byte',
  );

  // The flow is hashed from its "smaller" end, so both directions give one ID.
  const order = compareIp(saddr, daddr);
  if (!(order < 0 || (order === 0 && sport < dport))) {
    [saddr, daddr] = [daddr, saddr];
    [sport, dport] = [dport, sport];
  }

  // seed . saddr . daddr . proto . 0 . sport . dport, integers big-endian.
  const head = Buffer.alloc(2);
  head.writeInt16BE(Number(seed));
  const tail = Buffer.alloc(6);
  tail.writeUInt8(Number(proto), 0);
  tail.writeUInt8(0, 1);
  tail.writeUInt16BE(Number(sport), 2);
  tail.writeUInt16BE(Number(dport), 4);
  const digest = createHash('sha1')
    .update(Buffer.concat([head, saddr.bytes, daddr.bytes, tail]))
    .digest('base64');
  return `1:${digest}`;
}

/** community_id_v1: bad input gives NULL and a warning. */
function communityIdLenient(args: SqlArg[]): SqlResult {
  try {
    return communityId(args);
  } catch (e) {
    if (!(e instanceof CommunityIdError)) throw e;
    warn(e.message);
    return null;
  }
}

/** community_id_v1_strict: bad input fails the query. */
function communityIdStrict(args: SqlArg[]): SqlResult {
  try {
    return communityId(args);
  } catch (e) {
    if (e instanceof CommunityIdError) throw sqlError(e.message);
    throw e;
  }
}

export const hashingFunctions: ScalarFunction[] = [
  { name: 'md5', arity: 1, deterministic: true, fn: hashOf('md5') },
  { name: 'sha1', arity: 1, deterministic: true, fn: hashOf('sha1') },
  { name: 'sha256', arity: 1, deterministic: true, fn: hashOf('sha256') },
  // osquery registers each with 5 and with 6 (seeded) arguments.
  {
    name: 'community_id_v1',
    arity: 5,
    deterministic: true,
    fn: (a: SqlArg, b: SqlArg, c: SqlArg, d: SqlArg, e: SqlArg) => communityIdLenient([a, b, c, d, e]),
  },
  {
    name: 'community_id_v1',
    arity: 6,
    deterministic: true,
    fn: (a: SqlArg, b: SqlArg, c: SqlArg, d: SqlArg, e: SqlArg, f: SqlArg) =>
      communityIdLenient([a, b, c, d, e, f]),
  },
  {
    name: 'community_id_v1_strict',
    arity: 5,
    deterministic: true,
    fn: (a: SqlArg, b: SqlArg, c: SqlArg, d: SqlArg, e: SqlArg) => communityIdStrict([a, b, c, d, e]),
  },
  {
    name: 'community_id_v1_strict',
    arity: 6,
    deterministic: true,
    fn: (a: SqlArg, b: SqlArg, c: SqlArg, d: SqlArg, e: SqlArg, f: SqlArg) =>
      communityIdStrict([a, b, c, d, e, f]),
  },
];
