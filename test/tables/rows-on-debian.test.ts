// Every table of rows-on-debian.txt returns at least one row here through SQL: a
// smoke test that a table is wired to its real source on a plain Debian 12 host.
// Tables that need a constraint get one below; the test opens a loopback listener
// of its own so listening_ports and process_open_sockets do not depend on what
// else runs on the machine.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setUpRegistries } from '@osq/core/plugins';
import { query } from '../helpers/sql.ts';

const LIST = new URL('./rows-on-debian.txt', import.meta.url);

const tables = readFileSync(LIST, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

const dir = mkdtempSync(join(tmpdir(), 'osq-rows-'));
const rule = join(dir, 'any.yar');

/** WHERE clauses for the tables that cannot be scanned without one. */
const CONSTRAINTS: Record<string, string> = {
  augeas: "path = '/etc/hosts'",
  file: "path = '/etc/hosts'",
  hash: "path = '/etc/hosts'",
  magic: "path = '/etc/hosts'",
  yara_file: `path = '/etc/hosts' AND sigfile = '${rule}'`,
};

describe('tables with rows on Debian', () => {
  let server: Server;
  before(async () => {
    writeFileSync(rule, 'rule any_file { condition: true }\n');
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the list names registered tables, each once, with a constraint where one is required', () => {
    const registry = setUpRegistries().table;
    assert.deepEqual(
      tables.filter((t) => !registry.get(t)),
      [],
    );
    assert.equal(new Set(tables).size, tables.length);
    const unconstrained = tables.filter(
      (t) => registry.get(t)?.columnList.some((c) => c.required) && !CONSTRAINTS[t],
    );
    assert.deepEqual(unconstrained, []);
  });

  for (const table of tables) {
    test(table, async () => {
      const where = CONSTRAINTS[table];
      const rows = await query(`SELECT * FROM ${table}${where ? ` WHERE ${where}` : ''}`);
      assert.ok(rows.length > 0, `${table} returned no rows`);
    });
  }
});
