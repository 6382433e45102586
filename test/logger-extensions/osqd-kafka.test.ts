// osqd end to end with a logger extension: `--logger_plugin=filesystem,kafka_producer`
// makes osqd start osq's own kafka_producer extension (no autoload file), and every
// result line reaches both the results file and Kafka. The Kafka side is librdkafka's
// mock cluster (a real Kafka protocol server on 127.0.0.1, built by the test from
// Debian's librdkafka-dev), read back with a kafkajs consumer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { DaemonDir, stopDaemon, until } from '../daemon/helpers.ts';
import { type KafkaMock, startKafkaMock } from './kafka-mock/mock.js';

describe('osqd with --logger_plugin=filesystem,kafka_producer', () => {
  let mock: KafkaMock;
  let consumer: Consumer;
  const received: string[] = [];
  const d = new DaemonDir();

  before(async () => {
    mock = await startKafkaMock(1, ['osq-results:1']);
    const kafka = new Kafka({ clientId: 'osq-e2e', brokers: [mock.bootstrap], logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `osq-e2e-${process.pid}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['osq-results'], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString() ?? '');
      },
    });
  });

  after(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await mock?.close();
  });

  it('delivers every line to Kafka, through a broker outage and an extension crash', async () => {
    // A snapshot each second whose content changes every time, so lines are distinct.
    d.writeConfig({
      schedule: { tick: { query: 'SELECT unix_time FROM time', interval: 1, snapshot: true } },
    });
    const p = d.start([
      '--disable_watchdog',
      '--logger_plugin=filesystem,kafka_producer',
      `--logger_kafka_brokers=${mock.bootstrap}`,
      '--logger_kafka_topic=osq-results',
      '--extensions_interval=1',
    ]);
    const fileLines = () => d.raw('osqueryd.snapshots.log').split('\n').filter(Boolean);
    try {
      await until('lines in Kafka', () => received.length >= 3, 30_000);
      // The broker goes away for 4 s (osqd keeps scheduling), then comes back.
      await mock.command('down 1');
      const duringOutage = fileLines().length;
      await new Promise((r) => setTimeout(r, 4000));
      assert.ok(fileLines().length >= duringOutage + 3, 'osqd kept scheduling during the outage');
      await mock.command('up 1');
      // The extension dies; osqd restarts it and the lines written meanwhile follow.
      execFileSync('pkill', ['-9', '-f', 'extensions/kafka-producer/bin/kafka-producer.mjs']);
      await new Promise((r) => setTimeout(r, 3000));
      const target = fileLines();
      await until('every line in Kafka', () => target.every((l) => received.includes(l)), 60_000);
    } finally {
      await stopDaemon(p);
    }
    // Byte for byte what the filesystem logger wrote; duplicates only from a batch in flight.
    const written = fileLines();
    assert.deepEqual(
      written.filter((l) => !received.includes(l)),
      [],
    );
    const dupes = received.length - new Set(received).size;
    assert.ok(dupes <= 64, `${dupes} duplicated lines (at most one in-flight batch)`);
  });
});
