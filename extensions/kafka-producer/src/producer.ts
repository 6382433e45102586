// The Kafka client behind a small interface, so the logger never touches kafkajs directly
// and a librdkafka binding (node-rdkafka, @confluentinc/kafka-javascript) can replace it.
// Nothing here knows about osquery: it sends keyed string messages to topics.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { crc32 } from 'node:zlib';
import {
  CompressionTypes,
  Kafka,
  type Producer as KafkaJsProducer,
  type logCreator,
  logLevel,
} from 'kafkajs';

export interface OutMessage {
  topic: string;
  key: string;
  value: string;
}

/** librdkafka's `acks` values: 0 = fire and forget, 1 = leader, -1 = all in-sync replicas. */
export type Acks = 0 | 1 | -1;

export type Compression = 'none' | 'gzip';

export interface TlsFiles {
  /** PEM bundle of trusted CAs; undefined = the system's. */
  ca?: string;
  /** PEM client certificate and key, for brokers that ask for one. */
  cert?: string;
  key?: string;
}

export interface ProducerConfig {
  /** `host:port` pairs. */
  brokers: string[];
  clientId: string;
  acks: Acks;
  compression: Compression;
  /** Set for ssl:// brokers. */
  tls?: TlsFiles;
  /** Bound on one request to a broker (ms). */
  requestTimeoutMs?: number;
  /** Retries of one send inside the client before it reports failure. */
  retries?: number;
  /** Where client warnings go (none when undefined). */
  log?: (message: string) => void;
}

export interface Producer {
  /**
   * Sends the messages and resolves once the brokers acknowledged them as `acks` asks
   * (at once for acks=0). Rejects when any of them could not be delivered; some may then
   * have been written anyway, so a retry can duplicate them (at-least-once).
   */
  send(messages: OutMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * librdkafka's default partitioner (`consistent_random`): CRC-32 of the key modulo the
 * partition count, so a host's messages land on the same partition osquery would pick.
 */
function consistentPartitioner() {
  return ({
    partitionMetadata,
    message,
  }: {
    partitionMetadata: { partitionId: number }[];
    message: { key?: Buffer | string | null };
  }) => {
    const ids = partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
    const key = message.key;
    const n = ids.length;
    if (n === 0) return 0;
    const index = key == null ? Math.floor(Math.random() * n) : crc32(key) % n;
    return ids[index] ?? 0;
  };
}

function tlsOptions(files: TlsFiles): ConnectionOptions {
  const opts: ConnectionOptions = {};
  if (files.ca) opts.ca = readFileSync(files.ca);
  if (files.cert) opts.cert = readFileSync(files.cert);
  if (files.key) opts.key = readFileSync(files.key);
  return opts;
}

/** kafkajs logs to stdout by default; send its warnings and errors to `log` instead. */
function logTo(log: ((m: string) => void) | undefined): logCreator {
  return () =>
    ({ level, log: entry }) => {
      if (log && level <= logLevel.WARN) log(`kafkajs: ${entry.message}`);
    };
}

const CODECS: Record<Compression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
};

/** A Producer over kafkajs (pure JavaScript; gzip built in, no snappy/lz4/zstd codecs). */
export function kafkajsProducer(config: ProducerConfig): Producer {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.tls ? tlsOptions(config.tls) : undefined,
    requestTimeout: config.requestTimeoutMs ?? 10_000,
    connectionTimeout: 3000,
    retry: { retries: config.retries ?? 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: config.log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: logTo(config.log),
  });
  const producer: KafkaJsProducer = kafka.producer({
    createPartitioner: consistentPartitioner,
    allowAutoTopicCreation: true,
    // One request at a time keeps a host's lines in order on their partition.
    maxInFlightRequests: 1,
  });
  let connected: Promise<void> | undefined;

  const connect = (): Promise<void> => {
    connected ??= producer.connect().catch((err: unknown) => {
      connected = undefined; // try again on the next send
      throw err;
    });
    return connected;
  };

  return {
    async send(messages) {
      if (messages.length === 0) return;
      await connect();
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const m of messages) {
        const list = byTopic.get(m.topic) ?? [];
        if (list.length === 0) byTopic.set(m.topic, list);
        list.push({ key: m.key, value: m.value });
      }
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        acks: config.acks,
        compression: CODECS[config.compression],
      });
    },
    async close() {
      if (connected) await producer.disconnect().catch(() => undefined);
      connected = undefined;
    },
  };
}
