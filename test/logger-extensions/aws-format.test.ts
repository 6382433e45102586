// The record format and batching of osquery's AWS loggers: lines re-serialised the way
// Boost.PropertyTree writes them, limits, and the per-record retry loop. Expected texts are
// written by hand from osquery's documented behaviour
// (docs/results-and-logging.md#aws-kinesis-and-firehose).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AwsLimits,
  AwsLogForwarder,
  awsLoggerSettings,
  calendarTime,
  flagReader,
  KINESIS_LIMITS,
  type PutOutcome,
  statusRecord,
} from '../../sdk/src/aws-forwarder.js';
import { appendLogType } from '../../sdk/src/ptree-json.js';

const fmt = (line: string, type = 'result') => appendLogType(line, type)?.text;

describe('PropertyTree re-serialisation (appendLogTypeToJson)', () => {
  it('quotes every scalar and appends log_type to an event line', () => {
    const line =
      '{"name":"users","hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,"epoch":0,"counter":3,"numerics":false,"columns":{"uid":"0","username":"root"},"action":"removed"}';
    assert.equal(
      fmt(line),
      '{"name":"users","hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","epoch":"0","counter":"3","numerics":"false","columns":{"uid":"0","username":"root"},"action":"removed","log_type":"result"}',
    );
  });

  it('turns empty arrays and objects into "" and keeps arrays of rows', () => {
    const line =
      '{"diffResults":{"removed":[],"added":[{"a":"1"},{"a":"2"}]},"name":"q","hostIdentifier":"h","decorations":{},"unixTime":5}';
    assert.equal(
      fmt(line),
      '{"diffResults":{"removed":"","added":[{"a":"1"},{"a":"2"}]},"name":"q","hostIdentifier":"h","decorations":"","unixTime":"5","log_type":"result"}',
    );
  });

  it("escapes like Boost's writer: \\/, control characters as \\u00XX, UTF-8 as is", () => {
    assert.equal(
      fmt('{"path":"/etc/passwd","t":"a\\tb\\u0001c\\u007f","u":"é€😀","q":"\\"\\\\"}'),
      '{"path":"\\/etc\\/passwd","t":"a\\tb\\u0001c\u007f","u":"é€😀","q":"\\"\\\\","log_type":"result"}',
    );
  });

  it('keeps numbers as written and writes true/false/null as words', () => {
    assert.equal(
      fmt('{"d":1.50,"e":-2E+3,"n":null,"b":true,"a":[1,false]}', 'status'),
      '{"d":"1.50","e":"-2E+3","n":"null","b":"true","a":["1","false"],"log_type":"status"}',
    );
  });

  it('replaces an existing log_type in place and keeps duplicate keys', () => {
    assert.equal(fmt('{"log_type":"x","k":"1","k":"2"}'), '{"log_type":"result","k":"1","k":"2"}');
  });

  it('drops what PropertyTree cannot read or write', () => {
    assert.equal(fmt('not json'), undefined);
    assert.equal(fmt('{"a":1,}'), undefined);
    assert.equal(fmt('{"a":"raw\ttab"}'), undefined, 'unescaped control character');
    assert.equal(fmt('"scalar"'), undefined, 'a root with a value cannot be written');
    assert.equal(fmt(''), undefined);
    assert.equal(fmt('["x"]'), '{"":"x","log_type":"result"}', 'the root is always written as an object');
  });
});

describe('status records', () => {
  it('follow the status record field order and end up all-strings once formatted', () => {
    const rec = statusRecord(
      {
        severity: 2,
        filename: 'scheduler.cpp',
        line: 85,
        message: 'boom',
        hostIdentifier: 'h1',
        calendarTime: 'Thu Aug  6 21:46:12 2026 UTC',
        unixTime: 1786052772,
      },
      '5.23.0',
      { env: 'prod' },
    );
    assert.equal(
      rec,
      '{"hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,"severity":2,"filename":"scheduler.cpp","line":85,"message":"boom","version":"5.23.0","decorations":{"env":"prod"}}',
    );
    assert.equal(
      fmt(rec, 'status'),
      '{"hostIdentifier":"h1","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","severity":"2","filename":"scheduler.cpp","line":"85","message":"boom","version":"5.23.0","decorations":{"env":"prod"},"log_type":"status"}',
    );
  });

  it('calendarTime uses the asctime layout with a space-padded day', () => {
    assert.equal(calendarTime(new Date(Date.UTC(2026, 7, 6, 21, 46, 12))), 'Thu Aug  6 21:46:12 2026 UTC');
    assert.equal(calendarTime(new Date(Date.UTC(2025, 0, 31, 1, 2, 3))), 'Fri Jan 31 01:02:03 2025 UTC');
  });
});

type Call = { records: string[]; keys: string[]; at: number };

/** A forwarder whose put answers from `answers` (then succeeds) and records every call. */
function fakeForwarder(limits: AwsLimits, answers: ((n: number) => PutOutcome | Error)[] = []) {
  const calls: Call[] = [];
  const logs: string[] = [];
  const fwd = new AwsLogForwarder({
    name: 'aws_kinesis',
    limits,
    retryScale: 0.01,
    log: (_s, m) => logs.push(m),
    put: async (records) => {
      calls.push({
        records: records.map((r) => r.data.toString()),
        keys: records.map((r) => r.hostIdentifier),
        at: Date.now(),
      });
      const a = answers.shift()?.(records.length) ?? { failedCount: 0, errorCodes: [] };
      if (a instanceof Error) throw a;
      return a;
    },
  });
  return { fwd, calls, logs };
}

