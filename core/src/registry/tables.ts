// Which tables SQL may use: osquery's --disable_tables / --enable_tables rule over the
// table registry.
import { flags } from '../flags/index.js';
import type { Table } from '../tables/framework.js';
import type { Registry } from './registry.js';

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

/** Every registered table, enabled or not, sorted by name. */
export function allTables(registry: Registry<Table>): Table[] {
  return registry.items().map((i) => i.plugin);
}

/** The tables SQL may use: registered and not disabled by flags. */
export function enabledTables(registry: Registry<Table>): Table[] {
  return allTables(registry).filter((t) => !isTableDisabled(t.name));
}
