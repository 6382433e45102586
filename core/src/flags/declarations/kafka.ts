// The Kafka logger (extensions/kafka-producer reads these through options()).
import type { FlagDeclaration } from '../types.js';

export const kafkaFlags = [
  {
    name: 'logger_kafka_brokers',
    type: 'string',
    default: 'localhost',
    kind: 'flag',
    description: 'Bootstrap broker(s) as a comma-separated list of host or host:port (default port 9092)',
  },
  {
    name: 'logger_kafka_topic',
    type: 'string',
    default: '',
    kind: 'flag',
    description: 'Kafka topic to publish logs under',
  },
  {
    name: 'logger_kafka_acks',
    type: 'string',
    default: 'all',
    kind: 'flag',
    description: "The number of acknowledgments the leader has to receive (0, 1, 'all')",
  },
  {
    name: 'logger_kafka_compression',
    type: 'string',
    default: 'none',
    kind: 'flag',
    description: "Compression codec to use for compressing message sets ('none' or 'gzip')",
  },
  {
    name: 'logger_kafka_topics',
    type: 'string',
    default: '',
    kind: 'flag',
    hidden: true,
    description: "osq: the config's kafka_topics as JSON text (osqd sets it on each config update)",
  },
] as const satisfies readonly FlagDeclaration[];
