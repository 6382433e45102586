// @osq/sdk: write osquery extensions in TypeScript. See README.md for a short example.
export { DEFAULT_SOCKET, type ExtensionArgs, parseExtensionArgs } from './args.js';
export {
  AWS_REGIONS,
  type AwsClientSettings,
  type AwsLimits,
  AwsLogForwarder,
  type AwsLogForwarderOptions,
  type AwsLoggerSettings,
  type AwsRecord,
  awsLoggerSettings,
  calendarTime,
  FIREHOSE_LIMITS,
  type FlagReader,
  flagReader,
  KINESIS_LIMITS,
  type PutOutcome,
  type PutRecords,
  statusRecord,
} from './aws-forwarder.js';
export { type AwsLogger, type AwsLoggerOptions, runAwsLogger, startAwsLogger } from './aws-logger.js';
export { BufferedForwarder, type BufferedForwarderOptions, type LogType, Severity } from './buffered.js';
export {
  type ClientOptions,
  ExtensionClient,
  ExtensionError,
  type ExtensionInfo,
} from './client.js';
export {
  attributesBits,
  type Collation,
  type Column,
  ColumnOption,
  type ColumnOptions,
  type ColumnType,
  column,
  columnOp,
  type TableAttributes,
  tableRouteInfo,
  WIRE_TYPES,
} from './columns.js';
export { ConfigPlugin, type ConfigSources, configPlugin, type GenConfig, type GenPack } from './config.js';
export { type Constraint, OPERATORS, type OperatorName, QueryContext } from './context.js';
export {
  type DistributedHandlers,
  DistributedPlugin,
  type DistributedQueries,
  type DistributedResults,
  distributedPlugin,
} from './distributed.js';
export {
  LoggerFeature,
  type LoggerHandlers,
  LoggerPlugin,
  loggerPlugin,
  parseStatusLogs,
  type StatusLog,
} from './logger.js';
export { type Plugin, type PluginResult, REGISTRIES, type RegistryName } from './plugin.js';
export { appendLogType, type PtreeNode, parsePtree, putPtree, writePtree } from './ptree-json.js';
export {
  ExtensionServer,
  runExtension,
  SDK_VERSION,
  type ServerOptions,
  type StopReason,
} from './server.js';
export {
  type CellValue,
  cellText,
  type DeleteRequest,
  type Generate,
  type InsertRequest,
  type Row,
  type Rows,
  type TableOptions,
  TablePlugin,
  tablePlugin,
  type UpdateRequest,
  type WriteResult,
  type WriteStatus,
} from './table.js';
