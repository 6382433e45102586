// The configuration manager: holds the config in force, refreshes it from the active
// config plugin, and answers the scheduler, the logger and the osquery_* tables.
//
// Usage (daemon):
//   const config = new ConfigManager({ plugin: new FilesystemConfigPlugin(), runQuery, log });
//   const r = await config.refresh();              // never throws
//   if (!r.ok) log('warning', `Error reading config: ${r.error}`);
//   config.on('change', () => ...);                // schedule, decorators, options changed
//   const queries = await config.scheduledQueries();   // every tick (runs pack discovery, cached)
//
// Refresh rules (osquery's Config::update, made atomic): sources are applied in byte
// order of their names; a source whose text is unchanged (SHA-1) is skipped; if ANY
// changed source fails to parse or validate, nothing is applied (flags included) and the
// previous config stays in force. Sources a plugin stops returning are kept, as in osquery.
import { EventEmitter } from 'node:events';
import { applyFlagSnapshot, flagSnapshot, flags, resetFlags } from '../flags/index.js';
import { compareBytes } from '../lib/bytes.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { parseStrictJson } from '../lib/json-reader.js';
import { stripConfigComments } from './comments.js';
import { sha1Hex } from './hash.js';
import {
  Pack,
  type PackEnvironment,
  reservedQueryName,
  type ScheduledQuery,
  scheduledName,
} from './packs.js';
import { parseConfigText } from './parse.js';
import {
  applyParsers,
  cloneParserState,
  type Decorators,
  emptyParserState,
  forgetSources,
  type ParserState,
  type ReplacedKey,
} from './parsers.js';
import type { ConfigPlugin } from './plugin.js';
import { currentHostname, machineShard } from './shard.js';

export type LogLevel = 'info' | 'warning' | 'error';

export interface ConfigManagerOptions {
  plugin: ConfigPlugin;
  /** Runs a discovery query and resolves to its row count (rejects on SQL error). */
  runQuery?: (sql: string) => Promise<number>;
  /** Status log sink for warnings (unknown options, skipped queries, unreadable packs). */
  log?: (level: LogLevel, message: string) => void;
  /** Host name used for the shard computation (default: this host's name). */
  hostname?: string;
  /** Clock in Unix seconds (tests). */
  now?: () => number;
}

export type RefreshResult =
  | {
      ok: true;
      /** Some source changed and was applied ('change' was emitted). */
      changed: boolean;
      /** Sources (re)applied in this refresh, in apply order. */
      sources: string[];
      /** Options set on flags (to re-apply log levels when verbosity options are among them). */
      options: string[];
      warnings: string[];
    }
  | { ok: false; error: string; warnings: string[] };

/** One row of osquery_packs. */
export interface OsqueryPacksRow {
  name: string;
  platform: string;
  version: string;
  shard: number;
  discovery_cache_hits: number;
  discovery_executions: number;
  active: number;
}

interface SourceState {
  hash: string;
  text: string;
}

/** Everything replaced together when a refresh commits. */
interface ConfigState {
  sources: Map<string, SourceState>;
  packs: Pack[];
  parsers: ParserState;
}

export class ConfigManager extends EventEmitter {
  private state: ConfigState = { sources: new Map(), packs: [], parsers: emptyParserState() };
  private valid = false;
  private pending: Promise<unknown> = Promise.resolve();
  private readonly shard: number;

  constructor(private readonly options: ConfigManagerOptions) {
    super();
    this.shard = machineShard(options.hostname ?? currentHostname());
  }

  get plugin(): ConfigPlugin {
    return this.options.plugin;
  }

  /** Ask the plugin for its sources and apply the changed ones. Calls are serialized. */
  refresh(): Promise<RefreshResult> {
    const run = this.pending.then(() => this.doRefresh());
    this.pending = run.catch(() => undefined);
    return run;
  }

  /** Apply sources directly (osquery's `config/update` from an extension). */
  update(sources: Record<string, string>): Promise<RefreshResult> {
    const run = this.pending.then(() => this.apply(sources, []));
    this.pending = run.catch(() => undefined);
    return run;
  }

  private async doRefresh(): Promise<RefreshResult> {
    let sources: Record<string, string>;
    try {
      sources = await this.options.plugin.genConfig();
    } catch (e) {
      const error = (e as Error).message || String(e);
      return { ok: false, error, warnings: [] };
    }
    // osquery: a successful genConfig makes the config "valid", whatever the parse outcome.
    this.valid = true;
    return this.apply(sources, []);
  }

