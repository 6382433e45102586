// The ExtensionManager service: the core's side of osquery's extension API on
// --extensions_socket. Extensions register their plugins here, checked against this
// thread's registries (osq's own plugins, other extensions' routes, reserved names); the
// accepted ones become routes in those registries, and the engine follows (extension
// tables appear in SQL). Every --extensions_interval the core pings each extension and
// forgets the ones that do not answer.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import {
  createThriftServer,
  type ExtensionRegistry,
  type ExtensionResponse,
  type ExtensionStatus,
  type Handlers,
  type InternalExtensionInfo,
  type InternalOptionList,
} from '@osq/idl';
import { splitStatements } from '../engine/statements.js';
import type { SqlEngine } from '../engine/types.js';
import { allFlags, flagDeclaration, flags, getFlag } from '../flags/index.js';
import { setUpRegistries } from '../plugins.js';
import { type ExtensionRecord, type ExtensionRoute, isReserved, type Registries } from '../registry/index.js';
import { callExtension } from './client.js';
import { callCoreTable } from './core-plugins.js';
import { allocateUuid, MIN_SDK_VERSION, versionAtLeast } from './registration.js';
import { renderRows } from './render.js';
import { validateRouteInfo } from './routes/table.js';

export interface ManagerOptions {
  /** The manager socket (--extensions_socket). */
  socketPath: string;
  engine: SqlEngine;
  /** Status messages (the shell prints warnings; the daemon logs them). */
  log?: (level: 'info' | 'warning' | 'error', message: string) => void;
}

interface Registered {
  uuid: number;
  info: InternalExtensionInfo;
  registry: ExtensionRegistry;
  socket: string;
  /** Whether a health check has seen it answer yet. */
  checked: boolean;
}

const ok = (uuid = 0): ExtensionStatus => ({ code: 0, message: 'OK', uuid });
const failed = (message: string): ExtensionStatus => ({ code: 1, message, uuid: 0 });

/** Seconds flags (strings in osquery) as milliseconds, floored at osquery's 200 ms. */
export function secondsFlagMs(text: string): number {
  const s = Number.parseFloat(text);
  return Math.max(200, Number.isFinite(s) ? s * 1000 : 3000);
}

