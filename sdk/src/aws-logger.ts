// The program around osquery's aws_kinesis / aws_firehose logger as an osq extension:
// read osquery's flags from the core (options()), open the durable buffer in
// --database_path, register the logger plugin and forward until the core goes away.
// The extension packages only add the AWS client call (see extensions/aws-kinesis).
import { join } from 'node:path';
import {
  type AwsLimits,
  AwsLogForwarder,
  type AwsLoggerSettings,
  awsLoggerSettings,
  calendarTime,
  type FlagReader,
  flagReader,
  localHostIdentifier,
  type PutRecords,
  statusRecord,
} from './aws-forwarder.js';
import { BufferedForwarder, Severity } from './buffered.js';
import { ExtensionClient } from './client.js';
import { loggerPlugin } from './logger.js';
import { errorMessage } from './plugin.js';
import { ExtensionServer, type StopReason } from './server.js';

export interface AwsLoggerOptions {
  /** The logger plugin (and extension) name osquery knows: `aws_kinesis` or `aws_firehose`. */
  plugin: 'aws_kinesis' | 'aws_firehose';
  /** The extension's version. */
  version: string;
  limits: AwsLimits;
  /** Whether to ask the core for status logs (osquery's usesLogStatus). */
  statusLogs(flag: FlagReader): boolean;
  /** Builds the AWS client from the resolved settings and returns its put call. */
  connect(settings: AwsLoggerSettings, flag: FlagReader): PutRecords;
  /** Command line (default process.argv): --socket, --timeout, --interval, --verbose. */
  argv?: readonly string[];
}

export interface AwsLogger {
  server: ExtensionServer;
  buffer: BufferedForwarder;
  /** Where the buffer lives: `<database_path>/<plugin>.buffer.sqlite`. */
  bufferPath: string;
  /** Resolves when the extension stopped (buffer closed). */
  done: Promise<StopReason>;
}

/** glog cuts messages at 30 000 bytes; so do we, so a dumped batch stays one status line. */
const MAX_MESSAGE = 30_000;

/** Starts the logger extension; rejects when the core is unreachable or a flag is invalid. */
export async function startAwsLogger(opts: AwsLoggerOptions): Promise<AwsLogger> {
  const server = new ExtensionServer({ name: opts.plugin, version: opts.version, argv: opts.argv });
  const core = new ExtensionClient(server.socket, { timeoutMs: Math.max(1000, server.timeout * 1000) });
  try {
    const flag = flagReader(await readOptions(core, server.timeout));
    const settings = awsLoggerSettings(flag, opts.plugin);
    const osqueryVersion = await coreVersion(core);
    const statusEnabled = opts.statusLogs(flag);
    const bufferPath = join(flag('database_path', '/var/osquery/osquery.db'), `${opts.plugin}.buffer.sqlite`);
    const seen = new SeenLines();

    let buffer: BufferedForwarder | undefined;
    // osquery's LOG(WARNING/ERROR): stderr, and a status record when this logger takes them.
    const log = (severity: number, message: string) => {
      const text = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
      process.stderr.write(`${opts.plugin}: ${text}\n`);
      if (!statusEnabled || !buffer || buffer.isStopped) return;
      const now = new Date();
      const status = {
        severity,
        filename: 'aws-forwarder.ts',
        line: 0,
        message: text,
        hostIdentifier: seen.hostIdentifier,
        calendarTime: calendarTime(now),
        unixTime: Math.floor(now.getTime() / 1000),
      };
      buffer.addStatus(statusRecord(status, osqueryVersion, seen.decorations));
    };

    const sender = new AwsLogForwarder({
      name: opts.plugin,
      limits: opts.limits,
      put: opts.connect(settings, flag),
      log,
      retryScale: Number(process.env.OSQ_AWS_RETRY_SCALE ?? '1') || 1,
    });
    buffer = new BufferedForwarder({
      path: bufferPath,
      period: settings.period,
      maxLines: 500,
      maxEntries: Number(flag('buffered_log_max', '1000000')),
      send: (lines, type) => sender.send(lines, type),
      onStatus: log,
    });
    const buf = buffer;
    for (const w of settings.warnings) log(Severity.WARNING, w);

    const take = (line: string) => {
      seen.note(line);
      buf.addResult(line); // committed before the core hears code 0
    };
    server.add(
      loggerPlugin(opts.plugin, {
        logString: take,
        logSnapshot: take,
        logStatus: (logs) => {
          if (!statusEnabled) return;
          for (const l of logs) buf.addStatus(statusRecord(l, osqueryVersion, seen.decorations));
        },
        features: { status: statusEnabled },
      }),
    );
    buf.start();
    const done = server.run().finally(async () => {
      sender.close();
      await buf.stop();
      core.close();
    });
    return { server, buffer: buf, bufferPath, done };
  } catch (err) {
    core.close();
    throw err;
  }
}

/** Runs the logger as the whole program; exits 1 when it cannot start. */
export async function runAwsLogger(opts: AwsLoggerOptions): Promise<never> {
  let code = 0;
  try {
    const logger = await startAwsLogger(opts);
    const onSignal = () => void logger.server.shutdown();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    if ((await logger.done) === 'unregistered') code = 1;
  } catch (err) {
    process.stderr.write(`${opts.plugin}: ${errorMessage(err)}\n`);
    code = 1;
  }
  process.exit(code);
}

/** options() from the core, retried until it answers or `timeout` seconds pass. */
async function readOptions(core: ExtensionClient, timeout: number) {
  const deadline = Date.now() + Math.max(1, timeout) * 1000;
  for (;;) {
    try {
      return await core.options();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`cannot read the core's options: ${errorMessage(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function coreVersion(core: ExtensionClient): Promise<string> {
  try {
    return (await core.query('SELECT version FROM osquery_info'))[0]?.version ?? '';
  } catch {
    return '';
  }
}

/**
 * What the logger learns from result lines for its own status records: the host identifier
 * (the core resolves --host_identifier; its options() only show the setting) and the
 * latest decorations (osquery adds decorations to status records too).
 */
class SeenLines {
  hostIdentifier = localHostIdentifier();
  decorations: Record<string, unknown> | undefined;
  private lastParse = 0;

  note(line: string): void {
    const now = Date.now();
    if (now - this.lastParse < 1000) return; // cheap: look at most one line a second
    this.lastParse = now;
    try {
      const parsed = JSON.parse(line) as { hostIdentifier?: unknown; decorations?: unknown };
      if (typeof parsed.hostIdentifier === 'string' && parsed.hostIdentifier !== '') {
        this.hostIdentifier = parsed.hostIdentifier;
      }
      if (typeof parsed.decorations === 'object' && parsed.decorations !== null) {
        this.decorations = parsed.decorations as Record<string, unknown>;
      }
    } catch {
      // not JSON: the forwarder reports it when sending
    }
  }
}
