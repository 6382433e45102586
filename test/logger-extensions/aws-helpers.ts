// Shared pieces of the AWS logger tests: kinesalite (a real Kinesis implementation, in
// memory) behind a TCP relay the tests can take down, a Firehose protocol double, and the
// logger extension driven through an in-process osq core (test/sdk/harness.ts).

import { existsSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import { connect, createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { type FlagName, setFlag } from '@osq/core/flags/index';
import { ThriftClient } from '@osq/idl';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { sleep, until } from '../helpers/wait.ts';
import { type Core, type Spawned, spawnExtension, startCore } from '../sdk/harness.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const repo = new URL('../../', import.meta.url).pathname;

/**
 * The extension's launcher: its TypeScript sources through tsx (always current), or with
 * OSQ_AWS_BUILT=1 the built bin (extensions/<name>/dist, `@osq/sdk` from sdk/dist).
 */
function launcher(name: LoggerName): string {
  const dir = name === 'aws_kinesis' ? 'aws-kinesis' : 'aws-firehose';
  const built = join(repo, 'extensions', dir, 'bin', `${dir}.mjs`);
  if (process.env.OSQ_AWS_BUILT === '1' && existsSync(join(repo, 'extensions', dir, 'dist', 'main.js')))
    return built;
  return join(fixtures, `${dir}-dev.mjs`);
}

const listen = (server: Server | TcpServer, port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });

/** A TCP relay to `target`; down() refuses connections (and cuts open ones) until up(). */
export class Relay {
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: number) {}

  async up(): Promise<void> {
    const server = createTcpServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.port = await listen(server, this.port);
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}

/** kinesalite on 127.0.0.1 with one stream, reached through a Relay. */
export async function startKinesis(stream: string) {
  const require = createRequire(import.meta.url);
  const kinesalite = require('kinesalite') as (o: Record<string, number>) => Server;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const port = await listen(server);
  const client = new KinesisClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    requestHandler: new NodeHttpHandler(), // kinesalite has no HTTP/2
  });
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  const shard = (await client.send(new DescribeStreamCommand({ StreamName: stream }))).StreamDescription
    ?.Shards?.[0]?.ShardId;
  let iterator = (
    await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
    )
  ).ShardIterator;
  const records: { data: string; key: string }[] = [];
  const relay = new Relay(port);
  await relay.up();
  return {
    relay,
    records,
    /** Reads what arrived since the last call into `records`. */
    async poll() {
      for (;;) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        iterator = out.NextShardIterator;
        for (const r of out.Records ?? []) {
          records.push({ data: Buffer.from(r.Data ?? []).toString(), key: r.PartitionKey ?? '' });
        }
        if ((out.Records ?? []).length === 0) return records;
      }
    },
    async close() {
      await relay.down();
      client.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export type FirehoseAction = 'ok' | 'throttle' | { fail: number[] };

/**
 * A Firehose PROTOCOL DOUBLE, not AWS: an HTTP server speaking the Firehose JSON protocol
 * for PutRecordBatch only. It checks each request exactly (target header, content type,
 * SigV4 authorization, the body's keys, base64 records terminated by one "\n"), stores the
 * accepted records, and answers per `decide`: success, a throttling error
 * (ServiceUnavailableException, HTTP 503) or per-record failures (FailedPutCount).
 */
export async function startFirehoseDouble(stream: string) {
  const accepted: string[] = [];
  const requests: string[][] = [];
  const problems: string[] = [];
  const state = { decide: (_records: string[]): FirehoseAction => 'ok' };
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const bad = (what: string) => {
      problems.push(what);
      reply(res, 400, { __type: 'SerializationException', message: what });
    };
    if (req.method !== 'POST' || req.url !== '/') return bad(`${req.method} ${req.url}`);
    if (req.headers['x-amz-target'] !== 'Firehose_20150804.PutRecordBatch') {
      return bad(`target ${req.headers['x-amz-target']}`);
    }
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return bad(`content-type ${req.headers['content-type']}`);
    }
    if (
      !/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/firehose\/aws4_request, /.test(
        String(req.headers.authorization),
      )
    ) {
      return bad(`authorization ${req.headers.authorization}`);
    }
    const body = JSON.parse(raw) as { DeliveryStreamName?: unknown; Records?: { Data?: unknown }[] };
    if (JSON.stringify(Object.keys(body)) !== '["DeliveryStreamName","Records"]') return bad(`keys ${raw}`);
    if (body.DeliveryStreamName !== stream) return bad(`stream ${body.DeliveryStreamName}`);
    const records: string[] = [];
    for (const r of body.Records ?? []) {
      if (JSON.stringify(Object.keys(r)) !== '["Data"]' || typeof r.Data !== 'string')
        return bad(`record ${raw}`);
      const text = Buffer.from(r.Data, 'base64').toString();
      if (Buffer.from(text).toString('base64') !== r.Data) return bad(`base64 ${r.Data}`);
      if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return bad(`newline ${text}`);
      records.push(text);
    }
    if (records.length === 0 || records.length > 500) return bad(`${records.length} records`);
    requests.push(records);
    const action = state.decide(records);
    if (action === 'throttle') {
      return reply(res, 503, { __type: 'ServiceUnavailableException', message: 'Slow down.' });
    }
    const failed = new Set(action === 'ok' ? [] : action.fail);
    const responses = records.map((text, i) => {
      if (failed.has(i)) return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      accepted.push(text);
      return { RecordId: `r${accepted.length}` };
    });
    reply(res, 200, { FailedPutCount: failed.size, Encrypted: false, RequestResponses: responses });
  };
  const server = createHttpServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      raw += d;
    });
    req.on('end', () => handle(req, res, raw));
  });
  const port = await listen(server);
  const relay = new Relay(port);
  await relay.up();
  return {
    relay,
    accepted,
    requests,
    problems,
    state,
    async close() {
      await relay.down();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export type LoggerName = 'aws_kinesis' | 'aws_firehose';

/** An in-process osq core with the logger's flags set, and the extension it runs. */
export async function startLogger(name: LoggerName, flagValues: Partial<Record<FlagName, string>>) {
  process.env.OSQ_AWS_RETRY_SCALE = '0.01'; // retry delays of 40 ms, 50 ms, ... instead of 4 s, 5 s, ...
  const core: Core = await startCore();
  setFlag('database_path', join(core.dir, 'db'));
  setFlag('aws_access_key_id', 'AKID');
  setFlag('aws_secret_access_key', 'secret');
  setFlag('aws_region', 'us-east-1');
  for (const [k, v] of Object.entries(flagValues) as [FlagName, string][]) setFlag(k, v);
  const ext = { current: undefined as Spawned | undefined };
  const spawnIt = async () => {
    ext.current = spawnExtension(launcher(name), core.socket);
    await core.waitFor(name, 30_000);
  };
  await spawnIt();
  /** A logger call as the core makes it, straight to the extension's socket. */
  const call = async (request: Record<string, string>) => {
    const socket = core.manager.pluginSocket('logger', name);
    if (!socket) throw new Error(`${name} is not registered`);
    const c = await ThriftClient.connect(socket, { timeoutMs: 5000 });
    try {
      return await c.call({ method: 'call', registry: 'logger', item: name, request }, 5000);
    } finally {
      c.close();
    }
  };
  return {
    core,
    ext,
    call,
    /** Sends one result line; resolves with the status code the extension answered. */
    async logString(line: string) {
      return (await call({ string: line, category: 'event' })).status.code;
    },
    /** SIGKILLs the extension, waits until the core dropped it, and starts it again. */
    async crashAndRestart() {
      ext.current?.kill('SIGKILL');
      await ext.current?.exited;
      await until('the core to drop the dead extension', () =>
        core.manager.list().every((e) => e.name !== name) ? true : undefined,
      );
      await spawnIt();
    },
    async close() {
      ext.current?.kill('SIGTERM');
      await ext.current?.exited;
      await core.close();
    },
  };
}

/** Result lines as the core writes them (docs/results-and-logging.md#event-format). */
export function eventLine(n: number, host = 'h1'): string {
  return `{"name":"pack_p_q","hostIdentifier":"${host}","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,"epoch":0,"counter":${n},"numerics":false,"columns":{"n":"${n}","path":"/tmp/f${n}"},"action":"added"}`;
}

/** What osquery's AWS loggers make of eventLine(n) (every scalar a string, / escaped). */
export function eventRecord(n: number, host = 'h1'): string {
  return `{"name":"pack_p_q","hostIdentifier":"${host}","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","epoch":"0","counter":"${n}","numerics":"false","columns":{"n":"${n}","path":"\\/tmp\\/f${n}"},"action":"added","log_type":"result"}`;
}

export { sleep, until };
