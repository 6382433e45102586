// scripts/sdk-table-docs.mjs on the example extension: its route info must be what the
// running extension answers to `columns`, and its schema JSON must describe the tables
// the core actually created from the registration.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExtensionClient } from '../../sdk/src/index.ts';
import { type Core, exampleLauncher, repoRoot, type Spawned, spawnExtension, startCore } from './harness.ts';

describe('sdk-table-docs', () => {
  let out: string;
  let core: Core;
  let ext: Spawned;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'osq-docs-'));
    execFileSync(
      process.execPath,
      [
        join(repoRoot, 'scripts/sdk-table-docs.mjs'),
        join(repoRoot, 'extensions/example-table/src/tables.ts'),
        '--tsconfig',
        join(repoRoot, 'test/sdk/fixtures/tsconfig.dev.json'),
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    core = await startCore();
    ext = spawnExtension(exampleLauncher(), core.socket);
    await core.waitFor('example_table');
  });

  after(async () => {
    ext?.kill('SIGKILL');
    await core?.close();
    rmSync(out, { recursive: true, force: true });
  });

  const read = (name: string) => JSON.parse(readFileSync(join(out, name), 'utf8'));

  it('routes.json is the route info the running extension answers', async () => {
    const routes = read('routes.json');
    assert.deepEqual(Object.keys(routes.table), ['example_env', 'example_files', 'example_self']);
    const client = new ExtensionClient(core.socket);
    try {
      for (const [name, info] of Object.entries(routes.table)) {
        const res = await client.call('table', name, { action: 'columns' });
        assert.equal(res.status.code, 0);
        assert.deepEqual(res.response, info, name);
      }
    } finally {
      client.close();
    }
  });

  it('schema.json describes the tables the core created, in osquery schema format', async () => {
    const schema = read('schema.json');
    assert.deepEqual(
      schema.map((t: { name: string }) => t.name),
      ['example_env', 'example_files', 'example_self'],
    );
    for (const t of schema) {
      assert.deepEqual(Object.keys(t), [
        'name',
        'description',
        'url',
        'platforms',
        'evented',
        'cacheable',
        'notes',
        'examples',
        'columns',
      ]);
      const info = await core.query(`SELECT name, type FROM pragma_table_info('${t.name}')`);
      assert.deepEqual(
        t.columns.map((c: { name: string; type: string }) => ({ name: c.name, type: c.type.toUpperCase() })),
        info,
      );
      for (const c of t.columns) {
        assert.deepEqual(Object.keys(c), [
          'name',
          'description',
          'type',
          'notes',
          'hidden',
          'required',
          'index',
        ]);
      }
    }
    const files = schema.find((t: { name: string }) => t.name === 'example_files');
    assert.equal(files.columns[0].required, true);
  });

  it('tables.md has a section and a column table per table', () => {
    const md = readFileSync(join(out, 'tables.md'), 'utf8');
    for (const name of ['example_env', 'example_files', 'example_self'])
      assert.match(md, new RegExp(`^## ${name}$`, 'm'));
    assert.match(md, /^\| `directory` \| TEXT \| The directory to list \(required\) \|$/m);
    assert.match(md, /```sql\nSELECT value FROM example_env WHERE name = 'PATH';\n```/);
  });
});
