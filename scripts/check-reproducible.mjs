#!/usr/bin/env node
// Builds the .deb twice from this tree, with the same SOURCE_DATE_EPOCH (the last commit's,
// unless set) but different umasks and temporary directories, and checks that the two data
// archives (and control archives) are byte for byte the same. Exit 1 and the differing
// paths when they are not.
//   node scripts/check-reproducible.mjs          as `npm run package` builds (xz)
//   node scripts/check-reproducible.mjs --fast   uncompressed archives: the same check of
//                                                the tree, without two xz runs
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sourceDateEpoch } from './package/deb.mjs';

const { values } = parseArgs({ options: { fast: { type: 'boolean' } } });
const root = new URL('..', import.meta.url).pathname;
const epoch = String(sourceDateEpoch(root));
const work = mkdtempSync(join(tmpdir(), 'osq-repro-'));

function build(name, umask) {
  const out = join(work, name);
  const tmp = join(work, `${name}-tmp`);
  mkdirSync(tmp);
  const args = ['scripts/package.mjs', '--deb', '--out', out, ...(values.fast ? ['--compress', 'none'] : [])];
  const r = spawnSync('sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: epoch, TMPDIR: tmp },
  });
  if (r.status !== 0) throw new Error(`build ${name} failed:\n${r.stdout}${r.stderr}`);
  const deb = readdirSync(out).find((f) => f.endsWith('.deb'));
  return join(out, deb);
}

/** The members of a .deb (an ar archive): name -> sha256 of its bytes. */
function members(deb) {
  const names = spawnSync('ar', ['t', deb], { encoding: 'utf8' }).stdout.trim().split('\n');
  return Object.fromEntries(
    names.map((n) => {
      const bytes = spawnSync('ar', ['p', deb, n], { maxBuffer: 1 << 30 }).stdout;
      return [n, createHash('sha256').update(bytes).digest('hex')];
    }),
  );
}

/** What differs between the two data archives, path by path (for the failure message). */
function contentsDiff(a, b) {
  const list = (deb) =>
    spawnSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const la = new Set(list(a).split('\n'));
  const lb = list(b).split('\n');
  return lb.filter((l) => !la.has(l)).slice(0, 20);
}

try {
  const a = build('first', '022');
  const b = build('second', '077');
  const ma = members(a);
  const mb = members(b);
  const data = Object.keys(ma).find((n) => n.startsWith('data.tar'));
  let same = true;
  for (const n of Object.keys(ma)) {
    const eq = ma[n] === mb[n];
    same &&= eq;
    console.log(`${eq ? 'same' : 'DIFFERENT'}  ${n}  ${ma[n]}`);
  }
  if (!same || !data) {
    console.error('check-reproducible: the two builds differ; entries of the second not in the first:');
    for (const l of contentsDiff(a, b)) console.error(`  ${l}`);
    process.exitCode = 1;
  } else {
    console.log(`check-reproducible: two builds with SOURCE_DATE_EPOCH=${epoch} give the same ${data}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
