// The rules osquery's core applies to registerExtension, in osquery's order (spec §5.2):
// duplicate names, the SDK version gate, registry names, item conflicts, route info.

export { versionAtLeast } from '../version.js';

/** Registries that exist in osquery's core; any of these may appear in a broadcast. */
export const KNOWN_REGISTRIES = new Set([
  'config',
  'config_parser',
  'database',
  'distributed',
  'enroll',
  'event_publisher',
  'event_subscriber',
  'logger',
  'numeric_monitoring',
  'osquery_events_stream',
  'sql',
  'table',
]);

/**
 * Plugin names the core owns (besides its tables), which extensions cannot reuse.
 * osquery builds aws_kinesis, aws_firehose and kafka_producer into its core; osq ships
 * them as first-party extensions (extensions/), so those names are free here.
 */
export const BUILTIN_PLUGINS: Record<string, readonly string[]> = {
  config: ['filesystem', 'tls', 'update'],
  logger: ['filesystem', 'tls', 'syslog', 'stdout'],
  distributed: ['tls'],
  enroll: ['tls'],
};

/** The oldest SDK osquery's core accepts. */
export const MIN_SDK_VERSION = '1.7.7';

/** A fresh uuid in 1..65535 not in use, as osquery draws them. */
export function allocateUuid(inUse: (uuid: number) => boolean): number {
  for (let tries = 0; tries < 1_000_000; tries++) {
    const uuid = 1 + Math.floor(Math.random() * 65535);
    if (!inUse(uuid)) return uuid;
  }
  throw new Error('osq: no free extension uuid');
}
