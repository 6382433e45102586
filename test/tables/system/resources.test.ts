// uptime, load_average, memory_info and cpu_time against uptime(1), free(1),
// getconf and nproc.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { run } from './tools.js';

describe('uptime', () => {
  test('total_seconds is now minus the boot time of uptime -s', async () => {
    const [r] = await query('SELECT * FROM uptime');
    const booted = Date.parse(run('uptime', ['-s']).trim().replace(' ', 'T')) / 1000;
    const expected = Date.now() / 1000 - booted;
    assert.ok(Math.abs(Number(r?.total_seconds) - expected) <= 2, `${r?.total_seconds} vs ${expected}`);
    const total = Number(r?.total_seconds);
    assert.equal(r?.days, Math.floor(total / 86400));
    assert.equal(r?.hours, Math.floor(total / 3600) % 24);
    assert.equal(r?.minutes, Math.floor(total / 60) % 60);
    assert.equal(r?.seconds, total % 60);
  });
});

describe('load_average', () => {
  test('three periods, printed with six decimals, near uptime(1)', async () => {
    const rows = await query('SELECT period, average FROM load_average');
    assert.deepEqual(
      rows.map((r) => r.period),
      ['1m', '5m', '15m'],
    );
    for (const r of rows) assert.match(String(r.average), /^\d+\.\d{6}$/);
    const m = /load average:\s*([\d.,]+),\s*([\d.,]+),\s*([\d.,]+)/.exec(run('uptime'));
    assert.ok(m);
    rows.forEach((r, i) => {
      const theirs = Number(m[i + 1]!.replace(',', '.'));
      assert.ok(Math.abs(Number(r.average) - theirs) <= 0.5, `${r.average} vs ${theirs}`);
    });
  });
});

describe('memory_info', () => {
  test('totals match free -b, moving values within a tolerance', async () => {
    const [r] = await query('SELECT * FROM memory_info');
    const lines = run('free', ['-b']).split('\n');
    const mem = lines
      .find((l) => l.startsWith('Mem:'))!
      .split(/\s+/)
      .map(Number);
    const swap = lines
      .find((l) => l.startsWith('Swap:'))!
      .split(/\s+/)
      .map(Number);
    // Mem: total used free shared buff/cache available
    assert.equal(r?.memory_total, mem[1]);
    assert.equal(r?.swap_total, swap[1]);
    const slack = 64 * 1024 * 1024;
    assert.ok(Math.abs(Number(r?.memory_free) - mem[3]!) < slack);
    assert.ok(Math.abs(Number(r?.memory_available) - mem[6]!) < slack);
    assert.ok(Math.abs(Number(r?.swap_free) - swap[3]!) < slack);
    for (const v of Object.values(r ?? {})) assert.equal(typeof v, 'number');
    assert.equal(Object.keys(r ?? {}).length, 10);
  });
});

describe('cpu_time', () => {
  test('one row per online core; the counters add up to the uptime', async () => {
    const rows = await query('SELECT * FROM cpu_time ORDER BY core');
    const cores = Number(run('nproc', ['--all']).trim());
    assert.equal(rows.length, cores);
    assert.deepEqual(
      rows.map((r) => r.core),
      [...Array(cores).keys()],
    );
    const hz = Number(run('getconf', ['CLK_TCK']).trim());
    const [up] = await query('SELECT total_seconds FROM uptime');
    for (const r of rows) {
      // Every tick of a core is charged to exactly one of these states.
      const ticks = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'].reduce(
        (s, k) => s + Number(r[k]),
        0,
      );
      const seconds = ticks / hz;
      assert.ok(
        seconds <= Number(up?.total_seconds) + 1 && seconds >= Number(up?.total_seconds) * 0.8 - 5,
        `core ${r.core}: ${seconds}s of ${up?.total_seconds}s`,
      );
    }
  });

  test('counters never go backwards', async () => {
    const a = await query('SELECT core, user + system + idle AS t FROM cpu_time ORDER BY core');
    await new Promise((r) => setTimeout(r, 50));
    const b = await query('SELECT core, user + system + idle AS t FROM cpu_time ORDER BY core');
    a.forEach((row, i) => {
      assert.ok(Number(b[i]?.t) >= Number(row.t));
    });
  });
});
