// osquery's aws_firehose logger as an osq extension. osqd starts it when
// --logger_plugin=aws_firehose (with `--socket PATH --timeout N --interval N`); it reads the
// aws_firehose_* and aws_* flags from the core and ships result and status lines, each
// terminated by "\n", to a Firehose delivery stream with PutRecordBatch
// (docs/results-and-logging.md#aws-kinesis-and-firehose).
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { type AwsLoggerSettings, FIREHOSE_LIMITS, type PutRecords, runAwsLogger } from '@osq/sdk';
import { NodeHttpHandler } from '@smithy/node-http-handler';

function connect(settings: AwsLoggerSettings): PutRecords {
  const client = new FirehoseClient({
    ...settings.client,
    // A dead endpoint must fail the attempt, not hang the forwarder.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
  });
  return async (records, signal) => {
    const out = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: settings.stream,
        Records: records.map((r) => ({ Data: r.data })),
      }),
      { abortSignal: signal },
    );
    return {
      failedCount: out.FailedPutCount ?? 0,
      errorCodes: (out.RequestResponses ?? []).map((r) => r.ErrorCode),
    };
  };
}

await runAwsLogger({
  plugin: 'aws_firehose',
  version: '0.1.0',
  limits: FIREHOSE_LIMITS,
  statusLogs: () => true, // osquery's Firehose logger always takes status logs
  connect,
});
