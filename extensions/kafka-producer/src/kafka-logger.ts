// osquery's kafka_producer logger (docs/results-and-logging.md#kafka) on top of a Producer.
//
// Delivery contract with the core: a result line is acknowledged (the logger call returns
// status 0) only after the brokers acknowledged it as --logger_kafka_acks asks, so a line
// is never in two places at once and nothing needs a local buffer: if Kafka is away the
// call fails and the core keeps the line and retries later. Lines that arrive while a send
// is in flight are gathered into the next send, so throughput grows with concurrency
// without delaying a lone line.
import type { OutMessage, Producer, ProducerConfig } from './producer.js';
import { type FlagReader, type KafkaSettings, readSettings } from './settings.js';

/** librdkafka's default message.max.bytes: a larger line could never be delivered. */
export const MAX_MESSAGE_BYTES = 1_000_000;

export const NOT_INITIATED = 'Cannot log because Kafka producer did not initiate properly.';

export interface KafkaLoggerOptions {
  /** Reads the core's flags (options()); called at init and when settings are stale. */
  readFlags(): Promise<FlagReader>;
  createProducer(config: ProducerConfig): Producer;
  /** client.id and the first half of the message key. */
  hostname: string;
  /** Warnings (stderr in the extension). */
  warn?(message: string): void;
  /** Re-read the flags when they are older than this (ms); kafka_topics follows the config. */
  refreshMs?: number;
  /** Wait this long for company before sending a batch while idle (ms; default 0). */
  lingerMs?: number;
  maxBatchMessages?: number;
  maxBatchBytes?: number;
}

interface Pending {
  message: OutMessage;
  bytes: number;
  resolve(): void;
  reject(err: Error): void;
}

/** The payload's top-level `name` (the scheduled query's name), '' when absent. */
export function queryName(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed) {
      const name = (parsed as { name: unknown }).name;
      if (typeof name === 'string') return name;
    }
  } catch {
    // Not JSON: no name, so the base topic.
  }
  return '';
}

/** The settings that shape the producer itself; a change means a new producer. */
function producerKey(s: KafkaSettings): string {
  return JSON.stringify([s.brokers, s.acks, s.compression, s.tls ?? null]);
}

export class KafkaLogger {
  private processName = 'osqueryd';
  private settings: KafkaSettings | undefined;
  private settingsError: string | undefined;
  private readAt = 0;
  private reading: Promise<void> | undefined;
  private producer: Producer | undefined;
  private currentKey = '';
  private readonly queue: Pending[] = [];
  private inFlight = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly warned = new Set<string>();
  private readonly refreshMs: number;
  private readonly lingerMs: number;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;

  constructor(private readonly opts: KafkaLoggerOptions) {
    this.refreshMs = opts.refreshMs ?? 1000;
    this.lingerMs = opts.lingerMs ?? 0;
    this.maxBatchMessages = opts.maxBatchMessages ?? 500;
    this.maxBatchBytes = opts.maxBatchBytes ?? MAX_MESSAGE_BYTES;
  }

  /** The message key osquery uses: `<hostname>_<process name>`. */
  get key(): string {
    return `${this.opts.hostname}_${this.processName}`;
  }

  /** `{"init": "osqueryd"}`: remember the process name and read the flags. */
  async init(processName: string): Promise<void> {
    if (processName !== '') this.processName = processName;
    await this.refresh(true);
  }

  /** One result or snapshot line; resolves once Kafka has it, throws when it could not. */
  async log(line: string): Promise<void> {
    await this.refresh(false);
    const settings = this.settings;
    if (!settings) throw new Error(this.settingsError ?? NOT_INITIATED);
    if (settings.topic === '' && settings.queryTopics.size === 0) throw this.fail(NOT_INITIATED);
    const name = queryName(line);
    const topic = settings.queryTopics.get(name) ?? settings.topic;
    if (topic === '') throw this.fail(`No Kafka topic for query ${name || '(unnamed)'} and no base topic`);
    const bytes = Buffer.byteLength(line);
    if (bytes > MAX_MESSAGE_BYTES) {
      // It could never be delivered; failing would keep it (and every line after it) queued.
      this.opts.warn?.(
        `Dropping a ${bytes}-byte result line of ${name}: over Kafka's ${MAX_MESSAGE_BYTES}-byte limit`,
      );
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ message: { topic, key: this.key, value: line }, bytes, resolve, reject });
      this.schedule();
    });
  }

  /** Waits up to `timeoutMs` for queued lines to go out, then closes the producer. */
  async close(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.inFlight || this.queue.length > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    clearTimeout(this.lingerTimer);
    for (const p of this.queue.splice(0)) p.reject(new Error('Kafka logger is shutting down'));
    await this.producer?.close();
    this.producer = undefined;
  }

  // ------------------------------------------------------------------ settings

  /** Re-reads the flags when forced or stale; concurrent callers share one read. */
  private async refresh(force: boolean): Promise<void> {
    if (!force && this.settings && Date.now() - this.readAt < this.refreshMs) return;
    this.reading ??= this.readNow().finally(() => {
      this.reading = undefined;
    });
    await this.reading;
  }

  private async readNow(): Promise<void> {
    let flags: FlagReader;
    try {
      flags = await this.opts.readFlags();
    } catch (err) {
      // The core did not answer: keep what we had, if anything.
      if (!this.settings) throw err;
      return;
    }
    this.readAt = Date.now();
    try {
      const next = readSettings(flags);
      const key = producerKey(next);
      if (key !== this.currentKey) this.swapProducer(next, key);
      this.settings = next;
      this.settingsError = undefined;
    } catch (err) {
      this.settings = undefined;
      this.settingsError = (err as Error).message;
      this.fail(this.settingsError);
    }
  }

  private swapProducer(s: KafkaSettings, key: string): void {
    const old = this.producer;
    this.producer = this.opts.createProducer({
      brokers: s.brokers,
      clientId: this.opts.hostname,
      acks: s.acks,
      compression: s.compression,
      tls: s.tls,
      log: this.opts.warn,
    });
    this.currentKey = key;
    // A send already under way finishes on the old client; close it afterwards.
    if (old) void this.whenIdle().then(() => old.close());
  }

  private async whenIdle(): Promise<void> {
    while (this.inFlight) await new Promise((r) => setTimeout(r, 20));
  }

  /** Warns once per distinct message (the core retries, which would repeat it). */
  private fail(message: string): Error {
    if (!this.warned.has(message)) {
      this.warned.add(message);
      this.opts.warn?.(message);
    }
    return new Error(message);
  }

  // ------------------------------------------------------------------ batching

  private schedule(): void {
    if (this.inFlight || this.lingerTimer) return;
    if (this.lingerMs <= 0 || this.queue.length >= this.maxBatchMessages) {
      void this.sendNext();
      return;
    }
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      void this.sendNext();
    }, this.lingerMs);
  }

  /** Sends one batch (one send in flight at a time keeps lines in order), then the next. */
  private async sendNext(): Promise<void> {
    if (this.inFlight || this.queue.length === 0) return;
    const producer = this.producer;
    if (!producer) return;
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < this.maxBatchMessages) {
      const next = this.queue[count]?.bytes ?? 0;
      if (count > 0 && bytes + next > this.maxBatchBytes) break;
      bytes += next;
      count++;
    }
    const batch = this.queue.splice(0, count);
    this.inFlight = true;
    try {
      await producer.send(batch.map((p) => p.message));
      for (const p of batch) p.resolve();
    } catch (err) {
      const error = new Error(`Kafka delivery failed: ${(err as Error).message}`);
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight = false;
    }
    if (this.queue.length > 0) this.schedule();
  }
}
