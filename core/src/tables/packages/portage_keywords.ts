// portage_keywords: the atoms of /etc/portage/package.keywords with their
// (first) keyword, and whether the same atom is listed in package.mask and
// package.unmask. Only the file forms are read (not package.* directories),
// as osquery does.

import { readText } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import {
  atomLines,
  PORTAGE_KEYWORDS,
  PORTAGE_MASK,
  PORTAGE_UNMASK,
  portageRoot,
  splitPackageVersion,
} from './portage.js';

interface Entry {
  package: string;
  version: string;
  keyword: string;
  mask: number;
  unmask: number;
}

/** Build the rows from the three files' contents (atoms keyed by their exact text). */
export function keywordSummary(keywords: string, masked: string, unmasked: string): Row[] {
  const byAtom = new Map<string, Entry>();
  const entry = (atom: string, keyword: string): Entry => {
    const [pkg, version] = splitPackageVersion(atom);
    return { package: pkg, version, keyword, mask: 0, unmask: 0 };
  };
  for (const tokens of atomLines(keywords)) {
    const atom = tokens[0] as string;
    const keyword = tokens[1] ?? '';
    if (!keyword.startsWith('#') && !byAtom.has(atom)) byAtom.set(atom, entry(atom, keyword));
  }
  for (const [content, flag] of [
    [masked, 'mask'],
    [unmasked, 'unmask'],
  ] as const) {
    for (const tokens of atomLines(content)) {
      const atom = tokens[0] as string;
      let e = byAtom.get(atom);
      if (!e) {
        e = entry(atom, '');
        byAtom.set(atom, e);
      }
      e[flag] = 1;
    }
  }
  return [...byAtom.values()].map((e) => ({ ...e }));
}

export const portageKeywords = defineTable({
  name: 'portage_keywords',
  columns: {
    package: text(),
    version: text({ collate: 'version' }),
    keyword: text(),
    mask: integer(),
    unmask: integer(),
  },
  generate() {
    const root = portageRoot();
    const read = (path: string): string => readText(root + path) ?? '';
    return keywordSummary(read(PORTAGE_KEYWORDS), read(PORTAGE_MASK), read(PORTAGE_UNMASK));
  },
});
