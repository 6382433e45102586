#!/usr/bin/env node
// Daemon figures: RSS and CPU of an idle osqd (watcher + worker) with 10 scheduled
// queries (goals: worker <= 80 MiB, watcher <= 50 MiB, < 1% CPU); the time to diff a
// 10,000-row result against GNU diff doing the same comparison on the same rows as
// text; result lines/s through the filesystem logger against `cat` writing the same
// lines and syncing them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProcess } from '../../core/dist/daemon/watchdog.js';
import { BackingStore } from '../../core/dist/database/store.js';
import { FilesystemLogger } from '../../core/dist/logger/filesystem.js';
import { applyResults } from '../../core/dist/results/differential.js';
import { report, timeCommand, timeIt } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'osq-bench-daemon-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 1. The daemon with 10 scheduled queries: busy (every 5 s) and idle (hourly, so the
// 10 s window sees only the scheduler loop and health checks).
const queries = [
  'SELECT * FROM processes',
  'SELECT * FROM users',
  'SELECT * FROM listening_ports',
  'SELECT * FROM mounts',
  'SELECT * FROM os_version',
  'SELECT * FROM kernel_info',
  'SELECT * FROM system_info',
  'SELECT * FROM uptime',
  'SELECT * FROM interface_addresses',
  'SELECT * FROM deb_packages',
];
const mib = (x) => (x / 1048576).toFixed(1);
const cpuPct = (x, y) => (((y.cpuMs - x.cpuMs) / 10_000) * 100).toFixed(2);
for (const interval of [5, 3600]) {
  const run = join(dir, `run${interval}`);
  mkdirSync(join(run, 'log'), { recursive: true });
  const schedule = {};
  queries.forEach((q, i) => {
    schedule[`q${i}`] = { query: q, interval };
  });
  writeFileSync(join(run, 'osquery.conf'), JSON.stringify({ schedule }));
  const osqd = spawn(
    process.execPath,
    [
      new URL('../../core/bin/osqd.mjs', import.meta.url).pathname,
      `--config_path=${join(run, 'osquery.conf')}`,
      `--database_path=${join(run, 'db')}`,
      `--logger_path=${join(run, 'log')}`,
      `--pidfile=${join(run, 'pid')}`,
      `--extensions_socket=${join(run, 'osq.em')}`,
    ],
    { stdio: 'ignore' },
  );
  await sleep(15_000);
  const worker = Number(
    execFileSync('pgrep', ['-P', String(osqd.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')[0],
  );
  const a = { w: sampleProcess(osqd.pid), k: sampleProcess(worker) };
  await sleep(10_000);
  const b = { w: sampleProcess(osqd.pid), k: sampleProcess(worker) };
  console.log(
    `osqd, 10 queries every ${interval} s: worker RSS ${mib(b.k.rssBytes)} MiB (goal <= 80), watcher ${mib(b.w.rssBytes)} MiB (goal <= 50); ` +
      `CPU over 10 s: worker ${cpuPct(a.k, b.k)}%, watcher ${cpuPct(a.w, b.w)}% (goal < 1% idle)`,
  );
  osqd.kill('SIGTERM');
  await new Promise((r) => osqd.once('exit', r));
}

// 2. Diff of a 10,000-row result (1% changed) against GNU diff on the same rows as lines.
const rows = (salt) =>
  Array.from({ length: 10_000 }, (_, i) => [i, `name-${i}`, `/usr/bin/p${i}`, i % 100 === 0 ? salt : 'x']);
const resultSet = (salt) => ({ columns: ['pid', 'name', 'path', 'state'], rows: rows(salt) });
const store = BackingStore.memory();
const opts = {
  epoch: 0,
  hostIdentifier: 'bench',
  decorations: {},
  eventFormat: true,
  snapshotEventFormat: false,
  numerics: false,
  decorationsTopLevel: false,
};
applyResults(
  store,
  { name: 'b', sql: 'x', snapshot: false, removed: true, eventOptimized: false },
  resultSet('a'),
  1,
  opts,
);
let flip = false;
const ours = await timeIt(
  () => {
    flip = !flip;
    applyResults(
      store,
      { name: 'b', sql: 'x', snapshot: false, removed: true, eventOptimized: false },
      resultSet(flip ? 'b' : 'a'),
      2,
      opts,
    );
  },
  { runs: 7, warm: 1 },
);
const fa = join(dir, 'a.txt');
const fb = join(dir, 'b.txt');
writeFileSync(
  fa,
  rows('a')
    .map((r) => r.join('|'))
    .join('\n'),
);
writeFileSync(
  fb,
  rows('b')
    .map((r) => r.join('|'))
    .join('\n'),
);
const peer = await timeCommand('sh', ['-c', `diff ${fa} ${fb} > /dev/null; true`], { runs: 7, warm: 1 });
report('diff a 10,000-row result (1% changed)', ours, 'GNU diff', peer);

// 3. Lines/s through the filesystem logger (each batch synced) against cat + sync.
const logDir = join(dir, 'fslog');
mkdirSync(logDir);
const logger = new FilesystemLogger({
  path: logDir,
  mode: 0o640,
  rotate: false,
  rotateSize: 1 << 30,
  rotateMaxFiles: 25,
});
await logger.init('osqueryd');
const line = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  .slice(0, 300)
  .replace(/\n/g, ' ');
const N = 20_000;
const t0 = performance.now();
await Promise.all(Array.from({ length: N }, () => logger.logResult(line)));
const fsMs = performance.now() - t0;
await logger.close();
const src = join(dir, 'lines.txt');
writeFileSync(src, `${Array.from({ length: N }, () => line).join('\n')}\n`);
const catMs = await timeCommand(
  'sh',
  ['-c', `cat ${src} >> ${join(dir, 'cat.out')} && sync ${join(dir, 'cat.out')}`],
  { runs: 3, warm: 0 },
);
report(`filesystem logger, ${N} lines`, fsMs, 'cat + sync', catMs);
console.log(`${''.padEnd(34)} ${Math.round(N / (fsMs / 1000)).toLocaleString('en')} lines/s`);
rmSync(dir, { recursive: true, force: true });