  private async apply(sources: Record<string, string>, warnings: string[]): Promise<RefreshResult> {
    const warn = (m: string) => {
      warnings.push(m);
      this.options.log?.('warning', m);
    };
    const names = Object.keys(sources).sort(compareBytes);
    const changed = names.filter((n) => this.state.sources.get(n)?.hash !== sha1Hex(sources[n] as string));
    if (changed.length === 0) return { ok: true, changed: false, sources: [], options: [], warnings };

    // Parse everything first: one bad source means nothing is applied.
    const docs = new Map<string, JsonObject>();
    for (const name of changed) {
      try {
        docs.set(name, parseConfigText(name, sources[name] as string));
      } catch (e) {
        const error = (e as Error).message;
        this.options.log?.('error', error);
        return { ok: false, error, warnings };
      }
    }

    const flagsBefore = flagSnapshot();
    const next: ConfigState = {
      sources: new Map(this.state.sources),
      packs: [...this.state.packs],
      parsers: cloneParserState(this.state.parsers),
    };
    const applied = new Set<string>();
    try {
      for (const name of changed) {
        await this.applySource(next, name, docs.get(name) as JsonObject, { warn, applied });
        next.sources.set(name, { hash: sha1Hex(sources[name] as string), text: sources[name] as string });
      }
    } catch (e) {
      resetFlags();
      applyFlagSnapshot(flagsBefore);
      const error = `Error applying the config: ${(e as Error).message}`;
      this.options.log?.('error', error);
      return { ok: false, error, warnings };
    }
    this.state = next;
    this.warnReservedNames(warn);
    this.emit('change');
    return { ok: true, changed: true, sources: changed, options: [...applied], warnings };
  }

  /** osquery's updateSource: main pack from `schedule`, then `packs`, then the parsers. */
  private async applySource(
    state: ConfigState,
    source: string,
    doc: JsonObject,
    ctx: { warn: (m: string) => void; applied: Set<string> },
  ): Promise<void> {
    const delimiter = flags.pack_delimiter;
    const removed = state.packs.filter((p) => p.source === source);
    state.packs = state.packs.filter((p) => p.source !== source);
    forgetSources(state.parsers, [source, ...removed.map((p) => `${source}${delimiter}${p.name}`)]);

    if (isObject(doc.schedule)) {
      await this.addPack(state, 'main', source, { queries: doc.schedule }, ctx);
    }
    if (isObject(doc.packs)) {
      for (const [name, value] of Object.entries(doc.packs)) {
        if (isObject(value)) await this.addPack(state, name, source, value, ctx);
        else if (typeof value === 'string') await this.genPack(state, name, source, value, ctx);
      }
    }
    applyParsers(state.parsers, source, doc, ctx);
  }

  private async genPack(
    state: ConfigState,
    name: string,
    source: string,
    value: string,
    ctx: { warn: (m: string) => void; applied: Set<string> },
  ): Promise<void> {
    let text: string | undefined;
    try {
      text = await this.options.plugin.genPack?.(name, value);
    } catch (e) {
      ctx.warn(`Error reading the query pack named: ${name}: ${(e as Error).message}`);
      return;
    }
    if (text === undefined || text === '') {
      ctx.warn(`Error reading the query pack named: ${name}`);
      return;
    }
    let doc: Json;
    try {
      doc = parseStrictJson(stripConfigComments(text).text);
    } catch {
      doc = null;
    }
    if (!isObject(doc)) {
      ctx.warn(`Error parsing the "${name}" pack JSON`);
      return;
    }
    await this.addPack(state, name, source, doc, ctx);
  }

  /** osquery's Config::addPack: `*` holds several packs; an active pack's own keys go through the parsers. */
  private async addPack(
    state: ConfigState,
    name: string,
    source: string,
    obj: JsonObject,
    ctx: { warn: (m: string) => void; applied: Set<string> },
  ): Promise<void> {
    if (name === '*') {
      for (const [packName, packObj] of Object.entries(obj)) {
        if (!isObject(packObj)) {
          ctx.warn(`Error parsing pack: ${packName}: the value should be an object`);
          continue;
        }
        await this.addPack(state, packName, source, packObj, ctx);
      }
      return;
    }
    const env = this.environment(ctx.warn);
    const pack = new Pack(name, source, obj, env);
    state.packs = state.packs.filter((p) => !(p.name === name && p.source === source));
    state.packs.push(pack);
    if (await pack.shouldExecute(env)) {
      applyParsers(state.parsers, `${source}${flags.pack_delimiter}${name}`, obj, ctx);
    }
  }

