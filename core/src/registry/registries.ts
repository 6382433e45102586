// A thread's registries: one per plugin kind osquery's core has, with what each holds.
// The kinds osq has local plugins for are typed by their interface; the others hold the
// routes extensions register in them (osquery accepts every one of its registry names in
// a broadcast), and become typed when osq grows plugins of that kind.
import type { MakeConfigPlugin } from '../config/plugin.js';
import type { MakeDistributedPlugin } from '../distributed/plugin.js';
import type { MakeLogger } from '../logger/plugin.js';
import type { Table } from '../tables/framework.js';
import { Registry } from './registry.js';
import { type ExtensionRecord, type ExtensionRoute, type ExtensionState, sameRoute } from './routes.js';

/** A registry osq has no plugin interface for yet: it holds the extensions' routes as they are. */
const routesOnly = (name: string) => new Registry<ExtensionRoute>(name, (route) => route);

const routeKey = (r: ExtensionRoute): string => `${r.registry}\u0000${r.name}`;

export class Registries {
  readonly config = new Registry<MakeConfigPlugin>('config');
  readonly config_parser = routesOnly('config_parser');
  readonly database = routesOnly('database');
  readonly distributed = new Registry<MakeDistributedPlugin>('distributed');
  readonly enroll = routesOnly('enroll');
  readonly event_publisher = routesOnly('event_publisher');
  readonly event_subscriber = routesOnly('event_subscriber');
  readonly logger = new Registry<MakeLogger>('logger');
  readonly numeric_monitoring = routesOnly('numeric_monitoring');
  readonly osquery_events_stream = routesOnly('osquery_events_stream');
  readonly sql = routesOnly('sql');
  readonly table = new Registry<Table>('table');

  /** The registered extensions (osquery_extensions), as last applied. */
  extensions: readonly ExtensionRecord[] = [];

  private readonly stateListeners = new Set<(state: ExtensionState) => void>();
  private byName: Map<string, Registry<unknown>> | undefined;

  /** Every registry, by name (byte order). */
  all(): Registry<unknown>[] {
    return [...this.registryMap().values()];
  }

  /** The registry named `name`, if osquery's core has one by that name. */
  get(name: string): Registry<unknown> | undefined {
    return this.registryMap().get(name);
  }

  private registryMap(): Map<string, Registry<unknown>> {
    this.byName ??= new Map(
      Object.values(this)
        .filter((v): v is Registry<unknown> => v instanceof Registry)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((r) => [r.name, r]),
    );
    return this.byName;
  }

  /**
   * Make this thread's routes match `next`: routes that went away or changed are removed,
   * new ones added (each registry turns a route into its kind of plugin). Subscribers of
   * each registry see the changes, then `onExtensionState` listeners the whole state.
   */
  applyExtensionState(next: ExtensionState): void {
    const wanted = new Map(next.routes.map((r) => [routeKey(r), r]));
    for (const registry of this.all()) {
      for (const item of registry.items()) {
        if (!item.route) continue;
        const still = wanted.get(routeKey(item.route));
        if (still && sameRoute(still, item.route)) wanted.delete(routeKey(still));
        else registry.remove(item.name);
      }
    }
    for (const route of next.routes) {
      if (wanted.has(routeKey(route))) this.get(route.registry)?.addRoute(route);
    }
    this.extensions = next.extensions;
    for (const l of this.stateListeners) l(next);
  }

  /** The extensions and routes this thread knows, as plain data (to hand to a new thread). */
  extensionState(): ExtensionState {
    const routes = this.all().flatMap((r) => r.items().flatMap((i) => (i.route ? [i.route] : [])));
    return { extensions: [...this.extensions], routes };
  }

  /** Be told of every state applied from now on; returns the unsubscribe. */
  onExtensionState(listener: (state: ExtensionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
}
