// One strict JSON reader (what RapidJSON accepts by default: no comments, no trailing
// commas, no raw control characters in strings) for the two places that cannot use
// JSON.parse: the config, which must report where a document fails and keep the
// first of duplicate keys, and the stored results of the differential engine, which
// must keep int64 values exact and tell `1.0` from `1`. Each says what it builds
// from the grammar; the tokenizer and the error messages are shared.
import type { Json, JsonObject } from './json.js';

/** A document that is not JSON; `offset` is where in the text reading stopped. */
export class JsonParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * What a reader builds. Strings, booleans and null are read as themselves, so `V`
 * must include them; numbers, objects and arrays are the builder's choice.
 */
export interface JsonBuilder<V> {
  /** A number as written; `integral` when it has neither a fraction nor an exponent. */
  number(token: string, integral: boolean): V;
  /** An object's members in document order, duplicates included. */
  object(members: [string, V][]): V;
  array(items: V[]): V;
  /** Also accept NaN, Infinity and -Infinity (RapidJSON's kParseNanAndInfFlag). */
  nonFinite?: boolean;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;
const NON_FINITE = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
] as const;

/** Read one JSON document; throws JsonParseError with the offset it failed at. */
export function readJson<V>(text: string, build: JsonBuilder<V>): V {
  let pos = 0;
  const fail = (what: string): never => {
    throw new JsonParseError(what, pos);
  };
  const ws = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const describe = (): string =>
    pos < text.length ? `unexpected character '${text[pos]}'` : 'unexpected end of input';

  const readString = (): string => {
    pos++; // opening quote
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character inside a string (escape it)');
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      const e = text[pos + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        pos++;
        fail('invalid escape sequence in a string');
      }
      start = pos;
    }
    out += text.slice(start, pos);
    pos++; // closing quote
    return out;
  };

  const readValue = (): V => {
    ws();
    const c = text[pos];
    if (c === '{') return readObject();
    if (c === '[') return readArray();
    if (c === '"') return readString() as V;
    if (build.nonFinite && (c === 'N' || c === 'I' || (c === '-' && text[pos + 1] === 'I'))) {
      for (const [word, value] of NON_FINITE) {
        if (text.startsWith(word, pos)) {
          pos += word.length;
          return value as V;
        }
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text);
      if (!m) return fail(describe());
      pos += m[0].length;
      return build.number(m[0], m[2] === undefined && m[3] === undefined);
    }
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value as V;
      }
    }
    return fail(describe());
  };

  const readObject = (): V => {
    pos++;
    const members: [string, V][] = [];
    ws();
    if (text[pos] === '}') {
      pos++;
      return build.object(members);
    }
    for (;;) {
      ws();
      if (text[pos] !== '"') fail(`expected a double-quoted member name, ${describe()}`);
      const key = readString();
      ws();
      if (text[pos] !== ':') fail(`expected ':' after member name "${key}", ${describe()}`);
      pos++;
      members.push([key, readValue()]);
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return build.object(members);
      }
      fail(`expected ',' or '}' after a member value, ${describe()}`);
    }
  };

  const readArray = (): V => {
    pos++;
    const items: V[] = [];
    ws();
    if (text[pos] === ']') {
      pos++;
      return build.array(items);
    }
    for (;;) {
      items.push(readValue());
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return build.array(items);
      }
      fail(`expected ',' or ']' after an array element, ${describe()}`);
    }
  };

  const value = readValue();
  ws();
  if (pos < text.length) fail(`unexpected text after the JSON document, ${describe()}`);
  return value;
}

const PLAIN: JsonBuilder<Json> = {
  number: (token) => Number(token),
  object(members) {
    const obj: JsonObject = {};
    for (const [key, value] of members) {
      // First occurrence wins; defineProperty keeps a "__proto__" key an ordinary member.
      if (!Object.hasOwn(obj, key)) {
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    return obj;
  },
  array: (items) => items,
};

/**
 * A strict JSON document as plain values. Unlike JSON.parse it reports the failing
 * offset every time, and on duplicate keys it keeps the first value, as osquery's
 * lookups (`obj["key"]`) do.
 */
export function parseStrictJson(text: string): Json {
  return readJson(text, PLAIN);
}
