// JSON as Boost.PropertyTree reads and writes it, which osquery uses in several places whose
// output must match byte for byte: its AWS loggers re-serialise every line through a ptree
// (`appendLogTypeToJson`), and tables such as chrome_extensions render parts of a file
// with write_json. PropertyTree has no types: every scalar is kept as text (numbers as
// written, true/false/null as words), objects and arrays become child lists (array
// children have empty keys), and an empty object or array is just an empty node. Writing
// it back therefore quotes every scalar, turns `{}`/`[]` into `""`, escapes `/` as `\/`
// and control characters as `\u00XX`.

/** A PropertyTree node: a text value and an ordered list of (key, child); keys may repeat. */
export interface PtreeNode {
  data: string;
  children: [string, PtreeNode][];
}

const leaf = (data: string): PtreeNode => ({ data, children: [] });

/** A parsed JSON value as a ptree: scalars become their text (null as `null`). */
export function ptreeFromJson(value: unknown): PtreeNode {
  if (Array.isArray(value)) return { data: '', children: value.map((v) => ['', ptreeFromJson(v)]) };
  if (typeof value === 'object' && value !== null) {
    return { data: '', children: Object.entries(value).map(([k, v]) => [k, ptreeFromJson(v)]) };
  }
  return leaf(value === null ? 'null' : String(value));
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): PtreeNode {
    this.space();
    const v = this.value();
    this.space();
    if (this.i !== this.s.length) this.fail('garbage after data');
    return v;
  }

  private fail(what: string): never {
    throw new SyntaxError(`${what} at offset ${this.i}`);
  }

  private space(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.i++;
    }
  }

  private value(): PtreeNode {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return leaf(this.string());
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return leaf(word);
      }
    }
    return leaf(this.number());
  }

  private object(): PtreeNode {
    const node: PtreeNode = { data: '', children: [] };
    this.i++; // {
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return node;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail('expected key');
      const key = this.string();
      this.space();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.space();
      node.children.push([key, this.value()]);
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return node;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): PtreeNode {
    const node: PtreeNode = { data: '', children: [] };
    this.i++; // [
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return node;
    }
    for (;;) {
      this.space();
      node.children.push(['', this.value()]);
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return node;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private static readonly NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
  private static readonly PLAIN = /[^"\\\u0000-\u001f]*/y;

  /** Numbers stay as written (PropertyTree keeps the literal text). */
  private number(): string {
    Parser.NUMBER.lastIndex = this.i;
    const m = Parser.NUMBER.exec(this.s);
    if (!m || m[0] === '') this.fail('expected value');
    this.i += m[0].length;
    return m[0];
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    for (;;) {
      Parser.PLAIN.lastIndex = this.i;
      const run = Parser.PLAIN.exec(s)?.[0] ?? '';
      out += run;
      this.i += run.length;
      const c = s[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c !== '\\') this.fail(c === undefined ? 'unterminated string' : 'control character in string');
      out += this.escape();
    }
  }

  private escape(): string {
    const e = this.s[this.i + 1];
    this.i += 2;
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
    if (e !== undefined && e in simple) return simple[e] as string;
    if (e !== 'u') this.fail('invalid escape');
    const unit = this.hex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('stray low surrogate');
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    // A high surrogate must be followed by an escaped low one (Boost decodes to UTF-8).
    if (this.s[this.i] !== '\\' || this.s[this.i + 1] !== 'u') this.fail('missing low surrogate');
    this.i += 2;
    const low = this.hex4();
    if (low < 0xdc00 || low > 0xdfff) this.fail('invalid low surrogate');
    return String.fromCharCode(unit, low);
  }

  private hex4(): number {
    const h = this.s.slice(this.i, this.i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid \\u escape');
    this.i += 4;
    return Number.parseInt(h, 16);
  }
}

/** Parses JSON text as Boost.PropertyTree's read_json does; throws SyntaxError on bad input. */
export function parsePtree(text: string): PtreeNode {
  return new Parser(text).document();
}

/** `ptree.put(key, value)`: sets the first child named `key`, or appends one. */
export function putPtree(node: PtreeNode, key: string, value: string): void {
  const found = node.children.find(([k]) => k === key);
  if (found) found[1].data = value;
  else node.children.push([key, leaf(value)]);
}

const ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '/': '\\/',
  '"': '\\"',
  '\\': '\\\\',
};

/** Boost's create_escapes: bytes from 0x7F up pass through, so UTF-8 text stays as is. */
function escapeText(s: string): string {
  return s.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to escape
    /[\u0000-\u001f"/\\]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Boost's verify_json: the root has no text, and no node has both text and children. */
function representable(node: PtreeNode, root: boolean): boolean {
  if (node.data !== '' && (root || node.children.length > 0)) return false;
  return node.children.every(([, c]) => representable(c, false));
}

function write(node: PtreeNode, root: boolean): string {
  const kids = node.children;
  if (!root && kids.length === 0) return `"${escapeText(node.data)}"`;
  if (!root && kids.every(([k]) => k === '')) return `[${kids.map(([, c]) => write(c, false)).join(',')}]`;
  return `{${kids.map(([k, c]) => `"${escapeText(k)}":${write(c, false)}`).join(',')}}`;
}

/**
 * One node as write_json renders it inside a document: a leaf as a string, a node whose
 * children all have empty keys as an array, anything else as an object.
 */
export function writePtreeNode(node: PtreeNode): string {
  return write(node, false);
}

/** Boost's write_json (compact, without the trailing newline); throws if not representable. */
export function writePtree(node: PtreeNode): string {
  if (!representable(node, true))
    throw new Error('ptree contains data that cannot be represented in JSON format');
  return write(node, true);
}
