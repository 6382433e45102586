// Gentoo's portage: installed packages under /var/db/pkg/<category>/<pkg-ver>/
// and the atoms of /etc/portage/package.{keywords,mask,unmask}. Shared by the
// portage_packages, portage_use and portage_keywords tables.
// OSQ_PORTAGE_ROOT (read at query time) prefixes every path, for tests on fixtures.

import { globNames, joinPath, readText } from '../../lib/fs.js';
import { osquerySplit, WHITESPACE } from '../../lib/split.js';

export const PORTAGE_PKG_DIR = '/var/db/pkg';
export const PORTAGE_WORLD = '/var/lib/portage/world';
export const PORTAGE_KEYWORDS = '/etc/portage/package.keywords';
export const PORTAGE_MASK = '/etc/portage/package.mask';
export const PORTAGE_UNMASK = '/etc/portage/package.unmask';

export function portageRoot(): string {
  return process.env.OSQ_PORTAGE_ROOT ?? '';
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Split an atom like `>=cat/name-1.2-r1` into its name (`cat/name`) and version
 * (`>=1.2-r1`): comparison operators lead the version (a lone `=` is dropped),
 * and the version starts after the last or second-to-last '-' followed by a digit.
 */
export function splitPackageVersion(atom: string): [string, string] {
  let pkg = atom.endsWith('/') ? atom.slice(0, -1) : atom;
  let version = '';
  while (pkg.startsWith('>') || pkg.startsWith('<') || pkg.startsWith('=')) {
    if (!(version === '' && pkg.startsWith('='))) version += pkg[0];
    pkg = pkg.slice(1);
  }
  const divider = pkg.indexOf('/');
  const fits = (pos: number): boolean =>
    pos !== -1 && divider !== -1 && pos > divider && pos < pkg.length - 1 && isDigit(pkg[pos + 1]);
  let pos = pkg.lastIndexOf('-');
  if (!fits(pos)) pos = pos > 0 ? pkg.lastIndexOf('-', pos - 1) : -1;
  if (fits(pos)) {
    version += pkg.slice(pos + 1);
    pkg = pkg.slice(0, pos);
  }
  return [pkg, version];
}

/** `<category>/<name-version>` of every installed package directory, in glob order. */
export function installedPackageDirs(): string[] {
  const base = portageRoot() + PORTAGE_PKG_DIR;
  const out: string[] = [];
  for (const category of globNames(base)?.folders ?? []) {
    for (const pkg of globNames(joinPath(base, category))?.folders ?? []) out.push(`${category}/${pkg}`);
  }
  return out;
}

/** A file of an installed package, trimmed; null when absent. */
export function packageFile(dir: string, name: string): string | null {
  const text = readText(`${portageRoot()}${PORTAGE_PKG_DIR}/${dir}/${name}`);
  return text === null ? null : text.trim();
}

/** The non-comment lines of a package.* file as whitespace-split tokens. */
export function atomLines(content: string): string[][] {
  return osquerySplit(content, '\n')
    .map((line) => osquerySplit(line, WHITESPACE))
    .filter((tokens) => tokens.length > 0 && !(tokens[0] as string).startsWith('#'));
}
