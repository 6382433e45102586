// osquery's aws_kinesis logger as an osq extension. osqd starts it when
// --logger_plugin=aws_kinesis (with `--socket PATH --timeout N --interval N`); it reads the
// aws_kinesis_* and aws_* flags from the core and ships result and status lines to a
// Kinesis data stream with PutRecords (docs/results-and-logging.md#aws-kinesis-and-firehose).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  type AwsLoggerSettings,
  type FlagReader,
  KINESIS_LIMITS,
  type PutRecords,
  runAwsLogger,
} from '@osq/sdk';
import { NodeHttpHandler } from '@smithy/node-http-handler';

function connect(settings: AwsLoggerSettings, flag: FlagReader): PutRecords {
  const client = new KinesisClient({
    ...settings.client,
    // HTTP/1.1 with timeouts; a dead endpoint must fail the attempt, not hang the forwarder.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
  });
  const randomKey = flag('aws_kinesis_random_partition_key') === 'true';
  const fallbackKey = hostname();
  return async (records, signal) => {
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: settings.stream,
        Records: records.map((r) => ({
          Data: r.data,
          // osquery: the host identifier, or a random UUID per record to spread over shards.
          PartitionKey: randomKey ? randomUUID() : r.hostIdentifier || fallbackKey,
        })),
      }),
      { abortSignal: signal },
    );
    return {
      failedCount: out.FailedRecordCount ?? 0,
      errorCodes: (out.Records ?? []).map((r) => r.ErrorCode),
    };
  };
}

await runAwsLogger({
  plugin: 'aws_kinesis',
  version: '0.1.0',
  limits: KINESIS_LIMITS,
  statusLogs: (flag) => flag('aws_kinesis_disable_log_status') !== 'true',
  connect,
});
