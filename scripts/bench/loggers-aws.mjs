#!/usr/bin/env node
// AWS logger extension figures (needs core/dist and idl/dist: build first). For each of
// aws_kinesis -> kinesalite and aws_firehose -> the Firehose protocol double of the tests:
//  - acknowledged lines/s: result lines sent as logger calls (8 connections in parallel, as
//    a busy core would) and answered code 0 (each is committed to the SQLite buffer first);
//  - delivered lines/s: from the first call until the last record reached the backend
//    (flush period 1 s, so small runs are dominated by the period);
//  - the extension's RSS after the run (VmRSS) and its peak (VmHWM).
// Usage: node scripts/bench/loggers-aws.mjs [lines=20000]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register(); // the backends and the extension launcher are shared with test/logger-extensions (TypeScript)
const { ThriftClient } = await import('../../idl/dist/index.js');
const helpers = await import('../../test/logger-extensions/aws-helpers.ts');
const { eventLine, startFirehoseDouble, startKinesis, startLogger, until } = helpers;

const LINES = Number(process.argv[2] ?? 20_000);
const CONNECTIONS = 8;

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function run(name, backend, flags, delivered) {
  const logger = await startLogger(name, flags);
  const socket = logger.core.manager.pluginSocket('logger', name);
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => ThriftClient.connect(socket, { timeoutMs: 10_000 })),
  );
  const lines = Array.from({ length: LINES }, (_, i) => eventLine(i));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (next < lines.length) {
        const line = lines[next++];
        const r = await c.call(
          { method: 'call', registry: 'logger', item: name, request: { string: line, category: 'event' } },
          10_000,
        );
        if (r.status.code !== 0) throw new Error(`not acknowledged: ${r.status.message}`);
      }
    }),
  );
  const acked = performance.now() - t0;
  await until('all delivered', async () => ((await delivered()) >= LINES ? true : undefined), 300_000);
  const done = performance.now() - t0;
  const mem = memory(logger.ext.current.child.pid);
  for (const c of clients) c.close();
  await logger.close();
  await backend.close();
  console.log(
    `${name.padEnd(13)} ${LINES} lines: acknowledged ${Math.round(LINES / (acked / 1000))
      .toString()
      .padStart(7)} lines/s, delivered ${Math.round(LINES / (done / 1000))
      .toString()
      .padStart(
        7,
      )} lines/s (${(done / 1000).toFixed(2)} s), extension RSS ${mem.rss.toFixed(0)} MiB (peak ${mem.peak.toFixed(0)} MiB)`,
  );
}

const isResult = (r) => r.includes('"log_type":"result"}');

const kinesis = await startKinesis('bench');
await run(
  'aws_kinesis',
  kinesis,
  {
    aws_kinesis_stream: 'bench',
    aws_kinesis_endpoint: `http://127.0.0.1:${kinesis.relay.port}`,
    aws_kinesis_period: '1',
  },
  async () => (await kinesis.poll()).filter((r) => isResult(r.data)).length,
);

const firehose = await startFirehoseDouble('bench');
await run(
  'aws_firehose',
  firehose,
  {
    aws_firehose_stream: 'bench',
    aws_firehose_endpoint: `http://127.0.0.1:${firehose.relay.port}`,
    aws_firehose_period: '1',
  },
  async () => firehose.accepted.filter(isResult).length,
);
process.exit(0);
