// The dpkg database as libdpkg presents it to osquery: the `status` file of an
// admin directory with the journal in `updates/` applied on top, one entry per
// installed package instance (name + architecture).
import { readdirSync } from 'node:fs';
import { compareBytes } from '../../lib/bytes.js';
import { joinPath, readText } from '../../lib/fs.js';
import { type Paragraph, parseControlFile } from './util.js';

/** dpkg's default administrative directory. */
export const DPKG_ADMINDIR = '/var/lib/dpkg';

export interface DebPackage {
  name: string;
  /** The version as dpkg describes it unambiguously: [epoch:]upstream[-revision]. */
  version: string;
  revision: string;
  arch: string;
  /** "want eflag status", e.g. "install ok installed". */
  status: string;
  priority: string;
  section: string;
  size: string;
  source: string;
  maintainer: string;
}

const PRIORITIES = ['required', 'important', 'standard', 'optional', 'extra'];

/** Split a Debian version the way dpkg's parseversion() does. */
export function splitDebVersion(raw: string): { epoch: number; upstream: string; revision: string } {
  let rest = raw.trim();
  let epoch = 0;
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    epoch = Number.parseInt(rest.slice(0, colon), 10) || 0;
    rest = rest.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  if (hyphen === -1) return { epoch, upstream: rest, revision: '' };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}

/** versiondescribe(..., vdew_nonambig): the epoch only when it is not 0. */
export function describeDebVersion(v: { epoch: number; upstream: string; revision: string }): string {
  if (v.epoch === 0 && v.upstream === '' && v.revision === '') return '<none>';
  let out = v.epoch !== 0 ? `${v.epoch}:${v.upstream}` : v.upstream;
  if (v.revision !== '') out += `-${v.revision}`;
  return out;
}

/** dpkg's priority name: the known names in lower case, anything else verbatim, 'unknown' when absent. */
function priorityName(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'unknown';
  const lower = raw.toLowerCase();
  return PRIORITIES.includes(lower) ? lower : raw;
}

/** One status-file paragraph as a package, or null when it names no package. */
export function packageFromParagraph(p: Paragraph): DebPackage | null {
  const name = p.get('package');
  if (name === undefined || name === '') return null;
  const version = splitDebVersion(p.get('version') ?? '');
  const status = (p.get('status') ?? '').split(/\s+/).filter(Boolean);
  return {
    name,
    version: describeDebVersion(version),
    revision: version.revision,
    arch: p.get('architecture') ?? '',
    status: status.join(' '),
    priority: priorityName(p.get('priority')),
    section: p.get('section') ?? '',
    size: p.get('installed-size') ?? '',
    source: p.get('source') ?? '',
    maintainer: p.get('maintainer') ?? '',
  };
}

/** The third word of the Status field; 'not-installed' when there is none. */
export function statusWord(pkg: DebPackage): string {
  return pkg.status.split(' ')[2] ?? 'not-installed';
}

/**
 * Every package of the database text(s) that is not "not-installed", sorted by
 * name then architecture. Later texts (the updates journal) replace earlier entries.
 */
export function parseDpkgDatabase(texts: readonly string[]): DebPackage[] {
  const byKey = new Map<string, DebPackage>();
  for (const text of texts) {
    for (const paragraph of parseControlFile(text)) {
      const pkg = packageFromParagraph(paragraph);
      if (pkg) byKey.set(`${pkg.name}\0${pkg.arch}`, pkg);
    }
  }
  return [...byKey.values()]
    .filter((p) => statusWord(p) !== 'not-installed')
    .sort((a, b) => compareBytes(a.name, b.name) || compareBytes(a.arch, b.arch));
}

/** The journal files of `updates/`: all-digit names, applied in order. */
function updateFiles(admindir: string): string[] {
  try {
    return readdirSync(joinPath(admindir, 'updates'))
      .filter((n) => /^[0-9]+$/.test(n))
      .sort()
      .map((n) => joinPath(joinPath(admindir, 'updates'), n));
  } catch {
    return [];
  }
}

/** The installed packages of an admin directory; null when it holds no readable status file. */
export function readDpkgDatabase(admindir: string): DebPackage[] | null {
  const status = readText(joinPath(admindir, 'status'));
  if (status === null) return null;
  const texts = [status];
  for (const file of updateFiles(admindir)) texts.push(readText(file) ?? '');
  return parseDpkgDatabase(texts);
}

/** The admin directories a query asks for (`admindir =` values), else dpkg's default. */
export function admindirsFor(equals: readonly string[]): string[] {
  return equals.length > 0 ? [...new Set(equals)] : [DPKG_ADMINDIR];
}
