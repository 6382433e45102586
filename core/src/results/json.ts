// JSON text exactly as osquery's RapidJSON writer produces it, plus the small parser
// the differential engine needs to read its stored rows back with their types.
//
// Why not JSON.stringify: RapidJSON escapes control characters as \u00XX with
// UPPERCASE hex (JSON.stringify uses lowercase), writes doubles as `1.0` (not `1`)
// and `1e21` (not `1e+21`), and must keep int64 values exact (bigint).
// Why not JSON.parse: stored rows hold int64 values beyond 2^53, and `1.0` (a double)
// must stay distinguishable from `1` (an integer).

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

const NUMBER = /-?(?:Infinity|\d+(\.\d+)?([eE][-+]?\d+)?)/y;

/** Parse JSON text; integers become bigint, numbers with `.`/`e` become doubles. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const literal = (word: string, value: JsonValue): JsonValue => {
    if (!text.startsWith(word, i)) fail(`expected ${word}`);
    i += word.length;
    return value;
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const e = text[i + 1];
      i += 2;
      if (e === 'u') {
        const hex = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 4;
      } else {
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        const m = e === undefined ? undefined : map[e];
        if (m === undefined) fail('bad escape');
        out += m;
      }
      start = i;
    }
    out += text.slice(start, i);
    i++; // closing quote
    return out;
  };
  const num = (): Cell => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('bad number');
    i += m[0].length;
    if (m[0].endsWith('Infinity')) return m[0].startsWith('-') ? -Infinity : Infinity;
    return m[1] !== undefined || m[2] !== undefined ? Number(m[0]) : BigInt(m[0]);
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const members: [string, JsonValue][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        members.push([k, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { members };
        } else fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return items;
        } else fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === 'N') return literal('NaN', Number.NaN);
    return num();
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}
