// carbon_black_info (alias cb_info): the Carbon Black (EDR) sensor's settings on
// Linux, from /var/lib/cb: sensor.id (16 characters; the last five are the id in
// hex), sensorsettings.ini ([CB] section, URL-escaped values) and the sizes of the
// queued event files (events*) and binary files (filedata, metadata).
// Without /var/lib/cb there are no rows. OSQ_CARBON_BLACK_ROOT (read at generate
// time) replaces /var/lib/cb, for tests on fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { defineTable, integer, type Row, text } from '../framework.js';

function cbRoot(): string {
  return process.env.OSQ_CARBON_BLACK_ROOT ?? '/var/lib/cb';
}

/** Keys of an INI text as `section.key` -> value (boost's ini parser, simply). */
export function parseIni(textIn: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of textIn.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      section = line.slice(1, -1).trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    const key = line.slice(0, eq).trim();
    out.set(section ? `${section}.${key}` : key, line.slice(eq + 1).trim());
  }
  return out;
}

/** The sensor id from sensor.id's text (osquery reads characters 11..15 as hex). */
export function parseSensorId(content: string): number | undefined {
  if (content.length !== 16) return undefined;
  const id = Number.parseInt(content.slice(11), 16);
  return Number.isNaN(id) ? undefined : id;
}

const INTEGER_SETTINGS: [string, string][] = [
  ['collect_store_files', 'CollectStoreFiles'],
  ['collect_module_loads', 'CollectModuleLoads'],
  ['collect_module_info', 'CollectModuleInfo'],
  ['collect_file_mods', 'CollectFileMods'],
  ['collect_reg_mods', 'CollectRegMods'],
  ['collect_net_conns', 'CollectNetConns'],
  ['collect_cross_processes', 'CollectCrossProcess'],
  ['collect_emet_events', 'CollectEmetEvents'],
];

/** The settings columns from sensorsettings.ini (-1 for a missing number). */
export function settingsColumns(ini: Map<string, string>): Row {
  const row: Row = { config_name: (ini.get('CB.ConfigName') ?? '').replaceAll('%20', ' ') };
  for (const [column, key] of INTEGER_SETTINGS) {
    const n = Number.parseInt(ini.get(`CB.${key}`) ?? '-1', 10);
    row[column] = Number.isNaN(n) ? -1 : n;
  }
  row.sensor_backend_server = (ini.get('CB.SensorBackendServer') ?? '').replaceAll('%3A', ':');
  // osquery reports these as fixed values on Linux and macOS.
  Object.assign(row, {
    collect_data_file_writes: 0,
    collect_processes: 0,
    collect_sensor_operations: 0,
    log_file_disk_quota_mb: 0,
    log_file_disk_quota_percentage: 0,
    protection_disabled: 0,
    collect_process_user_context: 0,
    sensor_ip_addr: '',
  });
  return row;
}

/** Byte totals of the binary queue (filedata, metadata) and event queue (events*) under dir. */
function queueSizes(dir: string): { binary: number; events: number } {
  const sizes = { binary: 0, events: 0 };
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = `${d}/${e.name}`;
      if (e.isDirectory()) {
        walk(full);
        continue;
      }
      if (!e.isFile()) continue;
      const stem = e.name.includes('.', 1) ? e.name.slice(0, e.name.lastIndexOf('.')) : e.name;
      if (e.name === 'filedata' || e.name === 'metadata') sizes.binary += statSync(full).size;
      if (stem === 'events') sizes.events += statSync(full).size;
    }
  };
  walk(dir);
  return sizes;
}

function generate(): Row[] {
  const root = cbRoot();
  try {
    if (!statSync(root).isDirectory()) return [];
  } catch {
    return [];
  }
  let row: Row = {};
  try {
    const id = parseSensorId(readFileSync(`${root}/sensor.id`, 'latin1'));
    if (id !== undefined) row.sensor_id = id;
  } catch {
    // no sensor id yet
  }
  try {
    row = { ...row, ...settingsColumns(parseIni(readFileSync(`${root}/sensorsettings.ini`, 'utf8'))) };
  } catch {
    // no settings file
  }
  try {
    const q = queueSizes(root);
    row.binary_queue = q.binary;
    row.event_queue = q.events;
  } catch {
    // unreadable directory
  }
  return [row];
}

export const carbonBlackInfo = defineTable({
  name: 'carbon_black_info',
  aliases: ['cb_info'],
  columns: {
    sensor_id: integer(),
    config_name: text(),
    collect_store_files: integer(),
    collect_module_loads: integer(),
    collect_module_info: integer(),
    collect_file_mods: integer(),
    collect_reg_mods: integer(),
    collect_net_conns: integer(),
    collect_processes: integer(),
    collect_cross_processes: integer(),
    collect_emet_events: integer(),
    collect_data_file_writes: integer(),
    collect_process_user_context: integer(),
    collect_sensor_operations: integer(),
    log_file_disk_quota_mb: integer(),
    log_file_disk_quota_percentage: integer(),
    protection_disabled: integer(),
    sensor_ip_addr: text(),
    sensor_backend_server: text(),
    event_queue: integer(),
    binary_queue: integer(),
  },
  generate,
});
