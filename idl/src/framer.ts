// Finds message boundaries in an unframed binary-protocol byte stream.
//
// osquery sends bare binary-protocol messages with no length prefix (docs/extensions.md#the-wire),
// so the only way to know where a message ends is to walk it. The npm runtime does that by
// decoding from the start on every chunk and rolling back on underrun, which is quadratic in
// the message size. This scanner instead walks each byte once: it keeps its place (an offset
// and a small stack of open structs/containers) between chunks, never decodes a value, and
// hands back each complete message as one Buffer for a single decode pass.
//
// It is the first code to see bytes from a socket, so it is hostile-input safe: every length and
// count is checked against the message size limit BEFORE waiting for the bytes, nothing is
// allocated from a claimed length, nesting is bounded, and unknown type ids are rejected. Any
// violation throws ProtocolError; the caller drops the connection (a framer that threw is not
// usable again).
import { ProtocolError } from './errors.js';
import { FIXED_SIZE, MIN_SIZE, T, VERSION_1, VERSION_MASK } from './wire.js';

export interface FramerLimits {
  /** Largest accepted message in bytes (default 64 MiB). */
  maxMessageSize?: number;
  /** Deepest accepted nesting of structs and containers (default 64). */
  maxDepth?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

// Where the scanner is in the message header.
const H_FIRST = 0; // at the first i32 (strict version word, or old-style name length)
const H_NAME = 1; // strict header: at the method name's length
const H_BODY = 2; // inside the args/result struct (the stack is in use)

// Kinds of stack frames.
const F_STRUCT = 0; // inside a struct: next is a field header or STOP
const F_LIST = 1; // inside a list/set: `count` elements of type `t1` left
const F_MAP = 2; // inside a map: `count` keys+values left, alternating t1 (key) and t2 (value)
const F_VALUE = 3; // a value of type t1 whose header (length/count) is not read yet

const WAIT = -1;

export class MessageFramer {
  private readonly max: number;
  private readonly maxDepth: number;

  // Bytes of an incomplete message (and whatever followed it), when one spans chunks.
  private acc: Buffer | null = null;
  private accLen = 0;

  // Scanner state; offsets are relative to the start of the current message.
  private off = 0;
  private phase = H_FIRST;
  private sp = 0;
  private readonly kind: Uint8Array;
  private readonly t1: Uint8Array;
  private readonly t2: Uint8Array;
  private readonly count: Float64Array;

  constructor(limits: FramerLimits = {}) {
    this.max = limits.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
    const n = this.maxDepth + 1;
    this.kind = new Uint8Array(n);
    this.t1 = new Uint8Array(n);
    this.t2 = new Uint8Array(n);
    this.count = new Float64Array(n);
  }

  /** Bytes held back because they belong to a message that is not complete yet. */
  get buffered(): number {
    return this.accLen;
  }

  /** Feeds one chunk; returns the messages it completed (possibly none), in order. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    if (chunk.length === 0) return out;
    if (this.accLen === 0) {
      this.scanOwned(chunk, out);
      return out;
    }
    this.append(chunk);
    const acc = this.acc!;
    const end = this.scan(acc, 0, this.accLen);
    if (end === WAIT) return out;
    out.push(acc.subarray(0, end));
    const rest = acc.subarray(end, this.accLen);
    // The accumulator now belongs to the message handed out; never write into it again.
    this.acc = null;
    this.accLen = 0;
    this.reset();
    if (rest.length > 0) this.scanOwned(rest, out);
    return out;
  }

  /** Scans a buffer we do not write to: complete messages are views of it, a tail is copied. */
  private scanOwned(buf: Buffer, out: Buffer[]): void {
    let base = 0;
    while (base < buf.length) {
      const end = this.scan(buf, base, buf.length - base);
      if (end === WAIT) {
        this.acc = Buffer.allocUnsafe(Math.max(4096, (buf.length - base) * 2));
        this.accLen = buf.copy(this.acc, 0, base);
        return;
      }
      out.push(buf.subarray(base, base + end));
      base += end;
      this.reset();
    }
  }

