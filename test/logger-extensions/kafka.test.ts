// The kafka_producer extension against a real Kafka protocol endpoint: librdkafka's mock
// cluster (test/logger-extensions/kafka-mock, Debian librdkafka-dev), an osq core manager in this
// process (core/dist), and the extension as a child process. Logger calls go to the
// extension exactly as the core sends them; a kafkajs consumer in the test reads what
// reached the cluster.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { type FlagName, setFlag } from '@osq/core/flags/index';
import { ThriftClient } from '@osq/idl';
import kafkajs, { CompressionTypes, type Consumer, Kafka, logLevel } from 'kafkajs';
import { type Core, type Spawned, spawnExtension, startCore } from '../sdk/harness.js';
import { type KafkaMock, startKafkaMock } from './kafka-mock/mock.js';

const LAUNCHER = join(import.meta.dirname, 'kafka-mock/kafka-producer-dev.mjs');
const KEY = `${hostname()}_osqueryd`;
const TOPICS = ['osq-base', 'osq-alpha', 'osq-beta'];

interface Received {
  topic: string;
  partition: number;
  key: string;
  value: string;
}

// Count gzip-compressed record batches the consumer decodes (kafkajs looks the codec up
// per batch), to see on the consumer side that the producer really compressed.
let gzipBatches = 0;
const { CompressionCodecs } = kafkajs; // not among the names Node sees as ESM exports
const gzipFactory = CompressionCodecs[CompressionTypes.GZIP];
CompressionCodecs[CompressionTypes.GZIP] = () => {
  gzipBatches++;
  return gzipFactory();
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
/** A result line in osquery's event format, unique per call. */
function resultLine(name: string, extra: Record<string, string> = {}): string {
  seq++;
  return JSON.stringify({
    name,
    hostIdentifier: 'h1',
    calendarTime: 'Thu Aug  6 21:46:12 2026 UTC',
    unixTime: 1786052772,
    epoch: 0,
    counter: seq,
    numerics: false,
    columns: { seq: String(seq), ...extra },
    action: 'added',
  });
}

describe('kafka_producer extension', () => {
  let mock: KafkaMock;
  let core: Core;
  let ext: Spawned;
  let consumer: Consumer;
  const received: Received[] = [];

  /** Sends one logger call to the extension as the core does; returns the status. */
  async function call(request: Record<string, string>, timeoutMs = 30_000) {
    const socket = core.manager.pluginSocket('logger', 'kafka_producer');
    assert.ok(socket, 'kafka_producer is registered');
    const client = await ThriftClient.connect(socket, { timeoutMs });
    try {
      const r = await client.call(
        { method: 'call', registry: 'logger', item: 'kafka_producer', request },
        timeoutMs,
      );
      return r.status;
    } finally {
      client.close();
    }
  }
  const logLine = (line: string, timeoutMs?: number) => call({ string: line, category: 'event' }, timeoutMs);

  /** Waits until every value in `lines` was consumed; returns the matching messages. */
  async function consumed(lines: string[], timeoutMs = 20_000): Promise<Received[]> {
    const want = new Set(lines);
    return core.eventually(async () => {
      const got = received.filter((m) => want.has(m.value));
      return new Set(got.map((m) => m.value)).size === want.size ? got : undefined;
    }, timeoutMs);
  }

  /** Sets a core flag and waits past the extension's 1 s settings refresh. */
  async function flag(name: FlagName, value: string) {
    setFlag(name, value);
    await sleep(1200);
  }

  before(async () => {
    mock = await startKafkaMock(1, ['osq-base:1', 'osq-alpha:2', 'osq-beta:1']);
    core = await startCore();
    setFlag('logger_kafka_brokers', mock.bootstrap);
    setFlag('logger_kafka_topic', 'osq-base');
    setFlag('logger_kafka_topics', JSON.stringify({ 'osq-alpha': ['pack_p_q1', 'q2'], 'osq-beta': ['q3'] }));
    ext = spawnExtension(LAUNCHER, core.socket);
    await core.waitFor('kafka_producer', 30_000);
    const kafka = new Kafka({ clientId: 'osq-test', brokers: [mock.bootstrap], logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `osq-test-${process.pid}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        received.push({
          topic,
          partition,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
        });
      },
    });
    assert.equal((await call({ init: 'osqueryd' })).code, 0);
    assert.equal((await call({ action: 'features' })).code, 0, 'no status logs, no events (as osquery)');
  });

  after(async () => {
    await consumer?.disconnect().catch(() => undefined);
    ext?.kill();
    await ext?.exited;
    await core?.close();
    await mock?.close();
  });

  it('routes lines by query name to kafka_topics, others to the base topic, keyed <host>_osqueryd', async () => {
    const lines = {
      'osq-alpha': [resultLine('pack_p_q1'), resultLine('q2')],
      'osq-beta': [resultLine('q3')],
      'osq-base': [resultLine('other'), resultLine('pack_p_q3'), 'not json at all'],
    };
    for (const list of Object.values(lines)) {
      for (const line of list) {
        const s = await logLine(line);
        assert.deepEqual([s.code, s.message], [0, 'OK']);
      }
    }
    for (const [topic, list] of Object.entries(lines)) {
      const got = await consumed(list);
      assert.deepEqual(got.map((m) => m.value).sort(), [...list].sort(), `exact payloads on ${topic}`);
      for (const m of got) {
        assert.equal(m.topic, topic);
        assert.equal(m.key, KEY);
      }
    }
    // librdkafka's consistent partitioner: CRC-32 of the key modulo the partition count.
    const alpha = await consumed(lines['osq-alpha']);
    for (const m of alpha) assert.equal(m.partition, crc32(KEY) % 2);
  });

  it('sends snapshots through the same routing', async () => {
    const snap = JSON.stringify({
      snapshot: [{ a: '1' }],
      action: 'snapshot',
      name: 'q3',
      hostIdentifier: 'h1',
    });
    assert.equal((await call({ snapshot: snap })).code, 0);
    const [m] = await consumed([snap]);
    assert.equal(m?.topic, 'osq-beta');
  });

  it('compresses with gzip when --logger_kafka_compression=gzip', async () => {
    const before = gzipBatches;
    const plain = resultLine('other');
    assert.equal((await logLine(plain)).code, 0);
    await consumed([plain]);
    assert.equal(gzipBatches, before, 'no gzip batch before the flag is set');
    await flag('logger_kafka_compression', 'gzip');
    const lines = Array.from({ length: 5 }, () => resultLine('q2', { pad: 'x'.repeat(2000) }));
    for (const line of lines) assert.equal((await logLine(line)).code, 0);
    const got = await consumed(lines);
    assert.equal(got.length, lines.length);
    assert.ok(gzipBatches > before, 'the consumer decoded gzip-compressed batches');
    await flag('logger_kafka_compression', 'none');
  });

  it('acks=all waits for the broker: an injected Produce error fails the call, the retry delivers', async () => {
    // 87 INVALID_RECORD is not retriable: kafkajs reports it at once.
    await mock.command('errors 0 87 1');
    const line = resultLine('other');
    const failed = await logLine(line);
    assert.notEqual(failed.code, 0, 'not acknowledged');
    assert.match(failed.message, /Kafka delivery failed/);
    assert.equal((await logLine(line)).code, 0, 'the core retries the same line later');
    const got = await consumed([line]);
    assert.equal(got.length, 1);
  });

  it('retriable broker errors are retried inside one call', async () => {
    // 6 NOT_LEADER_OR_FOLLOWER twice: kafkajs refreshes metadata and retries.
    await mock.command('errors 0 6 2');
    const line = resultLine('q3');
    assert.equal((await logLine(line)).code, 0);
    assert.equal((await consumed([line])).length, 1);
  });

  it('acks=0 does not wait for the broker (the rejected line is gone, as with librdkafka)', async () => {
    await flag('logger_kafka_acks', '0');
    await mock.command('errors 0 87 1');
    const lost = resultLine('other');
    const kept = resultLine('other');
    assert.equal((await logLine(lost)).code, 0, 'acknowledged without a broker answer');
    assert.equal((await logLine(kept)).code, 0);
    await consumed([kept]);
    await sleep(300);
    assert.equal(received.filter((m) => m.value === lost).length, 0, 'the broker dropped it');
    await flag('logger_kafka_acks', 'all');
  });

  it('loses nothing while the broker is down: calls fail, lines retried after it is back arrive', async () => {
    // The core's Delivery lane: one call at a time, retry a failed line until acknowledged.
    const lines = Array.from({ length: 30 }, (_, i) => resultLine(i % 2 ? 'q2' : 'other'));
    let failures = 0;
    let downAt = -1;
    const deliver = async () => {
      for (let i = 0; i < lines.length; i++) {
        if (i === 10) {
          await mock.command('down 1');
          downAt = Date.now();
          setTimeout(() => void mock.command('up 1'), 3000);
        }
        for (;;) {
          const s = await logLine(lines[i] as string, 60_000);
          if (s.code === 0) break;
          failures++;
          await sleep(250);
        }
      }
    };
    await deliver();
    assert.ok(downAt > 0);
    const got = await consumed(lines, 30_000);
    const counts = new Map<string, number>();
    for (const m of got) counts.set(m.value, (counts.get(m.value) ?? 0) + 1);
    assert.equal(counts.size, lines.length, 'every line arrived');
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    assert.ok(duplicated <= 1, `at most the in-flight line duplicated (got ${duplicated})`);
    // Either kafkajs' own retries covered the outage or the core's retries did.
    process.stderr.write(`# broker outage: ${failures} failed calls, ${duplicated} duplicates\n`);
  });

  it('no base topic and no kafka_topics: non-zero status, the core keeps the line', async () => {
    await flag('logger_kafka_topics', '');
    setFlag('logger_kafka_topic', '');
    await sleep(1200);
    const s = await logLine(resultLine('q3'));
    assert.notEqual(s.code, 0);
    assert.equal(s.message, 'Cannot log because Kafka producer did not initiate properly.');
    // A per-query topic alone is enough for its queries; other queries fail.
    await flag('logger_kafka_topics', JSON.stringify({ 'osq-beta': ['q3'] }));
    const routed = resultLine('q3');
    assert.equal((await logLine(routed)).code, 0);
    assert.equal((await consumed([routed]))[0]?.topic, 'osq-beta');
    const orphan = await logLine(resultLine('other'));
    assert.notEqual(orphan.code, 0);
    assert.match(orphan.message, /No Kafka topic for query other/);
    assert.match(ext.stderr(), /did not initiate properly/, 'warned on stderr once');
    setFlag('logger_kafka_topic', 'osq-base');
    await sleep(1200);
  });
});
