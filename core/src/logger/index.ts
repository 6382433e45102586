// Logger module entry point.
//
// For the daemon (osqd):
//   statusLog.configure({ processName: 'osqueryd' });   // after flags are parsed / options change
//   const plugins = names.map((n) => registries().logger.get(n)?.(ctx)); // local or an extension's
//   for (const p of plugins) await p.init('osqueryd');
//   if (!plugins.some((p) => p.features().status)) statusLog.setBuffering(false);
//   ... await plugin.logResult(line) / logSnapshot(line) → ack the outbox on resolve
//   every 3 ticks: await relayStatusLogs(plugins);
//   shutdown: await Promise.all(plugins.map((p) => p.close())); statusLog.close();
import { FilesystemLogger, filesystemOptionsFromFlags } from './filesystem.js';
import type { LoggerPlugin } from './plugin.js';
import { StdoutLogger } from './stdout.js';
import { SyslogLogger, syslogOptionsFromFlags } from './syslog.js';

export { FilesystemLogger, parseLoggerMode, RESULTS_FILENAME, SNAPSHOTS_FILENAME } from './filesystem.js';
export * from './glog.js';
export type * from './plugin.js';
export { relayStatusLogs, type SourceLocation, StatusLogger, statusLog } from './status.js';
export { StdoutLogger, statusRecordText } from './stdout.js';
export { SyslogLogger } from './syslog.js';

/**
 * The loggers built into osq (osquery's POSIX built-ins that need no network), each made
 * from the flags when activated. core/src/plugins.ts registers them in the logger registry.
 */
export const LOCAL_LOGGERS: Readonly<Record<string, () => LoggerPlugin>> = {
  filesystem: () => new FilesystemLogger(filesystemOptionsFromFlags()),
  stdout: () => new StdoutLogger(),
  syslog: () => new SyslogLogger(syslogOptionsFromFlags()),
};

/**
 * A built-in logger configured from the flags, or null when `name` is not built in (it may be
 * an extension's logger). Throws on invalid flag values (e.g. --logger_mode).
 */
export function createLocalLogger(name: string): LoggerPlugin | null {
  const make = Object.hasOwn(LOCAL_LOGGERS, name) ? LOCAL_LOGGERS[name] : undefined;
  return make ? make() : null;
}
