// Shared helpers of the configuration layer: osquery's comment stripping, a JSON
// parser that reports line/column and keeps osquery's (RapidJSON) semantics, and
// the small value conversions osquery applies to config values.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Largest config text accepted after comment stripping (osquery: 4 MiB). */
export const MAX_CONFIG_SIZE = 4 * 1024 * 1024;
/** Deepest nesting osquery accepts (the root object is level 0; a value at level 32 is too deep). */
export const MAX_CONFIG_DEPTH = 32;

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text after osquery's comment stripping, and for each output line the 1-based line it came from. */
export interface StrippedText {
  text: string;
  lineOrigin: { line: number; indent: number }[];
}

/**
 * osquery's stripConfigComments: drop every `\` + newline, then trim each line and drop
 * the lines starting with `#` or `//` (whole-line comments only; text inside strings and
 * trailing comments are untouched). Each kept line is written trimmed plus `\n`.
 */
export function stripConfigComments(raw: string): StrippedText {
  const out: string[] = [];
  const lineOrigin: { line: number; indent: number }[] = [];
  const lines = raw.split('\n');
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i] as string;
    // A trailing backslash joins the next line (osquery removes the "\\\n" pair).
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1) + lines[i];
    }
    i++;
    const trimmed = line.replace(/^[ \t\n\v\f\r]+/, '');
    const indent = line.length - trimmed.length;
    const content = trimmed.replace(/[ \t\n\v\f\r]+$/, '');
    if (content.startsWith('#') || content.startsWith('//')) continue;
    out.push(content);
    lineOrigin.push({ line: start + 1, indent });
  }
  // osquery appends "\n" after every kept line, including the last piece of the split.
  return { text: out.map((l) => `${l}\n`).join(''), lineOrigin };
}

export class JsonParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * A strict JSON parser (what RapidJSON accepts by default: no comments, no trailing
 * commas). Unlike JSON.parse it reports the failing offset every time, and on duplicate
 * keys it keeps the first value, as osquery's lookups (`obj["key"]`) do.
 */
export function parseJson(text: string): Json {
  let pos = 0;
  const fail = (what: string): never => {
    throw new JsonParseError(what, pos);
  };
  const ws = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const describe = () =>
    pos < text.length ? `unexpected character '${text[pos]}'` : 'unexpected end of input';

  const parseString = (): string => {
    pos++; // opening quote
    let s = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos] as string;
      if (c === '"') {
        pos++;
        return s;
      }
      if (c.charCodeAt(0) < 0x20) fail('control character inside a string (escape it)');
      if (c !== '\\') {
        s += c;
        pos++;
        continue;
      }
      const e = text[pos + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && simple[e] !== undefined) {
        s += simple[e];
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        s += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        pos++;
        fail('invalid escape sequence in a string');
      }
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 400));
    if (!m) return fail(describe());
    pos += m[0].length;
    return Number(m[0]);
  };

  const parseValue = (): Json => {
    ws();
    const c = text[pos];
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail(describe());
  };

  const parseObject = (): JsonObject => {
    pos++;
    const obj: JsonObject = {};
    ws();
    if (text[pos] === '}') {
      pos++;
      return obj;
    }
    for (;;) {
      ws();
      if (text[pos] !== '"') fail(`expected a double-quoted member name, ${describe()}`);
      const key = parseString();
      ws();
      if (text[pos] !== ':') fail(`expected ':' after member name "${key}", ${describe()}`);
      pos++;
      const value = parseValue();
      // First occurrence wins; defineProperty keeps a "__proto__" key an ordinary member.
      if (!Object.hasOwn(obj, key)) {
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      }
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      fail(`expected ',' or '}' after a member value, ${describe()}`);
    }
  };

  const parseArray = (): Json[] => {
    pos++;
    const arr: Json[] = [];
    ws();
    if (text[pos] === ']') {
      pos++;
      return arr;
    }
    for (;;) {
      arr.push(parseValue());
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      fail(`expected ',' or ']' after an array element, ${describe()}`);
    }
  };

  const value = parseValue();
  ws();
  if (pos < text.length) fail(`unexpected text after the JSON document, ${describe()}`);
  return value;
}

