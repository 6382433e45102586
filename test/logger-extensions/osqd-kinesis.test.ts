// osqd end to end with `--logger_plugin=filesystem,aws_kinesis`: osqd starts osq's own
// Kinesis extension, which reads its flags from the core through options(). The
// backend is kinesalite (an in-memory Kinesis) on 127.0.0.1, behind a relay the test
// takes down to simulate an outage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DaemonDir, stopDaemon, until } from '../daemon/helpers.ts';
import { startKinesis } from './aws-helpers.ts';

describe('osqd with --logger_plugin=filesystem,aws_kinesis', () => {
  it('delivers every result line as osquery formats Kinesis records, through an outage', async () => {
    const kinesis = await startKinesis('osq-e2e');
    const d = new DaemonDir();
    d.writeConfig({
      options: { host_identifier: 'specified', specified_identifier: 'kin-e2e' },
      schedule: { tick: { query: 'SELECT unix_time FROM time', interval: 1, snapshot: true } },
    });
    const p = d.start([
      '--disable_watchdog',
      '--logger_plugin=filesystem,aws_kinesis',
      '--aws_kinesis_stream=osq-e2e',
      `--aws_kinesis_endpoint=http://127.0.0.1:${kinesis.relay.port}`,
      '--aws_region=us-east-1',
      '--aws_access_key_id=AKID',
      '--aws_secret_access_key=secret',
      '--aws_kinesis_period=1',
      '--extensions_interval=1',
    ]);
    const results = async () =>
      (await kinesis.poll())
        .filter((r) => JSON.parse(r.data).log_type === 'result')
        .map((r) => JSON.parse(r.data));
    try {
      await until('records', async () => (await results()).length >= 2, 30_000);
      await kinesis.relay.down(); // three flush periods without a backend
      await new Promise((r) => setTimeout(r, 3500));
      await kinesis.relay.up();
      const written = d.lines('osqueryd.snapshots.log');
      await until(
        'every line',
        async () => {
          const got = new Set((await results()).map((r) => r.unixTime));
          return written.every((l) => got.has(String(l.unixTime)));
        },
        60_000,
      );
    } finally {
      await stopDaemon(p);
      await kinesis.close();
    }
    // osquery's Kinesis records: every scalar a string, log_type appended, keyed by host.
    const rec = kinesis.records.find((r) => JSON.parse(r.data).log_type === 'result');
    assert.ok(rec);
    const obj = JSON.parse(rec.data);
    assert.equal(rec.key, 'kin-e2e');
    assert.equal(obj.hostIdentifier, 'kin-e2e');
    assert.equal(typeof obj.unixTime, 'string');
    assert.equal(obj.numerics, 'false');
    assert.equal(obj.counter, '0');
    assert.equal(obj.action, 'snapshot');
  });
});
