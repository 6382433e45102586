// apt_sources: the `deb` entries of /etc/apt/sources.list, sources.list.d/*.list
// (one-line style) and sources.list.d/*.sources (deb822 style, as osquery 5.x
// reads them), joined with the Release file apt downloaded for each into
// /var/lib/apt/lists. Like osquery, an entry without a downloaded Release file
// gives no row, and deb-src entries are skipped.

import { readText } from '../../lib/fs.js';
import { osquerySplit, WHITESPACE } from '../../lib/split.js';
import { glob } from '../files/util.js';
import { defineTable, integer, type Row, text } from '../framework.js';

const APT_SOURCES_LIST = '/etc/apt/sources.list';
const APT_SOURCES_DIR = '/etc/apt/sources.list.d';
const APT_LISTS_DIR = '/var/lib/apt/lists';

export interface AptSource {
  /** "<uri without scheme> <suite>" */
  name: string;
  baseUri: string;
  /** The pieces of the list file name apt stores the Release file under. */
  cacheParts: string[];
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash === -1 ? line : line.slice(0, hash);
}

function trimSlashes(uri: string): string {
  return uri.replace(/\/+$/, '');
}

/** name / cache parts for one URI and suite (a suite with a '/' is an exact path). */
function makeSource(baseUri: string, suite: string): AptSource {
  const host = baseUri.slice(baseUri.indexOf('://') + 3);
  const suiteParts = osquerySplit(suite, '/');
  const cacheParts = suiteParts.length === 1 ? [host, 'dists', suite] : [host, ...suiteParts];
  return { name: `${host} ${suite}`, baseUri, cacheParts };
}

/** One line of a sources.list file: `deb [options] uri suite [components]`. */
export function parseSourceLine(input: string): AptSource | null {
  let line = stripComment(input);
  const deb = line.indexOf('deb ');
  if (deb === -1) return null;
  line = line.slice(deb + 4);
  const tokens = osquerySplit(line, ' ');
  if (tokens.length < 2) return null;
  let offset = 0;
  if (tokens[0]?.startsWith('[')) {
    // Skip the options up to the token holding the closing bracket.
    const close = tokens.findIndex((t) => t.includes(']'));
    offset = close === -1 ? 1 : close + 1;
  }
  const uri = tokens[offset];
  if (uri === undefined || !uri.includes('://')) return null;
  const baseUri = trimSlashes(uri);
  const suite = tokens[offset + 1];
  if (suite === undefined) return null;
  if (baseUri.length < baseUri.indexOf('://') + 3) return null;
  return makeSource(baseUri, suite);
}

/** One paragraph of a deb822 .sources file; [] when disabled or not of type deb. */
export function parseDeb822Block(block: string): AptSource[] {
  const uris: string[] = [];
  const suites: string[] = [];
  for (const raw of osquerySplit(block, '\n')) {
    const line = stripComment(raw);
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (value === '') continue;
    if (key === 'types' && !osquerySplit(value, WHITESPACE).includes('deb')) return [];
    if (key === 'enabled' && value !== 'on') return [];
    if (key === 'uris') {
      for (const uri of osquerySplit(value, WHITESPACE)) if (uri.includes('://')) uris.push(trimSlashes(uri));
    }
    if (key === 'suites') suites.push(...osquerySplit(value, WHITESPACE));
  }
  const out: AptSource[] = [];
  for (const uri of uris) for (const suite of suites) out.push(makeSource(uri, suite));
  return out;
}

/** Every entry of a .sources file; paragraphs are separated by an empty line. */
export function parseDeb822File(content: string): AptSource[] {
  return content
    .split('\n\n')
    .filter((b) => b !== '')
    .flatMap(parseDeb822Block);
}

/** Every entry of a one-line-style file. */
export function parseSourcesList(content: string): AptSource[] {
  return osquerySplit(content, '\n')
    .map(parseSourceLine)
    .filter((s): s is AptSource => s !== null);
}

/** The Release fields osquery reports; only `Key: value` lines with a single colon count. */
export function parseRelease(content: string): Row {
  const r: Row = {};
  for (const header of osquerySplit(content, '\n')) {
    if (header === '-----BEGIN PGP SIGNATURE-----') break;
    const fields = osquerySplit(header, ':');
    if (fields.length !== 2) continue;
    const [key, value] = fields as [string, string];
    if (key === 'Codename') r.release = value;
    else if (key === 'Version') r.version = value;
    else if (key === 'Origin') r.maintainer = value;
    else if (key === 'Components') r.components = value;
    else if (key === 'Architectures') r.architectures = value;
  }
  return r;
}

/** The row for an entry, or null when apt has no Release file for it. */
function sourceRow(file: string, source: AptSource): Row | null {
  const cacheName = source.cacheParts.join('_').replaceAll('/', '_');
  const releases = glob(`${APT_LISTS_DIR}/${cacheName}_*Release`).filter((p) => !p.endsWith('/'));
  const first = releases[0];
  if (first === undefined) return null;
  const content = readText(first);
  if (content === null) return null;
  return {
    name: source.name,
    source: file,
    base_uri: source.baseUri,
    ...parseRelease(content),
    pid_with_namespace: 0,
  };
}

export const aptSources = defineTable({
  name: 'apt_sources',
  columns: {
    name: text(),
    source: text(),
    base_uri: text(),
    release: text(),
    version: text({ collate: 'version_dpkg' }),
    maintainer: text(),
    components: text(),
    architectures: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate() {
    const rows: Row[] = [];
    const add = (file: string, sources: AptSource[]): void => {
      for (const s of sources) {
        const row = sourceRow(file, s);
        if (row) rows.push(row);
      }
    };
    const lists = [APT_SOURCES_LIST, ...glob(`${APT_SOURCES_DIR}/*.list`)].filter((p) => !p.endsWith('/'));
    for (const file of lists) {
      const content = readText(file);
      if (content !== null) add(file, parseSourcesList(content));
    }
    for (const file of glob(`${APT_SOURCES_DIR}/*.sources`).filter((p) => !p.endsWith('/'))) {
      const content = readText(file);
      if (content !== null) add(file, parseDeb822File(content));
    }
    return rows;
  },
});