  private append(chunk: Buffer): void {
    const need = this.accLen + chunk.length;
    if (need > this.acc!.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.acc!.length * 2));
      this.acc!.copy(next, 0, 0, this.accLen);
      this.acc = next;
    }
    this.accLen += chunk.copy(this.acc!, this.accLen);
  }

  private reset(): void {
    this.off = 0;
    this.phase = H_FIRST;
    this.sp = 0;
  }

  private fail(message: string): never {
    throw new ProtocolError(message);
  }

  /** Bytes still allowed after `off` within the message size limit. */
  private room(off: number): number {
    return this.max - off;
  }

  private pushFrame(kind: number, t1: number, t2: number, count: number): void {
    if (this.sp >= this.maxDepth) this.fail('nesting too deep');
    const i = this.sp++;
    this.kind[i] = kind;
    this.t1[i] = t1;
    this.t2[i] = t2;
    this.count[i] = count;
  }

  /**
   * Continues walking the message that starts at buf[base], with `avail` bytes present.
   * Returns the message length once complete, or WAIT (state saved) when bytes are missing.
   */
  private scan(buf: Buffer, base: number, avail: number): number {
    let off = this.off;
    try {
      for (;;) {
        if (off > this.max) this.fail(`message larger than ${this.max} bytes`);
        if (this.phase !== H_BODY) {
          if (off + 4 > avail) return WAIT;
          const v = buf.readInt32BE(base + off);
          off += 4;
          if (this.phase === H_FIRST && v < 0) {
            if ((v & VERSION_MASK) !== VERSION_1)
              this.fail(`bad protocol version 0x${(v >>> 0).toString(16)}`);
            this.phase = H_NAME;
            continue;
          }
          // v is the name length; an old-style header also has a type byte before the seqid.
          if (v < 0) this.fail(`negative name length ${v}`);
          if (v > this.room(off)) this.fail(`name length ${v} exceeds the message size limit`);
          off += v + (this.phase === H_FIRST ? 1 : 0) + 4;
          this.phase = H_BODY;
          this.pushFrame(F_STRUCT, 0, 0, 0);
          continue;
        }
        if (this.sp === 0) return off; // the args/result struct is closed: message complete
        const top = this.sp - 1;
        switch (this.kind[top]) {
          case F_STRUCT: {
            if (off + 1 > avail) return WAIT;
            const t = buf[base + off]!;
            if (t === T.STOP) {
              off += 1;
              this.sp--;
              break;
            }
            if (off + 3 > avail) return WAIT;
            off += 3;
            off = this.value(t, off);
            break;
          }
          case F_LIST: {
            const t = this.t1[top]!;
            let n = this.count[top]!;
            if (t === T.STRING) {
              // Hot path: skip string after string without touching the stack.
              while (n > 0 && off + 4 <= avail) {
                off = this.skipString(buf, base, off);
                n--;
              }
              this.count[top] = n;
              if (n > 0) return WAIT;
            }
            if (n === 0) {
              this.sp--;
              break;
            }
            this.count[top] = n - 1;
            off = this.value(t, off);
            break;
          }
          case F_MAP: {
            let n = this.count[top]!; // keys and values left, counted separately
            if (this.t1[top] === T.STRING && this.t2[top] === T.STRING) {
              while (n > 0 && off + 4 <= avail) {
                off = this.skipString(buf, base, off);
                n--;
              }
              this.count[top] = n;
              if (n > 0) return WAIT;
            }
            if (n === 0) {
              this.sp--;
              break;
            }
            this.count[top] = n - 1;
            off = this.value(n % 2 === 0 ? this.t1[top]! : this.t2[top]!, off);
            break;
          }
          default: {
            // F_VALUE: read the length/count header of a string or container.
            const r = this.valueHeader(buf, base, off, avail, top);
            if (r === WAIT) return WAIT;
            off = r;
          }
        }
        if (off > avail && off <= this.max) {
          // Skipping into bytes that have not arrived yet: wait for them without looking.
          return WAIT;
        }
      }
    } finally {
      this.off = off;
    }
  }

  /** Skips a string whose 4-byte length is present at off; returns the offset after it. */
  private skipString(buf: Buffer, base: number, off: number): number {
    const len = buf.readInt32BE(base + off);
    off += 4;
    if (len < 0) this.fail(`negative string length ${len}`);
    if (len > this.room(off)) this.fail(`string length ${len} exceeds the message size limit`);
    return off + len;
  }

  /** Starts a value of type t at off: fixed sizes are skipped, others get a frame. */
  private value(t: number, off: number): number {
    const fixed = FIXED_SIZE[t] ?? 0;
    if (fixed > 0) return off + fixed;
    if (fixed === 0) this.fail(`unknown type id ${t}`);
    if (t === T.STRUCT) this.pushFrame(F_STRUCT, 0, 0, 0);
    else this.pushFrame(F_VALUE, t, 0, 0);
    return off;
  }

  /** Reads the header of the pending string/map/list at the top of the stack. */
  private valueHeader(buf: Buffer, base: number, off: number, avail: number, top: number): number {
    const t = this.t1[top]!;
    if (t === T.STRING) {
      if (off + 4 > avail) return WAIT;
      this.sp--;
      return this.skipString(buf, base, off);
    }
    if (t === T.MAP) {
      if (off + 6 > avail) return WAIT;
      const kt = buf[base + off]!;
      const vt = buf[base + off + 1]!;
      const n = buf.readInt32BE(base + off + 2);
      off += 6;
      this.sp--;
      if (n < 0) this.fail(`negative map size ${n}`);
      if (n === 0) return off; // element types of an empty map are not looked at
      this.checkType(kt);
      this.checkType(vt);
      if (n * ((MIN_SIZE[kt] ?? 0) + (MIN_SIZE[vt] ?? 0)) > this.room(off)) {
        this.fail(`map size ${n} exceeds the message size limit`);
      }
      this.pushFrame(F_MAP, kt, vt, n * 2);
      return off;
    }
    // LIST or SET
    if (off + 5 > avail) return WAIT;
    const et = buf[base + off]!;
    const n = buf.readInt32BE(base + off + 1);
    off += 5;
    this.sp--;
    if (n < 0) this.fail(`negative list size ${n}`);
    if (n === 0) return off;
    this.checkType(et);
    const fixed = FIXED_SIZE[et]!;
    if (n * (MIN_SIZE[et] ?? 0) > this.room(off)) this.fail(`list size ${n} exceeds the message size limit`);
    if (fixed > 0) return off + n * fixed; // e.g. list<i64>: skip it whole
    this.pushFrame(F_LIST, et, 0, n);
    return off;
  }

  private checkType(t: number): void {
    if ((FIXED_SIZE[t] ?? 0) === 0) this.fail(`unknown type id ${t}`);
  }
}