export class ExtensionManager {
  private server: Server | undefined;
  private readonly extensions = new Map<number, Registered>();
  private healthTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly log: NonNullable<ManagerOptions['log']>;
  /** This thread's registries: where registered plugins go, and what they must not clash with. */
  private readonly registries: Registries = setUpRegistries();

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.log ?? (() => {});
  }

  get socketPath(): string {
    return this.opts.socketPath;
  }

  /** Listen on the socket (0600; its directory 0700 when we create it) and start health checks. */
  async start(): Promise<void> {
    const path = this.opts.socketPath;
    const dir = dirname(path);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.removeStalePaths();
    this.server = createThriftServer(this.handlers(), {
      onError: (e) => this.log('warning', `extension socket: dropped a connection: ${e.message}`),
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(path, () => {
        this.server?.removeListener('error', reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
    this.healthTimer = setInterval(() => void this.checkHealth(), secondsFlagMs(flags.extensions_interval));
    this.healthTimer.unref();
  }

  /** Tell every extension to shut down, stop listening and remove the socket files. */
  async stop(): Promise<void> {
    clearInterval(this.healthTimer);
    const timeout = secondsFlagMs(flags.extensions_timeout);
    await Promise.allSettled(
      [...this.extensions.values()].map((e) => callExtension(e.socket, { method: 'shutdown' }, timeout)),
    );
    this.extensions.clear();
    this.publish();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.removeStalePaths();
  }

  /** Registered extensions, for osquery_extensions and `.show`. */
  list(): ExtensionRecord[] {
    return [...this.extensions.values()].map((e) => ({
      uuid: e.uuid,
      name: e.info.name,
      version: e.info.version,
      sdk_version: e.info.sdk_version,
      min_sdk_version: e.info.min_sdk_version,
      path: e.socket,
    }));
  }

  /** The socket of the extension serving `item` of `registry`, if one does. */
  pluginSocket(registry: string, item: string): string | undefined {
    return this.registries.get(registry)?.item(item)?.route?.socket;
  }

  /** Wait until an extension named `name` is registered and answers, or the timeout passes. */
  async waitFor(name: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = [...this.extensions.values()].find((x) => x.info.name === name);
      if (e && (await this.alive(e, 1000))) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ------------------------------------------------------------------ RPC handlers

  private handlers(): Handlers {
    return {
      ping: () => ({ code: 0, message: 'pong', uuid: 0 }),
      call: (c) => this.call(c.registry, c.item, c.request),
      shutdown: () => undefined,
      extensions: () => new Map([...this.extensions.values()].map((e) => [e.uuid, e.info])),
      options: () => this.options(),
      registerExtension: (c) => this.register(c.info, c.registry),
      deregisterExtension: (c) => this.deregister(c.uuid),
      query: (c) => this.query(c.sql),
      getQueryColumns: (c) => this.queryColumns(c.sql),
    };
  }

  private options(): InternalOptionList {
    const out: InternalOptionList = {};
    for (const f of allFlags()) {
      out[f.name] = { value: String(getFlag(f.name)), default_value: String(f.default), type: f.type };
    }
    return out;
  }

  private async call(
    registry: string,
    item: string,
    request: Record<string, string>,
  ): Promise<ExtensionResponse> {
    const plugin = this.registries.get(registry)?.item(item);
    if (plugin?.route) {
      // A route: forward to the extension that owns the plugin.
      try {
        return await callExtension(
          plugin.route.socket,
          { method: 'call', registry, item, request },
          flags.thrift_timeout * 1000,
        );
      } catch (e) {
        return {
          status: failed(`Cannot call registry item: ${item}: ${(e as Error).message}`),
          response: [],
        };
      }
    }
    const table = registry === 'table' ? this.registries.table.get(item) : undefined;
    if (table) return callCoreTable(this.opts.engine, table, request);
    if (registry === 'config' && request.action === 'option') {
      // The C++ SDK asks the core for flag values it does not know itself.
      const name = request.name ?? '';
      const decl = flagDeclaration(name);
      if (!decl) return { status: failed(`Unknown option: ${name}`), response: [] };
      return { status: ok(), response: [{ name, value: String(getFlag(decl.name)) }] };
    }
    return { status: failed(`Cannot call registry item: ${item}`), response: [] };
  }

  private register(info: InternalExtensionInfo, registry: ExtensionRegistry): ExtensionStatus {
    if ([...this.extensions.values()].some((e) => e.info.name === info.name)) {
      return failed('Duplicate extension registered');
    }
    if (!versionAtLeast(MIN_SDK_VERSION, info.sdk_version))
      return failed('Incompatible extension SDK version');
    // Registries are checked in byte order of their names, as osquery does.
    const names = Object.keys(registry).sort();
    for (const reg of names) {
      const known = this.registries.get(reg);
      if (!known) return failed(`Failed adding registry: Unknown registry: ${reg}`);
      for (const item of Object.keys(registry[reg] ?? {})) {
        // osq's own plugins and other extensions' routes are in the registry; reserved names are osquery's.
        if (known.has(item) || isReserved(reg, item)) {
          return failed(
            `Failed adding registry: Registry item ${item} conflicts with another item of the same name.`,
          );
        }
        if (reg === 'table') {
          const problem = validateRouteInfo(registry[reg]?.[item] ?? []);
          if (problem) return failed(`Failed adding registry: ${problem}`);
        }
      }
    }
    const uuid = allocateUuid((u) => this.extensions.has(u));
    const socket = `${this.opts.socketPath}.${uuid}`;
    this.extensions.set(uuid, { uuid, info, registry, socket, checked: false });
    this.publish();
    this.log('info', `Extension ${info.name} (${info.version}) registered as ${uuid}`);
    return { code: 0, message: 'OK', uuid };
  }

  private deregister(uuid: number): ExtensionStatus {
    if (!this.extensions.has(uuid)) return failed('No extension UUID found');
    this.remove(uuid, 'deregistered');
    return ok(0);
  }

  private remove(uuid: number, why: string): void {
    const e = this.extensions.get(uuid);
    if (!e) return;
    this.extensions.delete(uuid);
    this.publish();
    this.log('warning', `Extension ${e.info.name} (${uuid}) ${why}: its plugins are removed`);
  }

  /**
   * Apply the registered extensions and their plugins' routes to this thread's registries;
   * the engine follows them there (and hands them to its worker threads).
   */
  private publish(): void {
    const routes: ExtensionRoute[] = [...this.extensions.values()].flatMap((e) =>
      Object.entries(e.registry).flatMap(([registry, items]) =>
        Object.entries(items).map(([name, routeInfo]) => ({
          registry,
          name,
          uuid: e.uuid,
          socket: e.socket,
          routeInfo,
        })),
      ),
    );
    this.registries.applyExtensionState({ extensions: this.list(), routes });
  }

  private async query(sql: string): Promise<ExtensionResponse> {
    const response: Record<string, string>[] = [];
    try {
      for (const stmt of splitStatements(sql)) {
        response.push(...renderRows(await this.opts.engine.query(stmt)));
      }
      return { status: ok(), response };
    } catch (e) {
      return { status: failed((e as Error).message), response: [] };
    }
  }

  private async queryColumns(sql: string): Promise<ExtensionResponse> {
    try {
      const cols = await this.opts.engine.columns(sql);
      return { status: ok(), response: cols.map((c) => ({ [c.name]: c.type })) };
    } catch (e) {
      return { status: failed((e as Error).message), response: [] };
    }
  }

  // ------------------------------------------------------------------ health

  private async alive(e: Registered, timeoutMs: number): Promise<boolean> {
    try {
      const status = await callExtension(e.socket, { method: 'ping' }, timeoutMs);
      return status.code !== 1;
    } catch {
      return false;
    }
  }

  /** One pass of osquery's watcher: a single failed check removes an extension. */
  async checkHealth(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const probeMs = 10_000;
      await Promise.all(
        [...this.extensions.values()].map(async (e) => {
          if (!e.checked && !existsSync(e.socket)) {
            // A new extension may still be binding its socket: give it --extensions_timeout.
            const deadline = Date.now() + secondsFlagMs(flags.extensions_timeout);
            while (!existsSync(e.socket) && Date.now() < deadline)
              await new Promise((r) => setTimeout(r, 20));
          }
          e.checked = true;
          if (!(await this.alive(e, probeMs))) this.remove(e.uuid, 'failed a health check');
        }),
      );
    } finally {
      this.checking = false;
    }
  }

  /** Remove `<manager>.*` files left by an earlier run (osquery's removeStalePaths). */
  private removeStalePaths(): void {
    const path = this.opts.socketPath;
    const dir = dirname(path);
    const prefix = `${basename(path)}.`;
    rmSync(path, { force: true });
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) if (n.startsWith(prefix)) rmSync(join(dir, n), { force: true });
  }

  /** The socket server, for tests that need to know it is listening. */
  get listening(): boolean {
    return this.server?.listening ?? false;
  }
}
