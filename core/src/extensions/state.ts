// What every SQL thread must know of the registered extensions: their metadata (for
// osquery_extensions) and their tables' routes. The extension manager owns the truth
// on the main thread and hands snapshots to each engine thread, which applies them
// here: tables appear and disappear on every connection of the thread.
import { setAliasViews } from '../engine/connection.js';
import { bindTable, unbindTable } from '../engine/vtab.js';
import { tableRegistry } from '../registry/tables.js';
import { type TableRoute, tableFromRoute } from './routes.js';

export interface ExtensionRecord {
  uuid: number;
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
  /** The extension's socket path. */
  path: string;
}

/** A non-table plugin an extension registered (config, logger, distributed, ...). */
export interface PluginRoute {
  registry: string;
  name: string;
  uuid: number;
}

export interface ExtensionState {
  extensions: ExtensionRecord[];
  tables: TableRoute[];
  plugins?: PluginRoute[];
}

let current: ExtensionState = { extensions: [], tables: [] };

export function extensionState(): ExtensionState {
  return current;
}

function sameRoute(a: TableRoute, b: TableRoute): boolean {
  return (
    a.uuid === b.uuid && a.socket === b.socket && JSON.stringify(a.routeInfo) === JSON.stringify(b.routeInfo)
  );
}

/** Make this thread's tables match `next`. */
export function applyExtensionState(next: ExtensionState): void {
  const registry = tableRegistry();
  for (const old of current.tables) {
    const still = next.tables.find((t) => t.name === old.name);
    if (still && sameRoute(still, old)) continue;
    setAliasViews(old.name, registry.get(old.name)?.aliases ?? [], false);
    registry.remove(old.name);
    unbindTable(old.name);
  }
  for (const route of next.tables) {
    const old = current.tables.find((t) => t.name === route.name);
    if (old && sameRoute(old, route)) continue;
    const table = tableFromRoute(route);
    registry.add(table);
    bindTable(table);
    setAliasViews(table.name, table.aliases ?? [], true);
  }
  current = next;
}
