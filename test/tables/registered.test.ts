// Every Linux table of osquery's schema facts (core/schema/osquery-schema.json) is
// registered, and osq registers nothing the schema does not list for Linux.
// (schema.test.ts checks each registered table's columns; this checks the set.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setUpRegistries } from '@osq/core/plugins';
import { allTables } from '@osq/core/registry/tables';

interface SchemaTable {
  name: string;
  platforms: string[];
}

const schema: SchemaTable[] = JSON.parse(
  readFileSync(new URL('../../core/schema/osquery-schema.json', import.meta.url), 'utf8'),
);
const linux = new Set(schema.filter((t) => t.platforms.includes('linux')).map((t) => t.name));

/** The event tables: they come with the events work (publishers and subscribers), not yet. */
const EVENT_TABLES = [
  'apparmor_events',
  'file_events',
  'hardware_events',
  'process_events',
  'process_file_events',
  'seccomp_events',
  'selinux_events',
  'socket_events',
  'syslog_events',
  'user_events',
  'yara_events',
];

describe('registered tables', () => {
  const registered = new Set(allTables(setUpRegistries().table).map((t) => t.name));

  it('the event tables left out are Linux tables of the schema', () => {
    assert.deepEqual(
      EVENT_TABLES.filter((n) => !linux.has(n)),
      [],
    );
  });

  it('registers every Linux table of the schema but the event tables', () => {
    const missing = [...linux].filter((n) => !registered.has(n) && !EVENT_TABLES.includes(n)).sort();
    assert.deepEqual(missing, []);
  });

  it('registers no table outside the schema', () => {
    const extra = [...registered].filter((n) => !linux.has(n)).sort();
    assert.deepEqual(extra, []);
  });
});
