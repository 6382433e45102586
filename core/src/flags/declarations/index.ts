// Every flag osq declares, one list per concern. The flags module (../index.ts) is the only
// reader: it derives FlagName and each flag's value type from this list, so --help,
// osquery_flags and typed reads can never disagree. To add a flag, add it to the list of
// its concern with osquery's exact name, type, default and description (core/schema/
// osquery-flags.json lists them all), and say what osq does with it (`support`).
import { awsFlags } from './aws.js';
import { configFlags } from './config.js';
import { daemonFlags } from './daemon.js';
import { databaseFlags } from './database.js';
import { engineFlags } from './engine.js';
import { eventFlags } from './events.js';
import { extensionFlags } from './extensions.js';
import { kafkaFlags } from './kafka.js';
import { loggerFlags } from './logger.js';
import { monitoringFlags } from './monitoring.js';
import { resultFlags } from './results.js';
import { shellFlags } from './shell.js';
import { tableFlags } from './tables.js';
import { tlsFlags } from './tls.js';

export const declarations = [
  ...engineFlags,
  ...tableFlags,
  ...shellFlags,
  ...extensionFlags,
  ...configFlags,
  ...loggerFlags,
  ...resultFlags,
  ...kafkaFlags,
  ...tlsFlags,
  ...awsFlags,
  ...daemonFlags,
  ...databaseFlags,
  ...eventFlags,
  ...monitoringFlags,
] as const;
