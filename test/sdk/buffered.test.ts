// BufferedForwarder (sdk/src/buffered.ts): osquery's buffered forwarder semantics
// (docs/results-and-logging.md#buffered-forwarders) on a real SQLite file, including a
// SIGKILL of a process that had acknowledged lines.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BufferedForwarder, type BufferedForwarderOptions, type LogType } from '../../sdk/src/buffered.js';

const dir = mkdtempSync(join(tmpdir(), 'osq-buffered-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Sent = { type: LogType; lines: string[] };

/** A forwarder on a fresh file whose send records batches and fails while `failing` is set. */
function forwarder(opts: Partial<BufferedForwarderOptions> = {}) {
  const sent: Sent[] = [];
  const warnings: string[] = [];
  const state = { failing: false, attempts: 0 };
  const fwd = new BufferedForwarder({
    path: join(dir, `sub${files}`, `buffer${files++}.sqlite`),
    period: 3600, // tests drive flush() by hand unless they start() the loop
    maxLines: 500,
    async send(lines, type) {
      state.attempts++;
      if (state.failing) throw new Error('remote down');
      sent.push({ type, lines });
    },
    onStatus: (_sev, message) => warnings.push(message),
    ...opts,
  });
  return { fwd, sent, warnings, state };
}

describe('BufferedForwarder', () => {
  it('sends results then statuses as separate batches and forgets them after success', async () => {
    const { fwd, sent } = forwarder();
    fwd.addStatus('{"s":1}');
    fwd.addResult('{"r":1}');
    fwd.addResult('{"r":2}');
    assert.equal(fwd.size, 3);
    await fwd.flush();
    assert.deepEqual(sent, [
      { type: 'result', lines: ['{"r":1}', '{"r":2}'] },
      { type: 'status', lines: ['{"s":1}'] },
    ]);
    assert.equal(fwd.size, 0);
    await fwd.flush();
    assert.equal(sent.length, 2, 'nothing left to send');
    await fwd.stop();
  });

  it('takes at most maxLines entries per flush, results first', async () => {
    const { fwd, sent } = forwarder({ maxLines: 3 });
    fwd.addStatus('s1');
    for (let i = 1; i <= 4; i++) fwd.addResult(`r${i}`);
    await fwd.flush();
    assert.deepEqual(sent, [{ type: 'result', lines: ['r1', 'r2', 'r3'] }]);
    await fwd.flush();
    assert.deepEqual(sent.slice(1), [
      { type: 'result', lines: ['r4'] },
      { type: 'status', lines: ['s1'] },
    ]);
    await fwd.stop();
  });

  it('keeps lines after a failed send and backs off period × k² per type', async () => {
    const { fwd, sent, state } = forwarder({ period: 0.1, maxBackoff: 10 });
    fwd.addResult('a');
    state.failing = true;
    await fwd.flush(); // failure 1: results blocked for 0.1 s
    assert.equal(state.attempts, 1);
    await fwd.flush();
    assert.equal(state.attempts, 1, 'blocked right after the failure');
    await sleep(130);
    await fwd.flush(); // failure 2: blocked 0.4 s
    assert.equal(state.attempts, 2);
    await sleep(200);
    await fwd.flush();
    assert.equal(state.attempts, 2, 'still inside 0.1 × 2² s');
    state.failing = false;
    fwd.addStatus('st'); // statuses have their own backoff: not blocked
    await fwd.flush();
    assert.deepEqual(sent, [{ type: 'status', lines: ['st'] }]);
    await sleep(250);
    await fwd.flush();
    assert.deepEqual(sent[1], { type: 'result', lines: ['a'] });
    assert.equal(fwd.size, 0);
    await fwd.stop();
  });

  it('does not back off when maxBackoff is not above the period', async () => {
    const { fwd, state } = forwarder({ period: 1, maxBackoff: 1 });
    fwd.addResult('a');
    state.failing = true;
    await fwd.flush();
    await fwd.flush();
    assert.equal(state.attempts, 2);
    assert.equal(fwd.size, 1);
    await fwd.stop();
  });

  it('drops the oldest entries beyond --buffered_log_max with a warning', async () => {
    const { fwd, sent, warnings, state } = forwarder({ maxEntries: 3 });
    state.failing = true;
    fwd.addResult('r1');
    fwd.addStatus('s2');
    fwd.addResult('r3');
    fwd.addResult('r4');
    fwd.addResult('r5');
    assert.equal(fwd.size, 3);
    assert.match(warnings[0] ?? '', /^Purging buffered logs limit \(3\) exceeded: 4$/);
    state.failing = false;
    await fwd.flush();
    assert.deepEqual(sent, [{ type: 'result', lines: ['r3', 'r4', 'r5'] }]);
    await fwd.stop();
  });

  it('flushes by itself every period once started', async () => {
    const { fwd, sent } = forwarder({ period: 0.05 });
    fwd.start();
    fwd.addResult('x');
    const end = Date.now() + 3000;
    while (sent.length === 0 && Date.now() < end) await sleep(20);
    assert.deepEqual(sent, [{ type: 'result', lines: ['x'] }]);
    await fwd.stop();
  });

  it('loses nothing it acknowledged when its process is killed with SIGKILL', async () => {
    const path = join(dir, 'crash', 'buffer.sqlite');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./fixtures/buffered-child.ts', import.meta.url).pathname, path],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = Array.from({ length: 200 }, (_, i) => `{"name":"q","n":"${i}"}`);
    let out = '';
    const acked = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(`ack ${lines.length + 1}\n`)) resolve();
      });
    });
    for (const l of lines) child.stdin.write(`${l}\n`);
    child.stdin.write('status {"message":"m"}\n');
    await acked;
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL'); // no chance to flush or close anything
    assert.equal(await exited, 'SIGKILL');

    const sent: Sent[] = [];
    const restarted = new BufferedForwarder({
      path,
      period: 3600,
      maxLines: 500,
      send: async (l, type) => {
        sent.push({ type, lines: l });
      },
    });
    assert.equal(restarted.size, lines.length + 1);
    await restarted.flush();
    assert.deepEqual(sent, [
      { type: 'result', lines },
      { type: 'status', lines: ['{"message":"m"}'] },
    ]);
    await restarted.stop();
  });
});
