// The kafka_producer extension program. osqd (or osquery) starts it with
// `--socket PATH --timeout N --interval N`; the SDK reads those itself.
import { hostname } from 'node:os';
import { ExtensionServer, loggerPlugin } from '@osq/sdk';
import { KafkaLogger } from './kafka-logger.js';
import { kafkajsProducer } from './producer.js';

const server = new ExtensionServer({ name: 'kafka_producer', version: '0.1.0' });
const warn = (message: string) => process.stderr.write(`kafka_producer: ${message}\n`);

const logger = new KafkaLogger({
  hostname: hostname(),
  createProducer: kafkajsProducer,
  warn,
  async readFlags() {
    const options = await server.client.options();
    return (name) => options[name]?.value ?? '';
  },
});

server.add(
  loggerPlugin('kafka_producer', {
    init: (processName) => logger.init(processName),
    logString: (line) => logger.log(line),
    logSnapshot: (line) => logger.log(line),
  }),
);

const stop = () => void server.shutdown();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
let code = 0;
try {
  const reason = await server.run();
  if (reason === 'unregistered') code = 1;
} catch (err) {
  warn((err as Error).message);
  code = 1;
}
// As osquery does at shutdown: give queued lines up to 3 s to reach Kafka.
await logger.close(3000);
process.exit(code);
