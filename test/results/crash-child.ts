// Driven by crash.test.ts: a miniature daemon loop that runs the differential engine
// for a few queries with random results, queues the lines for two loggers, and
// "delivers" them (append to <dir>/delivered.<logger> with the line id, fsync, ack),
// until it is killed with SIGKILL at a random moment.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackingStore } from '../../core/src/database/store.ts';
import {
  type ApplyOptions,
  applyResults,
  type ScheduledQueryInfo,
} from '../../core/src/results/differential.ts';
import { Outbox } from '../../core/src/results/outbox.ts';
import type { ResultSet } from '../../core/src/results/rows.ts';

export const LOGGERS = ['a', 'b'];
export const QUERIES: ScheduledQueryInfo[] = [
  { name: 'q_batch', sql: 'SELECT 1', snapshot: false, removed: true, eventOptimized: false },
  { name: 'q_event', sql: 'SELECT 2', snapshot: false, removed: true, eventOptimized: false },
  { name: 'q_file_events', sql: 'SELECT 3', snapshot: false, removed: true, eventOptimized: true },
];

const pick = (n: number): number => Math.floor(Math.random() * n);

/** A random multiset of rows from a small universe, so runs often repeat and often differ. */
function randomRows(): ResultSet {
  const rows: [number, string][] = [];
  const n = pick(6);
  for (let i = 0; i < n; i++) {
    const id = pick(8);
    rows.push([id, id % 3 === 0 ? `user\x01${id}` : `user${id}`]);
  }
  return { columns: ['id', 'name'], rows };
}

let eventSeq = 0;
function randomEvents(): ResultSet {
  const rows = Array.from({ length: pick(3) }, () => [`${process.pid}-${eventSeq++}`]);
  return { columns: ['path'], rows };
}

function main(): void {
  const dir = process.argv[2] as string;
  const store = BackingStore.open(dir);
  const outbox = new Outbox(store, { maxLines: 0 });
  const files = new Map(LOGGERS.map((l) => [l, fs.openSync(path.join(dir, `delivered.${l}`), 'a')]));
  const base: ApplyOptions = {
    epoch: 0,
    hostIdentifier: 'h',
    decorations: {},
    eventFormat: false,
    snapshotEventFormat: false,
    numerics: false,
    decorationsTopLevel: false,
    outbox,
    loggers: LOGGERS,
  };
  for (;;) {
    const now = Math.floor(Date.now() / 1000);
    for (const q of QUERIES) {
      const rows = q.eventOptimized ? randomEvents() : randomRows();
      applyResults(store, q, rows, now, { ...base, eventFormat: q.name === 'q_event' });
    }
    for (const logger of LOGGERS) {
      const batch = outbox.pending(logger, 1 + pick(4));
      if (batch.length === 0) continue;
      const fd = files.get(logger) as number;
      fs.writeSync(fd, batch.map((l) => `${l.id}\t${l.text}\n`).join(''));
      fs.fsyncSync(fd);
      outbox.ack(
        logger,
        batch.map((l) => l.id),
      );
    }
    process.stdout.write('tick\n');
  }
}

// Run only as the child process, not when crash.test.ts imports the lists above.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
