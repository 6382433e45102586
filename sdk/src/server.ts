// ExtensionServer: the extension side of osquery's extension API (docs/extensions.md#the-extension-side,
// docs/extensions.md#health-checks).
//
//   1. wait until the manager socket answers a ping (retrying up to --timeout seconds);
//   2. registerExtension with the plugins' route info, getting a uuid;
//   3. serve ping/call/shutdown on `<socket>.<uuid>` (many short connections, as the core
//      opens one per call);
//   4. every --interval seconds, on the one long-lived manager connection, ping the core and
//      check it still lists our uuid; stop when it does not answer or forgot us.
import { chmodSync, rmSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import {
  createThriftServer,
  type ExtensionRegistry,
  type ExtensionResponse,
  type Handlers,
  type InternalExtensionInfo,
  type PluginRequest,
  ThriftClient,
} from '@osq/idl';
import { parseExtensionArgs } from './args.js';
import { ExtensionClient } from './client.js';
import { errorMessage, type Plugin, REGISTRIES } from './plugin.js';

/**
 * The sdk_version sent at registration: the osquery release osq follows. osquery's core
 * only rejects versions older than 1.7.7 (docs/extensions.md#sdk-versions).
 */
export const SDK_VERSION = '5.23.0';

export interface ServerOptions {
  name: string;
  version?: string;
  /** The manager socket; default from `--socket`, else /var/osquery/osquery.em. */
  socket?: string;
  /** Seconds to wait for the manager; default from `--timeout`, else 3. */
  timeout?: number;
  /** Seconds between pings of the manager; default from `--interval`, else 3. */
  interval?: number;
  /** Log to stderr; default from `--verbose`. */
  verbose?: boolean;
  sdkVersion?: string;
  minSdkVersion?: string;
  /** Where socket/timeout/interval/verbose defaults come from (default: process.argv). */
  argv?: readonly string[];
  /** Where verbose messages go (default: stderr). */
  log?: (message: string) => void;
}

/** Why `run()` returned. */
export type StopReason =
  /** `shutdown()` was called (e.g. on SIGTERM). */
  | 'shutdown'
  /** The core called our `shutdown` method (it is exiting). */
  | 'manager-shutdown'
  /** The core stopped answering pings (osquery's "core has gone away"). */
  | 'manager-gone'
  /** The core answers but no longer lists us (it dropped us after a failed health check). */
  | 'unregistered';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ExtensionServer {
  readonly name: string;
  readonly version: string;
  /** The manager socket. */
  readonly socket: string;
  /** Seconds. */
  readonly timeout: number;
  /** Seconds. */
  readonly interval: number;
  readonly verbose: boolean;
  private readonly info: InternalExtensionInfo;
  private readonly plugins = new Map<string, Plugin>();
  private readonly logFn: (message: string) => void;

  private uuidValue: number | undefined;
  private manager: ThriftClient | undefined;
  private server: Server | undefined;
  private readonly connections = new Set<Socket>();
  private watchTimer: NodeJS.Timeout | undefined;
  private finish: ((reason: StopReason) => void) | undefined;
  private stopping: Promise<void> | undefined;
  private started = false;
  private sharedClient: ExtensionClient | undefined;

  constructor(opts: ServerOptions) {
    const args = parseExtensionArgs(opts.argv ?? process.argv.slice(2));
    this.name = opts.name;
    this.version = opts.version ?? '0.0.1';
    this.socket = opts.socket ?? args.socket;
    this.timeout = opts.timeout ?? args.timeout;
    this.interval = opts.interval ?? args.interval;
    this.verbose = opts.verbose ?? args.verbose;
    this.info = {
      name: this.name,
      version: this.version,
      sdk_version: opts.sdkVersion ?? SDK_VERSION,
      min_sdk_version: opts.minSdkVersion ?? '0.0.0',
    };
    this.logFn = opts.log ?? ((m) => process.stderr.write(`${m}\n`));
  }

  /** The uuid the core gave us, once registered. */
  get uuid(): number | undefined {
    return this.uuidValue;
  }

  /** Our own socket (`<manager socket>.<uuid>`), once registered. */
  get extensionSocket(): string | undefined {
    return this.uuidValue === undefined ? undefined : `${this.socket}.${this.uuidValue}`;
  }

  /**
   * A client to the core for use inside plugins (e.g. `await server.client.query(sql)` in a
   * table's generate). It has its own connection, so it never waits behind the watcher's pings.
   */
  get client(): ExtensionClient {
    this.sharedClient ??= new ExtensionClient(this.socket);
    return this.sharedClient;
  }

  /** Adds a plugin; all plugins must be added before `run()`. */
  add(...plugins: Plugin[]): this {
    if (this.started) throw new Error('plugins must be added before run()');
    for (const p of plugins) {
      if (!REGISTRIES.includes(p.registry)) throw new Error(`unknown registry: ${p.registry}`);
      const key = `${p.registry}/${p.name}`;
      if (this.plugins.has(key)) throw new Error(`duplicate ${p.registry} plugin: ${p.name}`);
      this.plugins.set(key, p);
    }
    return this;
  }

  /** What registerExtension sends: the four registries osquery knows, with our plugins. */
  broadcast(): ExtensionRegistry {
    const registry: ExtensionRegistry = {};
    for (const r of REGISTRIES) registry[r] = {};
    for (const p of this.plugins.values()) {
      const table = registry[p.registry];
      if (table) table[p.name] = p.routeInfo();
    }
    return registry;
  }

  /**
   * Registers with the core and serves until the core goes away, shuts us down, or
   * `shutdown()` is called; resolves with the reason. Rejects when the core cannot be
   * reached or refuses the registration.
   */
  async run(): Promise<StopReason> {
    if (this.started) throw new Error('run() was already called');
    this.started = true;
    const done = new Promise<StopReason>((resolve) => {
      this.finish = resolve;
    });
    try {
      this.manager = await this.waitForManager();
      const status = await this.manager.call(
        { method: 'registerExtension', info: this.info, registry: this.broadcast() },
        this.timeoutMs(),
      );
      if (status.code !== 0) throw new Error(`registering ${this.name} failed: ${status.message}`);
      this.uuidValue = status.uuid;
      this.log(`registered as uuid ${status.uuid}`);
      await this.listen(`${this.socket}.${status.uuid}`);
    } catch (err) {
      await this.stop('shutdown', this.uuidValue !== undefined);
      throw err;
    }
    this.scheduleWatch();
    return done;
  }

  /** Deregisters from the core, stops serving and makes `run()` resolve with 'shutdown'. */
  shutdown(): Promise<void> {
    return this.stop('shutdown', true);
  }

  // ------------------------------------------------------------------ startup

  private timeoutMs(): number {
    return Math.max(200, this.timeout * 1000);
  }

  /** Connects and pings until the manager answers (every 20 ms, backing off to 200 ms). */
  private async waitForManager(): Promise<ThriftClient> {
    const deadline = Date.now() + this.timeoutMs();
    let delay = 20;
    let lastError = 'no answer';
    for (;;) {
      const left = deadline - Date.now();
      let client: ThriftClient | undefined;
      try {
        client = await ThriftClient.connect(this.socket, { timeoutMs: Math.max(50, left) });
        const pong = await client.call({ method: 'ping' }, Math.max(50, deadline - Date.now()));
        if (pong.code !== 1) return client;
        lastError = pong.message;
      } catch (err) {
        lastError = errorMessage(err);
      }
      client?.close();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`osquery extension manager not available at ${this.socket}: ${lastError}`);
      }
      await sleep(Math.min(delay, remaining));
      delay = Math.min(200, delay * 2);
    }
  }

  private async listen(path: string): Promise<void> {
    rmSync(path, { force: true }); // a stale socket from an earlier extension with this uuid
    const server = createThriftServer(this.handlers(), {
      onError: (e) => this.log(`connection dropped: ${e.message}`),
    });
    server.on('connection', (s: Socket) => {
      this.connections.add(s);
      s.on('close', () => this.connections.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
    this.log(`listening on ${path}`);
  }

  // ------------------------------------------------------------------ serving

  private handlers(): Handlers {
    return {
      ping: () => ({ code: 0, message: 'pong', uuid: this.uuidValue ?? 0 }),
      call: (c) => this.call(c.registry, c.item, c.request),
      shutdown: () => {
        // Answer first; stop once the reply is on its way.
        setImmediate(() => void this.stop('manager-shutdown', false));
        return undefined;
      },
    };
  }

  private async call(registry: string, item: string, request: PluginRequest): Promise<ExtensionResponse> {
    const uuid = this.uuidValue ?? 0;
    const plugin = this.plugins.get(`${registry}/${item}`);
    if (!plugin) {
      const message = REGISTRIES.includes(registry as Plugin['registry'])
        ? `Cannot call registry item: ${item}`
        : `Unknown registry: ${registry}`;
      return { status: { code: 1, message, uuid }, response: [] };
    }
    try {
      const r = await plugin.call(request);
      return { status: { code: r.code, message: r.message, uuid }, response: r.response };
    } catch (err) {
      return { status: { code: 1, message: errorMessage(err), uuid }, response: [] };
    }
  }

  // ------------------------------------------------------------------ watching the core

  private scheduleWatch(): void {
    this.watchTimer = setTimeout(() => void this.watch(), Math.max(200, this.interval * 1000));
  }

  /** One check: the core answers a ping and still lists our uuid. */
  private async watch(): Promise<void> {
    const manager = this.manager;
    if (!manager || this.stopping) return;
    const timeout = Math.max(2000, this.interval * 1000);
    let reason: StopReason | undefined;
    try {
      const pong = await manager.call({ method: 'ping' }, timeout);
      if (pong.code === 1) reason = 'manager-gone';
      else {
        const list = await manager.call({ method: 'extensions' }, timeout);
        const listed = [...list.keys()].some((k) => Number(k) === this.uuidValue);
        if (!listed) reason = 'unregistered';
      }
    } catch (err) {
      this.log(`manager check failed: ${errorMessage(err)}`);
      reason = 'manager-gone';
    }
    if (reason) {
      this.log(`stopping: ${reason}`);
      await this.stop(reason, false);
    } else if (!this.stopping) this.scheduleWatch();
  }

  // ------------------------------------------------------------------ stopping

  private stop(reason: StopReason, deregister: boolean): Promise<void> {
    this.stopping ??= this.teardown(reason, deregister);
    return this.stopping;
  }

  private async teardown(reason: StopReason, deregister: boolean): Promise<void> {
    clearTimeout(this.watchTimer);
    const manager = this.manager;
    if (deregister && manager && !manager.isClosed && this.uuidValue !== undefined) {
      try {
        await manager.call({ method: 'deregisterExtension', uuid: this.uuidValue }, 1000);
      } catch {
        // The core is gone or busy: it will notice on its next health check.
      }
    }
    manager?.close();
    this.sharedClient?.close();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of this.connections) {
        s.end(); // let a pending reply (e.g. to shutdown) flush
        setTimeout(() => s.destroy(), 500).unref();
      }
      await closed;
      const path = this.extensionSocket;
      if (path) rmSync(path, { force: true });
    }
    this.log(`stopped (${reason})`);
    this.finish?.(reason);
  }

  private log(message: string): void {
    if (this.verbose) this.logFn(`${this.name}: ${message}`);
  }
}

/**
 * Runs `server` as the whole program: SIGTERM/SIGINT shut it down cleanly, and the process
 * exits when it stops (code 0 when the core went away or asked us to stop, 1 on errors or
 * when the core dropped us), as osquery's own extensions do.
 */
export async function runExtension(server: ExtensionServer): Promise<never> {
  const onSignal = () => void server.shutdown();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let code = 0;
  try {
    const reason = await server.run();
    if (reason === 'unregistered') code = 1;
  } catch (err) {
    process.stderr.write(`${server.name}: ${errorMessage(err)}\n`);
    code = 1;
  }
  process.exit(code);
}
