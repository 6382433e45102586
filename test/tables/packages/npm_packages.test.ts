// npm_packages against `npm ls -g --json` for the global packages under
// /usr/lib/node_modules (npm's global prefix here), and a fixture tree with a
// scoped package and a nested node_modules served through `directory =`.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query } from '../../helpers/sql.ts';
import { run } from './helpers.ts';

let root: string;

function writePackage(dir: string, json: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'osq-npm-'));
  writePackage(join(root, 'node_modules/alpha'), {
    name: 'alpha',
    version: '1.0.0',
    description: 'top level',
    author: { name: 'Ann', email: 'ann@example.invalid' },
    license: { type: 'MIT', url: 'https://example.invalid/mit' },
    homepage: 'https://example.invalid/alpha',
  });
  writePackage(join(root, 'node_modules/alpha/node_modules/beta'), {
    name: 'beta',
    version: '2.0.0',
    author: 'Bob',
  });
  writePackage(join(root, 'node_modules/@scope/gamma'), {
    name: '@scope/gamma',
    version: '3.0.0',
    license: 'ISC',
  });
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('npm_packages', () => {
  it('lists the global packages npm ls -g reports, at depth 0', async () => {
    const ls = JSON.parse(run('npm', ['ls', '-g', '--json', '--depth=0'])) as {
      dependencies: Record<string, { version: string }>;
    };
    const expected = Object.entries(ls.dependencies)
      .map(([name, d]) => `${name}@${d.version}`)
      .sort();
    const rows = await query(
      "SELECT name, version FROM npm_packages WHERE directory = '/usr/lib' AND depth = 0",
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(rows.map((r) => `${r.name}@${r.version}`).sort(), expected);
  });

  it('finds scoped and nested packages and honours max_depth', async () => {
    const rows = await query(
      `SELECT name, version, author, license, homepage, depth FROM npm_packages WHERE directory = '${root}' ORDER BY name`,
    );
    assert.deepEqual(rows, [
      { name: '@scope/gamma', version: '3.0.0', author: null, license: 'ISC', homepage: null, depth: 0 },
      {
        name: 'alpha',
        version: '1.0.0',
        author: 'Ann',
        license: 'https://example.invalid/mit',
        homepage: 'https://example.invalid/alpha',
        depth: 0,
      },
      { name: 'beta', version: '2.0.0', author: 'Bob', license: null, homepage: null, depth: 1 },
    ]);
    const shallow = await query(
      `SELECT name FROM npm_packages WHERE directory = '${root}' AND max_depth = 0`,
    );
    assert.deepEqual(shallow.map((r) => r.name).sort(), ['@scope/gamma', 'alpha']);
  });
});
