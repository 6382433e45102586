// One registry: the plugins of one kind by name, each either osq's own (owner 0) or a
// route to the extension that serves it (owner = the extension's uuid). Both sit behind
// the kind's one interface P, so a caller never asks where a plugin lives.
import type { ExtensionRoute } from './routes.js';

export interface RegistryItem<P> {
  readonly name: string;
  /** 0 for osq's own plugins, else the uuid of the extension serving it. */
  readonly owner: number;
  readonly plugin: P;
  /** For an extension's plugin: the route as the extension broadcast it. */
  readonly route?: ExtensionRoute;
}

export type RegistryChange = 'add' | 'remove';
export type RegistryListener<P> = (change: RegistryChange, item: RegistryItem<P>) => void;

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class Registry<P> {
  private readonly byName = new Map<string, RegistryItem<P>>();
  private readonly listeners = new Set<RegistryListener<P>>();
  private fromRoute: ((route: ExtensionRoute) => P) | undefined;

  /** `name` is osquery's registry name (`table`, `logger`, ...). */
  constructor(
    readonly name: string,
    fromRoute?: (route: ExtensionRoute) => P,
  ) {
    this.fromRoute = fromRoute;
  }

  /** How an extension's route of this kind becomes a plugin (set once per thread, see core/src/plugins.ts). */
  routeWith(fromRoute: (route: ExtensionRoute) => P): void {
    this.fromRoute = fromRoute;
  }

  /** Register one of osq's own plugins. */
  add(name: string, plugin: P): void {
    this.put({ name, owner: 0, plugin });
  }

  /** Register the plugin an extension serves. */
  addRoute(route: ExtensionRoute): void {
    if (!this.fromRoute) throw new Error(`osq: the ${this.name} registry cannot hold extension routes yet`);
    this.put({ name: route.name, owner: route.uuid, plugin: this.fromRoute(route), route });
  }

  private put(item: RegistryItem<P>): void {
    if (this.byName.has(item.name)) throw new Error(`osq: ${this.name} plugin ${item.name} registered twice`);
    this.byName.set(item.name, item);
    for (const l of this.listeners) l('add', item);
  }

  remove(name: string): boolean {
    const item = this.byName.get(name);
    if (!item) return false;
    this.byName.delete(name);
    for (const l of this.listeners) l('remove', item);
    return true;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): P | undefined {
    return this.byName.get(name)?.plugin;
  }

  item(name: string): RegistryItem<P> | undefined {
    return this.byName.get(name);
  }

  /** Every plugin, sorted by name (byte order, as osquery lists them). */
  items(): RegistryItem<P>[] {
    return [...this.byName.values()].sort((a, b) => byteOrder(a.name, b.name));
  }

  /** Be told of every plugin added or removed from now on (osquery's attach/detach hooks); returns the unsubscribe. */
  subscribe(listener: RegistryListener<P>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
