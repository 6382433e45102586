// Query packs as osquery builds them (osquery/config/packs.cpp): the `schedule` of a
// source is a pack named `main`, every `packs` entry another pack. A pack failing its
// platform/version/shard filter is kept (osquery_packs shows it) but never runs; a pack
// with discovery queries runs only while every discovery query returns a row.
import { compareBytes } from '../lib/bytes.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { OSQUERY_COMPAT_VERSION, versionAtLeast } from '../version.js';
import { checkPlatform } from './platform.js';
import { valueToBool, valueToSize } from './values.js';

/** Longest interval osquery accepts for a scheduled query (one week). */
export const MAX_QUERY_INTERVAL = 604800;

/** One query of a pack, with osquery's defaults applied. */
export interface PackQuery {
  /** The query's own name inside its pack. */
  name: string;
  query: string;
  /** Seconds, 1..604800. */
  interval: number;
  snapshot: boolean;
  removed: boolean;
  /** false: the watchdog never denylists this query. */
  denylist: boolean;
  /** Set when the query should also run in the scheduler's first pass. */
  startupPriority?: number;
  /** The pack's `oncall` label (default "unknown"). */
  oncall: string;
}

/** A query as the scheduler sees it: PackQuery plus its scheduled (pack-qualified) name. */
export interface ScheduledQuery extends PackQuery {
  /** `main` queries keep their name; pack queries are `pack<D><pack><D><query>`. */
  scheduledName: string;
  pack: string;
  source: string;
}

/** What pack evaluation needs from the host and the daemon. */
export interface PackEnvironment {
  /** This machine's shard, 0..100 (machineShard(hostname)). */
  machineShard: number;
  /** `--schedule_default_interval` at the time the pack is built. */
  defaultInterval: number;
  /** `--pack_refresh_interval`, read at each discovery check. */
  refreshInterval: () => number;
  /** Unix time in seconds. */
  now: () => number;
  /** Runs a discovery query; resolves to its row count, rejects when the query fails. */
  runQuery: (sql: string) => Promise<number>;
  warn: (message: string) => void;
}

/** Names that collide with osquery's database keys are refused. */
export function reservedQueryName(name: string): boolean {
  return (
    name.startsWith('query.') ||
    name.startsWith('cache.') ||
    name.startsWith('config_views.') ||
    name.endsWith('epoch') ||
    name.endsWith('counter')
  );
}

/** The scheduled name of a query: osquery's Config::scheduledQueries naming. */
export function scheduledName(pack: string, query: string, delimiter: string): string {
  return pack === 'main' ? query : `pack${delimiter}${pack}${delimiter}${query}`;
}

/** Statistics shown by osquery_packs. */
export interface PackStats {
  total: number;
  hits: number;
  misses: number;
}

export class Pack {
  readonly platform: string;
  readonly version: string;
  readonly shard: number;
  /** Passed platform, version and shard checks on this host. */
  readonly valid: boolean;
  readonly discovery: string[] = [];
  /** Queries by name, in byte order (osquery keeps them in a std::map). */
  readonly queries: PackQuery[] = [];
  readonly stats: PackStats = { total: 0, hits: 0, misses: 0 };
  /** Result of the last shouldExecute(). */
  active = false;
  private cache = { time: 0, result: false };

  constructor(
    readonly name: string,
    readonly source: string,
    obj: JsonObject,
    env: PackEnvironment,
  ) {
    this.shard = 'shard' in obj ? valueToSize(obj.shard) : 0;
    this.platform = typeof obj.platform === 'string' ? obj.platform : '';
    this.version = typeof obj.version === 'string' ? obj.version : '';
    const oncall = typeof obj.oncall === 'string' ? obj.oncall : 'unknown';
    this.valid = passesFilters(this.shard, this.platform, this.version, env.machineShard);
    if (!this.valid) return;

    if (Array.isArray(obj.discovery)) {
      for (const q of obj.discovery) if (typeof q === 'string') this.discovery.push(q);
    }
    if (!isObject(obj.queries)) return;
    const names = Object.keys(obj.queries).sort(compareBytes);
    for (const qname of names) {
      const q = buildQuery(qname, obj.queries[qname] as Json, oncall, env);
      if (q) this.queries.push(q);
    }
  }

  /**
   * osquery's shouldPackExecute: valid and discovery passes. Discovery results are
   * cached for `--pack_refresh_interval` seconds; every call counts in the stats.
   */
  async shouldExecute(env: PackEnvironment): Promise<boolean> {
    this.active = this.valid && (await this.checkDiscovery(env));
    return this.active;
  }

  private async checkDiscovery(env: PackEnvironment): Promise<boolean> {
    this.stats.total++;
    const now = env.now();
    if (now - this.cache.time < env.refreshInterval()) {
      this.stats.hits++;
      return this.cache.result;
    }
    this.stats.misses++;
    this.cache = { time: now, result: true };
    for (const sql of this.discovery) {
      let rows: number;
      try {
        rows = await env.runQuery(sql);
      } catch (e) {
        env.warn(`Discovery query failed (${sql}): ${(e as Error).message}`);
        this.cache.result = false;
        break;
      }
      if (rows === 0) {
        this.cache.result = false;
        break;
      }
    }
    return this.cache.result;
  }
}

function passesFilters(shard: number, platform: string, version: string, machine: number): boolean {
  if (shard > 0 && shard < machine) return false;
  if (!checkPlatform(platform)) return false;
  return checkVersion(version);
}

/** A version restriction is a minimum osquery version; osq reports the osquery version it matches. */
export function checkVersion(version: string): boolean {
  if (version === '' || version === 'null') return true;
  return versionAtLeast(version, OSQUERY_COMPAT_VERSION);
}

/** One `queries` entry with osquery's filters and defaults; undefined when skipped. */
function buildQuery(name: string, value: Json, oncall: string, env: PackEnvironment): PackQuery | undefined {
  if (!isObject(value)) return undefined;
  if ('shard' in value) {
    const shard = valueToSize(value.shard);
    if (shard > 0 && shard < env.machineShard) return undefined;
  }
  if (typeof value.platform === 'string' && !checkPlatform(value.platform)) return undefined;
  if (typeof value.version === 'string' && !checkVersion(value.version)) return undefined;
  if (typeof value.query !== 'string') return undefined;
  const interval = 'interval' in value ? valueToSize(value.interval) : env.defaultInterval;
  if (interval <= 0 || value.query === '' || interval > MAX_QUERY_INTERVAL) {
    env.warn(`Query has invalid interval: ${name}: ${interval}`);
    return undefined;
  }
  const q: PackQuery = {
    name,
    query: value.query,
    interval,
    snapshot: 'snapshot' in value ? valueToBool(value.snapshot) : false,
    removed: 'removed' in value ? valueToBool(value.removed) : true,
    denylist: 'denylist' in value ? valueToBool(value.denylist) : true,
    oncall,
  };
  if (typeof value.startup_priority === 'number' && value.startup_priority >= 0) {
    q.startupPriority = Math.trunc(value.startup_priority);
  }
  return q;
}
