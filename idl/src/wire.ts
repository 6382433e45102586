// Binary-protocol primitives: type ids, a growable writer and a bounds-checked reader.
//
// Big-endian, no framing (docs/extensions.md#the-wire). The writer keeps ONE buffer that
// doubles when full and writes strings in place, back-patching their length; the reader walks
// one Buffer once. Both avoid a Buffer per field, which is what makes the npm runtime slow on
// large replies.
import { ProtocolError } from './errors.js';
import type { I64 } from './types.js';

/** Binary-protocol type ids. */
export const T = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
  UUID: 16,
} as const;

/** Message types of the message header. */
export const MessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const;

/** First i32 of a strict header is VERSION_1 | message type. */
export const VERSION_1 = 0x80010000 | 0;
export const VERSION_MASK = 0xffff0000 | 0;

/** Encoded size of a value of each fixed-size type; -1 for variable-size ones, 0 for invalid ids. */
export const FIXED_SIZE: readonly number[] = (() => {
  const s = new Array<number>(256).fill(0);
  s[T.BOOL] = 1;
  s[T.BYTE] = 1;
  s[T.DOUBLE] = 8;
  s[T.I16] = 2;
  s[T.I32] = 4;
  s[T.I64] = 8;
  s[T.UUID] = 16;
  for (const t of [T.STRING, T.STRUCT, T.MAP, T.SET, T.LIST]) s[t] = -1;
  return s;
})();

/** The fewest bytes a value of a type can take (used to reject absurd container counts). */
export const MIN_SIZE: readonly number[] = (() => {
  const s = FIXED_SIZE.map((n) => Math.max(n, 0));
  s[T.STRING] = 4;
  s[T.STRUCT] = 1;
  s[T.MAP] = 6;
  s[T.SET] = 5;
  s[T.LIST] = 5;
  return s;
})();

const TWO_32 = 4294967296;

/** Assigns obj[key] = value, also when key is "__proto__" (which plain assignment would drop). */
export function setKey<V>(obj: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true });
  else obj[key] = value;
}

/** One growable output buffer. Call `finish()` for the bytes written. */
export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  i16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    b[this.pos] = (v >> 8) & 0xff;
    b[this.pos + 1] = v & 0xff;
    this.pos += 2;
  }

  i32(v: number): void {
    this.ensure(4);
    this.putI32(this.pos, v);
    this.pos += 4;
  }

  private putI32(at: number, v: number): void {
    const b = this.buf;
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
  }

  i64(v: I64): void {
    this.ensure(8);
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      const hi = Math.floor(v / TWO_32);
      this.putI32(this.pos, hi);
      this.putI32(this.pos + 4, v - hi * TWO_32);
    } else {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`not an i64: ${v}`);
      const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
      this.buf.writeBigInt64BE(BigInt.asIntN(64, big), this.pos);
    }
    this.pos += 8;
  }

  /** A string as i32 byte length + UTF-8, written in place; the length is patched afterwards. */
  string(s: string): void {
    const n = s.length;
    this.ensure(4 + n * 3); // a UTF-16 code unit never takes more than 3 UTF-8 bytes
    const b = this.buf;
    const start = this.pos + 4;
    let len = 0;
    if (n < 32) {
      // Short strings: copy ASCII by hand (cheaper than a call into the encoder).
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      len = i === n ? n : b.write(s, start, 'utf8');
    } else {
      len = b.write(s, start, 'utf8');
    }
    this.putI32(this.pos, len);
    this.pos = start + len;
  }

  fieldBegin(type: number, id: number): void {
    this.ensure(3);
    const b = this.buf;
    b[this.pos] = type;
    b[this.pos + 1] = (id >> 8) & 0xff;
    b[this.pos + 2] = id & 0xff;
    this.pos += 3;
  }

  stop(): void {
    this.byte(T.STOP);
  }

  mapBegin(keyType: number, valueType: number, size: number): void {
    this.ensure(6);
    this.buf[this.pos] = keyType;
    this.buf[this.pos + 1] = valueType;
    this.putI32(this.pos + 2, size);
    this.pos += 6;
  }

  listBegin(elemType: number, size: number): void {
    this.ensure(5);
    this.buf[this.pos] = elemType;
    this.putI32(this.pos + 1, size);
    this.pos += 5;
  }

  /** The bytes written so far (a view of the internal buffer; the writer must not be reused). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Maximum nesting of structs/containers the reader accepts when skipping unknown values. */
export const MAX_DEPTH = 64;

/** A bounds-checked cursor over one complete message. Throws ProtocolError on any overrun. */
export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    end = buf.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw new ProtocolError('truncated message');
  }

  /** An unsigned byte (type ids). */
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  /** An i64: a number when safe, else the exact bigint. */
  i64(): I64 {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    const v = hi * TWO_32 + lo;
    if (Number.isSafeInteger(v)) {
      this.pos += 8;
      return v;
    }
    const big = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return big;
  }

  /** An i32 count or length: negative, or more than the bytes left could hold, is an error. */
  size(minBytesEach: number): number {
    const n = this.i32();
    if (n < 0) throw new ProtocolError(`negative size ${n}`);
    if (n * minBytesEach > this.end - this.pos) throw new ProtocolError(`size ${n} exceeds the message`);
    return n;
  }

  string(): string {
    const len = this.size(1);
    const p = this.pos;
    this.pos = p + len;
    return this.buf.toString('utf8', p, p + len);
  }

  /** Skips one value of the given type (unknown fields), with a depth limit. */
  skip(type: number, depth = 0): void {
    const fixed = FIXED_SIZE[type] ?? 0;
    if (fixed > 0) {
      this.need(fixed);
      this.pos += fixed;
      return;
    }
    if (fixed === 0) throw new ProtocolError(`unknown type id ${type}`);
    if (type === T.STRING) {
      const len = this.size(1); // read before adding: size() moves pos
      this.pos += len;
      return;
    }
    if (depth >= MAX_DEPTH) throw new ProtocolError('nesting too deep');
    if (type === T.STRUCT) {
      for (;;) {
        const ft = this.u8();
        if (ft === T.STOP) return;
        this.need(2);
        this.pos += 2;
        this.skip(ft, depth + 1);
      }
    }
    if (type === T.MAP) {
      this.need(2);
      const kt = this.buf[this.pos]!;
      const vt = this.buf[this.pos + 1]!;
      this.pos += 2;
      const n = this.size(1);
      if (n === 0) return;
      const each = (MIN_SIZE[kt] ?? 0) + (MIN_SIZE[vt] ?? 0);
      if (n * each > this.end - this.pos) throw new ProtocolError(`size ${n} exceeds the message`);
      for (let i = 0; i < n; i++) {
        this.skip(kt, depth + 1);
        this.skip(vt, depth + 1);
      }
      return;
    }
    // LIST or SET
    const et = this.u8();
    const n = this.size(1);
    for (let i = 0; i < n; i++) this.skip(et, depth + 1);
  }
}
