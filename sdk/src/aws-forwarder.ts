// What osquery's aws_kinesis and aws_firehose loggers share (osquery's aws_log_forwarder.h
// and aws_util.cpp), without depending on the AWS SDK: the extension supplies a `put` that
// calls PutRecords / PutRecordBatch (docs/results-and-logging.md#aws-kinesis-and-firehose).
//
//   send(lines, logType):
//     1. each line is re-serialised through PropertyTree with `log_type` set (@osq/idl's ptree.ts);
//        lines that are not JSON are dropped with an error status;
//     2. records at or above the per-record (or per-batch) byte limit are dropped with an
//        error status; the rest are cut into batches by record count and bytes;
//     3. each batch is sent up to `maxRetries` times, waiting 0 ms before attempt 0 and
//        `initialRetryDelayMs + r × 1000` ms before attempt r; after a partial failure only
//        the failed records go again;
//     4. a batch still failing is dumped to the error status log, and send() throws so the
//        buffered forwarder keeps every line of this flush for the next one.
import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { asctimeUtc } from '@osq/idl';
import type { LogType } from './buffered.js';
import { Severity } from './buffered.js';
import type { StatusLog } from './logger.js';
import { appendLogType, type PtreeNode } from './ptree-json.js';

export interface AwsLimits {
  /** A record of this many bytes or more is dropped. */
  maxBytesPerRecord: number;
  maxRecordsPerBatch: number;
  /** A batch is closed before it would reach this many bytes. */
  maxBytesPerBatch: number;
  maxRetries: number;
  /** Milliseconds before the second attempt; each later attempt waits 1000 ms more. */
  initialRetryDelayMs: number;
  /** Firehose terminates every record with "\n"; Kinesis does not. */
  newline: boolean;
}

/** osquery's Kinesis limits (1 MB per record minus 256 bytes for the partition key). */
export const KINESIS_LIMITS: AwsLimits = {
  maxBytesPerRecord: 1_000_000 - 256,
  maxRecordsPerBatch: 500,
  maxBytesPerBatch: 5_000_000,
  maxRetries: 100,
  initialRetryDelayMs: 3000,
  newline: false,
};

export const FIREHOSE_LIMITS: AwsLimits = {
  maxBytesPerRecord: 1_000_000,
  maxRecordsPerBatch: 500,
  maxBytesPerBatch: 4_000_000,
  maxRetries: 100,
  initialRetryDelayMs: 3000,
  newline: true,
};

/** One record to put: its bytes and the line's host identifier ('' when it has none). */
export interface AwsRecord {
  data: Buffer;
  hostIdentifier: string;
}

/** What one PutRecords / PutRecordBatch answered; a request failure is a throw instead. */
export interface PutOutcome {
  /** FailedRecordCount / FailedPutCount. */
  failedCount: number;
  /** Per record, in order: its ErrorCode when it failed. */
  errorCodes: (string | undefined)[];
}

export type PutRecords = (records: AwsRecord[], signal: AbortSignal) => Promise<PutOutcome>;

export interface AwsLogForwarderOptions {
  /** The plugin name used in messages (`aws_kinesis`, `aws_firehose`). */
  name: string;
  limits: AwsLimits;
  put: PutRecords;
  /** Error and warning messages (osquery's LOG(ERROR)). */
  log(severity: number, message: string): void;
  /** Multiplies the retry delays; tests set it small (env OSQ_AWS_RETRY_SCALE). Default 1. */
  retryScale?: number;
}

export class AwsLogForwarder {
  private readonly abort = new AbortController();

  constructor(private readonly opts: AwsLogForwarderOptions) {}

  /** Stops any retry loop and in-flight request. */
  close(): void {
    this.abort.abort();
  }

