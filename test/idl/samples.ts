// Sample calls and results for the wire-layer tests, plus helpers to compare our values with
// the npm runtime's value shapes.
import type {
  Call,
  ExtensionResponse,
  InternalExtensionList,
  MethodName,
  PluginResponse,
  ResultOf,
} from '../../idl/src/types.js';

/** `rows` rows of `cols` string columns; `seed` varies the values. */
export function makeRows(rows: number, cols: number, seed = 0): PluginResponse {
  const out: PluginResponse = [];
  for (let i = 0; i < rows; i++) {
    const row: Record<string, string> = {};
    for (let c = 0; c < cols; c++) row[`column_${c}`] = `value ${seed}:${i}:${c} ${'x'.repeat((i + c) % 17)}`;
    out.push(row);
  }
  return out;
}

export const UNICODE = [
  'plain',
  '',
  'ünïcödé',
  '日本語のテキスト',
  'emoji 😀👍🏽 and ZWJ 👩‍👩‍👧',
  'combining e\u0301',
  'nul\u0000inside',
  '\u{10ffff}',
  'a'.repeat(1000),
  '€'.repeat(40), // longer than the writer's short-string path
];

export function unicodeRows(): PluginResponse {
  return UNICODE.map((v, i) => ({ [UNICODE[(i + 3) % UNICODE.length]!]: v, id: String(i) }));
}

export function response(rows: PluginResponse, code = 0, message = 'OK', uuid = 0): ExtensionResponse {
  return { status: { code, message, uuid }, response: rows };
}

const info = (name: string) => ({ name, version: '1.2.3', sdk_version: '3.0.7', min_sdk_version: '1.8.0' });

/** Calls of every method, with edge cases. */
export const CALLS: Call[] = [
  { method: 'ping' },
  { method: 'shutdown' },
  { method: 'extensions' },
  { method: 'options' },
  { method: 'call', registry: 'table', item: 'example', request: { action: 'generate', context: '{}' } },
  { method: 'call', registry: '', item: '', request: {} },
  {
    method: 'call',
    registry: 'ünï',
    item: '日本',
    request: Object.fromEntries(UNICODE.map((u, i) => [u, `${i}`])),
  },
  {
    method: 'registerExtension',
    info: info('example'),
    registry: {
      table: {
        example: [
          { id: 'column', name: 'a', type: 'TEXT', op: '0' },
          { id: 'column', name: 'b', type: 'BIGINT', op: '1' },
        ],
        empty: [],
      },
      config: {},
      logger: { l: [{}] },
    },
  },
  { method: 'registerExtension', info: info(''), registry: {} },
  { method: 'deregisterExtension', uuid: 0 },
  { method: 'deregisterExtension', uuid: 1 },
  { method: 'deregisterExtension', uuid: 65535 },
  { method: 'deregisterExtension', uuid: 2 ** 31 },
  { method: 'deregisterExtension', uuid: 2 ** 32 + 5 },
  { method: 'deregisterExtension', uuid: Number.MAX_SAFE_INTEGER },
  { method: 'deregisterExtension', uuid: -1 },
  { method: 'query', sql: 'SELECT * FROM time' },
  { method: 'query', sql: '' },
  { method: 'getQueryColumns', sql: 'SELECT \'ü\' AS "日本"' },
];

const exts = (ids: number[]): InternalExtensionList => new Map(ids.map((id) => [id, info(`ext${id}`)]));

/** Results of every method, with edge cases. */
export const RESULTS: { [M in MethodName]: ResultOf<M>[] } = {
  ping: [
    { code: 0, message: 'OK', uuid: 0 },
    { code: 1, message: 'Extension not found', uuid: 65535 },
  ],
  shutdown: [undefined],
  extensions: [exts([]), exts([1]), exts([1, 2, 3, 9])],
  options: [
    {},
    {
      verbose: { value: 'false', default_value: 'false', type: 'bool' },
      extensions_interval: { value: '3', default_value: '3', type: 'int32' },
      custom_ü: { value: '日本', default_value: '', type: 'string' },
    },
  ],
  call: [response([]), response([{}]), response(makeRows(3, 4)), response(unicodeRows(), 1, 'ü failed', 3)],
  registerExtension: [{ code: 0, message: 'OK', uuid: 12345 }],
  deregisterExtension: [{ code: 1, message: 'No extension UUID registered', uuid: 0 }],
  query: [response([{ seconds: '1', s: '' }])],
  getQueryColumns: [response([{ s: 'INTEGER' }, { 日本: 'TEXT' }])],
};

/**
 * Converts a value decoded by the npm runtime to our shapes: Int64 -> number, generated class
 * instances -> plain objects. Map-typed results (extensions) are handled by the caller.
 */
export function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  const o = v as Record<string, unknown>;
  if (Buffer.isBuffer(o['buffer']) && typeof o['offset'] === 'number') return Number(o as unknown as number);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = plain(o[k]);
  return out;
}

/** Our extensions() Map as the plain object the npm runtime decodes it to. */
export function extensionsAsObject(list: InternalExtensionList): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of list) out[String(k)] = v;
  return out;
}
