// The message framer: finds where unframed binary-protocol messages end, whatever the chunking,
// and rejects hostile input with ProtocolError without allocating from claimed lengths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeCall,
  decodeHeader,
  decodeReply,
  encodeCall,
  encodeReply,
  isMethodName,
} from '../../idl/src/codec.js';
import { ApplicationError, ProtocolError } from '../../idl/src/errors.js';
import { MessageFramer } from '../../idl/src/framer.js';
import type { MethodName, ResultOf } from '../../idl/src/types.js';
import { T, Writer } from '../../idl/src/wire.js';
import { CALLS, makeRows, RESULTS, response } from './samples.js';

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function smallMessages(): Buffer[] {
  const out = CALLS.map((c, i) => Buffer.from(encodeCall(c, i)));
  for (const method of Object.keys(RESULTS) as MethodName[]) {
    for (const r of RESULTS[method] as ResultOf<MethodName>[])
      out.push(Buffer.from(encodeReply(method, 1, r)));
  }
  return out;
}

/** Feeds chunks to a framer and returns every message it produced. */
function feed(framer: MessageFramer, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  return out;
}

function randomChunks(data: Buffer, next: () => number, maxChunk: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let pos = 0; pos < data.length; ) {
    const n = 1 + Math.floor(next() * maxChunk);
    chunks.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}

function header(w: Writer, name = 'call', type = 2): void {
  w.i32(0x80010000 | type | 0);
  w.string(name);
  w.i32(1);
}

describe('framer: boundaries', () => {
  const messages = smallMessages();

  it('every small message, split at every byte boundary, comes out whole', () => {
    for (const msg of messages) {
      for (let k = 0; k <= msg.length; k++) {
        const out = feed(new MessageFramer(), [msg.subarray(0, k), msg.subarray(k)]);
        assert.deepEqual(out, [msg], `split at ${k} of ${msg.length}`);
      }
    }
  });

  it('one byte at a time, and all messages back to back split at every boundary', () => {
    const stream = Buffer.concat(messages);
    const f = new MessageFramer();
    const oneByOne = feed(
      f,
      [...stream].map((b) => Buffer.from([b])),
    );
    assert.deepEqual(oneByOne, messages);
    assert.equal(f.buffered, 0);
    for (let k = 0; k <= stream.length; k += 7) {
      assert.deepEqual(feed(new MessageFramer(), [stream.subarray(0, k), stream.subarray(k)]), messages);
    }
  });

  it('large messages in random chunk sizes', () => {
    const big = [
      Buffer.from(encodeReply('call', 1, response(makeRows(10_000, 10)))),
      Buffer.from(encodeCall({ method: 'ping' }, 2)),
      Buffer.from(encodeReply('query', 3, response(makeRows(3000, 3, 1)))),
      Buffer.from(encodeCall({ method: 'query', sql: 'x'.repeat(200_000) }, 4)),
    ];
    const stream = Buffer.concat(big);
    const next = rng(1);
    for (const maxChunk of [1000, 65536, 300_000]) {
      const out = feed(new MessageFramer(), randomChunks(stream, next, maxChunk));
      assert.equal(out.length, big.length);
      for (const [i, m] of out.entries()) {
        assert.ok(m.equals(big[i]!), `message ${i} differs (chunks up to ${maxChunk})`);
      }
    }
    assert.equal(decodeReply('call', feed(new MessageFramer(), [stream])[0]!).response.length, 10_000);
  });

  it('old-style (non-strict) headers are framed too', () => {
    const strict = Buffer.from(encodeCall(CALLS[4]!, 9));
    const nameLen = strict.readInt32BE(4);
    const old = Buffer.concat([
      strict.subarray(4, 8 + nameLen),
      Buffer.from([1]),
      strict.subarray(8 + nameLen),
    ]);
    for (let k = 0; k <= old.length; k++) {
      assert.deepEqual(feed(new MessageFramer(), [old.subarray(0, k), old.subarray(k), strict]), [
        old,
        strict,
      ]);
    }
  });
});

