// A 60 s backend outage soak for the logger extensions (run: node --import tsx
// scripts/soak/logger-outage.ts [seconds]). osqd logs a snapshot every second to
// filesystem and kafka_producer; the mock Kafka broker (librdkafka's mock cluster,
// built from Debian's librdkafka-dev) goes down for the outage, then comes back. The
// soak passes when every line of the snapshots file reached Kafka.
import { Kafka, logLevel } from 'kafkajs';
import { DaemonDir, stopDaemon, until } from '../../test/daemon/helpers.ts';
import { startKafkaMock } from '../../test/logger-extensions/kafka-mock/mock.ts';

const outageSeconds = Number(process.argv[2] ?? 60);
const mock = await startKafkaMock(1, ['osq-soak:1']);
const received = new Set<string>();
let duplicates = 0;
const kafka = new Kafka({ clientId: 'osq-soak', brokers: [mock.bootstrap], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `osq-soak-${process.pid}`, maxWaitTimeInMs: 100 });
await consumer.connect();
await consumer.subscribe({ topics: ['osq-soak'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const v = message.value?.toString() ?? '';
    if (received.has(v)) duplicates++;
    received.add(v);
  },
});

const d = new DaemonDir();
d.writeConfig({ schedule: { tick: { query: 'SELECT unix_time FROM time', interval: 1, snapshot: true } } });
const p = d.start([
  '--disable_watchdog',
  '--logger_plugin=filesystem,kafka_producer',
  `--logger_kafka_brokers=${mock.bootstrap}`,
  '--logger_kafka_topic=osq-soak',
]);
const lines = () => d.raw('osqueryd.snapshots.log').split('\n').filter(Boolean);
await until('first lines in Kafka', () => received.size >= 3, 60_000);
await mock.command('down 1');
const t0 = Date.now();
const before = lines().length;
await new Promise((r) => setTimeout(r, outageSeconds * 1000));
const during = lines().length - before;
await mock.command('up 1');
const back = Date.now();
const target = lines();
await until('every line in Kafka', () => target.every((l) => received.has(l)), 300_000);
const drained = Date.now() - back;
await stopDaemon(p);
await consumer.disconnect();
await mock.close();
console.log(
  `outage ${Math.round((back - t0) / 1000)} s: osqd wrote ${during} lines meanwhile; ` +
    `all ${target.length} lines delivered ${(drained / 1000).toFixed(1)} s after the broker returned; ` +
    `${duplicates} duplicates; lost 0`,
);
process.exit(0);
