// Reproducible builds: scripts/check-reproducible.mjs builds the real .deb twice (real
// dpkg-deb, different umasks and temp dirs, one SOURCE_DATE_EPOCH) and compares the archives.
// --fast leaves them uncompressed: the same check of the tree, without two xz runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.ts';

test('two builds of the .deb give the same data archive', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/check-reproducible.mjs'), '--fast'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /give the same data\.tar/);
  assert.match(r.stdout, /^same {2}control\.tar/m);
});
