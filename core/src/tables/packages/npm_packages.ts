// npm_packages: node_modules/<pkg>/package.json and node_modules/@scope/<pkg>/
// package.json under the global prefixes osquery knows (/usr/local/lib,
// /usr/lib, /opt/homebrew/lib, /home/*/.npm-global/lib,
// /home/*/.nvm/versions/node/*/lib), descending into nested node_modules up to
// `max_depth` levels (default 100, -1 for no limit). A `directory =`
// constraint replaces the search roots.
import { lstatSync } from 'node:fs';
import { isDirectory, joinPath, readText } from '../../lib/fs.js';
import { isObject, tryParseJson } from '../../lib/json.js';
import { expandPattern } from '../files/util.js';
import { defineTable, integer, type Row, text } from '../framework.js';

const NODE_ROOTS = [
  '/usr/local/lib',
  '/opt/homebrew/lib',
  '/usr/lib',
  '/home/%/.npm-global/lib',
  '/home/%/.nvm/versions/node/%/lib',
  '/Users/%/.npm-global/lib',
  '/Users/%/.nvm/versions/node/%/lib',
];
const DEFAULT_MAX_DEPTH = 100;

/** The columns osquery takes from a package.json document. */
export function parsePackageJson(content: string): Row {
  const doc = tryParseJson(content);
  if (!isObject(doc)) return {};
  const r: Row = {};
  for (const key of ['name', 'version', 'description', 'homepage']) {
    if (key in doc) r[key] = typeof doc[key] === 'string' ? doc[key] : '';
  }
  const author = doc.author;
  if (typeof author === 'string') r.author = author;
  else if (isObject(author) && 'name' in author)
    r.author = typeof author.name === 'string' ? author.name : '';
  // license is a string, or (deprecated) an object with a url.
  const license = doc.license;
  if (typeof license === 'string') r.license = license;
  else if (isObject(license) && typeof license.url === 'string') r.license = license.url;
  return r;
}

function lstatIno(path: string): bigint | null {
  try {
    return lstatSync(path, { bigint: true }).ino;
  } catch {
    return null;
  }
}

/** Rows for one search root, walking nested node_modules with a stack like osquery. */
function siteRows(site: string, maxDepth: number): Row[] {
  const rows: Row[] = [];
  const stack: [string, number][] = [[site, 0]];
  const seen = new Set<bigint>();
  while (stack.length > 0) {
    const [dir, depth] = stack.pop() as [string, number];
    if (dir === '') continue;
    const ino = lstatIno(dir);
    if (ino !== null) {
      if (seen.has(ino)) continue;
      seen.add(ino);
    }
    const manifests = [
      ...expandPattern(joinPath(dir, 'node_modules/%/package.json'), 'all'),
      ...expandPattern(joinPath(dir, 'node_modules/@%/%/package.json'), 'all'),
    ];
    for (const path of manifests) {
      const content = readText(path);
      rows.push({
        ...(content === null ? {} : parsePackageJson(content)),
        directory: site,
        path,
        depth,
        max_depth: maxDepth,
        pid_with_namespace: 0,
      });
      const pkgDir = path.slice(0, path.lastIndexOf('/'));
      if ((maxDepth === -1 || depth < maxDepth) && isDirectory(`${pkgDir}/node_modules`)) {
        stack.push([pkgDir, depth + 1]);
      }
    }
  }
  return rows;
}

export const npmPackages = defineTable({
  name: 'npm_packages',
  columns: {
    name: text(),
    version: text({ collate: 'version' }),
    description: text(),
    author: text(),
    license: text(),
    homepage: text(),
    path: text(),
    directory: text({ index: true, optimized: true }),
    depth: integer(),
    max_depth: integer({ hidden: true, additional: true }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const depthValue = ctx.equals('max_depth')[0];
    const parsed = depthValue === undefined ? Number.NaN : Number.parseInt(depthValue, 10);
    const maxDepth = Number.isNaN(parsed) ? DEFAULT_MAX_DEPTH : parsed;
    let roots = [...new Set(ctx.equals('directory'))];
    if (roots.length === 0) {
      const found = new Set<string>();
      for (const pattern of NODE_ROOTS) for (const r of expandPattern(pattern, 'all')) found.add(r);
      roots = [...found];
    }
    return roots.sort().flatMap((r) => siteRows(r, maxDepth));
  },
});