  /** Sends buffered lines of one type; throws when any batch could not be delivered. */
  async send(lines: string[], logType: LogType): Promise<void> {
    const batches = this.makeBatches(lines, logType);
    const errors: string[] = [];
    for (const batch of batches) {
      const error = await this.sendBatch(batch);
      if (error === undefined) continue;
      if (this.abort.signal.aborted) throw new Error('interrupted');
      errors.push(error);
      this.dumpBatch(batch);
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));
  }

  private makeBatches(lines: string[], logType: LogType): AwsRecord[][] {
    const { name, limits } = this.opts;
    const batches: AwsRecord[][] = [];
    const discarded: string[] = [];
    let current: AwsRecord[] = [];
    let bytes = 0;
    for (const line of lines) {
      const record = appendLogType(line, logType);
      if (!record) {
        this.opts.log(
          Severity.ERROR,
          `${name}: The following log record has been discarded because it was not in JSON format: ${line}`,
        );
        continue;
      }
      const text = limits.newline ? `${record.text}\n` : record.text;
      const size = Buffer.byteLength(text);
      if (size >= limits.maxBytesPerRecord || size >= limits.maxBytesPerBatch) {
        discarded.push(record.text);
        continue;
      }
      if (bytes + size >= limits.maxBytesPerBatch || current.length >= limits.maxRecordsPerBatch) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push({ data: Buffer.from(text), hostIdentifier: topLevelText(record.tree, 'hostIdentifier') });
      bytes += size;
    }
    if (current.length > 0) batches.push(current);
    if (discarded.length > 0) {
      this.opts.log(
        Severity.ERROR,
        `${name}: The following log records have been discarded because they were too big:\n${discarded.join('\n')}\n`,
      );
    }
    return batches;
  }

  /** osquery's sendBatch; returns undefined on success, else the last error message. */
  private async sendBatch(records: AwsRecord[]): Promise<string | undefined> {
    const { limits, name } = this.opts;
    const scale = this.opts.retryScale ?? 1;
    let batch = records;
    let lastError = '';
    for (let retry = 0; retry < limits.maxRetries; retry++) {
      const delay = retry === 0 ? 0 : limits.initialRetryDelayMs + retry * 1000;
      if (delay > 0) await this.pause(delay * scale);
      if (this.abort.signal.aborted) return 'interrupted';
      let outcome: PutOutcome;
      try {
        outcome = await this.opts.put(batch, this.abort.signal);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        // Logged on every attempt: with 100 retries a broken setup would otherwise go unseen.
        this.opts.log(Severity.ERROR, `${name}: Complete request failure: ${lastError}`);
        continue;
      }
      if (outcome.failedCount === 0) return undefined;
      lastError = `${outcome.failedCount} of ${batch.length} records failed`;
      // Keep only the records that failed, so that the others are not sent twice.
      batch = batch.filter((_, i) => outcome.errorCodes[i] !== undefined && outcome.errorCodes[i] !== '');
      if (batch.length === 0) return undefined;
    }
    return lastError;
  }

  private dumpBatch(batch: AwsRecord[]): void {
    const lines = batch.map((r, i) => `Record #${i + 1}: ${r.data.toString()}`);
    this.opts.log(
      Severity.ERROR,
      `${this.opts.name} logger: Failed to write the following records:\n${lines.join('\n')}`,
    );
  }

  private pause(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function topLevelText(tree: PtreeNode, key: string): string {
  const child = tree.children.find(([k]) => k === key)?.[1];
  return child && child.children.length === 0 ? child.data : '';
}

// ---------------------------------------------------------------------- status records

/** asctime() layout in UTC plus " UTC", e.g. `Thu Aug  6 21:46:12 2026 UTC`. */
export function calendarTime(date: Date): string {
  return asctimeUtc(date.getTime() / 1000);
}

/** The buffered status record (docs/results-and-logging.md#json-status-record), fields in osquery's order. */
export function statusRecord(log: StatusLog, version: string, decorations?: Record<string, unknown>): string {
  const record: Record<string, unknown> = {
    hostIdentifier: log.hostIdentifier,
    calendarTime: log.calendarTime,
    unixTime: log.unixTime,
    severity: log.severity,
    filename: log.filename,
    line: log.line,
    message: log.message,
    version,
  };
  if (decorations && Object.keys(decorations).length > 0) record.decorations = decorations;
  return JSON.stringify(record);
}

// ---------------------------------------------------------------------- flags -> client settings

/** osquery's list of regions it accepts without a custom endpoint (aws_util.cpp). */
export const AWS_REGIONS = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
]);

