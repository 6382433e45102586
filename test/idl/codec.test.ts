// Round-trip conformance of osq's codec against the reference: the npm `thrift` runtime with the
// code the Thrift compiler generated from idl/osquery.thrift. Same bytes both ways, and each side
// decodes the other's output to the same values.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  decodeCall,
  decodeReply,
  encodeApplicationException,
  encodeCall,
  encodeReply,
} from '../../idl/src/codec.js';
import { ApplicationError, ProtocolError } from '../../idl/src/errors.js';
import { refDecodeReply, refEncodeCall, refServe, toReferenceResult } from '../../idl/src/reference.js';
import type { Call, MethodName, ResultOf } from '../../idl/src/types.js';
import { T, Writer } from '../../idl/src/wire.js';
import { CALLS, extensionsAsObject, makeRows, plain, RESULTS, response } from './samples.js';

/** The call as the generated processor hands its arguments to a handler. */
function refArgs(call: Call): unknown[] {
  switch (call.method) {
    case 'call':
      return [call.registry, call.item, call.request];
    case 'registerExtension':
      return [call.info, call.registry];
    case 'deregisterExtension':
      return [call.uuid];
    case 'query':
    case 'getQueryColumns':
      return [call.sql];
    default:
      return [];
  }
}

/** What the reference decodes our reply to, in our shapes. */
function expectedFromReference<M extends MethodName>(method: M, result: ResultOf<M>): unknown {
  if (method === 'extensions') return extensionsAsObject(result as ResultOf<'extensions'>);
  if (method === 'shutdown') return undefined;
  return result;
}

/** Replaces the strict header of a message by the old one: string name, byte type, i32 seqid. */
function toOldHeader(msg: Buffer): Buffer {
  const type = msg[3]!;
  const nameLen = msg.readInt32BE(4);
  const name = msg.subarray(4, 8 + nameLen);
  const seqid = msg.subarray(8 + nameLen, 12 + nameLen);
  return Buffer.concat([name, Buffer.from([type]), seqid, msg.subarray(12 + nameLen)]);
}

describe('codec: calls', () => {
  for (const [i, call] of CALLS.entries()) {
    it(`${call.method} #${i}: same bytes as the reference, each decodes the other`, async () => {
      const ours = encodeCall(call, i + 1);
      const ref = refEncodeCall(call, i + 1);
      assert.equal(ours.toString('hex'), ref.toString('hex'));
      assert.deepEqual(decodeCall(ref), { seqid: i + 1, call });
      assert.deepEqual(decodeCall(toOldHeader(ref)), { seqid: i + 1, call });
      // The reference decodes our bytes to the same arguments.
      let seen: unknown[] = [];
      await refServe(ours, (_method, args) => {
        seen = args;
        return RESULTS[call.method][0];
      });
      assert.deepEqual(plain(seen), plain(refArgs(call)));
    });
  }

  it('i64 beyond 2^53 is written exactly from a number or bigint', () => {
    const big = encodeCall({ method: 'deregisterExtension', uuid: 2 ** 60 }, 1);
    assert.equal(big.readBigInt64BE(big.length - 9), 2n ** 60n);
    assert.deepEqual(
      refEncodeCall({ method: 'deregisterExtension', uuid: 2 ** 60 }, 1).toString('hex'),
      big.toString('hex'),
    );
  });

  it('unknown method names are reported without reading the arguments', () => {
    const msg = Buffer.concat([refEncodeCall({ method: 'ping' }, 4)]);
    msg.write('pong', 8); // same length as "ping"
    assert.deepEqual(decodeCall(msg), { seqid: 4, unknown: 'pong' });
  });

  it('rejects bad versions, replies in place of calls, and truncation', () => {
    const ping = encodeCall({ method: 'ping' }, 1);
    const badVersion = Buffer.from(ping);
    badVersion[1] = 2;
    assert.throws(() => decodeCall(badVersion), ProtocolError);
    assert.throws(() => decodeCall(encodeReply('ping', 1, { code: 0, message: '', uuid: 0 })), ProtocolError);
    const call = encodeCall(CALLS[4]!, 1);
    for (let n = 0; n < call.length; n++) assert.throws(() => decodeCall(call.subarray(0, n)), ProtocolError);
  });
});

