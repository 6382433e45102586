// The aws_firehose logger extension (extensions/aws-firehose) against a Firehose PROTOCOL
// DOUBLE (aws-helpers.ts startFirehoseDouble): a local HTTP server speaking Firehose's JSON
// protocol for PutRecordBatch. It is not AWS; no Firehose emulator exists for Node or
// Debian. The double checks every request exactly and injects
// throttling and per-record failures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  eventLine,
  eventRecord,
  type FirehoseAction,
  sleep,
  startFirehoseDouble,
  startLogger,
  until,
} from './aws-helpers.js';

describe('aws_firehose extension with a Firehose protocol double', () => {
  let firehose: Awaited<ReturnType<typeof startFirehoseDouble>>;
  let logger: Awaited<ReturnType<typeof startLogger>>;

  before(async () => {
    firehose = await startFirehoseDouble('osq-fh');
    logger = await startLogger('aws_firehose', {
      aws_firehose_stream: 'osq-fh',
      aws_firehose_endpoint: `http://127.0.0.1:${firehose.relay.port}`,
      aws_firehose_period: '1',
    });
  });
  after(async () => {
    await logger?.close();
    await firehose?.close();
  });

  const isResult = (r: string) => r.endsWith('"log_type":"result"}\n');
  const resultRequests = () => firehose.requests.filter((r) => r.some(isResult));

  it('sends newline-terminated records, retrying only the records that failed', async () => {
    assert.equal((await logger.call({ action: 'features' })).status.code, 1, 'LOGSTATUS');
    // Right after a flush, the next one is a full period away: the 3 lines share a batch.
    assert.equal(await logger.logString(eventLine(0)), 0);
    await until('the first record', () => (firehose.accepted.length > 0 ? true : undefined));
    const queue: FirehoseAction[] = ['throttle', { fail: [1] }];
    firehose.state.decide = (records) => (records.some(isResult) ? (queue.shift() ?? 'ok') : 'ok');
    for (const n of [1, 2, 3]) assert.equal(await logger.logString(eventLine(n)), 0);

    const want = [1, 2, 3].map((n) => `${eventRecord(n)}\n`);
    await until('3 more records', () => (firehose.accepted.filter(isResult).length >= 4 ? true : undefined));
    assert.deepEqual(resultRequests(), [[`${eventRecord(0)}\n`], want, want, [want[1]]]);
    assert.deepEqual(firehose.accepted.filter(isResult), [`${eventRecord(0)}\n`, want[0], want[2], want[1]]);
    assert.deepEqual(firehose.problems, []);
    // The throttling error reached the status log, as osquery's LOG(ERROR) would.
    await until('the error status record', () =>
      firehose.accepted.some((r) => r.includes('Complete request failure: Slow down.')) ? true : undefined,
    );
  });

  it('delivers every line acknowledged during an outage of 3+ periods', async () => {
    firehose.state.decide = () => 'ok';
    const before = firehose.accepted.filter(isResult).length;
    await firehose.relay.down();
    const lines = Array.from({ length: 1000 }, (_, i) => eventLine(1000 + i));
    const started = Date.now();
    for (const [i, line] of lines.entries()) {
      assert.equal(await logger.logString(line), 0, 'acknowledged while Firehose is down');
      if (i % 100 === 99) await sleep(Math.max(0, started + ((i + 1) / lines.length) * 3500 - Date.now()));
    }
    await sleep(Math.max(0, started + 3500 - Date.now()));
    assert.equal(firehose.accepted.filter(isResult).length, before, 'nothing accepted while down');
    await firehose.relay.up();

    const expected = lines.map((_, i) => `${eventRecord(1000 + i)}\n`);
    await until(
      'every line accepted',
      () => {
        const got = new Set(firehose.accepted);
        return expected.every((e) => got.has(e)) ? true : undefined;
      },
      60_000,
    );
    const counts = new Map<string, number>();
    for (const r of firehose.accepted.filter(isResult)) counts.set(r, (counts.get(r) ?? 0) + 1);
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    assert.ok(duplicated <= 500, `at most one in-flight batch duplicated, got ${duplicated}`);
    assert.ok(
      firehose.requests.every((r) => r.length <= 500),
      'at most 500 records per PutRecordBatch',
    );
    assert.deepEqual(firehose.problems, []);
  });
});