  private environment(warn?: (m: string) => void): PackEnvironment {
    return {
      machineShard: this.shard,
      defaultInterval: flags.schedule_default_interval,
      refreshInterval: () => flags.pack_refresh_interval,
      now: this.options.now ?? (() => Math.floor(Date.now() / 1000)),
      runQuery: this.options.runQuery ?? (async () => 1),
      warn: warn ?? ((m) => this.options.log?.('warning', m)),
    };
  }

  private warnReservedNames(warn: (m: string) => void): void {
    const delimiter = flags.pack_delimiter;
    for (const pack of this.state.packs) {
      for (const q of pack.queries) {
        const name = scheduledName(pack.name, q.name, delimiter);
        if (reservedQueryName(name)) warn(`Scheduled query name is reserved and will not run: ${name}`);
      }
    }
  }

  /**
   * The queries to schedule now: every query of every pack that should execute, in pack
   * order then query-name order. Runs (cached) discovery queries, like osquery's
   * Config::scheduledQueries on each scheduler pass.
   */
  async scheduledQueries(): Promise<ScheduledQuery[]> {
    const env = this.environment();
    const delimiter = flags.pack_delimiter;
    const out: ScheduledQuery[] = [];
    for (const pack of this.state.packs) {
      if (!(await pack.shouldExecute(env))) continue;
      for (const q of pack.queries) {
        const name = scheduledName(pack.name, q.name, delimiter);
        if (reservedQueryName(name)) continue;
        out.push({ ...q, scheduledName: name, pack: pack.name, source: pack.source });
      }
    }
    return out;
  }

  /** Rows of the osquery_packs table (every pack, including each source's `main`). */
  packsTable(): OsqueryPacksRow[] {
    return this.state.packs.map((p) => ({
      name: p.name,
      platform: p.platform,
      version: p.version,
      shard: p.shard,
      discovery_cache_hits: p.stats.hits,
      discovery_executions: p.stats.misses,
      active: p.active ? 1 : 0,
    }));
  }

  /** osquery_info.config_valid: a genConfig call has succeeded. */
  configValid(): boolean {
    return this.valid;
  }

  /** osquery_info.config_hash: SHA-1 of the per-source SHA-1 hex digests in source order; '' until valid. */
  configHash(): string {
    if (!this.valid) return '';
    const names = [...this.state.sources.keys()].sort(compareBytes);
    return sha1Hex(names.map((n) => (this.state.sources.get(n) as SourceState).hash).join(''));
  }

  /** The applied sources' texts, by source name in byte order. */
  sources(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const n of [...this.state.sources.keys()].sort(compareBytes)) {
      out[n] = (this.state.sources.get(n) as SourceState).text;
    }
    return out;
  }

  /** Decorator queries per source (and per active pack), by source name in byte order. */
  decorators(): { source: string; decorators: Decorators }[] {
    return [...this.state.parsers.decorators.entries()]
      .sort((a, b) => compareBytes(a[0], b[0]))
      .map(([source, decorators]) => ({ source, decorators }));
  }

  /** `custom_*` options from the config, as text. */
  customOptions(): Record<string, string> {
    return { ...this.state.parsers.custom };
  }

  /** Every option the config has set so far (osquery never un-sets one). */
  configOptions(): JsonObject {
    return { ...this.state.parsers.options };
  }

  /** FIM categories: category -> patterns, merged over sources (raw, wildcards untouched). */
  filePaths(): Record<string, string[]> {
    return mergeCategories(this.state.parsers.filePaths);
  }

  /** `file_paths_query`: category -> SQL whose rows' `path` become patterns. */
  filePathsQuery(): Record<string, string[]> {
    return mergeCategories(this.state.parsers.filePathsQuery);
  }

  /** `file_accesses`: union over sources. */
  fileAccesses(): string[] {
    const all = new Set<string>();
    for (const list of this.state.parsers.fileAccesses.values()) for (const c of list) all.add(c);
    return [...all];
  }

  /** `exclude_paths`: merged, a later source replaces a category. */
  excludePaths(): Record<string, string[]> {
    return { ...this.state.parsers.excludePaths };
  }

  /** A key kept as raw JSON (events, yara, views, logger, ...): the last-applied value. */
  raw(key: ReplacedKey): Json | undefined {
    return this.state.parsers.replaced[key];
  }
}

function mergeCategories(map: Map<string, Record<string, string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const sources = [...map.keys()].sort(compareBytes);
  for (const s of sources) {
    for (const [category, list] of Object.entries(map.get(s) ?? {})) {
      out[category] = [...(out[category] ?? []), ...list];
    }
  }
  return out;
}
