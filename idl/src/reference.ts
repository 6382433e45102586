// The REFERENCE codec: the npm `thrift` runtime driving the code the Apache Thrift compiler
// generated from idl/osquery.thrift (idl/gen, CommonJS, regenerate with scripts/gen-thrift.mjs).
//
// Used by tests and benchmarks to check osq's own codec byte for byte, never on the hot path.
// The generated .d.ts files declare classes without exporting them, so the modules are loaded
// with require() and typed here by the few members we use.
//
// Known reference quirks: the runtime writes map<i64,...> keys from object keys, which are
// strings, and node-int64 parses a string as HEX, so extensions() uuids >= 10 come out wrong
// from an npm-thrift writer; and its TApplicationException.write() omits the `type` field.
import { createRequire } from 'node:module';
import type * as thriftNs from 'thrift';
import type { Call, MethodName, ResultOf } from './types.js';

const require = createRequire(import.meta.url);

type Thrift = typeof thriftNs;
type Protocol = thriftNs.TProtocol;

export const thrift: Thrift = require('thrift');

interface GeneratedClient {
  _seqid: number;
  _reqs: Record<number, (err: unknown, result?: unknown) => void>;
  [method: string]: unknown;
}

interface GeneratedService {
  Client: new (output: thriftNs.TTransport, pClass: unknown) => GeneratedClient;
  Processor: new (handler: object) => { process(input: Protocol, output: Protocol): void };
}

/** The generated `ExtensionManager` service (includes the `Extension` methods). */
export const ExtensionManager: GeneratedService = require('../gen/ExtensionManager.js');
/** The generated `Extension` service. */
export const Extension: GeneratedService = require('../gen/Extension.js');

interface BufferedTransport extends thriftNs.TTransport {
  inBuf: Buffer;
  writeCursor: number;
}

/** A buffered transport whose flushes land in `sink`. */
function captureTransport(sink: Buffer[]): BufferedTransport {
  const Ctor = thrift.TBufferedTransport as unknown as new (
    buf: undefined,
    onFlush: (msg: Buffer) => void,
  ) => BufferedTransport;
  return new Ctor(undefined, (msg) => sink.push(msg));
}

/** A buffered transport that reads `bytes`. */
function inputTransport(bytes: Buffer): BufferedTransport {
  const t = captureTransport([]);
  t.inBuf = Buffer.from(bytes);
  t.writeCursor = bytes.length;
  return t;
}

function protocol(t: thriftNs.TTransport): Protocol {
  return new thrift.TBinaryProtocol(t);
}

/** Positional arguments of a call, as the generated client takes them. */
function positional(call: Call): unknown[] {
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

/** Encodes a CALL message with the generated client. */
export function refEncodeCall(call: Call, seqid: number): Buffer {
  const out: Buffer[] = [];
  const client = new ExtensionManager.Client(captureTransport(out), thrift.TBinaryProtocol);
  client._seqid = seqid - 1; // the client increments before sending
  const send = client[call.method] as (...args: unknown[]) => Promise<unknown>;
  send.apply(client, positional(call)).catch(() => undefined); // no reply will ever come
  client._reqs = {};
  return Buffer.concat(out);
}

/** Decodes a reply with the generated client; an EXCEPTION reply rejects. */
export function refDecodeReply(method: MethodName, reply: Buffer): Promise<unknown> {
  const client = new ExtensionManager.Client(captureTransport([]), thrift.TBinaryProtocol);
  const input = protocol(inputTransport(reply));
  const { mtype, rseqid } = input.readMessageBegin();
  return new Promise((resolve, reject) => {
    client._reqs[rseqid] = (err, result) => (err ? reject(err) : resolve(result));
    (client[`recv_${method}`] as (i: Protocol, m: number, s: number) => void).call(
      client,
      input,
      mtype,
      rseqid,
    );
  });
}

/**
 * Runs one CALL message through the generated processor: `handler` gets the decoded call (with
 * the runtime's own value shapes, e.g. Int64 for i64) and returns the result to encode.
 * Resolves with the reply bytes.
 */
export function refServe(
  callBytes: Buffer,
  handler: (method: MethodName, args: unknown[]) => unknown,
): Promise<Buffer> {
  const out: Buffer[] = [];
  const output = protocol(captureTransport(out));
  let done: (b: Buffer) => void = () => undefined;
  const replied = new Promise<Buffer>((resolve) => {
    done = resolve;
  });
  // The processor picks promise style by each method's arity, so give each its exact arity.
  const h = (m: MethodName) => (args: unknown[]) => Promise.resolve(handler(m, args));
  const handlers = {
    ping: () => h('ping')([]),
    call: (a: unknown, b: unknown, c: unknown) => h('call')([a, b, c]),
    shutdown: () => h('shutdown')([]),
    extensions: () => h('extensions')([]),
    options: () => h('options')([]),
    registerExtension: (a: unknown, b: unknown) => h('registerExtension')([a, b]),
    deregisterExtension: (a: unknown) => h('deregisterExtension')([a]),
    query: (a: unknown) => h('query')([a]),
    getQueryColumns: (a: unknown) => h('getQueryColumns')([a]),
  };
  const processor = new ExtensionManager.Processor(handlers);
  const input = protocol(inputTransport(callBytes));
  const trans = (output as unknown as { trans: thriftNs.TTransport }).trans;
  const flush = trans.flush.bind(trans);
  trans.flush = () => {
    flush();
    done(Buffer.concat(out));
  };
  processor.process(input, output);
  return replied;
}

/** Converts one of our results to the value shapes the generated code writes. */
export function toReferenceResult<M extends MethodName>(method: M, result: ResultOf<M>): unknown {
  if (method === 'extensions') {
    const obj: Record<string, unknown> = {};
    for (const [uuid, info] of result as ResultOf<'extensions'>) obj[String(uuid)] = info;
    return obj;
  }
  return result;
}
