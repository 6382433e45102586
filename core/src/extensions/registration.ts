// The rules osquery's core applies to registerExtension, in osquery's order (spec §5.2):
// duplicate names, the SDK version gate, registry names, item conflicts, route info.

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

/**
 * osquery's versionAtLeast(required, have): true if either is exactly 0.0.0, or if
 * `have` is at least `required` comparing dot-separated parts numerically (as strings
 * when not numeric) over the parts of `have`; running out of parts (an empty `have`
 * included) counts as at least.
 */
export function versionAtLeast(required: string, have: string): boolean {
  if (required === '0.0.0' || have === '0.0.0') return true;
  const parts = (v: string) =>
    v
      .split('.')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  const req = parts(required);
  const got = parts(have);
  for (let i = 0; i < got.length; i++) {
    const a = got[i] ?? '';
    const b = req[i] ?? '0';
    const na = Number(a);
    const nb = Number(b);
    const cmp = Number.isInteger(na) && Number.isInteger(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0;
    if (cmp !== 0) return cmp > 0;
  }
  return true;
}

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
