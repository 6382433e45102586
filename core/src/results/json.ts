// JSON text exactly as osquery's RapidJSON writer produces it, and how the
// differential engine reads its stored rows back with their types.
//
// Why not JSON.stringify: RapidJSON escapes control characters as \u00XX with
// UPPERCASE hex (JSON.stringify uses lowercase), writes doubles as `1.0` (not `1`)
// and `1e21` (not `1e+21`), and must keep int64 values exact (bigint).
// Why not JSON.parse: stored rows hold int64 values beyond 2^53, and `1.0` (a double)
// must stay distinguishable from `1` (an integer).
import { type JsonBuilder, JsonParseError, readJson } from '../lib/json-reader.js';

/** A typed cell as osquery keeps it: integer (bigint), double (number) or text. */
export type Cell = bigint | number | string;

const HEX = '0123456789ABCDEF';

/** A JSON string literal with RapidJSON's escaping: `"` `\` \b \f \n \r \t, other C0 as \u00XX. */
export function jsonString(s: string): string {
  // Fast path: nothing to escape.
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      clean = false;
      break;
    }
  }
  if (clean) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const c = ch.charCodeAt(0);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += ch;
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return out + '"';
}

/**
 * A double as RapidJSON writes it (Writer::Double): shortest round-trip digits,
 * integral values get `.0`, exponents are written `1e21` / `1e-7` (no `+`).
 * NaN/Infinity are not JSON; they are written as RapidJSON does with
 * kWriteNanAndInfFlag (`NaN`, `Infinity`, `-Infinity`).
 */
export function jsonDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const s = String(x);
  if (s.includes('e')) return s.replace('e+', 'e');
  return s.includes('.') ? s : `${s}.0`;
}

/** Any cell as a JSON value with its type kept (int64 as number, double with `.0`). */
export function jsonCell(v: Cell): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonDouble(v);
  return jsonString(v);
}

/**
 * An object under construction, keeping osquery's JSON::add semantics: adding an
 * existing key first removes it with RapidJSON's RemoveMember, which moves the LAST
 * member into the freed slot, then appends the new member. Values are JSON text.
 */
export class JsonObject {
  private readonly entries: [string, string][] = [];

  add(key: string, jsonValue: string): this {
    const i = this.entries.findIndex((e) => e[0] === key);
    if (i >= 0) {
      const last = this.entries.pop() as [string, string];
      if (i < this.entries.length) this.entries[i] = last;
    }
    this.entries.push([key, jsonValue]);
    return this;
  }

  addString(key: string, value: string): this {
    return this.add(key, jsonString(value));
  }

  get size(): number {
    return this.entries.length;
  }

  toString(): string {
    let out = '{';
    for (let i = 0; i < this.entries.length; i++) {
      const [k, v] = this.entries[i] as [string, string];
      out += `${i > 0 ? ',' : ''}${jsonString(k)}:${v}`;
    }
    return out + '}';
  }
}

/** A parsed JSON value: objects keep member order; numbers keep their integer/double kind. */
export type JsonValue = Cell | boolean | null | JsonValue[] | { members: [string, JsonValue][] };

const TYPED: JsonBuilder<JsonValue> = {
  number: (token, integral) => (integral ? BigInt(token) : Number(token)),
  object: (members) => ({ members }),
  array: (items) => items,
  nonFinite: true,
};

/** Parse stored JSON text; integers become bigint, numbers with `.`/`e` become doubles. */
export function parseTypedJson(text: string): JsonValue {
  try {
    return readJson(text, TYPED);
  } catch (e) {
    if (!(e instanceof JsonParseError)) throw e;
    throw new Error(`invalid JSON at offset ${e.offset}: ${e.message}`);
  }
}
