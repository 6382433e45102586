// The configuration layer against real files in temp dirs. Expected values are
// written by hand from docs/config.md; hashes and shards are computed
// with the sha1sum tool, not with the code under test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { configCheck, configDump } from '../../core/src/config/commands.ts';
import { Decorations } from '../../core/src/config/decorations.ts';
import { ConfigManager } from '../../core/src/config/manager.ts';
import { FilesystemConfigPlugin, selectConfigPlugin } from '../../core/src/config/plugin.ts';
import { flags, resetFlags, setFlag } from '../../core/src/flags/index.ts';

const sha1sum = (text: string) => execFileSync('sha1sum', { input: text }).toString().split(' ')[0] as string;
/** The machine shard of a host name, by osquery's rule, with sha1sum doing the hashing. */
const shardOf = (host: string) => Math.floor((Number.parseInt(sha1sum(host).slice(0, 2), 16) * 100) / 255);

let dir: string;
let conf: string;
const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

function manager(extra: Partial<ConstructorParameters<typeof ConfigManager>[0]> = {}) {
  const logs: string[] = [];
  const m = new ConfigManager({
    plugin: new FilesystemConfigPlugin({ path: conf }),
    log: (_level, msg) => logs.push(msg),
    hostname: 'b',
    ...extra,
  });
  return { m, logs };
}

beforeEach(() => {
  resetFlags();
  dir = mkdtempSync(join(tmpdir(), 'osq-config-'));
  conf = join(dir, 'osquery.conf');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  resetFlags();
});

describe('parsing', () => {
  it('strips whole-line # and // comments and joins backslash-newline', async () => {
    write(
      conf,
      [
        '# a leading comment',
        '{',
        '  // an indented comment',
        '  "options": {',
        '    # another',
        '    "nullvalue": "http://x//y",',
        '    "custom_long": "ab\\',
        'cd"',
        '  },',
        '  "schedule": {"q1": {"query": "SELECT 1", "interval": 60}}',
        '}',
      ].join('\n'),
    );
    const { m } = manager();
    const r = await m.refresh();
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(flags.nullvalue, 'http://x//y');
    assert.deepEqual(m.customOptions(), { custom_long: 'abcd' });
    const qs = await m.scheduledQueries();
    assert.deepEqual(
      qs.map((q) => [q.scheduledName, q.query, q.interval]),
      [['q1', 'SELECT 1', 60]],
    );
  });

  it('a broken source keeps the previous config in force with an error naming file, line and column', async () => {
    write(conf, '{"schedule": {"good": {"query": "SELECT 1", "interval": 10}}}');
    const { m } = manager();
    assert.ok((await m.refresh()).ok);
    const hashBefore = m.configHash();

    write(conf, '{\n  "schedule": {\n    "bad": {"query": "SELECT 2",}\n  }\n}\n');
    const r = await m.refresh();
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    // Line 3; the stray comma is followed by '}' at column 33.
    assert.equal(
      r.error,
      `Error parsing the config JSON: ${conf}: line 3, column 33: expected a double-quoted member name, unexpected character '}'`,
    );
    assert.deepEqual(
      (await m.scheduledQueries()).map((q) => q.scheduledName),
      ['good'],
    );
    assert.equal(m.configHash(), hashBefore);
  });

  it('rejects a non-object root, too deep nesting and an oversized source', async () => {
    write(conf, '[1, 2]');
    let r = await manager().m.refresh();
    assert.ok(!r.ok);
    assert.equal(
      r.error,
      `Error parsing the config JSON: ${conf}: the root of the document must be a JSON object`,
    );

    // 31 nested objects under the root are fine; a value at level 32 is too deep.
    const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    write(conf, nest(31));
    assert.ok((await manager().m.refresh()).ok);
    write(conf, nest(32));
    r = await manager().m.refresh();
    assert.ok(!r.ok);
    assert.match(r.error, /^Error validating the config JSON: .*too many nesting levels/);

    write(conf, `{"views": {"v": "${'x'.repeat(4 * 1024 * 1024)}"}}`);
    r = await manager().m.refresh();
    assert.ok(!r.ok);
    assert.equal(
      r.error,
      `Error parsing the config JSON: ${conf}: the config size exceeds the limit of 4194304 bytes`,
    );
  });

  it('a missing config file is a plugin failure', async () => {
    const { m } = manager();
    const r = await m.refresh();
    assert.ok(!r.ok);
    assert.equal(r.error, `config file does not exist: ${conf}`);
    assert.equal(m.configValid(), false);
    assert.equal(m.configHash(), '');
  });
});

