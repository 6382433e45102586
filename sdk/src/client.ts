// ExtensionClient: ask the core (the extension manager) things over its socket: run SQL,
// describe a query's columns, list extensions and options. One connection, opened on
// first use and reopened if it breaks; calls on it run one after the other.
import {
  type ExtensionResponse,
  type ExtensionStatus,
  type InternalOptionList,
  type PluginRequest,
  ThriftClient,
} from '@osq/idl';
import { DEFAULT_SOCKET } from './args.js';

export interface ClientOptions {
  /** Milliseconds one call (or connecting) may take; default 30 s. */
  timeoutMs?: number;
}

export interface ExtensionInfo {
  uuid: number;
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
}

/** The core answered a call with a failure status (e.g. a SQL error). */
export class ExtensionError extends Error {
  override name = 'ExtensionError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export class ExtensionClient {
  private connection: Promise<ThriftClient> | undefined;
  private readonly timeoutMs: number;

  constructor(
    readonly socket: string = DEFAULT_SOCKET,
    opts: ClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  private connect(): Promise<ThriftClient> {
    if (this.connection) {
      const current = this.connection;
      return current.then((c) => {
        if (!c.isClosed) return c;
        if (this.connection === current) this.connection = undefined;
        return this.connect();
      });
    }
    const opening = ThriftClient.connect(this.socket, { timeoutMs: this.timeoutMs });
    this.connection = opening;
    opening.catch(() => {
      if (this.connection === opening) this.connection = undefined;
    });
    return opening;
  }

  /** Runs SQL on the core; rows are string maps (NULL renders as ''). Throws on SQL errors. */
  async query(sql: string): Promise<Record<string, string>[]> {
    return this.unwrap(await (await this.connect()).call({ method: 'query', sql }, this.timeoutMs));
  }

  /** The result columns of `sql` (prepared, not run), in select order. */
  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    const rows = this.unwrap(
      await (await this.connect()).call({ method: 'getQueryColumns', sql }, this.timeoutMs),
    );
    return rows.flatMap((r) => Object.entries(r).map(([name, type]) => ({ name, type })));
  }

  /** The registered extensions (the core itself is not listed). */
  async extensions(): Promise<ExtensionInfo[]> {
    const list = await (await this.connect()).call({ method: 'extensions' }, this.timeoutMs);
    return [...list].map(([uuid, info]) => ({ uuid: Number(uuid), ...info }));
  }

  /** The core's flags: name -> {value, default_value, type}. */
  async options(): Promise<InternalOptionList> {
    return (await this.connect()).call({ method: 'options' }, this.timeoutMs);
  }

  async ping(): Promise<ExtensionStatus> {
    return (await this.connect()).call({ method: 'ping' }, this.timeoutMs);
  }

  /** A raw registry call, e.g. `call('config', 'update', {...})`. */
  async call(registry: string, item: string, request: PluginRequest): Promise<ExtensionResponse> {
    return (await this.connect()).call({ method: 'call', registry, item, request }, this.timeoutMs);
  }

  async deregister(uuid: number): Promise<ExtensionStatus> {
    return (await this.connect()).call({ method: 'deregisterExtension', uuid }, this.timeoutMs);
  }

  close(): void {
    const c = this.connection;
    this.connection = undefined;
    c?.then((x) => x.close()).catch(() => {});
  }

  private unwrap(res: ExtensionResponse): Record<string, string>[] {
    if (res.status.code !== 0) throw new ExtensionError(res.status.message, res.status.code);
    return res.response;
  }
}
