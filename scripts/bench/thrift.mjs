#!/usr/bin/env node
// Thrift wire-layer figures (needs `idl/dist`: build first). Servers run in a child process, as
// an extension and the core would.
//  - ping round trip (median, p99) of our client + server over a Unix socket, against a raw
//    Unix-socket echo of the same bytes (a bare Node<->Node round trip). Goal: within 2x.
//  - a 10,000 x 10 string-column reply: rows/s decoded by our codec vs the npm runtime with
//    the generated code (one-shot, in process), and a whole call over the socket with our
//    client vs the npm client. Goal: >= 68k rows/s.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  createThriftServer,
  decodeReply,
  encodeCall,
  encodeReply,
  MessageFramer,
  ThriftClient,
} from '../../idl/dist/index.js';
import { ExtensionManager, refDecodeReply, thrift } from '../../idl/dist/reference.js';
import { median, report } from './lib.mjs';

const ROWS = 10_000;
const COLS = 10;

function makeRows(n) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const row = {};
    for (let c = 0; c < COLS; c++) row[`column_${c}`] = `value ${i}:${c} ${'x'.repeat((i + c) % 17)}`;
    rows.push(row);
  }
  return rows;
}

// ---- child: the servers -------------------------------------------------------------------
if (process.argv[2] === 'serve') {
  const dir = process.argv[3];
  const rows = makeRows(ROWS);
  const ok = { code: 0, message: 'OK', uuid: 0 };
  const thriftServer = createThriftServer({
    ping: () => ok,
    call: () => ({ status: ok, response: rows }),
  });
  // Echo: answers each complete message with the same bytes, framed the same way.
  const echo = net.createServer((sock) => {
    const framer = new MessageFramer();
    sock.on('data', (chunk) => {
      for (const m of framer.push(chunk)) sock.write(m);
    });
    sock.on('error', () => undefined);
  });
  thriftServer.listen(join(dir, 'thrift.sock'), () =>
    echo.listen(join(dir, 'echo.sock'), () => process.send?.('ready')),
  );
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

async function pingLoop(label, once, n = 3000) {
  for (let i = 0; i < 300; i++) await once(); // warm-up
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    times.push((performance.now() - t) * 1000);
  }
  return { label, median: median(times), p99: percentile(times, 0.99) };
}

function rawEcho(path, msg) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path }, () => {
      let want = 0;
      let waiter = null;
      sock.on('data', (chunk) => {
        want -= chunk.length;
        if (want <= 0 && waiter) {
          const w = waiter;
          waiter = null;
          w();
        }
      });
      resolve({
        once: () =>
          new Promise((done) => {
            want = msg.length;
            waiter = done;
            sock.write(msg);
          }),
        close: () => sock.destroy(),
      });
    });
    sock.on('error', reject);
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'osq-bench-thrift-'));
  const child = fork(fileURLToPath(import.meta.url), ['serve', dir], { stdio: 'inherit' });
  await new Promise((resolve) => child.once('message', resolve));
  try {
    const thriftPath = join(dir, 'thrift.sock');

    // Ping: ours vs raw echo of an identical ping message.
    const client = await ThriftClient.connect(thriftPath);
    const ours = await pingLoop('osq ping', () => client.call({ method: 'ping' }));
    const echo = await rawEcho(join(dir, 'echo.sock'), encodeCall({ method: 'ping' }, 1));
    const raw = await pingLoop('raw echo', echo.once);
    echo.close();
    console.log(
      `ping round trip (us)               osq median ${ours.median.toFixed(0)}  p99 ${ours.p99.toFixed(0)}   ` +
        `raw echo median ${raw.median.toFixed(0)}  p99 ${raw.p99.toFixed(0)}   ratio ${(ours.median / raw.median).toFixed(2)}x (goal <= 2x)`,
    );

    // Decode only, one-shot, in process.
    const reply = encodeReply('call', 1, {
      status: { code: 0, message: 'OK', uuid: 0 },
      response: makeRows(ROWS),
    });
    const oursDecode = bestOf(7, () => decodeReply('call', reply));
    let refDecode = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await refDecodeReply('call', reply);
      refDecode = Math.min(refDecode, performance.now() - t);
    }
    report(`decode ${ROWS} x ${COLS} (one shot)`, oursDecode, 'npm thrift', refDecode);
    console.log(
      `${''.padEnd(34)} osq ${rowsPerSec(oursDecode)} rows/s   npm thrift ${rowsPerSec(refDecode)} rows/s`,
    );

    // A whole call over the socket: our client vs the npm client (same server).
    const req = { method: 'call', registry: 'table', item: 'bench', request: { action: 'generate' } };
    const oursCall = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await client.call(req);
      oursCall.push(performance.now() - t);
    }
    client.close();
    const conn = thrift.createUDSConnection(thriftPath);
    const npmClient = thrift.createClient(ExtensionManager, conn);
    const npmCall = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await npmClient.call('table', 'bench', { action: 'generate' });
      npmCall.push(performance.now() - t);
    }
    conn.end();
    report(`call -> ${ROWS} x ${COLS} over socket`, median(oursCall), 'npm client', median(npmCall));
    console.log(
      `${''.padEnd(34)} osq ${rowsPerSec(median(oursCall))} rows/s   npm client ${rowsPerSec(median(npmCall))} rows/s (goal >= 68k)`,
    );
  } finally {
    child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

function bestOf(n, fn) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function rowsPerSec(ms) {
  return Math.round((ROWS / ms) * 1000).toLocaleString('en-US');
}
