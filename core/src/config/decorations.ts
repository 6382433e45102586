// Decorations: the values of the config's decorator queries, attached to result and
// status logs (osquery's plugins/config/parsers/decorators.cpp). Only the first row of
// each query is used; every column becomes `name -> value`. Decorations are kept per
// source and merged at read time, a later source name winning on the same column.
//
// Usage (daemon):
//   const decorations = new Decorations(config, runRows, warn);
//   after a refresh:          await decorations.runLoad(result.sources)
//   before each query:        await decorations.runAlways()
//   each tick with tick%60==0: await decorations.runInterval(tick)
//   when logging:             decorations.current()
import { flags } from '../flags/index.js';
import { compareBytes } from '../lib/bytes.js';
import type { ConfigManager } from './manager.js';
import type { Decorators } from './parsers.js';

/** Runs SQL and resolves to its rows rendered as text (rejects on SQL error). */
export type RunRows = (sql: string) => Promise<Record<string, string>[]>;

export class Decorations {
  private readonly bySource = new Map<string, Record<string, string>>();

  constructor(
    private readonly config: ConfigManager,
    private readonly runRows: RunRows,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /**
   * `load` decorators of the given (re)applied sources, or of every source. A reloaded
   * source starts from empty decorations, as in osquery.
   */
  async runLoad(sources?: string[]): Promise<void> {
    for (const { source, decorators } of this.config.decorators()) {
      if (sources && !sources.some((s) => source === s || source.startsWith(s))) continue;
      this.bySource.set(source, {});
      await this.run(source, decorators.load);
    }
    // Sources that lost their decorators lose their decorations too.
    const known = new Set(this.config.decorators().map((d) => d.source));
    for (const s of [...this.bySource.keys()]) if (!known.has(s)) this.bySource.delete(s);
  }

  /** `always` decorators: run before every scheduled query. */
  async runAlways(): Promise<void> {
    await this.runPoint((d) => d.always);
  }

  /** `interval` decorators whose period divides `tick` (the caller calls this when tick % 60 == 0). */
  async runInterval(tick: number): Promise<void> {
    await this.runPoint((d) =>
      Object.entries(d.interval)
        .filter(([seconds]) => tick % Number(seconds) === 0)
        .flatMap(([, queries]) => queries),
    );
  }

  /** The decorations to attach to a log line; empty with `--disable_decorators`. */
  current(): Record<string, string> {
    if (flags.disable_decorators) return {};
    const out: Record<string, string> = {};
    for (const source of [...this.bySource.keys()].sort(compareBytes)) {
      Object.assign(out, this.bySource.get(source));
    }
    return out;
  }

  private async runPoint(pick: (d: Decorators) => string[]): Promise<void> {
    for (const { source, decorators } of this.config.decorators()) await this.run(source, pick(decorators));
  }

  private async run(source: string, queries: string[]): Promise<void> {
    if (flags.disable_decorators || queries.length === 0) return;
    const values = this.bySource.get(source) ?? {};
    for (const sql of queries) {
      let rows: Record<string, string>[];
      try {
        rows = await this.runRows(sql);
      } catch (e) {
        this.warn(`Decorator query failed (${sql}): ${(e as Error).message}`);
        continue;
      }
      if (rows.length > 0) Object.assign(values, rows[0]);
      if (rows.length > 1) this.warn(`Multiple rows returned for decorator query: ${sql}`);
    }
    this.bySource.set(source, values);
  }
}