describe('codec: replies', () => {
  for (const method of Object.keys(RESULTS) as MethodName[]) {
    for (const [i, result] of (RESULTS[method] as ResultOf<MethodName>[]).entries()) {
      it(`${method} #${i}: same bytes as the reference, each decodes the other`, async () => {
        const seqid = 100 + i;
        const ours = encodeReply(method, seqid, result);
        const call = CALLS.find((c) => c.method === method)!;
        const ref = await refServe(refEncodeCall(call, seqid), () => toReferenceResult(method, result));
        assert.equal(ours.toString('hex'), ref.toString('hex'));
        assert.deepEqual(decodeReply(method, ref, seqid), result);
        assert.deepEqual(decodeReply(method, toOldHeader(ref)), result);
        assert.deepEqual(plain(await refDecodeReply(method, ours)), expectedFromReference(method, result));
      });
    }
  }

  it('a large reply (10,000 rows x 10 columns) is identical and round-trips', async () => {
    const result = response(makeRows(10_000, 10));
    const ours = encodeReply('call', 7, result);
    const ref = await refServe(refEncodeCall(CALLS[4]!, 7), () => result);
    assert.ok(ours.equals(ref), 'bytes differ');
    assert.deepEqual(decodeReply('call', ref, 7), result);
  });

  it('lone surrogates are written as U+FFFD like the reference', async () => {
    const result = response([{ ['bad\ud800']: '\udc00x' }]);
    const ours = encodeReply('call', 1, result);
    const ref = await refServe(refEncodeCall(CALLS[4]!, 1), () => result);
    assert.ok(ours.equals(ref));
    assert.deepEqual(decodeReply('call', ours).response, [{ 'bad\ufffd': '\ufffdx' }]);
  });

  it('extensions(): i64 keys beyond 2^53 decode exactly as bigint', () => {
    const list = new Map<number | bigint, ResultOf<'extensions'> extends Map<unknown, infer V> ? V : never>([
      [2n ** 62n, { name: 'big', version: '', sdk_version: '', min_sdk_version: '' }],
      [-5, { name: 'neg', version: '', sdk_version: '', min_sdk_version: '' }],
    ]);
    const back = decodeReply('extensions', encodeReply('extensions', 1, list));
    assert.deepEqual([...back.keys()], [2n ** 62n, -5]);
  });

  it('__proto__ keys survive as own properties', () => {
    const row = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const back = decodeReply('call', encodeReply('call', 1, response([row])));
    assert.deepEqual(Object.keys(back.response[0]!), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(back.response[0]), Object.prototype);
  });

  it('TApplicationException: UNKNOWN_METHOD as C++ writes it, read by us and by the reference', async () => {
    const msg = encodeApplicationException('nope', 3, 1, "Invalid method name: 'nope'");
    const w = new Writer();
    w.i32(0x80010003 | 0);
    w.string('nope');
    w.i32(3);
    w.fieldBegin(T.STRING, 1);
    w.string("Invalid method name: 'nope'");
    w.fieldBegin(T.I32, 2);
    w.i32(1);
    w.stop();
    assert.ok(msg.equals(w.finish()));
    assert.throws(
      () => decodeReply('ping', msg),
      (e: unknown) =>
        e instanceof ApplicationError && e.type === 1 && e.message === "Invalid method name: 'nope'",
    );
    await assert.rejects(refDecodeReply('ping', msg), (e: { type?: number; message?: string }) => {
      return e.type === 1 && e.message === "Invalid method name: 'nope'";
    });
    const internal = encodeApplicationException('call', 4, 6, 'boom');
    assert.throws(
      () => decodeReply('call', internal),
      (e: unknown) => e instanceof ApplicationError && e.type === 6,
    );
  });

  it('a reply without success is MISSING_RESULT, except for shutdown', () => {
    const w = new Writer();
    w.i32(0x80010002 | 0);
    w.string('ping');
    w.i32(1);
    w.stop();
    assert.throws(
      () => decodeReply('ping', w.finish()),
      (e: unknown) => e instanceof ApplicationError && e.type === 5,
    );
    const s = encodeReply('shutdown', 1, undefined);
    assert.equal(decodeReply('shutdown', s), undefined);
  });

  it('checks the reply name and seqid', () => {
    const r = encodeReply('ping', 5, { code: 0, message: '', uuid: 0 });
    assert.throws(() => decodeReply('ping', r, 6), ProtocolError);
    assert.throws(() => decodeReply('options', r), ProtocolError);
  });

  it('skips unknown fields of every type and wrongly typed known fields', async () => {
    const w = new Writer();
    w.i32(0x80010002 | 0);
    w.string('call');
    w.i32(1);
    const junk = (id: number) => {
      w.fieldBegin(T.BOOL, id);
      w.byte(1);
      w.fieldBegin(T.BYTE, id + 1);
      w.byte(-3);
      w.fieldBegin(T.DOUBLE, id + 2);
      w.ensure(8);
      w.buf.writeDoubleBE(1.5, w.pos);
      w.pos += 8;
      w.fieldBegin(T.I16, id + 3);
      w.i16(-2);
      w.fieldBegin(T.I32, id + 4);
      w.i32(7);
      w.fieldBegin(T.I64, id + 5);
      w.i64(-9);
      w.fieldBegin(T.STRING, id + 6);
      w.string('skip me');
      w.fieldBegin(T.STRUCT, id + 7);
      w.fieldBegin(T.LIST, 1);
      w.listBegin(T.STRUCT, 1);
      w.fieldBegin(T.MAP, 1);
      w.mapBegin(T.I32, T.SET, 1);
      w.i32(1);
      w.listBegin(T.STRING, 2);
      w.string('a');
      w.string('b');
      w.stop();
      w.stop();
      w.fieldBegin(T.MAP, id + 8);
      w.mapBegin(T.STRING, T.DOUBLE, 0);
      w.fieldBegin(T.SET, id + 9);
      w.listBegin(T.I64, 2);
      w.i64(1);
      w.i64(2);
      w.fieldBegin(T.LIST, id + 10);
      w.listBegin(T.BOOL, 0);
    };
    junk(20);
    w.fieldBegin(T.STRING, 0); // success with the wrong type: skipped
    w.string('not a struct');
    w.fieldBegin(T.STRUCT, 0);
    w.fieldBegin(T.STRUCT, 1); // status
    junk(40);
    w.fieldBegin(T.I32, 1);
    w.i32(1);
    w.fieldBegin(T.STRING, 2);
    w.string('m');
    w.fieldBegin(T.I64, 3);
    w.i64(42);
    w.stop();
    w.fieldBegin(T.LIST, 2);
    w.listBegin(T.MAP, 2);
    w.mapBegin(T.STRING, T.STRING, 1);
    w.string('k');
    w.string('v');
    w.mapBegin(0, 0, 0); // an empty map with meaningless type bytes
    w.stop();
    w.stop();
    const msg = w.finish();
    const expected = response([{ k: 'v' }, {}], 1, 'm', 42);
    assert.deepEqual(decodeReply('call', msg), expected);
    assert.deepEqual(plain(await refDecodeReply('call', msg)), expected);
  });

  it('empty lists with meaningless element types decode as empty', () => {
    const w = new Writer();
    w.i32(0x80010002 | 0);
    w.string('query');
    w.i32(1);
    w.fieldBegin(T.STRUCT, 0);
    w.fieldBegin(T.LIST, 2);
    w.listBegin(0, 0);
    w.stop();
    w.stop();
    assert.deepEqual(decodeReply('query', w.finish()), response([], 0, '', 0));
  });
});

describe('codec: decoding time is linear', () => {
  it('10k vs 20k rows x 10 columns', (t) => {
    const msg10 = encodeReply('call', 1, response(makeRows(10_000, 10)));
    const msg20 = encodeReply('call', 1, response(makeRows(20_000, 10)));
    // Collect garbage before each timing, so a collection the previous decode left due
    // (the 20k reply retains 200k strings) is not billed to the next one.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const time = (msg: Buffer) => {
      gc();
      const t0 = performance.now();
      decodeReply('call', msg);
      return performance.now() - t0;
    };
    // Interleaved, best of 9 each: both sizes see the same GC and scheduling conditions.
    let t10 = Number.POSITIVE_INFINITY;
    let t20 = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10; i++) {
      const a = time(msg10);
      const b = time(msg20);
      if (i === 0) continue; // warm-up
      t10 = Math.min(t10, a);
      t20 = Math.min(t20, b);
    }
    t.diagnostic(`decode 10k x 10: ${t10.toFixed(1)} ms, 20k x 10: ${t20.toFixed(1)} ms`);
    assert.ok(t20 < t10 * 2.5 + 5, `20k rows took ${t20.toFixed(1)} ms vs ${t10.toFixed(1)} ms for 10k`);
  });
});
