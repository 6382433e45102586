// yum_sources: the repository sections of /etc/yum.conf and of every *.repo
// file in its `reposdir` (default /etc/yum.repos.d). Files are INI as boost's
// ini_parser reads them: a file with a syntax error (a line without '=', a
// duplicate section or key) is skipped whole, as osquery does.
// OSQ_YUM_ROOT (read at query time) prefixes every path, for tests on fixtures.

import { readText } from '../../lib/fs.js';
import { glob } from '../files/util.js';
import { defineTable, integer, type Row, text } from '../framework.js';

const YUM_CONF = '/etc/yum.conf';
const YUM_REPOS_DIR = '/etc/yum.repos.d';
const REPO_KEYS = ['name', 'baseurl', 'enabled', 'gpgcheck', 'gpgkey', 'mirrorlist', 'metalink'];

export interface IniEntry {
  name: string;
  /** Set for a section; a top-level `key=value` has none. */
  keys: Map<string, string> | null;
}

/** Parse INI text like boost::property_tree::read_ini; null on a syntax error. */
export function parseIni(content: string): IniEntry[] | null {
  const out: IniEntry[] = [];
  let section: Map<string, string> | null = null;
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const end = line.indexOf(']');
      if (end === -1) return null;
      const name = line.slice(1, end).trim();
      if (out.some((e) => e.name === name)) return null;
      section = new Map();
      out.push({ name, keys: section });
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1) return null;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (section === null) {
      if (out.some((e) => e.name === key)) return null;
      out.push({ name: key, keys: null });
    } else {
      if (section.has(key)) return null;
      section.set(key, value);
    }
  }
  return out;
}

/** The rows of one yum config file: every section but [main]. */
export function repoRows(source: string, entries: readonly IniEntry[]): Row[] {
  const rows: Row[] = [];
  for (const entry of entries) {
    if (entry.name === 'main') continue;
    const r: Row = { source };
    for (const key of REPO_KEYS) {
      const v = entry.keys?.get(key);
      if (v !== undefined) r[key] = v;
    }
    r.pid_with_namespace = 0;
    rows.push(r);
  }
  return rows;
}

export const yumSources = defineTable({
  name: 'yum_sources',
  columns: {
    name: text(),
    source: text(),
    baseurl: text(),
    mirrorlist: text(),
    metalink: text(),
    enabled: text(),
    gpgcheck: text(),
    gpgkey: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate() {
    const root = process.env.OSQ_YUM_ROOT ?? '';
    const rows: Row[] = [];
    let reposDir = YUM_REPOS_DIR;
    const conf = readText(root + YUM_CONF);
    const confEntries = conf === null ? null : parseIni(conf);
    if (confEntries) {
      reposDir = confEntries.find((e) => e.name === 'main')?.keys?.get('reposdir') ?? YUM_REPOS_DIR;
      rows.push(...repoRows(YUM_CONF, confEntries));
    }
    for (const file of glob(`${root}${reposDir}/*.repo`)) {
      if (file.endsWith('/')) continue;
      const entries = parseIni(readText(file) ?? '');
      if (entries) rows.push(...repoRows(file.slice(root.length), entries));
    }
    return rows;
  },
});
