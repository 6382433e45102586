// system_controls: the kernel parameters under /proc/sys (sysctl), named with
// dots, with their current values and the values the sysctl configuration files
// ask for. Directories are visited before files at each level, in glob order.
// `name = ...` reads just those entries (a name that does not exist still gives
// a row, without a current value, as in osquery); `subsystem = ...` limits the
// walk to one top-level directory.

import { globNames, isDirectory, isReadable, joinPath, readText } from '../../lib/fs.js';
import { expandPattern } from '../files/util.js';
import { defineTable, type Row, text } from '../framework.js';

const SYSCTL_ROOT = '/proc/sys/';
const CONFIG_FILES = ['/etc/sysctl.conf'];
// Read in this order; a later file's value for a name wins.
const CONFIG_PATTERNS = [
  '/run/sysctl.d/%.conf',
  '/etc/sysctl.d/%.conf',
  '/usr/local/lib/sysctl.d/%.conf',
  '/usr/lib/sysctl.d/%.conf',
  '/lib/sysctl.d/%.conf',
];

/** `name = value` lines of one configuration file (comments start with # or ;). */
export function parseSysctlConfig(content: string, into: Map<string, string>): void {
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) continue;
    // osquery keeps only lines with exactly one '=' and text on both sides.
    const parts = line
      .split('=')
      .filter((p) => p !== '')
      .map((p) => p.trim());
    if (parts.length === 2) into.set(parts[0] as string, parts[1] as string);
  }
}

function readConfig(): Map<string, string> {
  const config = new Map<string, string>();
  const files = [...CONFIG_FILES, ...CONFIG_PATTERNS.flatMap((p) => expandPattern(p, 'files'))];
  for (const file of files) {
    const content = readText(file);
    if (content !== null) parseSysctlConfig(content, config);
  }
  return config;
}

/** The row of one control file. */
function controlRow(path: string, config: Map<string, string>): Row {
  const name = path.slice(SYSCTL_ROOT.length).replaceAll('/', '.');
  const row: Row = { name, oid: '', subsystem: name.split('.').find((p) => p !== '') ?? '', type: 'string' };
  if (isReadable(path)) row.current_value = (readText(path) ?? '').trim();
  const configured = config.get(name);
  if (configured !== undefined) row.config_value = configured;
  return row;
}

function walk(path: string, config: Map<string, string>, rows: Row[]): void {
  if (!isDirectory(path)) {
    rows.push(controlRow(path, config));
    return;
  }
  // Sub-directories first, then files, each in glob order.
  const found = globNames(path) ?? { folders: [], files: [] };
  for (const d of found.folders) walk(joinPath(path, d), config, rows);
  for (const f of found.files) rows.push(controlRow(joinPath(path, f), config));
}

export const systemControls = defineTable({
  name: 'system_controls',
  columns: {
    name: text({ index: true }),
    oid: text({ additional: true }),
    subsystem: text({ additional: true }),
    current_value: text(),
    config_value: text(),
    type: text(),
    field_name: text({ platforms: ['darwin'] }),
  },
  generate(ctx) {
    const config = readConfig();
    const rows: Row[] = [];
    const names = ctx.equals('name');
    if (names.length > 0) {
      for (const name of names) walk(SYSCTL_ROOT + name.replaceAll('.', '/'), config, rows);
      return rows;
    }
    // Linux has no numeric OIDs: an oid constraint matches nothing.
    if (ctx.equals('oid').length > 0) return rows;
    const subsystems = ctx.equals('subsystem');
    for (const sub of globNames(SYSCTL_ROOT)?.folders ?? []) {
      if (subsystems.length > 0 && !subsystems.includes(sub)) continue;
      walk(SYSCTL_ROOT + sub, config, rows);
    }
    return rows;
  },
});
