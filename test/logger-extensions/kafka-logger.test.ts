// The kafka_producer logic without a network: flag parsing, topic routing, batching of
// concurrent calls, and what is acknowledged when, over a fake Producer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KafkaLogger,
  MAX_MESSAGE_BYTES,
  NOT_INITIATED,
  queryName,
} from '../../extensions/kafka-producer/src/kafka-logger.js';
import type { OutMessage, Producer, ProducerConfig } from '../../extensions/kafka-producer/src/producer.js';
import {
  parseAcks,
  parseBrokers,
  parseCompression,
  parseQueryTopics,
  readSettings,
} from '../../extensions/kafka-producer/src/settings.js';

/** A producer that records sends and completes them when told to. */
class FakeProducer implements Producer {
  sends: OutMessage[][] = [];
  private waiters: { resolve(): void; reject(e: Error): void }[] = [];
  closed = false;
  constructor(readonly config: ProducerConfig) {}
  send(messages: OutMessage[]): Promise<void> {
    this.sends.push(messages);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
  /** Completes the oldest outstanding send. */
  finish(error?: Error): void {
    const w = this.waiters.shift();
    assert.ok(w, 'a send is outstanding');
    if (error) w.reject(error);
    else w.resolve();
  }
  async close() {
    this.closed = true;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function setup(flags: Record<string, string>) {
  const producers: FakeProducer[] = [];
  const warnings: string[] = [];
  const logger = new KafkaLogger({
    hostname: 'web1',
    refreshMs: 0,
    readFlags: async () => (name) => flags[name] ?? '',
    createProducer: (config) => {
      const p = new FakeProducer(config);
      producers.push(p);
      return p;
    },
    warn: (m) => warnings.push(m),
  });
  return { logger, producers, warnings, flags };
}

describe('kafka_producer settings', () => {
  it('reads brokers as librdkafka does (default port 9092, protocol prefixes dropped)', () => {
    assert.deepEqual(parseBrokers('localhost'), ['localhost:9092']);
    assert.deepEqual(parseBrokers('a:1, ssl://b ,PLAINTEXT://c:3'), ['a:1', 'b:9092', 'c:3']);
  });

  it('maps acks and compression', () => {
    assert.equal(parseAcks('all'), -1);
    assert.equal(parseAcks('1'), 1);
    assert.equal(parseAcks('0'), 0);
    assert.throws(() => parseAcks('2'));
    assert.equal(parseCompression('none'), 'none');
    assert.equal(parseCompression('GZIP'), 'gzip');
    assert.throws(() => parseCompression('snappy'), /none and gzip/);
  });

  it('inverts kafka_topics into query -> topic', () => {
    const m = parseQueryTopics('{"topic_a":["pack_p_q1","q2"],"topic_b":["q3"],"bad":"q4"}');
    assert.deepEqual(
      [...m],
      [
        ['pack_p_q1', 'topic_a'],
        ['q2', 'topic_a'],
        ['q3', 'topic_b'],
      ],
    );
    assert.equal(parseQueryTopics('').size, 0);
  });

  it('uses TLS only for ssl:// brokers', () => {
    const flags: Record<string, string> = { logger_kafka_brokers: 'SSL://k:9093', tls_client_cert: '/c.pem' };
    const s = readSettings((n) => flags[n] ?? '');
    assert.deepEqual(s.tls, { cert: '/c.pem' });
    assert.equal(readSettings(() => '').tls, undefined);
  });

  it('finds the query name at the top level of any result line shape', () => {
    assert.equal(queryName('{"diffResults":{"added":[{"name":"x"}]},"name":"q"}'), 'q');
    assert.equal(queryName('{"snapshot":[],"name":"s"}'), 's');
    assert.equal(queryName('nope'), '');
  });
});

describe('kafka_producer logger', () => {
  it('creates the producer from the flags with client.id = hostname', async () => {
    const { logger, producers } = setup({
      logger_kafka_brokers: 'k1,k2:9093',
      logger_kafka_topic: 'base',
      logger_kafka_acks: '1',
      logger_kafka_compression: 'gzip',
    });
    await logger.init('osqueryi');
    assert.equal(producers.length, 1);
    const c = producers[0]?.config;
    assert.deepEqual(
      [c?.brokers, c?.clientId, c?.acks, c?.compression],
      [['k1:9092', 'k2:9093'], 'web1', 1, 'gzip'],
    );
    assert.equal(logger.key, 'web1_osqueryi');
  });

  it('acknowledges a line only once the producer has it, and fails it when the send fails', async () => {
    const { logger, producers } = setup({ logger_kafka_topic: 'base' });
    await logger.init('osqueryd');
    let done = false;
    const call = logger.log('{"name":"q"}').then(() => {
      done = true;
    });
    await tick();
    assert.equal(done, false, 'still waiting for the broker');
    producers[0]?.finish();
    await call;
    assert.deepEqual(producers[0]?.sends[0], [
      { topic: 'base', key: 'web1_osqueryd', value: '{"name":"q"}' },
    ]);
    const failing = logger.log('{"name":"q"}');
    await tick();
    producers[0]?.finish(new Error('broker away'));
    await assert.rejects(failing, /Kafka delivery failed: broker away/);
  });

  it('gathers calls made while a send is in flight into one batch, in order', async () => {
    const { logger, producers } = setup({ logger_kafka_topic: 'base', logger_kafka_topics: '{"t":["b"]}' });
    await logger.init('osqueryd');
    const first = logger.log('{"name":"a","n":0}');
    await tick();
    const rest = [1, 2, 3].map((n) => logger.log(`{"name":"${n === 2 ? 'b' : 'a'}","n":${n}}`));
    await tick();
    const p = producers[0] as FakeProducer;
    assert.equal(p.sends.length, 1, 'one send in flight at a time');
    p.finish();
    await first;
    await tick();
    assert.equal(p.sends.length, 2);
    assert.deepEqual(
      p.sends[1]?.map((m) => [m.topic, m.value]),
      [
        ['base', '{"name":"a","n":1}'],
        ['t', '{"name":"b","n":2}'],
        ['base', '{"name":"a","n":3}'],
      ],
    );
    p.finish();
    await Promise.all(rest);
  });

  it('fails without any topic, and per query without a match when there is no base topic', async () => {
    const { logger, flags, warnings } = setup({});
    await logger.init('osqueryd');
    await assert.rejects(logger.log('{"name":"q"}'), { message: NOT_INITIATED });
    await assert.rejects(logger.log('{"name":"q"}'), { message: NOT_INITIATED });
    assert.equal(warnings.filter((w) => w === NOT_INITIATED).length, 1, 'warned once');
    flags.logger_kafka_topics = '{"t":["q"]}'; // the config arrived: re-read on the next call
    await assert.rejects(logger.log('{"name":"other"}'), /No Kafka topic for query other/);
  });

  it('drops a line Kafka could never take instead of blocking the queue behind it', async () => {
    const { logger, producers, warnings } = setup({ logger_kafka_topic: 'base' });
    await logger.init('osqueryd');
    await logger.log(`{"name":"big","x":"${'y'.repeat(MAX_MESSAGE_BYTES)}"}`);
    assert.equal(producers[0]?.sends.length, 0);
    assert.match(warnings[0] ?? '', /Dropping a \d+-byte result line of big/);
  });

  it('starts a new producer when the brokers or delivery settings change', async () => {
    const { logger, producers, flags } = setup({ logger_kafka_topic: 'base', logger_kafka_brokers: 'a' });
    await logger.init('osqueryd');
    flags.logger_kafka_topic = 'other'; // a topic change keeps the producer
    const first = logger.log('{}');
    await tick();
    assert.equal(producers.length, 1);
    assert.equal(producers[0]?.sends[0]?.[0]?.topic, 'other');
    producers[0]?.finish();
    await first;
    flags.logger_kafka_brokers = 'b';
    const second = logger.log('{}');
    await tick();
    assert.equal(producers.length, 2);
    producers[1]?.finish();
    await second;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(producers[0]?.closed, true);
  });
});
