// The Kafka logger (extensions/kafka-producer reads these through options()).
// Names, types, defaults and descriptions are osquery's (core/schema/osquery-flags.json).
import type { FlagDeclaration } from '../types.js';

export const kafkaFlags = [
  {
    name: 'logger_kafka_acks',
    type: 'string',
    default: 'all',
    kind: 'flag',
    support: 'honoured',
    description: "The number of acknowledgments the leader has to receive (0, 1, 'all')",
  },
  {
    name: 'logger_kafka_brokers',
    type: 'string',
    default: 'localhost',
    kind: 'flag',
    support: 'honoured',
    description: 'Bootstrap broker(s) as a comma-separated list of host or host:port (default port 9092)',
  },
  {
    name: 'logger_kafka_compression',
    type: 'string',
    default: 'none',
    kind: 'flag',
    support: 'honoured',
    description: "Compression codec to use for compressing message sets ('none' or 'gzip')",
  },
  {
    name: 'logger_kafka_topic',
    type: 'string',
    default: '',
    kind: 'flag',
    support: 'honoured',
    description: 'Kafka topic to publish logs under',
  },
  {
    name: 'logger_kafka_topics',
    type: 'string',
    default: '',
    kind: 'flag',
    hidden: true,
    support: 'honoured',
    osqOnly: true,
    description: "osq: the config's kafka_topics as JSON text (osqd sets it on each config update)",
  },
] as const satisfies readonly FlagDeclaration[];