describe('sources and merge rules', () => {
  it('applies <config_path> then <config_path>.d/*.conf in name order with osquery merge rules', async () => {
    write(
      conf,
      JSON.stringify({
        options: { pack_delimiter: '/', nullvalue: 'main' },
        schedule: { users: { query: 'SELECT * FROM users', interval: 60 } },
        decorators: { load: ['SELECT 1 AS one'] },
        file_paths: { etc: ['/etc/%%'] },
        file_accesses: ['etc'],
        exclude_paths: { etc: ['/etc/a'], tmp: ['/tmp/x'] },
        events: { disable_subscribers: ['a'] },
        yara: { signatures: { g: ['/r.yar'] } },
      }),
    );
    write(
      join(`${conf}.d`, '10-b.conf'),
      JSON.stringify({
        options: { nullvalue: 'dot-d' },
        schedule: { users: { query: 'SELECT uid FROM users', interval: 120 } },
        file_paths: { home: ['/home/%'] },
        file_accesses: ['home', 'etc'],
        exclude_paths: { etc: ['/etc/b'] },
        events: { enable_subscribers: ['b'] },
      }),
    );
    write(join(`${conf}.d`, 'ignored.txt'), '{not json');
    const { m } = manager();
    const r = await m.refresh();
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(r.sources, [conf, join(`${conf}.d`, '10-b.conf')]);
    // options: the .d source is applied later and wins; options from the first stay.
    assert.equal(flags.nullvalue, 'dot-d');
    assert.equal(flags.pack_delimiter, '/');
    // schedule: one `main` pack per source, both active.
    const qs = await m.scheduledQueries();
    assert.deepEqual(
      qs.map((q) => [q.scheduledName, q.source, q.interval]),
      [
        ['users', conf, 60],
        ['users', join(`${conf}.d`, '10-b.conf'), 120],
      ],
    );
    assert.deepEqual(
      m.packsTable().map((p) => p.name),
      ['main', 'main'],
    );
    assert.deepEqual(m.filePaths(), { etc: ['/etc/%%'], home: ['/home/%'] });
    assert.deepEqual(m.fileAccesses().sort(), ['etc', 'home']);
    assert.deepEqual(m.excludePaths(), { etc: ['/etc/b'], tmp: ['/tmp/x'] });
    assert.deepEqual(m.raw('events'), { enable_subscribers: ['b'] });
    assert.deepEqual(m.raw('yara'), { signatures: { g: ['/r.yar'] } });
    assert.deepEqual(m.decorators(), [
      { source: conf, decorators: { load: ['SELECT 1 AS one'], always: [], interval: {} } },
    ]);
  });

  it('config_hash is SHA-1 over the per-source SHA-1 digests; unchanged sources are skipped', async () => {
    const a = '{"schedule": {}}\n';
    const b = '{"options": {}}\n';
    write(conf, a);
    write(join(`${conf}.d`, 'x.conf'), b);
    const { m } = manager();
    let changes = 0;
    m.on('change', () => changes++);
    assert.ok((await m.refresh()).ok);
    assert.equal(m.configValid(), true);
    assert.equal(m.configHash(), sha1sum(sha1sum(a) + sha1sum(b)));
    assert.equal(changes, 1);

    const again = await m.refresh();
    assert.ok(again.ok);
    assert.equal(again.changed, false);
    assert.equal(changes, 1);
  });
});

