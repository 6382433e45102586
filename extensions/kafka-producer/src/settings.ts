// osquery's Kafka flags (docs/results-and-logging.md#kafka), read from the core's options(), turned
// into the producer's settings. Flag values arrive as text, as osquery's options() gives them.
import { existsSync } from 'node:fs';
import type { Acks, Compression, TlsFiles } from './producer.js';

export interface KafkaSettings {
  /** `host:port` pairs (librdkafka's default port 9092 filled in). */
  brokers: string[];
  /** The base topic; '' = none. */
  topic: string;
  acks: Acks;
  compression: Compression;
  /** For ssl:// brokers. */
  tls?: TlsFiles;
  /** Query name -> topic, from kafka_topics. */
  queryTopics: Map<string, string>;
}

/** A flag's current value, '' when the core does not know it. */
export type FlagReader = (name: string) => string;

/**
 * librdkafka's bootstrap.servers: comma-separated `[proto://]host[:port]`. The protocol
 * prefix is dropped (TLS is decided for the whole list by `ssl://` anywhere in it).
 */
export function parseBrokers(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().replace(/^[a-z_]+:\/\//i, ''))
    .filter((s) => s !== '')
    .map((s) => (/^\[.*\]$/.test(s) || !/:\d+$/.test(s) ? `${s}:9092` : s));
}

export function parseAcks(text: string): Acks {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '-1') return -1;
  if (t === '0') return 0;
  if (t === '1') return 1;
  throw new Error(`Invalid logger_kafka_acks value: ${text} (expected 0, 1 or all)`);
}

export function parseCompression(text: string): Compression {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'none') return 'none';
  if (t === 'gzip') return 'gzip';
  throw new Error(`Unsupported logger_kafka_compression value: ${text} (osq supports none and gzip)`);
}

/**
 * kafka_topics (`{"topic": ["query", ...], ...}`) inverted into query -> topic. Entries
 * that are not arrays of strings are skipped, as osquery's parser skips them.
 */
export function parseQueryTopics(json: string): Map<string, string> {
  const out = new Map<string, string>();
  if (json.trim() === '') return out;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('logger_kafka_topics must be a JSON object of topic -> [query names]');
  }
  for (const [topic, queries] of Object.entries(parsed)) {
    if (!Array.isArray(queries)) continue;
    for (const q of queries) if (typeof q === 'string') out.set(q, topic);
  }
  return out;
}

/** TLS material for ssl:// brokers, as osquery hands librdkafka its TLS flags. */
function tlsFiles(flag: FlagReader): TlsFiles {
  const files: TlsFiles = {};
  const ca = flag('tls_server_certs');
  // osquery's default bundle path often does not exist outside its packages: use the
  // system's CAs then, as librdkafka would.
  if (ca !== '' && existsSync(ca)) files.ca = ca;
  if (flag('tls_client_cert') !== '') files.cert = flag('tls_client_cert');
  if (flag('tls_client_key') !== '') files.key = flag('tls_client_key');
  return files;
}

/** Reads every setting; throws with osquery-like messages on bad values. */
export function readSettings(flag: FlagReader): KafkaSettings {
  const brokerText = flag('logger_kafka_brokers') || 'localhost';
  const acksText = flag('logger_kafka_acks');
  const settings: KafkaSettings = {
    brokers: parseBrokers(brokerText),
    topic: flag('logger_kafka_topic'),
    acks: parseAcks(acksText === '' ? 'all' : acksText),
    compression: parseCompression(flag('logger_kafka_compression')),
    queryTopics: parseQueryTopics(flag('logger_kafka_topics')),
  };
  if (/ssl:\/\//i.test(brokerText)) settings.tls = tlsFiles(flag);
  return settings;
}