/** Where an offset of stripped text was in the original text: "line L, column C". */
export function locate(stripped: StrippedText, offset: number): string {
  // The end of input is reported just after the last character, not on the empty line after it.
  if (offset >= stripped.text.length && stripped.text.endsWith('\n')) offset = stripped.text.length - 1;
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < stripped.text.length; i++) {
    if (stripped.text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const origin = stripped.lineOrigin[Math.min(line, stripped.lineOrigin.length - 1)];
  if (!origin) return 'line 1, column 1';
  return `line ${origin.line}, column ${origin.indent + (offset - lineStart) + 1}`;
}

/** Deepest level of any value (root = 0), as osquery's breadth-first validateConfig counts it. */
export function jsonDepth(v: Json, level = 0): number {
  let max = level;
  if (Array.isArray(v)) for (const x of v) max = Math.max(max, jsonDepth(x, level + 1));
  else if (isObject(v)) for (const x of Object.values(v)) max = Math.max(max, jsonDepth(x, level + 1));
  return max;
}

/**
 * Strip comments, check size, parse, and validate one config text the way osquery's
 * updateSource does. Throws an Error whose message names `label` and the line/column.
 */
export function parseConfigText(label: string, raw: string): JsonObject {
  const stripped = stripConfigComments(raw);
  const size = Buffer.byteLength(stripped.text, 'utf8');
  if (size > MAX_CONFIG_SIZE) {
    throw new Error(
      `Error parsing the config JSON: ${label}: the config size exceeds the limit of ${MAX_CONFIG_SIZE} bytes`,
    );
  }
  let doc: Json;
  try {
    doc = parseJson(stripped.text);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    throw new Error(`Error parsing the config JSON: ${label}: ${locate(stripped, e.offset)}: ${e.message}`);
  }
  if (!isObject(doc)) {
    throw new Error(
      `Error parsing the config JSON: ${label}: the root of the document must be a JSON object`,
    );
  }
  if (jsonDepth(doc) >= MAX_CONFIG_DEPTH) {
    throw new Error(
      `Error validating the config JSON: ${label}: Configuration has too many nesting levels! (max ${MAX_CONFIG_DEPTH})`,
    );
  }
  return doc;
}

/** osquery's JSON::valueToSize: unsigned number, or a string of digits; anything else is 0. */
export function valueToSize(v: Json | undefined): number {
  if (typeof v === 'number') return v >= 0 && Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'string') return /^[0-9]+$/.test(v) ? Number(v) : 0;
  return 0;
}

/** osquery's JSON::valueToBool: bools, "true"/"t" (any case), non-zero numbers. */
export function valueToBool(v: Json | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    return s === 't' || s === 'true';
  }
  if (typeof v === 'number') return Math.trunc(v) !== 0;
  return false;
}

/**
 * osquery's checkPlatform on a Linux build: substring rules, so "linux,darwin" and
 * "posix" match here, "darwin" or "windows" alone do not; "" and "null" match everything.
 */
export { versionAtLeast } from '../version.js';

export function checkPlatform(platform: string): boolean {
  if (platform === '' || platform === 'null') return true;
  if (platform.includes('any') || platform.includes('all')) return true;
  if (platform.includes('linux') || platform.includes('ubuntu') || platform.includes('centos')) return true;
  if (platform.includes('posix')) return true;
  return false;
}

/** The host name osquery hashes for sharding (gethostname, trimmed). */
export function currentHostname(): string {
  return hostname().trim();
}

/** osquery's machine shard: first byte of SHA-1(hostname) scaled to 0..100 (integer math). */
export function machineShard(host: string): number {
  const firstByte = Number.parseInt(sha1Hex(host).slice(0, 2), 16);
  return Math.floor((firstByte * 100) / 255);
}
