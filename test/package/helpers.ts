// Shared by the package tests: building the artifacts with `npm run package`'s script, and a
// third-party author's project made from sdk/README.md's own files, outside the clone.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `node scripts/package.mjs <args> --out <dir>`; throws with its output on failure. */
export function runPackageScript(outDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), ...args, '--out', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`scripts/package.mjs ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export interface NpmTarballs {
  sdk: string;
  idl: string;
}

export function packNpmTarballs(outDir: string): NpmTarballs {
  runPackageScript(outDir, ['--npm']);
  const sdkVersion = (JSON.parse(readFileSync(join(ROOT, 'sdk/package.json'), 'utf8')) as { version: string })
    .version;
  const idlVersion = (JSON.parse(readFileSync(join(ROOT, 'idl/package.json'), 'utf8')) as { version: string })
    .version;
  return { sdk: join(outDir, `osq-sdk-${sdkVersion}.tgz`), idl: join(outDir, `osq-idl-${idlVersion}.tgz`) };
}

export const debName = `osq_${VERSION}_amd64.deb`;

/** The files sdk/README.md shows in fenced blocks tagged `file=<path>`. */
export function readmeFiles(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'sdk/README.md'), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm))
    out.set(m[1] as string, m[2] as string);
  return out;
}

/** The version of a dev tool this repository's lockfile pins (so npm finds it in its cache). */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`${name} is not in package-lock.json`);
  return v;
}

export interface AuthorProject {
  dir: string;
  /** The compiled extension, dist/main.js. */
  entry: string;
  /** The .ext launcher osqd's autoload starts. */
  ext: string;
}

function npm(dir: string, args: string[]): string {
  return execFileSync('npm', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * sdk/README.md's path as a third-party author walks it, in a new directory under the system
 * temp dir (outside this clone): npm init, both tarballs in one `npm install` (so @osq/idl
 * cannot come from the registry), TypeScript and @types/node, the README's files, `tsc`.
 */
export function makeAuthorProject(tarballs: NpmTarballs): AuthorProject {
  const dir = mkdtempSync(join(tmpdir(), 'osq-author-'));
  npm(dir, ['init', '-y']);
  npm(dir, ['pkg', 'set', 'type=module']);
  npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.sdk, tarballs.idl]);
  npm(dir, [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--save-dev',
    `typescript@${lockedVersion('typescript')}`,
    `@types/node@${lockedVersion('@types/node')}`,
  ]);
  for (const [path, text] of readmeFiles()) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  chmodSync(join(dir, 'greetings.ext'), 0o755);
  execFileSync(join(dir, 'node_modules/.bin/tsc'), [], { cwd: dir, stdio: 'inherit' });
  return { dir, entry: join(dir, 'dist/main.js'), ext: join(dir, 'greetings.ext') };
}
