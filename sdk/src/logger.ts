// Logger plugins (docs/extensions.md#logger-plugin-calls). The core asks for `features` once
// and reads the answer from the status CODE: bit 1 = send me status logs, bit 2 = send me every
// event row. Result logs arrive as `string`, snapshots as `snapshot`, status logs as a JSON array.
import type { PluginRequest } from '@osq/idl';
import { errorMessage, failure, type Plugin, type PluginResult, success } from './plugin.js';

/** One status log line (osquery's own INFO/WARNING/ERROR messages). */
export interface StatusLog {
  /** 0 INFO, 1 WARNING, 2 ERROR, 3 FATAL. */
  severity: number;
  filename: string;
  line: number;
  message: string;
  hostIdentifier: string;
  calendarTime: string;
  unixTime: number;
}

type Done = void | Promise<void>;

export interface LoggerHandlers {
  /**
   * A scheduled query's result line (JSON text); `category` is `event` for results.
   * Throwing here is serious: osqueryd exits (code 78) when a result log fails.
   */
  logString(text: string, category: string | undefined): Done;
  /** A snapshot result line; defaults to `logString(text, 'snapshot')`. */
  logSnapshot?(text: string): Done;
  /** Status logs; declaring it asks the core for them (features bit 1). */
  logStatus?(logs: StatusLog[]): Done;
  /** Event rows; declaring it asks the core for them (features bit 2). */
  logEvent?(text: string): Done;
  /** Called once with the process name (`osqueryd` or `osqueryi`). */
  init?(processName: string): Done;
  /** Override the features answered (default: from the handlers present). */
  features?: { status?: boolean; events?: boolean };
}

export const LoggerFeature = { STATUS: 1, EVENTS: 2 } as const;

export class LoggerPlugin implements Plugin {
  readonly registry = 'logger';

  constructor(
    readonly name: string,
    private readonly handlers: LoggerHandlers,
  ) {}

  routeInfo() {
    return [];
  }

  /** The bitmask answered to `{"action":"features"}`. */
  features(): number {
    const h = this.handlers;
    const status = h.features?.status ?? h.logStatus !== undefined;
    const events = h.features?.events ?? h.logEvent !== undefined;
    return (status ? LoggerFeature.STATUS : 0) | (events ? LoggerFeature.EVENTS : 0);
  }

  async call(request: PluginRequest): Promise<PluginResult> {
    const h = this.handlers;
    try {
      if (request.action === 'features') return { code: this.features(), message: 'OK', response: [] };
      if (request.init !== undefined) await h.init?.(request.init);
      else if (request.string !== undefined) await h.logString(request.string, request.category);
      else if (request.snapshot !== undefined) {
        await (h.logSnapshot ? h.logSnapshot(request.snapshot) : h.logString(request.snapshot, 'snapshot'));
      } else if (request.status !== undefined) await h.logStatus?.(parseStatusLogs(request.log ?? '[]'));
      else if (request.event !== undefined) await h.logEvent?.(request.event);
      else if (request.health === undefined) return failure('Unsupported call to logger plugin');
      return success();
    } catch (err) {
      return failure(errorMessage(err));
    }
  }
}

/**
 * The `log` value: a JSON array of `{s,f,i,m,h,c,u}`. Older cores sent an object whose
 * keys were all "" (`{"":{...},"":{...}}`), which JSON.parse would collapse: rewrite it
 * into an array first.
 */
export function parseStatusLogs(text: string): StatusLog[] {
  let t = text.trim();
  if (t.startsWith('{')) t = `[${t.slice(1, -1).replace(/(^|[,{\s])""\s*:/g, '$1')}]`;
  const parsed: unknown = JSON.parse(t === '' ? '[]' : t);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      severity: Number(e.s ?? 0),
      filename: String(e.f ?? ''),
      line: Number(e.i ?? 0),
      message: String(e.m ?? ''),
      hostIdentifier: String(e.h ?? ''),
      calendarTime: String(e.c ?? ''),
      unixTime: Number(e.u ?? 0),
    }));
}

/** Declares a logger plugin; osquery uses it with `--logger_plugin=<name>`. */
export function loggerPlugin(name: string, handlers: LoggerHandlers): LoggerPlugin {
  return new LoggerPlugin(name, handlers);
}
