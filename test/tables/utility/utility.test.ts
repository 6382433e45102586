// osq's own tables, checked against the process itself and the system clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query } from '../../helpers/sql.ts';

describe('utility tables', () => {
  it('osquery_info describes this process and the osquery version osq matches', async () => {
    const [info] = await query('SELECT * FROM osquery_info');
    assert.ok(info);
    assert.equal(info.pid, process.pid);
    assert.equal(info.version, '5.23.0');
    assert.equal(info.build_platform, 'linux');
    assert.match(String(info.build_distro), /^osq \d+\.\d+\.\d+/);
    assert.match(String(info.instance_id), /^[0-9a-f-]{36}$/);
    assert.equal(info.platform_mask, 9);
    const started = Math.floor(Date.now() / 1000 - process.uptime());
    assert.ok(Math.abs(Number(info.start_time) - started) <= 2);
  });

  it('time agrees with the system clock', async () => {
    const before = Math.floor(Date.now() / 1000);
    const [t] = await query('SELECT * FROM time');
    const after = Math.ceil(Date.now() / 1000);
    assert.ok(t);
    assert.ok(Number(t.unix_time) >= before && Number(t.unix_time) <= after);
    const d = new Date(Number(t.unix_time) * 1000);
    assert.equal(t.year, d.getUTCFullYear());
    assert.equal(t.month, d.getUTCMonth() + 1);
    assert.equal(t.iso_8601, `${d.toISOString().slice(0, 19)}Z`);
    assert.equal(t.datetime, t.iso_8601);
    assert.match(String(t.timestamp), /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} UTC$/);
    const [alias] = await query('SELECT date_time FROM time');
    assert.match(String(alias?.date_time), /^\d{4}-\d\d-\d\dT/);
  });

  it('osquery_flags lists flags with their defaults and values', async () => {
    const rows = await query(
      "SELECT * FROM osquery_flags WHERE name IN ('disable_tables', 'separator', 'A')",
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('disable_tables')?.shell_only, 0);
    assert.equal(byName.get('separator')?.default_value, '|');
    assert.equal(byName.get('separator')?.shell_only, 1);
    assert.equal(byName.has('A'), false, 'flags of two characters or fewer are not listed');
  });

  it('osquery_registry lists every table the engine serves', async () => {
    const rows = await query(
      "SELECT name, active, owner_uuid FROM osquery_registry WHERE registry = 'table'",
    );
    const names = rows.map((r) => r.name);
    for (const t of ['processes', 'osquery_info', 'time']) assert.ok(names.includes(t), t);
    assert.ok(rows.every((r) => r.owner_uuid === 0));
  });
});
