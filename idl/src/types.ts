// TypeScript shapes of the osquery extensions IDL (idl/osquery.thrift).
// These are plain data: the codec reads and writes them directly, no classes.

/** A 64-bit integer off the wire: a number when it is a safe integer, else a bigint. */
export type I64 = number | bigint;

/** ExtensionCode: values carried in ExtensionStatus.code (the field itself is a plain i32). */
export const ExtensionCode = { EXT_SUCCESS: 0, EXT_FAILED: 1, EXT_FATAL: 2 } as const;

/** A plugin request (`ExtensionPluginRequest`): string keys to string values. */
export type PluginRequest = Record<string, string>;

/** A plugin response (`ExtensionPluginResponse`): rows of string maps. */
export type PluginResponse = Record<string, string>[];

export interface ExtensionStatus {
  code: number;
  message: string;
  /** The responder's uuid (0 for the core). Uuids are small; a value beyond 2^53 is rounded. */
  uuid: number;
}

export interface ExtensionResponse {
  status: ExtensionStatus;
  response: PluginResponse;
}

export interface InternalExtensionInfo {
  name: string;
  version: string;
  sdk_version: string;
  min_sdk_version: string;
}

export interface InternalOptionInfo {
  value: string;
  default_value: string;
  type: string;
}

/** Option name -> option details (`InternalOptionList`). */
export type InternalOptionList = Record<string, InternalOptionInfo>;

/** Plugin name -> route info rows (`ExtensionRouteTable`). */
export type ExtensionRouteTable = Record<string, PluginResponse>;

/** Registry name -> route table (`ExtensionRegistry`). */
export type ExtensionRegistry = Record<string, ExtensionRouteTable>;

/** uuid -> extension (`InternalExtensionList`). Keys are exact: bigint only beyond 2^53. */
export type InternalExtensionList = Map<I64, InternalExtensionInfo>;

/** Argument and result types of every method of `ExtensionManager` (which includes `Extension`). */
export interface Methods {
  ping: { args: Record<never, never>; result: ExtensionStatus };
  call: { args: { registry: string; item: string; request: PluginRequest }; result: ExtensionResponse };
  shutdown: { args: Record<never, never>; result: undefined };
  extensions: { args: Record<never, never>; result: InternalExtensionList };
  options: { args: Record<never, never>; result: InternalOptionList };
  registerExtension: {
    args: { info: InternalExtensionInfo; registry: ExtensionRegistry };
    result: ExtensionStatus;
  };
  deregisterExtension: { args: { uuid: number }; result: ExtensionStatus };
  query: { args: { sql: string }; result: ExtensionResponse };
  getQueryColumns: { args: { sql: string }; result: ExtensionResponse };
}

export type MethodName = keyof Methods;

export const METHOD_NAMES: readonly MethodName[] = [
  'ping',
  'call',
  'shutdown',
  'extensions',
  'options',
  'registerExtension',
  'deregisterExtension',
  'query',
  'getQueryColumns',
];

/** One call of method M: its name plus its arguments. */
export type CallOf<M extends MethodName> = { method: M } & Methods[M]['args'];

/** Any call, discriminated by `method`. */
export type Call = { [M in MethodName]: CallOf<M> }[MethodName];

/** What method M returns. */
export type ResultOf<M extends MethodName> = Methods[M]['result'];
