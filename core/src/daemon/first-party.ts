// Logger plugins osquery builds into its core and osq ships as extensions of its own
// (extensions/<name>/): osqd starts them when --logger_plugin names them, without an
// autoload file, and keeps them running like autoloaded ones.
import { existsSync } from 'node:fs';
import { corePath } from '../paths.js';

const FIRST_PARTY_LOGGERS: Record<string, string> = {
  aws_kinesis: 'aws-kinesis',
  aws_firehose: 'aws-firehose',
  kafka_producer: 'kafka-producer',
};

/** The launcher of the first-party extension serving logger `name`, if osq ships one. */
export function firstPartyLogger(name: string): string | undefined {
  const dir = FIRST_PARTY_LOGGERS[name];
  if (!dir) return undefined;
  // The repository (and npm workspace) layout: core/ beside extensions/.
  const path = corePath(`../extensions/${dir}/bin/${dir}.mjs`);
  return existsSync(path) ? path : undefined;
}
