// The npm packages for extension authors, as an outsider gets them: the real `npm pack`
// tarballs, real `npm publish --dry-run`, a real `npm install` into an empty project outside
// the clone, real `tsc`, and sdk/README.md's own test file run with `node --test` against this
// clone's osqi (the installed package's osqi is tested in deb-install.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type AuthorProject, makeAuthorProject, type NpmTarballs, packNpmTarballs, ROOT } from './helpers.ts';

let out: string;
let tarballs: NpmTarballs;
let project: AuthorProject | undefined;

before(() => {
  out = mkdtempSync(join(tmpdir(), 'osq-npm-'));
  tarballs = packNpmTarballs(out);
});

after(() => {
  rmSync(out, { recursive: true, force: true });
  if (project) rmSync(project.dir, { recursive: true, force: true });
});

test('npm run package writes osq-sdk-<version>.tgz and osq-idl-<version>.tgz that publish cleanly', () => {
  for (const tarball of [tarballs.sdk, tarballs.idl]) {
    assert.ok(existsSync(tarball), `${tarball} written`);
    const r = spawnSync('npm', ['publish', '--dry-run', tarball], { cwd: out, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // The only warning a dry run may give here is that nobody is logged in.
    const warnings = r.stderr.split('\n').filter((l) => /^npm (warn|error)/i.test(l) && !/logged in/.test(l));
    assert.deepEqual(warnings, [], `npm publish --dry-run ${tarball}`);
  }
});

test('both tarballs install into an empty project in one npm install, with types, and nothing the table does not need', () => {
  project = makeAuthorProject(tarballs); // runs tsc: the types came with the package
  const lock = JSON.parse(readFileSync(join(project.dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>;
  };
  assert.match(lock.packages['node_modules/@osq/idl']?.resolved ?? '', /^file:.*osq-idl-.*\.tgz$/);
  assert.match(lock.packages['node_modules/@osq/sdk']?.resolved ?? '', /^file:.*osq-sdk-.*\.tgz$/);
  for (const absent of ['better-sqlite3', 'thrift', 'node-int64']) {
    assert.ok(!existsSync(join(project.dir, 'node_modules', absent)), `${absent} not installed`);
  }
  assert.ok(!JSON.stringify(lock).includes(ROOT), 'the project names no path into the clone');
  assert.ok(existsSync(join(project.dir, 'node_modules/@osq/sdk/dist/index.d.ts')));
  assert.ok(existsSync(project.entry), 'tsc wrote dist/main.js');
});

test('the BufferedForwarder says to install better-sqlite3 when it is missing', () => {
  assert.ok(project, 'project built');
  const code =
    "import('@osq/sdk').then((m) => { try { new m.BufferedForwarder({ path: process.argv[1], period: 1, maxLines: 1, send: async () => {} }); } catch (e) { console.log(e.message); } })";
  const r = spawnSync(process.execPath, ['-e', code, join(project.dir, 'buf.db')], {
    cwd: project.dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /needs the better-sqlite3 package \(npm install better-sqlite3\)/);
});

test("the README's test file passes with node --test against osqi", () => {
  assert.ok(project, 'project built');
  // `osqi` on PATH is this clone's launcher, as `npm install -g` or the package would provide.
  const bin = mkdtempSync(join(tmpdir(), 'osq-bin-'));
  try {
    symlinkSync(join(ROOT, 'core/bin/osqi.mjs'), join(bin, 'osqi'));
    const r = spawnSync(process.execPath, ['--test', 'test/'], {
      cwd: project.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_TEST_CONTEXT: undefined,
        PATH: `${bin}:${process.env.PATH}`,
        HOME: project.dir,
      },
    });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /# pass 1/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
