// The table registry: which tables this process serves. Core tables are local
// generators; extension tables will join them here as routes, behind the same Table
// interface, so the engine, shell and daemon never care where rows come from.
import { flags } from '../flags/index.js';
import type { Table } from '../tables/framework.js';
import { coreTables } from '../tables/index.js';

function nameList(text: string): Set<string> {
  return new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** osquery's rule: a name in --disable_tables is off; with --enable_tables set, only those are on. */
export function isTableDisabled(name: string): boolean {
  if (nameList(flags.disable_tables).has(name)) return true;
  const enabled = nameList(flags.enable_tables);
  return enabled.size > 0 && !enabled.has(name);
}

export class TableRegistry {
  private readonly tables = new Map<string, Table>();

  add(table: Table): void {
    this.tables.set(table.name, table);
  }

  remove(name: string): boolean {
    return this.tables.delete(name);
  }

  get(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** Every registered table, enabled or not, sorted by name. */
  all(): Table[] {
    return [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The tables SQL may use: registered and not disabled by flags. */
  enabled(): Table[] {
    return this.all().filter((t) => !isTableDisabled(t.name));
  }
}

let shared: TableRegistry | undefined;

/** This thread's registry, holding every core table. */
export function tableRegistry(): TableRegistry {
  if (!shared) {
    shared = new TableRegistry();
    for (const t of coreTables) shared.add(t);
  }
  return shared;
}