/** Settings for an AWS SDK v3 client (plain values, so this module needs no AWS package). */
export interface AwsClientSettings {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  profile?: string;
  logger?: Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;
  /** The forwarder retries by itself (osquery's loop), so the SDK must not. */
  maxAttempts: number;
}

export interface AwsLoggerSettings {
  stream: string;
  /** Seconds between flushes. */
  period: number;
  client: AwsClientSettings;
  /** Things osquery would honour that osq does not (yet), to report as warnings. */
  warnings: string[];
}

/** A flag's current value from the core's options() answer (or `fallback` if undeclared). */
export type FlagReader = (name: string, fallback?: string) => string;

export function flagReader(options: Record<string, { value: string }>): FlagReader {
  return (name, fallback = '') => options[name]?.value ?? fallback;
}

/**
 * Reads the `<prefix>_*` and shared `aws_*` flags the way osquery's setUp does; throws with
 * osquery's message when the plugin cannot start (no stream, invalid region).
 */
export function awsLoggerSettings(
  flag: FlagReader,
  prefix: 'aws_kinesis' | 'aws_firehose',
): AwsLoggerSettings {
  const stream = flag(`${prefix}_stream`);
  if (stream === '') throw new Error(`Stream name must be specified with --${prefix}_stream`);
  const endpoint = flag(`${prefix}_endpoint`);
  const warnings: string[] = [];
  const client: AwsClientSettings = { region: resolveRegion(flag, prefix, endpoint !== ''), maxAttempts: 1 };
  // osquery passes the endpoint to the C++ SDK, which defaults to https:// without a scheme.
  if (endpoint !== '')
    client.endpoint = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;

  const id = flag('aws_access_key_id');
  const secret = flag('aws_secret_access_key');
  const token = flag('aws_session_token');
  if (flag('aws_sts_arn_role') !== '')
    warnings.push('aws_sts_arn_role (STS assume-role) is not supported by osq yet');
  if ((id === '') !== (secret === '')) warnings.push('Cannot use AWS credentials: ID or secret missing');
  else if (id !== '')
    client.credentials = {
      accessKeyId: id,
      secretAccessKey: secret,
      ...(token ? { sessionToken: token } : {}),
    };
  const profile = flag('aws_profile_name');
  if (profile !== '' && !client.credentials) client.profile = profile;
  if (flag('aws_enable_proxy') === 'true') warnings.push('aws_enable_proxy is not supported by osq yet');
  if (flag('aws_debug') === 'true') client.logger = console;

  const period = Number(flag(`${prefix}_period`, '10'));
  return { stream, period: Number.isFinite(period) && period > 0 ? period : 10, client, warnings };
}

/** `<prefix>_region`, else `aws_region`, else the profile's region, else us-east-1. */
function resolveRegion(flag: FlagReader, prefix: string, customEndpoint: boolean): string {
  const explicit = flag(`${prefix}_region`) || flag('aws_region');
  if (explicit !== '') {
    if (!customEndpoint && !AWS_REGIONS.has(explicit))
      throw new Error(`Invalid aws_region specified: ${explicit}`);
    return explicit;
  }
  const profile = flag('aws_profile_name');
  const fromProfile = profileRegion(profile);
  if (fromProfile !== undefined) {
    if (!AWS_REGIONS.has(fromProfile)) throw new Error(`Invalid aws_region in profile: ${fromProfile}`);
    return fromProfile;
  }
  if (profile !== '') throw new Error(`AWS region not found for profile: ${profile}`);
  return 'us-east-1';
}

/** The `region` of `[profile <name>]` (or `[default]`) in ~/.aws/config. */
function profileRegion(profile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'), 'utf8');
  } catch {
    return undefined;
  }
  const section = profile !== '' && profile !== 'default' ? `profile ${profile}` : 'default';
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.*)\]$/.exec(line);
    if (header) inSection = header[1]?.trim() === section;
    else if (inSection) {
      const kv = /^region\s*=\s*(.*)$/.exec(line);
      if (kv) return kv[1]?.trim();
    }
  }
  return undefined;
}

/** The fallback host identifier when a line carries none. */
export function localHostIdentifier(): string {
  return hostname();
}
