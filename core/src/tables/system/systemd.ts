// Reading systemd's unit list without linking libsystemd: the manager's
// ListUnits D-Bus call through `busctl --json`, and unit properties through
// `systemctl show`. Both need systemd to be the running init (sd_booted():
// /run/systemd/system exists); otherwise there are no units.
import { spawnSync } from 'node:child_process';
import { pathExists } from '../../lib/fs.js';

/** One entry of org.freedesktop.systemd1.Manager.ListUnits. */
export interface UnitEntry {
  id: string;
  description: string;
  loadState: string;
  activeState: string;
  subState: string;
  following: string;
  objectPath: string;
  jobId: number;
  jobType: string;
  jobPath: string;
}

let warned = false;

/** Say once per process why systemd could not be read although it runs. */
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.error(`osq: ${message}`);
}

export function systemdBooted(): boolean {
  return pathExists('/run/systemd/system');
}

/** Parse `busctl --json=short call ... ListUnits` output. */
export function parseListUnits(json: string): UnitEntry[] {
  const parsed = JSON.parse(json) as { data?: unknown[] };
  const list = (parsed.data?.[0] ?? []) as unknown[][];
  return list.map((u) => ({
    id: String(u[0] ?? ''),
    description: String(u[1] ?? ''),
    loadState: String(u[2] ?? ''),
    activeState: String(u[3] ?? ''),
    subState: String(u[4] ?? ''),
    following: String(u[5] ?? ''),
    objectPath: String(u[6] ?? ''),
    jobId: Number(u[7] ?? 0),
    jobType: String(u[8] ?? ''),
    jobPath: String(u[9] ?? ''),
  }));
}

/** The loaded units, or [] when systemd is not running or cannot be asked. */
export function listUnits(): UnitEntry[] {
  if (!systemdBooted()) return [];
  const r = spawnSync(
    'busctl',
    [
      '--json=short',
      'call',
      'org.freedesktop.systemd1',
      '/org/freedesktop/systemd1',
      'org.freedesktop.systemd1.Manager',
      'ListUnits',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
  );
  if (r.error || r.status !== 0) {
    warnOnce(`cannot list systemd units: ${r.error?.message ?? r.stderr.trim()}`);
    return [];
  }
  try {
    return parseListUnits(r.stdout);
  } catch {
    warnOnce('cannot parse the systemd unit list');
    return [];
  }
}

/** Parse `systemctl show -p A,B unit...` output: blocks of Key=Value separated by blank lines. */
export function parseShow(output: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  const flush = (): void => {
    const id = current.get('Id');
    if (id !== undefined) out.set(id, current);
    current = new Map();
  };
  for (const line of output.split('\n')) {
    if (line === '') {
      flush();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq), line.slice(eq + 1));
  }
  flush();
  return out;
}

/** Properties (by name) of the given units, keyed by unit id. */
export function unitProperties(
  ids: readonly string[],
  props: readonly string[],
): Map<string, Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = spawnSync('systemctl', ['show', '--no-pager', '-p', ['Id', ...props].join(','), '--', ...ids], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  if (r.error || r.status !== 0) {
    warnOnce(`cannot read systemd unit properties: ${r.error?.message ?? r.stderr.trim()}`);
    return new Map();
  }
  return parseShow(r.stdout);
}
