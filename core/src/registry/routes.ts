// What the core knows of registered extensions, as plain data that can cross threads:
// one record per extension (osquery_extensions) and one route per plugin it serves. The
// extension manager owns the truth on the main thread; every SQL thread receives copies
// and applies them to its own registries (Registries.applyExtensionState).

export interface ExtensionRecord {
  uuid: number;
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
  /** The extension's socket path (`<manager socket>.<uuid>`). */
  path: string;
}

/** One plugin an extension registered, as its broadcast named it. */
export interface ExtensionRoute {
  /** The registry (plugin kind): `table`, `config`, `logger`, ... */
  registry: string;
  name: string;
  /** The owning extension's uuid. */
  uuid: number;
  /** The extension's socket, where calls to the plugin go. */
  socket: string;
  /** Route info as broadcast: a table's columns (`{id: column|alias|columnAlias|attributes, ...}`), else usually []. */
  routeInfo: Record<string, string>[];
}

export interface ExtensionState {
  extensions: ExtensionRecord[];
  routes: ExtensionRoute[];
}

/** Whether two routes reach the same plugin the same way (a re-registration that changed nothing). */
export function sameRoute(a: ExtensionRoute, b: ExtensionRoute): boolean {
  return (
    a.registry === b.registry &&
    a.name === b.name &&
    a.uuid === b.uuid &&
    a.socket === b.socket &&
    JSON.stringify(a.routeInfo) === JSON.stringify(b.routeInfo)
  );
}