describe('AwsLogForwarder', () => {
  it('splits 501 records into batches of 500 and 1 and passes the host identifier', async () => {
    const { fwd, calls } = fakeForwarder(KINESIS_LIMITS);
    const lines = Array.from({ length: 501 }, (_, i) => `{"hostIdentifier":"h${i % 2}","n":${i}}`);
    await fwd.send(lines, 'result');
    assert.deepEqual(
      calls.map((c) => c.records.length),
      [500, 1],
    );
    assert.equal(calls[1]?.records[0], '{"hostIdentifier":"h0","n":"500","log_type":"result"}');
    assert.deepEqual(calls[0]?.keys.slice(0, 2), ['h0', 'h1']);
  });

  it('drops records at the byte limit with an error status and cuts batches by bytes', async () => {
    // {"k":"<n × x>","log_type":"result"} plus "\n" is 29 + n bytes.
    const limits: AwsLimits = {
      ...KINESIS_LIMITS,
      maxBytesPerRecord: 40,
      maxBytesPerBatch: 100,
      newline: true,
    };
    const { fwd, calls, logs } = fakeForwarder(limits);
    const rec = (n: number) => `{"k":"${'x'.repeat(n)}"}`;
    // n=10: 39 bytes (kept), n=11: 40 bytes (dropped: a record of the limit or more)
    await fwd.send([rec(10), rec(11), rec(10), rec(10), 'oops'], 'result');
    const expected = `{"k":"${'x'.repeat(10)}","log_type":"result"}\n`;
    assert.equal(Buffer.byteLength(expected), 39);
    assert.deepEqual(
      calls.map((c) => c.records),
      [[expected, expected], [expected]],
      '39 + 39 < 100 but 78 + 39 >= 100 closes the batch',
    );
    assert.ok(
      logs.some((l) => l.includes('discarded because they were too big') && l.includes('x'.repeat(11))),
    );
    assert.ok(logs.some((l) => l.endsWith('because it was not in JSON format: oops')));
  });

  it('retries only the failed records, waiting 0, then 3000 + r × 1000 ms (scaled)', async () => {
    const fail = (codes: (string | undefined)[]) => () => ({
      failedCount: codes.filter(Boolean).length,
      errorCodes: codes,
    });
    const { fwd, calls, logs } = fakeForwarder(KINESIS_LIMITS, [
      () => new Error('connection refused'),
      fail([undefined, 'ProvisionedThroughputExceededException', undefined]),
    ]);
    await fwd.send(['{"a":1}', '{"a":2}', '{"a":3}'], 'result');
    assert.deepEqual(
      calls.map((c) => c.records.map((r) => JSON.parse(r).a)),
      [['1', '2', '3'], ['1', '2', '3'], ['2']],
    );
    const [c0, c1, c2] = calls.map((c) => c.at) as [number, number, number];
    assert.ok(c1 - c0 >= 38, `attempt 1 waits (3000 + 1000) × 0.01 ms, waited ${c1 - c0}`);
    assert.ok(c2 - c1 >= 48, `attempt 2 waits (3000 + 2000) × 0.01 ms, waited ${c2 - c1}`);
    assert.deepEqual(logs, ['aws_kinesis: Complete request failure: connection refused']);
  });

  it('gives up after maxRetries, dumps the batch and fails the send', async () => {
    const limits = { ...KINESIS_LIMITS, maxRetries: 3 };
    const down = () => new Error('down');
    const { fwd, calls, logs } = fakeForwarder(limits, [down, down, down]);
    await assert.rejects(fwd.send(['{"a":1}'], 'status'), /down/);
    assert.equal(calls.length, 3);
    assert.equal(
      logs.at(-1),
      'aws_kinesis logger: Failed to write the following records:\nRecord #1: {"a":"1","log_type":"status"}',
    );
  });
});

describe('flags -> settings', () => {
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config'; // no profile region from this host
  const flags = (o: Record<string, string>) =>
    flagReader(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: v }])));

  it('needs a stream and validates the region unless an endpoint is set', () => {
    assert.throws(() => awsLoggerSettings(flags({}), 'aws_kinesis'), /--aws_kinesis_stream/);
    assert.throws(
      () => awsLoggerSettings(flags({ aws_kinesis_stream: 's', aws_region: 'mars-1' }), 'aws_kinesis'),
      /Invalid aws_region specified: mars-1/,
    );
    const s = awsLoggerSettings(
      flags({
        aws_firehose_stream: 's',
        aws_region: 'mars-1',
        aws_firehose_endpoint: '127.0.0.1:9',
        aws_firehose_period: '2',
      }),
      'aws_firehose',
    );
    assert.equal(s.client.region, 'mars-1');
    assert.equal(s.client.endpoint, 'https://127.0.0.1:9');
    assert.equal(s.period, 2);
  });

  it('prefers <plugin>_region, takes key flags only in pairs', () => {
    const s = awsLoggerSettings(
      flags({
        aws_kinesis_stream: 's',
        aws_kinesis_region: 'eu-west-1',
        aws_region: 'us-west-2',
        aws_access_key_id: 'AK',
      }),
      'aws_kinesis',
    );
    assert.equal(s.client.region, 'eu-west-1');
    assert.equal(s.client.credentials, undefined);
    assert.deepEqual(s.warnings, ['Cannot use AWS credentials: ID or secret missing']);
    const t = awsLoggerSettings(
      flags({
        aws_kinesis_stream: 's',
        aws_access_key_id: 'AK',
        aws_secret_access_key: 'SK',
        aws_session_token: 'T',
      }),
      'aws_kinesis',
    );
    assert.deepEqual(t.client.credentials, { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'T' });
  });
});
