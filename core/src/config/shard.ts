// osquery's machine shard: which of 100 shards this host falls in, for packs and
// queries that ask for a `shard` percentage.
import { hostname } from 'node:os';
import { sha1Hex } from './hash.js';

/** The host name osquery hashes for sharding (gethostname, trimmed). */
export function currentHostname(): string {
  return hostname().trim();
}

/** osquery's machine shard: first byte of SHA-1(hostname) scaled to 0..100 (integer math). */
export function machineShard(host: string): number {
  const firstByte = Number.parseInt(sha1Hex(host).slice(0, 2), 16);
  return Math.floor((firstByte * 100) / 255);
}
