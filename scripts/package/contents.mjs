// What osq's packages carry, derived from the tree that `npm ci` and `npm run build` left,
// never from a hand-kept list:
//   - each workspace's files as `npm pack` would publish them: its package.json `files`
//     (dist/, bin/, and for core the native .node files npm ci built);
//   - the production packages of package-lock.json (not `dev`), as npm installed them,
//     and the node_modules links to the workspaces.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `npm ...` in `root`, its stdout parsed as JSON. */
function npmJson(root, args) {
  const r = spawnSync('npm', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function readLock(root) {
  return JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
}

/**
 * The workspaces: `{ name, dir, files }`, `dir` relative to the root, `files` what `npm pack`
 * takes from it. A workspace without a `files` field would ship its sources: refused.
 */
export function workspaces(root) {
  const lock = readLock(root);
  const dirs = new Map();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.link && key.startsWith('node_modules/'))
      dirs.set(key.slice('node_modules/'.length), entry.resolved);
  }
  const packed = npmJson(root, ['pack', '--dry-run', '--json', '--workspaces', '--ignore-scripts']);
  return packed.map((p) => {
    const dir = dirs.get(p.name);
    if (!dir) throw new Error(`package: workspace ${p.name} is not in package-lock.json`);
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    if (!Array.isArray(manifest.files)) {
      throw new Error(`package: ${dir}/package.json has no "files": say what the workspace ships`);
    }
    return { name: p.name, dir, manifest, files: p.files.map((f) => f.path).sort() };
  });
}

/** node_modules links to the workspaces: `{ path, target }`, both relative to the root. */
export function workspaceLinks(root) {
  return Object.entries(readLock(root).packages)
    .filter(([key, e]) => e.link && key.includes('node_modules/'))
    .map(([key, e]) => ({ path: key, target: e.resolved }));
}

// Files a package compiled with node-gyp needs only to be built: its C/C++ sources and
// headers, and everything under build/ except the addon itself (build/Release/*.node).
const NATIVE_SOURCE = /\.(c|cc|cpp|cxx|h|hh|hpp|gyp|gypi)$/;

function isBuildLeftover(rel, native) {
  if (!native) return false;
  if (rel.startsWith('build/')) return !/^build\/Release\/[^/]+\.node$/.test(rel);
  return NATIVE_SOURCE.test(rel);
}

function walk(dir, rel, out) {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    // A nested node_modules holds packages of their own (separate lockfile entries).
    if (name === 'node_modules') continue;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) walk(dir, r, out);
    else out.push(r);
  }
  return out;
}

/**
 * The production packages npm installed: `{ path, name, version, license, files }`, `path`
 * relative to the root (e.g. `node_modules/pino`), `files` relative to `path`. A package the
 * lockfile needs that is not installed is an error (run `npm ci`); a missing optional one
 * (another platform's binary) is skipped.
 */
export function productionModules(root) {
  const out = [];
  for (const [path, entry] of Object.entries(readLock(root).packages)) {
    if (!path.includes('node_modules/') || entry.link || entry.dev) continue;
    const dir = join(root, path);
    if (!existsSync(join(dir, 'package.json'))) {
      if (entry.optional || entry.devOptional) continue;
      throw new Error(`package: ${path} is in package-lock.json but not installed (run npm ci)`);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const native = existsSync(join(dir, 'binding.gyp'));
    const files = walk(dir, '', []).filter((f) => !isBuildLeftover(f, native));
    out.push({ path, name: manifest.name, version: manifest.version, license: manifest.license, files });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
