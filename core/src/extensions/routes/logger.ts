// A logger plugin served by an extension, behind the same LoggerPlugin interface as
// the local ones (docs/extensions.md#logger-plugin-calls): result lines as {string, category},
// snapshots as {snapshot}, status logs as {status: "true", log: <json array>}; the
// `features` answer comes back in the status code (1 = status logs, 2 = events).
import { asctimeUtc } from '@osq/idl';
import { flags } from '../../flags/index.js';
import type { LoggerFeatures, LoggerPlugin, ProcessName, StatusRecord } from '../../logger/plugin.js';
import { callRoute } from './call.js';

export class ExtensionLogger implements LoggerPlugin {
  private wants: LoggerFeatures = { status: false, event: false };

  constructor(
    readonly name: string,
    private readonly timeoutMs: number,
    private readonly hostIdentifier: () => string,
  ) {}

  private async call(request: Record<string, string>): Promise<{ code: number; message: string }> {
    return (await callRoute('logger', this.name, request, this.timeoutMs)).status;
  }

  private async send(request: Record<string, string>): Promise<void> {
    const s = await this.call(request);
    if (s.code !== 0) throw new Error(s.message || `logger ${this.name} answered ${s.code}`);
  }

  features(): LoggerFeatures {
    return this.wants;
  }

  async init(processName: ProcessName): Promise<void> {
    await this.call({ init: processName }).catch(() => undefined); // status ignored, as osquery does
    const f = await this.call({ action: 'features' }).catch(() => ({ code: 0, message: '' }));
    this.wants = { status: (f.code & 1) !== 0, event: (f.code & 2) !== 0 };
  }

  logResult(line: string): Promise<void> {
    return this.send({ string: line, category: 'event' });
  }

  logSnapshot(line: string): Promise<void> {
    return this.send({ snapshot: line });
  }

  logStatus(records: StatusRecord[]): Promise<void> {
    const log = records.map((r) => ({
      s: r.severity,
      f: r.file,
      i: r.line,
      m: r.message,
      h: this.hostIdentifier(),
      c: asctimeUtc(Math.floor(r.time / 1000)),
      u: Math.floor(r.time / 1000),
    }));
    return this.send({ status: 'true', log: JSON.stringify(log) });
  }

  async close(): Promise<void> {}
}

/** The logger extension `name` serves, wherever it is registered when a line is sent. */
export function extensionLogger(name: string, hostIdentifier: () => string): ExtensionLogger {
  return new ExtensionLogger(name, flags.thrift_timeout * 1000, hostIdentifier);
}
