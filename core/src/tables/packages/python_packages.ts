// python_packages: every *.dist-info (METADATA) and *.egg-info (PKG-INFO)
// directory found at any depth under the system site directories
// (/usr/lib/python*/dist-packages, /usr/local/lib/python*/site-packages, ...),
// and, for the user running the query (or the `uid =` users), under
// ~/.pyenv/versions/*/lib/python*/site-packages and ~/.local/lib/python*.
// A `directory =` constraint replaces all of these with the given directories.
import { lstatSync } from 'node:fs';
import { globNames, joinPath, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { contextUsers } from '../accounts/util.js';
import { expandPattern } from '../files/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { walkDirectories } from './walk.js';

/** osquery's system site patterns (a sorted set there, so visited in this order). */
const SYSTEM_SITES = [
  '/Library/Python/%/site-packages',
  '/opt/homebrew/lib/python%/dist-packages',
  '/opt/homebrew/lib/python%/site-packages',
  '/usr/lib/python%/dist-packages',
  '/usr/lib/python%/site-packages',
  '/usr/local/lib/python%/dist-packages',
  '/usr/local/lib/python%/site-packages',
  '/usr/local/lib64/python%/site-packages',
];
const USER_DIRS = ['.local/lib/python%', '.pyenv/versions'];

/** The fields osquery takes from a METADATA / PKG-INFO file (lines with exactly one colon). */
export function parsePythonMetadata(content: string): Row {
  const r: Row = {};
  for (const line of osquerySplit(content, '\n')) {
    const fields = osquerySplit(line, ':');
    if (fields.length !== 2) continue;
    const [key, value] = fields as [string, string];
    if (key === 'Name') r.name = value;
    else if (key === 'Version') r.version = value;
    else if (key === 'Summary') r.summary = value;
    else if (key === 'Author') r.author = value;
    else if (key === 'License') {
      r.license = value;
      break;
    }
  }
  return r;
}

/** Rows for every metadata directory below `site`. */
function siteRows(site: string, uid: number): Row[] {
  const rows: Row[] = [];
  for (const dir of walkDirectories(site)) {
    let file: string;
    if (dir.endsWith('.dist-info')) file = `${dir}/METADATA`;
    else if (dir.endsWith('.egg-info')) file = `${dir}/PKG-INFO`;
    else continue;
    const content = readText(file);
    rows.push({
      ...(content === null ? {} : parsePythonMetadata(content)),
      directory: site,
      path: dir,
      pid_with_namespace: 0,
      uid,
    });
  }
  return rows;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** <dir>/<version>/lib/python*\/site-packages for every non-symlink version directory. */
function versionSites(dir: string): string[] {
  const out: string[] = [];
  for (const name of globNames(dir)?.folders ?? []) {
    const version = joinPath(dir, name);
    if (isSymlink(version)) continue;
    out.push(...expandPattern(`${version}/lib/python%/site-packages`, 'all'));
  }
  return out;
}

/** The site directories of one user's home. */
function userSites(home: string): string[] {
  const out: string[] = [];
  for (const suffix of USER_DIRS) {
    const dir = `${home}/${suffix}/`;
    const versions = versionSites(dir);
    out.push(...(versions.length > 0 ? versions : expandPattern(dir, 'all')));
  }
  return out;
}

export const pythonPackages = defineTable({
  name: 'python_packages',
  attributes: { user_data: true },
  columns: {
    name: text(),
    uid: bigint({ index: true }),
    version: text({ collate: 'version' }),
    summary: text(),
    author: text(),
    license: text(),
    path: text(),
    directory: text({ index: true, optimized: true }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const directories = ctx.equals('directory');
    if (directories.length > 0) {
      return [...new Set(directories)].sort().flatMap((d) => siteRows(d, 0));
    }
    const sites = new Set<string>();
    for (const pattern of SYSTEM_SITES) for (const s of expandPattern(pattern, 'all')) sites.add(s);
    const rows = [...sites].sort().flatMap((s) => siteRows(s, 0));
    for (const user of contextUsers(ctx)) {
      for (const site of userSites(user.dir)) rows.push(...siteRows(site, user.uid));
    }
    return rows;
  },
});