describe('packs', () => {
  it('loads packs inline, by path and by glob, with pack-qualified names', async () => {
    const packDir = join(dir, 'packs');
    write(
      join(packDir, 'ir.conf'),
      '// a pack file with a comment\n{"queries": {"procs": {"query": "SELECT pid FROM processes", "interval": 30, "snapshot": true}}}',
    );
    write(
      join(packDir, 'glob', 'hw.conf'),
      JSON.stringify({ queries: { usb: { query: 'SELECT 1', interval: '90', removed: 'false' } } }),
    );
    write(join(packDir, 'glob', 'sw.conf'), JSON.stringify({ queries: { debs: { query: 'SELECT 2' } } }));
    write(
      conf,
      JSON.stringify({
        packs: {
          inline: {
            queries: {
              b: { query: 'SELECT b', interval: 10, denylist: false, description: 'x', value: 'y' },
              a: { query: 'SELECT a', interval: 10 },
              noquery: { interval: 10 },
              toolong: { query: 'SELECT 1', interval: 604801 },
              zero: { query: 'SELECT 1', interval: 0 },
            },
          },
          byPath: join(packDir, 'ir.conf'),
          missing: join(packDir, 'nope.conf'),
          '*': join(packDir, 'glob', '*.conf'),
        },
      }),
    );
    const { m, logs } = manager();
    const r = await m.refresh();
    assert.ok(r.ok, r.ok ? '' : r.error);
    const qs = await m.scheduledQueries();
    assert.deepEqual(
      qs.map((q) => [q.scheduledName, q.interval, q.snapshot, q.removed, q.denylist]),
      [
        ['pack_inline_a', 10, false, true, true],
        ['pack_inline_b', 10, false, true, false],
        ['pack_byPath_procs', 30, true, true, true],
        ['pack_hw_usb', 90, false, false, true],
        ['pack_sw_debs', 3600, false, true, true],
      ],
    );
    assert.ok(logs.includes('Error reading the query pack named: missing'));
    assert.ok(logs.includes('Query has invalid interval: toolong: 604801'));
    assert.ok(logs.includes('Query has invalid interval: zero: 0'));

    // The delimiter is read when the schedule is listed.
    setFlag('pack_delimiter', '/');
    assert.equal((await m.scheduledQueries())[0]?.scheduledName, 'pack/inline/a');
  });

  it('filters packs and queries by platform, version and shard on this host', async () => {
    const host = 'b';
    const shard = shardOf(host); // 91 for "b"
    write(
      conf,
      JSON.stringify({
        packs: {
          mac: { platform: 'darwin', queries: { q: { query: 'SELECT 1' } } },
          posix: { platform: 'posix', queries: { q: { query: 'SELECT 1' } } },
          future: { version: '99.0.0', queries: { q: { query: 'SELECT 1' } } },
          old: { version: '5.0.0', queries: { q: { query: 'SELECT 1' } } },
          lowshard: { shard: shard - 1, queries: { q: { query: 'SELECT 1' } } },
          highshard: { shard, queries: { q: { query: 'SELECT 1' } } },
          mixed: {
            platform: 'linux,darwin',
            queries: {
              win: { query: 'SELECT 1', platform: 'windows' },
              any: { query: 'SELECT 1', platform: 'any' },
              lin: { query: 'SELECT 1', platform: 'ubuntu' },
              newer: { query: 'SELECT 1', version: '5.24.0' },
              same: { query: 'SELECT 1', version: '5.23.0' },
              sharded_out: { query: 'SELECT 1', shard: shard - 1 },
              sharded_in: { query: 'SELECT 1', shard: String(shard) },
            },
          },
        },
      }),
    );
    const { m } = manager({ hostname: host });
    assert.ok((await m.refresh()).ok);
    assert.deepEqual(
      (await m.scheduledQueries()).map((q) => q.scheduledName),
      [
        'pack_posix_q',
        'pack_old_q',
        'pack_highshard_q',
        'pack_mixed_any',
        'pack_mixed_lin',
        'pack_mixed_same',
        'pack_mixed_sharded_in',
      ],
    );
    const table = m.packsTable();
    assert.deepEqual(
      table.map((p) => [p.name, p.platform, p.version, p.shard, p.active]),
      [
        ['mac', 'darwin', '', 0, 0],
        ['posix', 'posix', '', 0, 1],
        ['future', '', '99.0.0', 0, 0],
        ['old', '', '5.0.0', 0, 1],
        ['lowshard', '', '', shard - 1, 0],
        ['highshard', '', '', shard, 1],
        ['mixed', 'linux,darwin', '', 0, 1],
      ],
    );
  });

  it('runs discovery queries through runQuery and caches them for --pack_refresh_interval', async () => {
    write(
      conf,
      JSON.stringify({
        packs: {
          found: { discovery: ['SELECT yes', 'SELECT also'], queries: { q: { query: 'SELECT 1' } } },
          notfound: { discovery: ['SELECT yes', 'SELECT none'], queries: { q: { query: 'SELECT 1' } } },
          broken: { discovery: ['SELECT bad'], queries: { q: { query: 'SELECT 1' } } },
        },
      }),
    );
    const ran: string[] = [];
    let now = 1_700_000_000;
    const runQuery = async (sql: string) => {
      ran.push(sql);
      if (sql === 'SELECT bad') throw new Error('no such table: bad');
      return sql === 'SELECT none' ? 0 : 1;
    };
    const { m, logs } = manager({ runQuery, now: () => now });
    assert.ok((await m.refresh()).ok);
    // At load every pack runs discovery once; "notfound" stops at its first empty query.
    assert.deepEqual(ran, ['SELECT yes', 'SELECT also', 'SELECT yes', 'SELECT none', 'SELECT bad']);
    assert.ok(logs.includes('Discovery query failed (SELECT bad): no such table: bad'));

    now += 10;
    assert.deepEqual(
      (await m.scheduledQueries()).map((q) => q.scheduledName),
      ['pack_found_q'],
    );
    assert.equal(ran.length, 5); // cached
    let rows = m.packsTable();
    assert.deepEqual(
      rows.map((p) => [p.name, p.discovery_cache_hits, p.discovery_executions, p.active]),
      [
        ['found', 1, 1, 1],
        ['notfound', 1, 1, 0],
        ['broken', 1, 1, 0],
      ],
    );

    now += 3600; // past the default refresh interval
    await m.scheduledQueries();
    assert.equal(ran.length, 10);
    rows = m.packsTable();
    assert.deepEqual(
      rows.map((p) => [p.discovery_cache_hits, p.discovery_executions]),
      [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
    );
  });
});

describe('decorators and options', () => {
  it('extracts load, always and interval decorators (intervals must be multiples of 60)', async () => {
    write(
      conf,
      JSON.stringify({
        decorators: {
          load: ['SELECT uuid FROM system_info', 7],
          always: ['SELECT user AS u FROM logged_in_users LIMIT 1'],
          interval: { '3600': ['SELECT total_seconds FROM uptime'], '90': ['SELECT 1'], '60': ['SELECT 2'] },
        },
      }),
    );
    const { m, logs } = manager();
    assert.ok((await m.refresh()).ok);
    assert.deepEqual(m.decorators(), [
      {
        source: conf,
        decorators: {
          load: ['SELECT uuid FROM system_info'],
          always: ['SELECT user AS u FROM logged_in_users LIMIT 1'],
          interval: { '60': ['SELECT 2'], '3600': ['SELECT total_seconds FROM uptime'] },
        },
      },
    ]);
    assert.ok(logs.includes(`Invalid decorator interval rate 90 in config source: ${conf}`));
  });

  it('runs decorator queries: first row only, merged over sources, off with --disable_decorators', async () => {
    write(
      conf,
      JSON.stringify({
        decorators: { load: ['SELECT host', 'SELECT two_rows'], interval: { '120': ['SELECT tick'] } },
      }),
    );
    write(join(`${conf}.d`, 'x.conf'), JSON.stringify({ decorators: { always: ['SELECT host2'] } }));
    const { m } = manager();
    assert.ok((await m.refresh()).ok);
    const answers: Record<string, Record<string, string>[]> = {
      'SELECT host': [{ hostname: 'h1', team: 'a' }],
      'SELECT two_rows': [{ first: '1' }, { first: '2' }],
      'SELECT tick': [{ ticked: 'yes' }],
      'SELECT host2': [{ hostname: 'h2' }],
    };
    const warnings: string[] = [];
    const d = new Decorations(
      m,
      async (sql) => answers[sql] ?? [],
      (w) => warnings.push(w),
    );
    await d.runLoad();
    assert.deepEqual(d.current(), { hostname: 'h1', team: 'a', first: '1' });
    assert.deepEqual(warnings, ['Multiple rows returned for decorator query: SELECT two_rows']);
    await d.runAlways();
    // The .d source sorts after the main path, so its hostname wins.
    assert.deepEqual(d.current(), { hostname: 'h2', team: 'a', first: '1' });
    await d.runInterval(60);
    assert.equal(d.current().ticked, undefined);
    await d.runInterval(240);
    assert.equal(d.current().ticked, 'yes');
    setFlag('disable_decorators', 'true');
    assert.deepEqual(d.current(), {});
  });

  it('applies options to config-settable flags; CLI-only and unknown options are refused with a warning', async () => {
    write(
      conf,
      JSON.stringify({
        options: {
          schedule_default_interval: 120,
          pack_refresh_interval: '60',
          disable_caching: true,
          config_path: '/elsewhere.conf',
          no_such_flag: 1,
          custom_team: 'blue',
          custom_list: [1, 'a'],
          nullvalue: '',
          verbose: null,
        },
        schedule: { q: { query: 'SELECT 1' } },
      }),
    );
    const { m, logs } = manager();
    const r = await m.refresh();
    assert.ok(r.ok);
    assert.equal(flags.schedule_default_interval, 120);
    assert.equal(flags.pack_refresh_interval, 60);
    assert.equal(flags.disable_caching, true);
    assert.equal(flags.config_path, '/etc/osquery/osquery.conf');
    assert.equal(flags.nullvalue, '');
    assert.deepEqual(m.customOptions(), { custom_team: 'blue', custom_list: '[1,"a"]' });
    assert.ok(
      logs.includes(
        'Cannot set the CLI only flag --config_path via config: specify it in the flagfile or on the command line',
      ),
    );
    assert.ok(logs.includes('Cannot set unknown or invalid flag: no_such_flag'));
    assert.ok(logs.includes('Cannot parse unknown value type for option: verbose'));
    // Options are applied after the source's schedule was built (osquery order), so the
    // first load still used the default interval.
    assert.equal((await m.scheduledQueries())[0]?.interval, 3600);
  });

  it('a failed refresh does not leave options from the bad refresh on the flags', async () => {
    write(conf, '{"options": {"nullvalue": "one"}}');
    write(join(`${conf}.d`, 'z.conf'), '{}');
    const { m } = manager();
    assert.ok((await m.refresh()).ok);
    write(conf, '{"options": {"nullvalue": "two"}}');
    write(join(`${conf}.d`, 'z.conf'), '{"broken": }');
    const r = await m.refresh();
    assert.ok(!r.ok);
    assert.match(r.error, /z\.conf: line 1, column 12:/);
    assert.equal(flags.nullvalue, 'one');
  });
});

describe('plugin selection, config_check and config_dump', () => {
  it('selects exactly one config plugin', () => {
    const fs = new FilesystemConfigPlugin({ path: conf });
    assert.equal(selectConfigPlugin('filesystem', { filesystem: fs }), fs);
    assert.throws(() => selectConfigPlugin('tls', { filesystem: fs }), {
      message: 'Cannot activate tls config plugin: Unknown registry plugin: tls',
    });
    assert.throws(() => selectConfigPlugin('filesystem,tls', { filesystem: fs }), /only one config plugin/);
  });

  it('--config_check prints nothing and returns 0 for a good config, the reason and 1 otherwise', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    const plugin = new FilesystemConfigPlugin({ path: conf });

    assert.equal(await configCheck({ plugin }, io), 1);
    assert.deepEqual(err, [`Error reading config: config file does not exist: ${conf}\n`]);

    err.length = 0;
    write(conf, '{"schedule": {}}');
    assert.equal(await configCheck({ plugin }, io), 0);
    assert.deepEqual([out, err], [[], []]);

    write(conf, '{"schedule": {}');
    assert.equal(await configCheck({ plugin }, io), 1);
    assert.deepEqual(err, [
      `Error reading config: Error parsing the config JSON: ${conf}: line 1, column 16: expected ',' or '}' after a member value, unexpected end of input\n`,
    ]);
  });

  it('--config_dump prints each source as read, in source order', async () => {
    const main = '# comment kept\n{"options": {}}\n';
    const extra = '{"schedule": {}}';
    write(conf, main);
    write(join(`${conf}.d`, 'a.conf'), extra);
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(`ERR ${t}`) };
    // The plugin reads --config_path when no path is given.
    setFlag('config_path', conf);
    assert.equal(await configDump(new FilesystemConfigPlugin(), io), 0);
    assert.equal(
      out.join(''),
      `{"${conf}": # comment kept\n{"options": {}}\n}\n{"${conf}.d/a.conf": {"schedule": {}}}\n`,
    );
  });
});