describe('framer: limits', () => {
  it('rejects a message over maxMessageSize as soon as it is known', () => {
    const msg = encodeReply('call', 1, response(makeRows(10_000, 10)));
    const f = new MessageFramer({ maxMessageSize: 1 << 20 });
    assert.throws(() => feed(f, randomChunks(msg, rng(2), 65536)), ProtocolError);
  });

  it('rejects a claimed string length beyond the limit at once, before any payload', () => {
    for (const len of [0x7fffffff, 0x7ffffff0, 2 ** 31 - 5, 64 * 1024 * 1024]) {
      const w = new Writer();
      header(w);
      w.fieldBegin(T.STRING, 1);
      w.i32(len);
      assert.throws(() => new MessageFramer().push(w.finish()), ProtocolError, `len ${len}`);
    }
  });

  it('waits on a large but allowed claimed length without allocating it', () => {
    const w = new Writer();
    header(w);
    w.fieldBegin(T.STRING, 1);
    w.i32(60 * 1024 * 1024);
    w.string('a few bytes');
    const f = new MessageFramer();
    const before = process.memoryUsage().arrayBuffers;
    assert.deepEqual(f.push(w.finish()), []);
    assert.ok(f.buffered < 100);
    assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20);
  });

  it('rejects negative lengths and absurd container counts', () => {
    const cases: ((w: Writer) => void)[] = [
      (w) => {
        w.fieldBegin(T.STRING, 1);
        w.i32(-1);
      },
      (w) => {
        w.fieldBegin(T.LIST, 1);
        w.listBegin(T.I64, -5);
      },
      (w) => {
        w.fieldBegin(T.LIST, 1);
        w.listBegin(T.I64, 2 ** 30); // 8 GiB of i64s
      },
      (w) => {
        w.fieldBegin(T.MAP, 1);
        w.mapBegin(T.STRING, T.STRING, 0x7fffffff);
      },
      (w) => {
        w.fieldBegin(T.SET, 1);
        w.listBegin(T.STRUCT, 0x7fffffff);
      },
    ];
    for (const c of cases) {
      const w = new Writer();
      header(w);
      c(w);
      assert.throws(() => new MessageFramer().push(w.finish()), ProtocolError);
    }
  });

  it('rejects unknown type ids (in fields and non-empty containers), not in empty ones', () => {
    for (const t of [1, 5, 7, 9, 17, 100, 255]) {
      const w = new Writer();
      header(w);
      w.fieldBegin(t, 1);
      assert.throws(() => new MessageFramer().push(w.finish()), ProtocolError, `field type ${t}`);
      const l = new Writer();
      header(l);
      l.fieldBegin(T.LIST, 1);
      l.listBegin(t, 1);
      assert.throws(() => new MessageFramer().push(l.finish()), ProtocolError, `list type ${t}`);
      const e = new Writer();
      header(e);
      e.fieldBegin(T.MAP, 1);
      e.mapBegin(t, t, 0);
      e.stop();
      assert.equal(new MessageFramer().push(e.finish()).length, 1);
    }
  });

  it('limits nesting depth', () => {
    const nested = (depth: number) => {
      const w = new Writer();
      header(w);
      for (let i = 0; i < depth; i++) w.fieldBegin(T.STRUCT, 1);
      for (let i = 0; i <= depth; i++) w.stop();
      return w.finish();
    };
    assert.equal(new MessageFramer().push(nested(63)).length, 1);
    assert.throws(() => new MessageFramer().push(nested(64)), ProtocolError);
    assert.throws(() => new MessageFramer().push(nested(100_000)), ProtocolError);
    assert.equal(new MessageFramer({ maxDepth: 200 }).push(nested(150)).length, 1);
    // Lists of lists count too.
    const w = new Writer();
    header(w);
    w.fieldBegin(T.LIST, 1);
    for (let i = 0; i < 100; i++) w.listBegin(T.LIST, 1);
    assert.throws(() => new MessageFramer().push(w.finish()), ProtocolError);
  });

  it('rejects a bad version word', () => {
    const msg = Buffer.from(encodeCall({ method: 'ping' }, 1));
    msg[1] = 0x02;
    assert.throws(() => new MessageFramer().push(msg), ProtocolError);
    assert.throws(() => new MessageFramer().push(Buffer.from('GET / HTTP/1.1\r\n\r\n')), ProtocolError);
  });
});

