#!/usr/bin/env node
import { spawn } from 'node:child_process';
// Kafka logger figures: result lines/s delivered to librdkafka's mock cluster through the
// kafka_producer extension (each call acknowledged only after the broker acknowledged it),
// called one line at a time as osqd's delivery lane does today and with many calls in
// flight; the same lines sent straight from kafkajs in batches of 500 as the ceiling; the
// extension's RSS idle and after the load. Needs librdkafka-dev (the mock) and a built
// core (npm run build). Prints figures, asserts nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ThriftClient } from '@osq/idl';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { register } from 'tsx/esm/api';
import { openEngine } from '../../core/dist/engine/engine.js';
import { ExtensionManager } from '../../core/dist/extensions/manager.js';
import { setFlag } from '../../core/dist/flags/index.js';

register();
const { startKafkaMock } = await import('../../test/logger-extensions/kafka-mock/mock.ts');

const root = new URL('../../', import.meta.url).pathname;
const built = join(root, 'extensions/kafka-producer/dist/main.js');
const launcher = existsSync(built)
  ? join(root, 'extensions/kafka-producer/bin/kafka-producer.mjs')
  : join(root, 'test/logger-extensions/kafka-mock/kafka-producer-dev.mjs');

const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
function line() {
  seq++;
  return JSON.stringify({
    name: 'pack_osq_processes',
    hostIdentifier: 'bench-host',
    calendarTime: 'Thu Aug  6 21:46:12 2026 UTC',
    unixTime: 1786052772,
    epoch: 0,
    counter: seq,
    numerics: false,
    columns: {
      pid: String(1000 + seq),
      name: 'node',
      path: '/usr/bin/node',
      cmdline: `node worker.js --id ${seq}`,
      uid: '0',
    },
    action: 'added',
  });
}

const mock = await startKafkaMock(1, ['osq-bench:4']);
const dir = mkdtempSync(join(tmpdir(), 'osq-bench-kafka-'));
const socket = join(dir, 'osq.em');
setFlag('extensions_socket', socket);
setFlag('logger_kafka_brokers', mock.bootstrap);
setFlag('logger_kafka_topic', 'osq-bench');
const engine = await openEngine({ thread: 'worker' });
const manager = new ExtensionManager({ socketPath: socket, engine });
await manager.start();
const child = spawn(process.execPath, [launcher, '--socket', socket, '--timeout', '5', '--interval', '1'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (!(await manager.waitFor('kafka_producer', 30_000))) throw new Error('kafka_producer did not register');
const extSocket = manager.pluginSocket('logger', 'kafka_producer');

const clients = [];
async function client(i) {
  clients[i] ??= await ThriftClient.connect(extSocket, { timeoutMs: 30_000 });
  return clients[i];
}
async function log(i, text) {
  const c = await client(i);
  const r = await c.call({
    method: 'call',
    registry: 'logger',
    item: 'kafka_producer',
    request: { string: text, category: 'event' },
  });
  if (r.status.code !== 0) throw new Error(r.status.message);
}

/** Lines/s with `inFlight` concurrent callers, each sending its share one call at a time. */
async function run(total, inFlight) {
  const lines = Array.from({ length: total }, line);
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, i) => {
      while (next < lines.length) await log(i, lines[next++]);
    }),
  );
  return total / ((performance.now() - t) / 1000);
}

await log(0, line()); // connect
await sleep(1500);
const idle = rssMiB(child.pid);
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(8);
console.log(`extension launcher: ${launcher.replace(root, '')}`);
await run(500, 1);
console.log(`serial calls (osqd's lane today)       ${fmt(await run(3000, 1))} lines/s`);
await run(2000, 64);
console.log(`64 calls in flight                      ${fmt(await run(30_000, 64))} lines/s`);
setFlag('logger_kafka_compression', 'gzip');
await sleep(1200);
await run(2000, 64);
console.log(`64 calls in flight, gzip                ${fmt(await run(30_000, 64))} lines/s`);
const loaded = rssMiB(child.pid);

// The ceiling: kafkajs directly, 500 lines per send, no extension hop.
const kafka = new Kafka({ clientId: 'bench', brokers: [mock.bootstrap], logLevel: logLevel.NOTHING });
const producer = kafka.producer();
await producer.connect();
const direct = Array.from({ length: 30_000 }, line);
const t = performance.now();
for (let i = 0; i < direct.length; i += 500) {
  await producer.send({
    topic: 'osq-bench',
    acks: -1,
    compression: CompressionTypes.None,
    messages: direct.slice(i, i + 500).map((value) => ({ key: 'bench-host_osqueryd', value })),
  });
}
console.log(
  `kafkajs direct, 500 per send (ceiling)  ${fmt(30_000 / ((performance.now() - t) / 1000))} lines/s`,
);
await producer.disconnect();
console.log(`extension RSS idle ${idle.toFixed(1)} MiB, after load ${loaded.toFixed(1)} MiB`);

for (const c of clients) c?.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await manager.stop();
await engine.close();
await mock.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
