// Every table osq registers must equal osquery's schema facts (core/schema/osquery-schema.json):
// same columns in the same order with the same types and flags, and the same table aliases.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setUpRegistries } from '@osq/core/plugins';
import { allTables } from '@osq/core/registry/tables';

interface SchemaColumn {
  name: string;
  type: string;
  index: boolean;
  required: boolean;
  hidden: boolean;
  additional: boolean;
  optimized: boolean;
  collate: string | null;
  platforms?: string[];
  aliases?: string[];
}
interface SchemaTable {
  name: string;
  platforms: string[];
  aliases?: string[];
  columns: SchemaColumn[];
}

const schema: SchemaTable[] = JSON.parse(
  readFileSync(new URL('../../core/schema/osquery-schema.json', import.meta.url), 'utf8'),
);
const linux = new Map(schema.filter((t) => t.platforms.includes('linux')).map((t) => [t.name, t]));

/** The first tables the engine issue asks for; each must be registered. */
const FIRST_TABLES = [
  'processes',
  'users',
  'groups',
  'user_groups',
  'logged_in_users',
  'os_version',
  'kernel_info',
  'system_info',
  'uptime',
  'load_average',
  'memory_info',
  'cpu_time',
  'mounts',
  'etc_hosts',
  'etc_services',
  'etc_protocols',
  'interface_addresses',
  'interface_details',
  'routes',
  'arp_cache',
  'listening_ports',
  'process_open_sockets',
  'process_open_files',
  'process_envs',
  'file',
  'hash',
  'kernel_modules',
  'crontab',
  'shell_history',
  'authorized_keys',
  'last',
  'osquery_registry',
  'osquery_info',
  'osquery_flags',
  'time',
];

describe('table schemas', () => {
  const tables = allTables(setUpRegistries().table);

  it('registers the first tables', () => {
    const names = new Set(tables.map((t) => t.name));
    assert.deepEqual(
      FIRST_TABLES.filter((n) => !names.has(n)),
      [],
    );
  });

  for (const table of tables) {
    it(`${table.name} equals the schema facts`, () => {
      const facts = linux.get(table.name);
      assert.ok(facts, `${table.name} is not a Linux table in the schema facts`);
      const declared = table.columnList.map((c) => ({
        name: c.name,
        type: c.type,
        index: Boolean(c.index),
        required: Boolean(c.required),
        hidden: Boolean(c.hidden),
        additional: Boolean(c.additional),
        optimized: Boolean(c.optimized),
        collate: c.collate ?? null,
        platforms: c.platforms,
        aliases: c.aliases,
      }));
      const expected = facts.columns.map((c) => ({
        name: c.name,
        type: c.type,
        index: c.index,
        required: c.required,
        hidden: c.hidden,
        additional: c.additional,
        optimized: c.optimized,
        collate: c.collate,
        platforms: c.platforms,
        aliases: c.aliases,
      }));
      assert.deepEqual(declared, expected);
      assert.deepEqual(table.aliases ?? [], facts.aliases ?? []);
    });
  }
});
