// system_controls: the kernel parameters under /proc/sys (sysctl), named with
// dots, with their current values and the values the sysctl configuration files
// ask for. Directories are visited before files at each level, in glob order.
// `name = ...` reads just those entries (a name that does not exist still gives
// a row, without a current value, as in osquery); `subsystem = ...` limits the
// walk to one top-level directory.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { expandPattern } from '../files/util.js';
import { defineTable, type Row, text } from '../framework.js';
import { readText } from './util.js';

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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Visible entries of a directory in glob order: sub-directories, then files. */
function children(dir: string): { dirs: string[]; files: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return { dirs: [], files: [] };
  }
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  const dirs: string[] = [];
  const files: string[] = [];
  for (const n of names) (isDirectory(base + n) ? dirs : files).push(base + n);
  return { dirs, files };
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
  const { dirs, files } = children(path);
  for (const d of dirs) walk(d, config, rows);
  for (const f of files) rows.push(controlRow(f, config));
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
    for (const dir of children(SYSCTL_ROOT).dirs) {
      const sub = dir.slice(SYSCTL_ROOT.length);
      if (subsystems.length > 0 && !subsystems.includes(sub)) continue;
      walk(dir, config, rows);
    }
    return rows;
  },
});