/** Decodes a framed message as a call or as a reply; only ProtocolError/ApplicationError may escape. */
function decodeAny(msg: Buffer): void {
  try {
    decodeCall(msg);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
  }
  const { name } = decodeHeader(msg);
  if (!isMethodName(name)) return;
  try {
    decodeReply(name, msg);
  } catch (err) {
    if (!(err instanceof ProtocolError) && !(err instanceof ApplicationError)) throw err;
  }
}

describe('framer: garbage', () => {
  it('10,000 random, truncated and hostile inputs: ProtocolError or waiting, nothing else', () => {
    const next = rng(42);
    const valid = smallMessages();
    const byte = () => Math.floor(next() * 256);
    const hostile: (() => Buffer)[] = [
      // random bytes
      () => Buffer.from(Array.from({ length: 1 + Math.floor(next() * 64) }, byte)),
      // a valid message, truncated
      () => {
        const m = valid[Math.floor(next() * valid.length)]!;
        return m.subarray(0, Math.floor(next() * m.length));
      },
      // a valid message with a few bytes changed
      () => {
        const m = Buffer.from(valid[Math.floor(next() * valid.length)]!);
        for (let i = 0; i < 1 + next() * 4; i++) m[Math.floor(next() * m.length)] = byte();
        return m;
      },
      // a strict header then random field/container headers with lengths near 2^31
      () => {
        const w = new Writer();
        header(w, 'call', 1);
        const n = 1 + Math.floor(next() * 8);
        for (let i = 0; i < n; i++) {
          const t = [T.STRING, T.MAP, T.LIST, T.SET, T.STRUCT, byte()][Math.floor(next() * 6)]!;
          w.fieldBegin(t, i);
          const big = [0x7fffffff, 0x7ffffffe, -1, -0x80000000, 2 ** 30, Math.floor(next() * 100)][
            Math.floor(next() * 6)
          ]!;
          if (t === T.MAP) w.mapBegin(byte() & 15, byte() & 15, big);
          else if (t === T.LIST || t === T.SET) w.listBegin(byte() & 15, big);
          else if (t === T.STRING) w.i32(big);
        }
        return w.finish();
      },
      // deep nesting of structs, lists and maps
      () => {
        const w = new Writer();
        header(w, 'call', 1);
        w.fieldBegin(T.STRUCT, 1);
        const depth = Math.floor(next() * 300);
        for (let i = 0; i < depth; i++) {
          const k = Math.floor(next() * 3);
          if (k === 0) w.fieldBegin(T.STRUCT, 1);
          else if (k === 1) w.listBegin(T.LIST, 1);
          else w.mapBegin(T.STRING, T.MAP, 1);
          if (k === 2) w.string('k');
        }
        return w.finish();
      },
      // old-style header with an absurd name length
      () => {
        const b = Buffer.alloc(8);
        b.writeInt32BE(Math.floor(next() * 0x7fffffff), 0);
        return b;
      },
    ];
    const before = process.memoryUsage();
    let errors = 0;
    let waiting = 0;
    let framed = 0;
    for (let i = 0; i < 10_000; i++) {
      const input = hostile[i % hostile.length]!();
      const f = new MessageFramer();
      try {
        for (const c of randomChunks(input, next, 1 + Math.floor(next() * 32))) {
          for (const msg of f.push(c)) {
            framed++;
            decodeAny(msg);
          }
        }
        assert.ok(f.buffered <= input.length, 'holds more bytes than it was given');
        waiting++;
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        errors++;
      }
    }
    const after = process.memoryUsage();
    assert.ok(
      errors > 1000 && waiting > 1000 && framed > 100,
      `errors ${errors}, waiting ${waiting}, framed ${framed}`,
    );
    assert.ok(after.arrayBuffers - before.arrayBuffers < 64 * 1024 * 1024, 'buffer memory grew');
    assert.ok(after.rss - before.rss < 256 * 1024 * 1024, 'rss grew');
  });
});
