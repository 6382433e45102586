#!/usr/bin/env node
// Extension host figures: an extension table of 10,000 rows x 10 columns through
// `SELECT *` (rows/s), against the same rows from an in-process table in the same run;
// and the ping round trip against a raw Unix-socket echo (scripts/bench/thrift.mjs
// measures the codec alone).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '../../core/dist/engine/connection.js';
import { openEngine } from '../../core/dist/engine/engine.js';
import { ExtensionManager } from '../../core/dist/extensions/manager.js';
import { defineTable, text } from '../../core/dist/tables/framework.js';
import { report, timeIt } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'osq-bench-ext-'));
const socketPath = join(dir, 'osq.em');
const engine = await openEngine({ thread: 'worker' });
const manager = new ExtensionManager({ socketPath, engine });
await manager.start();
const peer = spawn(
  process.execPath,
  [new URL('./peers/wide-table.mjs', import.meta.url).pathname, '--socket', socketPath],
  {
    stdio: 'inherit',
  },
);
while (!manager.list().some((e) => e.name === 'bench_wide')) await new Promise((r) => setTimeout(r, 20));

const opts = { runs: 7, warm: 1 };
const ext = await timeIt(() => engine.query('SELECT * FROM bench_wide'), opts);

const COLS = Array.from({ length: 10 }, (_, i) => `c${i}`);
const ROWS = Array.from({ length: 10_000 }, (_, r) =>
  Object.fromEntries(COLS.map((c, i) => [c, `row${r}-col${i}-value`])),
);
const local = new Connection([
  defineTable({
    name: 'bench_local',
    columns: Object.fromEntries(COLS.map((c) => [c, text()])),
    generate: () => ROWS,
  }),
]);
const loc = await timeIt(() => local.query('SELECT * FROM bench_local'), opts);
report('extension table 10k x 10, SELECT *', ext, 'in-process table', loc);
console.log(
  `${''.padEnd(34)} ${Math.round(10_000 / (ext / 1000)).toLocaleString('en')} rows/s from the extension (goal >= 68,000)`,
);

peer.kill('SIGTERM');
await manager.stop();
await engine.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
