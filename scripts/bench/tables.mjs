#!/usr/bin/env node
// Warm query time of core tables in one process against the native tool doing the
// same work in the same run: processes vs ps, listening_ports vs ss, hash vs sha256sum.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../core/dist/engine/engine.js';
import { setFlag } from '../../core/dist/flags/index.js';
import { report, timeCommand, timeIt } from './lib.mjs';

// hash honours --read_max (osquery's 50 MiB default); the benchmark file is larger.
setFlag('read_max', String(1 << 30));

const engine = await openEngine({ thread: 'inline' });
const q = (sql) => () => engine.query(sql);

report(
  'processes (SELECT *)',
  await timeIt(q('SELECT * FROM processes')),
  'ps -eo ...',
  await timeCommand('ps', ['-eo', 'pid,ppid,uid,gid,euid,egid,stat,rss,vsz,time,lstart,comm,args']),
);
report(
  'listening_ports (SELECT *)',
  await timeIt(q('SELECT * FROM listening_ports')),
  'ss -ltunp',
  await timeCommand('ss', ['-ltunpH']),
);

// A 256 MiB file of pseudo-random bytes, hashed by both.
const dir = mkdtempSync(join(tmpdir(), 'osq-bench-'));
const file = join(dir, 'big.bin');
const fd = openSync(file, 'w');
const chunk = Buffer.alloc(1 << 20);
for (let i = 0; i < 256; i++) {
  for (let j = 0; j < chunk.length; j += 4) chunk.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j);
  writeSync(fd, chunk);
}
closeSync(fd);
const runs = { runs: 5, warm: 1 };
report(
  'hash sha256 of 256 MiB',
  await timeIt(q(`SELECT sha256 FROM hash WHERE path = '${file}'`), runs),
  'sha256sum',
  await timeCommand('sha256sum', [file], runs),
);
rmSync(dir, { recursive: true, force: true });
await engine.close();
