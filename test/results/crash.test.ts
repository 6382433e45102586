// kill -9 safety of the differential engine + outbox: a child process runs the
// engine in a loop and is killed at random moments; after each kill the store and the
// delivered logs must tell one consistent story:
//  - every committed line is delivered or still queued (ids 1..max, none missing);
//  - per query, the counters on the lines run 0,1,2,... up to the stored counter,
//    with no gap and no second counter-0 line (no full re-add after a restart);
//  - replaying the added/removed rows of all lines gives exactly the stored rows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LOGGERS, QUERIES } from './crash-child.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROUNDS = 24;

type Row = Record<string, string>;
const canon = (row: Record<string, unknown>): string =>
  JSON.stringify(
    Object.entries(row)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, String(v)]),
  );

/** Lines a logger received: complete lines only (a write cut by the kill is not a delivery). */
function delivered(dir: string, logger: string): Map<number, string> {
  const file = path.join(dir, `delivered.${logger}`);
  const out = new Map<number, string>();
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop(); // the text after the last newline is empty or a torn write
  for (const line of lines) {
    const tab = line.indexOf('\t');
    out.set(Number(line.slice(0, tab)), line.slice(tab + 1));
  }
  return out;
}

/** Check the story told by the store and the delivered logs; returns the stored counters. */
function check(dir: string): Record<string, number> {
  // Read the SQLite file directly, not through the code under test.
  const db = new Database(path.join(dir, 'osq.sqlite'));
  try {
    const kv = (key: string): string | undefined =>
      db.prepare("SELECT value FROM kv WHERE domain = 'queries' AND key = ?").pluck().get(key) as
        | string
        | undefined;
    const maxId = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox_lines'").pluck().get() ??
      0) as number;
    const all = new Map<number, string>();
    for (const logger of LOGGERS) {
      const seen = delivered(dir, logger);
      const queued = db
        .prepare(
          'SELECT l.id, l.text FROM outbox_pending p JOIN outbox_lines l USING (id) WHERE p.logger = ?',
        )
        .raw(true)
        .all(logger) as [number, string][];
      for (const [id, text] of queued) seen.set(id, text);
      // Each line was queued for both loggers: each has seen or still holds all of them.
      assert.equal(seen.size, maxId, `logger ${logger}: ${seen.size} lines for ids 1..${maxId}`);
      for (let id = 1; id <= maxId; id++) {
        const text = seen.get(id);
        assert.ok(text !== undefined, `logger ${logger} lost line ${id}`);
        if (all.has(id)) assert.equal(all.get(id), text);
        all.set(id, text);
      }
    }
    const counters: Record<string, number> = {};
    const ids = [...all.keys()].sort((a, b) => a - b);
    for (const q of QUERIES) {
      const lines = ids.map((id) => JSON.parse(all.get(id) as string)).filter((l) => l.name === q.name);
      const stored = kv(`${q.name}counter`);
      const counter = stored === undefined ? -1 : Number(stored);
      counters[q.name] = counter;
      // Distinct counters in line order (event format: several lines per run).
      const seq: number[] = [];
      for (const l of lines) if (seq[seq.length - 1] !== l.counter) seq.push(l.counter);
      // A run whose result set was empty at counter 0 (event format, or events) logs nothing.
      const start = seq[0] === 1 && !q.name.startsWith('q_batch') ? 1 : 0;
      assert.deepEqual(
        seq,
        Array.from({ length: counter - start + 1 }, (_, i) => start + i),
        `${q.name}: counters on lines vs stored counter ${counter}`,
      );
      if (q.eventOptimized) continue;
      // Replay all lines: the result must be the stored rows.
      const rows = new Map<string, number>();
      const add = (r: Row, n: number) => {
        const k = canon(r);
        const c = (rows.get(k) ?? 0) + n;
        assert.ok(c >= 0, `${q.name}: removed a row that was not there: ${k}`);
        if (c === 0) rows.delete(k);
        else rows.set(k, c);
      };
      for (const l of lines) {
        if (l.diffResults) {
          for (const r of l.diffResults.removed) add(r, -1);
          for (const r of l.diffResults.added) add(r, 1);
        } else add(l.columns, l.action === 'added' ? 1 : -1);
      }
      const want = new Map<string, number>();
      for (const r of JSON.parse(kv(q.name) ?? '[]') as Row[])
        want.set(canon(r), (want.get(canon(r)) ?? 0) + 1);
      assert.deepEqual(rows, want, `${q.name}: replayed lines vs stored rows`);
    }
    return counters;
  } finally {
    db.close();
  }
}

describe('kill -9 during the differential engine', () => {
  it(`keeps counters, rows and queued lines consistent over ${ROUNDS} random kills`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osq-crash-'));
    try {
      let counters: Record<string, number> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        // Kill after a random number of loop iterations plus a random delay, so the
        // kill lands anywhere: inside a diff transaction, a delivery write, an ack.
        const ticks = 1 + Math.floor(Math.random() * 30);
        const delay = Math.floor(Math.random() * 25);
        let seen = 0;
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.stdout.on('data', (d: Buffer) => {
          seen += d.toString().split('\n').length - 1;
          if (seen >= ticks) setTimeout(() => child.kill('SIGKILL'), delay);
        });
        const code = await exited;
        assert.equal(code, null, 'the child must die from the kill, not exit on its own');
        const now = check(dir);
        for (const [name, c] of Object.entries(counters)) {
          assert.ok((now[name] ?? -1) >= c, `${name}: counter went back from ${c} to ${now[name]}`);
        }
        counters = now;
      }
      // The loop really ran: the counters moved well past their start.
      assert.ok((counters.q_batch ?? 0) > ROUNDS, `q_batch counter ${counters.q_batch}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
