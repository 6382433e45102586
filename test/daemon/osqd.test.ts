// The real osqd binary with a real config on this host. Expected result lines are
// written here by hand from docs/results-and-logging.md#result-lines, never produced by
// the code under test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DaemonDir, OSQD, stopDaemon, until } from './helpers.ts';

const execFileAsync = promisify(execFile);
const asctime =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4} UTC$/;

describe('osqd', () => {
  it('logs a differential of a file query: added, then removed, field by field', async () => {
    const d = new DaemonDir();
    const watch = join(d.dir, 'watch');
    await execFileAsync('mkdir', [watch]);
    writeFileSync(join(watch, 'first'), 'x');
    d.writeConfig(`{
      // osquery's configs may carry comments
      "options": { "host_identifier": "specified", "specified_identifier": "osq-e2e" },
      "schedule": {
        "watched": { "query": "SELECT filename, size FROM file WHERE directory = '${watch}' AND type = 'regular'", "interval": 1 }
      },
      "decorators": { "load": ["SELECT 'e2e' AS suite"] }
    }`);
    const p = d.start(['--disable_watchdog']);
    try {
      await until('first run', () => d.lines().length >= 1);
      writeFileSync(join(watch, 'second'), 'yy');
      await until('second file', () => d.lines().length >= 2);
      rmSync(join(watch, 'first'));
      await until('removal', () => d.lines().length >= 3);
    } finally {
      assert.equal(await stopDaemon(p), 0, p.output());
    }
    const raw = d.raw().split('\n').filter(Boolean);
    // Key order and types exactly as osquery writes event-format lines.
    const shape =
      /^\{"name":"watched","hostIdentifier":"osq-e2e","calendarTime":"[^"]+","unixTime":\d+,"epoch":0,"counter":(\d+),"numerics":false,"decorations":\{"suite":"e2e"\},"columns":\{"filename":"([^"]+)","size":"(\d+)"\},"action":"(added|removed)"\}$/;
    const parsed = raw.map((l) => {
      const m = shape.exec(l);
      assert.ok(m, `line has osquery's shape: ${l}`);
      return { counter: Number(m[1]), filename: m[2], size: m[3], action: m[4] };
    });
    assert.deepEqual(parsed.slice(0, 3), [
      { counter: 0, filename: 'first', size: '1', action: 'added' },
      { counter: 1, filename: 'second', size: '2', action: 'added' },
      { counter: 2, filename: 'first', size: '1', action: 'removed' },
    ]);
    const first = d.lines()[0] as Record<string, unknown>;
    assert.match(String(first.calendarTime), asctime);
    assert.equal(typeof first.unixTime, 'number');
    assert.ok(Math.abs(Number(first.unixTime) - Date.now() / 1000) < 120);
    // Status log in glog's layout, with its symlink.
    assert.ok(existsSync(join(d.logs, 'osqueryd.INFO')));
    assert.equal(existsSync(d.pidfile), false, 'the pidfile is removed on a clean stop');
  });

  it('loses and repeats nothing across kill -9 and restart', async () => {
    const d = new DaemonDir();
    const watch = join(d.dir, 'watch');
    await execFileAsync('mkdir', [watch]);
    d.writeConfig({
      schedule: { w: { query: `SELECT filename FROM file WHERE directory = '${watch}'`, interval: 1 } },
    });
    const created: string[] = [];
    for (let round = 0; round < 4; round++) {
      const p = d.start(['--disable_watchdog', '--host_identifier=hostname']);
      const name = `f${round}`;
      created.push(name);
      writeFileSync(join(watch, name), '');
      await until(`round ${round}`, () =>
        d.lines().some((l) => (l.columns as Record<string, string>)?.filename === name),
      );
      // Another change right before the kill, to catch it mid-flight.
      writeFileSync(join(watch, `${name}b`), '');
      created.push(`${name}b`);
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 900)));
      p.kill('SIGKILL');
      await new Promise((r) => p.once('exit', r));
      rmSync(d.pidfile, { force: true });
    }
    const last = d.start(['--disable_watchdog']);
    await until('final catch-up', () => {
      const seen = new Set(d.lines().map((l) => (l.columns as Record<string, string>).filename));
      return created.every((c) => seen.has(c));
    });
    await stopDaemon(last);
    const added = d
      .lines()
      .filter((l) => l.action === 'added')
      .map((l) => (l.columns as Record<string, string>).filename);
    // Every file was reported added exactly once: nothing lost, no whole result set re-added.
    assert.deepEqual([...added].sort(), [...created].sort());
    assert.equal(d.lines().filter((l) => l.action === 'removed').length, 0);
    assert.equal(
      d.lines().every((l) => l.hostIdentifier === hostname()),
      true,
    );
  });

  it('keeps the old schedule when a reloaded config is broken, and refuses a second daemon', async () => {
    const d = new DaemonDir();
    d.writeConfig({ schedule: { one: { query: 'SELECT 1 AS n', interval: 1, snapshot: true } } });
    const p = d.start(['--disable_watchdog']);
    try {
      await until('snapshots', () => d.lines('osqueryd.snapshots.log').length >= 1);
      const second = await execFileAsync(process.execPath, [OSQD, ...d.args(['--disable_watchdog'])]).catch(
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal((second as { code: number }).code, 1);
      assert.match((second as { stderr: string }).stderr, /locked by a running daemon/);
      d.writeConfig('{ "schedule": { "one": { "query": "SELECT 2", "interval": 1 ');
      p.kill('SIGHUP');
      await until(
        'the error',
        () => /Error reading config/.test(p.output()) || /Error reading config/.test(d.raw('osqueryd.INFO')),
        10_000,
      );
      const before = d.lines('osqueryd.snapshots.log').length;
      await until(
        'more snapshots from the old schedule',
        () => d.lines('osqueryd.snapshots.log').length >= before + 2,
      );
      const snaps = d.lines('osqueryd.snapshots.log');
      assert.deepEqual(snaps.at(-1)?.snapshot, [{ n: '1' }]);
      assert.equal(snaps.at(-1)?.action, 'snapshot');
      assert.equal(snaps.at(-1)?.counter, 0);
    } finally {
      await stopDaemon(p);
    }
  });

  it('a worker over its CPU limit is restarted and its query denylisted', async () => {
    const d = new DaemonDir();
    d.writeConfig({
      schedule: {
        spin: {
          query:
            'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000000) SELECT count(*) FROM c',
          interval: 1,
        },
        probe: {
          query: "SELECT name, denylisted FROM osquery_schedule WHERE name = 'spin'",
          interval: 1,
          snapshot: true,
        },
      },
    });
    const p = d.start([
      '--watchdog_delay=0',
      '--watchdog_utilization_limit=5',
      '--watchdog_latency_limit=3',
      '--watchdog_forced_shutdown_delay=1',
    ]);
    try {
      await until('a restart', () => /limits exceeded/.test(p.output()), 30_000);
      await until(
        'the denylisted query',
        () =>
          d
            .lines('osqueryd.snapshots.log')
            .some((l) => (l.snapshot as Record<string, string>[])?.[0]?.denylisted === '1'),
        30_000,
      );
    } finally {
      await stopDaemon(p);
    }
  });

  it("feeds the config's prometheus_targets to prometheus_metrics", async () => {
    // A Prometheus exposition-format endpoint on loopback (text format 0.0.4).
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('# TYPE osq_up gauge\nosq_up 1.5\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const d = new DaemonDir();
    d.writeConfig({
      prometheus_targets: { timeout: 2, urls: [`http://127.0.0.1:${port}/metrics`] },
      schedule: {
        prom: {
          query: 'SELECT metric_name, metric_value FROM prometheus_metrics',
          interval: 1,
          snapshot: true,
        },
      },
    });
    const p = d.start(['--disable_watchdog']);
    try {
      await until('a snapshot', () => d.lines('osqueryd.snapshots.log').length >= 1);
    } finally {
      await stopDaemon(p);
      server.close();
    }
    assert.deepEqual(d.lines('osqueryd.snapshots.log')[0]?.snapshot, [
      { metric_name: 'osq_up', metric_value: '1.5' },
    ]);
  });

  it('osquery_info and osquery_schedule describe the running daemon; instance_id survives a restart', async () => {
    const d = new DaemonDir();
    d.writeConfig({
      schedule: {
        info: {
          query: 'SELECT instance_id, config_valid, extensions, watcher FROM osquery_info',
          interval: 1,
          snapshot: true,
        },
        sched: {
          query: "SELECT name, executions FROM osquery_schedule WHERE name = 'info'",
          interval: 1,
          snapshot: true,
        },
      },
    });
    const snaps = (name: string) => d.lines('osqueryd.snapshots.log').filter((l) => l.name === name);
    for (let round = 0; round < 2; round++) {
      const p = d.start(['--disable_watchdog']);
      try {
        await until('snapshots', () => snaps('info').length > round && snaps('sched').length > round * 2 + 1);
      } finally {
        await stopDaemon(p);
      }
    }
    const infos = snaps('info').map((l) => (l.snapshot as Record<string, string>[])[0]);
    assert.match(String(infos[0]?.instance_id), /^[0-9a-f-]{36}$/);
    assert.equal(infos.at(-1)?.instance_id, infos[0]?.instance_id, 'kept in the store across restarts');
    assert.equal(infos[0]?.config_valid, '1');
    assert.equal(infos[0]?.extensions, 'active');
    assert.equal(infos[0]?.watcher, '-1'); // --disable_watchdog: no watcher
    const executions = snaps('sched').map((l) =>
      Number((l.snapshot as Record<string, string>[])[0]?.executions),
    );
    assert.ok(
      executions.some((n) => n >= 1),
      `osquery_schedule counts executions: ${executions}`,
    );
  });

  it('answers --config_check and rejects unknown flags', async () => {
    const d = new DaemonDir();
    d.writeConfig('{"schedule": {"a": {"query": "SELECT 1", "interval": 10}}}');
    await execFileAsync(process.execPath, [OSQD, `--config_path=${d.config}`, '--config_check']);
    d.writeConfig('{"schedule": ');
    const bad = await execFileAsync(process.execPath, [
      OSQD,
      `--config_path=${d.config}`,
      '--config_check',
    ]).catch((e: { code: number; stderr: string; stdout: string }) => e);
    assert.equal((bad as { code: number }).code, 1);
    const unknown = await execFileAsync(process.execPath, [OSQD, '--no_such_flag=1']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal((unknown as { code: number }).code, 1);
    assert.match((unknown as { stderr: string }).stderr, /no_such_flag/);
  });
});
