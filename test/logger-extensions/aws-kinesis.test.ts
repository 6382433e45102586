// The aws_kinesis logger extension (extensions/aws-kinesis) against kinesalite, a real
// Kinesis implementation running in this process on 127.0.0.1, driven the way osq's core
// drives a logger extension (logger calls over the extension socket).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventLine, eventRecord, sleep, startKinesis, startLogger, until } from './aws-helpers.js';

describe('aws_kinesis extension with kinesalite', () => {
  let kinesis: Awaited<ReturnType<typeof startKinesis>>;
  let logger: Awaited<ReturnType<typeof startLogger>>;

  before(async () => {
    kinesis = await startKinesis('osq');
    logger = await startLogger('aws_kinesis', {
      aws_kinesis_stream: 'osq',
      aws_kinesis_endpoint: `http://127.0.0.1:${kinesis.relay.port}`,
      aws_kinesis_period: '1',
    });
  });
  after(async () => {
    await logger?.close();
    await kinesis?.close();
  });

  const results = () => kinesis.records.filter((r) => r.data.endsWith('"log_type":"result"}'));

  it('asks for status logs and puts result, snapshot and status records as osquery formats them', async () => {
    const features = await logger.call({ action: 'features' });
    assert.equal(features.status.code, 1, 'LOGSTATUS');

    const batch =
      '{"diffResults":{"removed":[],"added":[{"uid":"0","shell":"/bin/sh"}]},"name":"users","hostIdentifier":"h2","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false}';
    const snapshot =
      '{"snapshot":[{"a":"1"}],"action":"snapshot","name":"mounts","hostIdentifier":"h2","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":1786052772,"epoch":0,"counter":0,"numerics":false}';
    const status =
      '[{"s":1,"f":"scheduler.cpp","i":85,"m":"Executing /x","h":"h2","c":"Thu Aug  6 21:46:12 2026 UTC","u":1786052772}]';
    assert.equal(await logger.logString(eventLine(1)), 0);
    assert.equal(await logger.logString(batch), 0);
    assert.equal((await logger.call({ snapshot })).status.code, 0);
    assert.equal((await logger.call({ status: 'true', log: status })).status.code, 0);

    const version = String((await logger.core.query('SELECT version FROM osquery_info'))[0]?.version);
    await until('4 records', async () => ((await kinesis.poll()).length >= 4 ? true : undefined));
    assert.deepEqual(kinesis.records, [
      { data: eventRecord(1), key: 'h1' },
      {
        data: '{"diffResults":{"removed":"","added":[{"uid":"0","shell":"\\/bin\\/sh"}]},"name":"users","hostIdentifier":"h2","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","epoch":"0","counter":"0","numerics":"false","log_type":"result"}',
        key: 'h2',
      },
      {
        data: '{"snapshot":[{"a":"1"}],"action":"snapshot","name":"mounts","hostIdentifier":"h2","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","epoch":"0","counter":"0","numerics":"false","log_type":"result"}',
        key: 'h2',
      },
      {
        data: `{"hostIdentifier":"h2","calendarTime":"Thu Aug  6 21:46:12 2026 UTC","unixTime":"1786052772","severity":"1","filename":"scheduler.cpp","line":"85","message":"Executing \\/x","version":"${version}","log_type":"status"}`,
        key: 'h2',
      },
    ]);
  });

  it('delivers every line acknowledged during an outage of 3+ periods, across a SIGKILL of the extension', async () => {
    kinesis.records.length = 0;
    await kinesis.relay.down();
    const lines = Array.from({ length: 1200 }, (_, i) => eventLine(100 + i));
    const started = Date.now();
    let sent = 0;
    // Spread the lines over ~3.5 s of outage (3+ flush periods of 1 s).
    for (const [i, line] of lines.entries()) {
      assert.equal(await logger.logString(line), 0, 'acknowledged while Kinesis is down');
      sent++;
      if (i === 599) await logger.crashAndRestart(); // the buffer file survives the crash
      if (i % 100 === 99) await sleep(Math.max(0, started + ((i + 1) / lines.length) * 3500 - Date.now()));
    }
    await sleep(Math.max(0, started + 3500 - Date.now()));
    assert.equal(sent, lines.length);
    assert.equal(results().length, 0, 'nothing reached Kinesis while down');
    await kinesis.relay.up();

    const expected = lines.map((_, i) => eventRecord(100 + i));
    await until(
      'every line in Kinesis',
      async () => {
        await kinesis.poll();
        const got = new Set(results().map((r) => r.data));
        return expected.every((e) => got.has(e)) ? true : undefined;
      },
      60_000,
    );
    const counts = new Map<string, number>();
    for (const r of results()) counts.set(r.data, (counts.get(r.data) ?? 0) + 1);
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    assert.ok(duplicated <= 500, `at most one in-flight batch (500 records) duplicated, got ${duplicated}`);
    assert.ok(
      results().every((r) => r.key === 'h1'),
      'partition key = host identifier',
    );
    // The forwarder reported the outage as status records once Kinesis was back.
    await until('status records', async () =>
      (await kinesis.poll()).some((r) => r.data.includes('Complete request failure')) ? true : undefined,
    );
  });
});
