// python_packages against find(1) and Python's own importlib.metadata (the
// Debian python3 at /usr/bin/python3) for the system dist-packages, and a temp
// user (useradd -m, removed afterwards) with a package in ~/.local written per
// the "Recording installed projects" spec (a <name>-<version>.dist-info/METADATA).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { createTempUser, removeLeftoverTempUsers, type TempUser } from '../accounts/helpers.ts';
import { run } from './helpers.ts';

await holdMachineLockForFile(removeLeftoverTempUsers);

const SITE = '/usr/lib/python3/dist-packages';
let user: TempUser;
let userSite: string;

before(() => {
  user = createTempUser('py');
  userSite = `${user.home}/.local/lib/python3.11/site-packages`;
  const info = `${userSite}/osq_demo-1.2.3.dist-info`;
  mkdirSync(info, { recursive: true });
  writeFileSync(
    `${info}/METADATA`,
    [
      'Metadata-Version: 2.1',
      'Name: osq-demo',
      'Version: 1.2.3',
      'Summary: A fixture package',
      'Home-page: https://example.invalid/osq',
      'Author: Osq Tester',
      'License: MIT',
      '',
      'Long description. License: not this one',
      '',
    ].join('\n'),
  );
});
after(() => user?.remove());

/** name and version of each metadata directory, as Python's importlib.metadata reads them. */
function importlibVersions(paths: string[]): Map<string, [string, string]> {
  const script =
    'import sys, importlib.metadata as m\n' +
    'for p in sys.stdin.read().split("\\n"):\n' +
    '    if p:\n' +
    '        d = m.Distribution.at(p)\n' +
    '        print(p + "\\t" + str(d.metadata["Name"]) + "\\t" + str(d.version))\n';
  const out = new Map<string, [string, string]>();
  const res = execFileSync('/usr/bin/python3', ['-c', script], { input: paths.join('\n'), encoding: 'utf8' });
  for (const line of res.split('\n')) {
    const [p, name, version] = line.split('\t');
    if (p) out.set(p, [name ?? '', version ?? '']);
  }
  return out;
}

describe('python_packages', () => {
  it('finds every *.dist-info / *.egg-info directory find(1) finds under dist-packages', async () => {
    const found = run('find', [
      '-L',
      SITE,
      '-type',
      'd',
      '(',
      '-name',
      '*.dist-info',
      '-o',
      '-name',
      '*.egg-info',
      ')',
    ])
      .split('\n')
      .filter(Boolean)
      .sort();
    const rows = await query(`SELECT path, directory, uid FROM python_packages WHERE directory = '${SITE}/'`);
    assert.ok(rows.length > 5);
    assert.deepEqual(rows.map((r) => r.path).sort(), found);
    for (const r of rows) assert.equal(r.uid, 0);
  });

  it('reads the same names and versions as importlib.metadata', async () => {
    const rows = await query(
      `SELECT path, name, version FROM python_packages WHERE directory = '${SITE}/' AND path LIKE '%.dist-info'`,
    );
    const expected = importlibVersions(rows.map((r) => String(r.path)));
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const e = expected.get(String(r.path));
      assert.ok(e, String(r.path));
      assert.equal(r.version, e[1], String(r.path));
      assert.equal(r.name, e[0], String(r.path));
    }
  });

  it("lists a user's ~/.local packages under that user's uid", async () => {
    const rows = await query(
      `SELECT name, version, summary, author, license, directory, path FROM python_packages WHERE uid = ${user.uid} AND directory LIKE '${user.home}%'`,
    );
    const py = importlibVersions([`${userSite}/osq_demo-1.2.3.dist-info`]);
    assert.deepEqual(rows, [
      {
        name: py.get(`${userSite}/osq_demo-1.2.3.dist-info`)?.[0],
        version: py.get(`${userSite}/osq_demo-1.2.3.dist-info`)?.[1],
        summary: 'A fixture package',
        author: 'Osq Tester',
        license: 'MIT',
        directory: `${user.home}/.local/lib/python3.11/`,
        path: `${userSite}/osq_demo-1.2.3.dist-info`,
      },
    ]);
  });
});
