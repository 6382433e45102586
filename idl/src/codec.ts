// Encoding and decoding of whole extension protocol messages (binary protocol, strict header).
//
// Each method has an args struct (fields as in idl/osquery.thrift) and a result struct whose
// return value is field 0 `success` (shutdown returns void: an empty result struct). Unknown
// fields of any type are skipped; a known field with an unexpected type is skipped too, as the
// Thrift-generated code does. Missing fields decode to '' / 0 / empty.
import { ApplicationError, ApplicationErrorType, ProtocolError } from './errors.js';
import type {
  Call,
  ExtensionRegistry,
  ExtensionResponse,
  ExtensionStatus,
  InternalExtensionInfo,
  InternalExtensionList,
  InternalOptionInfo,
  InternalOptionList,
  MethodName,
  PluginRequest,
  PluginResponse,
  ResultOf,
} from './types.js';
import { METHOD_NAMES } from './types.js';
import { MessageType, Reader, setKey, T, VERSION_1, VERSION_MASK, Writer } from './wire.js';

// ---------------------------------------------------------------------------------------------
// Message header

export interface MessageHeader {
  name: string;
  type: number;
  seqid: number;
}

function writeHeader(w: Writer, name: string, type: number, seqid: number): void {
  w.i32(VERSION_1 | type);
  w.string(name);
  w.i32(seqid);
}

/** Reads a strict header, or the old one (`string name, byte type, i32 seqid`). */
export function readHeader(r: Reader): MessageHeader {
  const first = r.i32();
  if (first < 0) {
    if ((first & VERSION_MASK) !== VERSION_1) {
      throw new ProtocolError(`bad protocol version 0x${(first >>> 0).toString(16)}`);
    }
    const name = r.string();
    return { name, type: first & 0xff, seqid: r.i32() };
  }
  r.need(first);
  const name = r.buf.toString('utf8', r.pos, r.pos + first);
  r.pos += first;
  const type = r.u8();
  return { name, type, seqid: r.i32() };
}

/** Decodes only the header of a message. */
export function decodeHeader(msg: Buffer): MessageHeader {
  return readHeader(new Reader(msg));
}

// ---------------------------------------------------------------------------------------------
// Struct and container writers

function writeStringMap(w: Writer, m: Record<string, string>): void {
  const keys = Object.keys(m);
  w.mapBegin(T.STRING, T.STRING, keys.length);
  for (const k of keys) {
    w.string(k);
    w.string(m[k]!);
  }
}

function writeRows(w: Writer, rows: PluginResponse): void {
  w.listBegin(T.MAP, rows.length);
  for (const row of rows) writeStringMap(w, row);
}

function writeStatus(w: Writer, s: ExtensionStatus): void {
  w.fieldBegin(T.I32, 1);
  w.i32(s.code);
  w.fieldBegin(T.STRING, 2);
  w.string(s.message);
  w.fieldBegin(T.I64, 3);
  w.i64(s.uuid);
  w.stop();
}

function writeResponse(w: Writer, r: ExtensionResponse): void {
  w.fieldBegin(T.STRUCT, 1);
  writeStatus(w, r.status);
  w.fieldBegin(T.LIST, 2);
  writeRows(w, r.response);
  w.stop();
}

function writeExtensionInfo(w: Writer, i: InternalExtensionInfo): void {
  w.fieldBegin(T.STRING, 1);
  w.string(i.name);
  w.fieldBegin(T.STRING, 2);
  w.string(i.version);
  w.fieldBegin(T.STRING, 3);
  w.string(i.sdk_version);
  w.fieldBegin(T.STRING, 4);
  w.string(i.min_sdk_version);
  w.stop();
}

function writeOptionInfo(w: Writer, o: InternalOptionInfo): void {
  w.fieldBegin(T.STRING, 1);
  w.string(o.value);
  w.fieldBegin(T.STRING, 2);
  w.string(o.default_value);
  w.fieldBegin(T.STRING, 3);
  w.string(o.type);
  w.stop();
}

function writeRegistry(w: Writer, reg: ExtensionRegistry): void {
  const names = Object.keys(reg);
  w.mapBegin(T.STRING, T.MAP, names.length);
  for (const name of names) {
    w.string(name);
    const table = reg[name]!;
    const items = Object.keys(table);
    w.mapBegin(T.STRING, T.LIST, items.length);
    for (const item of items) {
      w.string(item);
      writeRows(w, table[item]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Struct and container readers

function mapHeader(r: Reader, keyType: number, valueType: number, minEntryBytes: number): number {
  r.need(2);
  const kt = r.buf[r.pos]!;
  const vt = r.buf[r.pos + 1]!;
  r.pos += 2;
  const n = r.size(minEntryBytes);
  // Element types only matter when there are elements (some writers leave them 0 when empty).
  if (n > 0 && (kt !== keyType || vt !== valueType)) {
    throw new ProtocolError(`map of ${kt}->${vt} where ${keyType}->${valueType} was expected`);
  }
  return n;
}

function listHeader(r: Reader, elemType: number, minElemBytes: number): number {
  const et = r.u8();
  const n = r.size(minElemBytes);
  if (n > 0 && et !== elemType) throw new ProtocolError(`list of ${et} where ${elemType} was expected`);
  return n;
}

function readStringMap(r: Reader): Record<string, string> {
  const n = mapHeader(r, T.STRING, T.STRING, 8);
  const m: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const k = r.string();
    setKey(m, k, r.string());
  }
  return m;
}

/**
 * Rows usually repeat the same column names in the same order. The key at position j of the
 * previous row is reused when its bytes match: cheaper than decoding it again, and V8 then sees
 * the same (already internalised) key strings, row after row.
 */
class KeyCache {
  private readonly start: number[] = [];
  private readonly len: number[] = [];
  private readonly str: string[] = [];

  read(r: Reader, j: number): string {
    const len = r.size(1);
    const b = r.buf;
    const p = r.pos;
    r.pos = p + len;
    const q = this.start[j];
    if (q !== undefined && this.len[j] === len) {
      let i = 0;
      while (i < len && b[p + i] === b[q + i]) i++;
      if (i === len) return this.str[j]!;
    }
    const s = b.toString('utf8', p, p + len);
    this.start[j] = p;
    this.len[j] = len;
    this.str[j] = s;
    return s;
  }
}

function readRows(r: Reader): PluginResponse {
  const n = listHeader(r, T.MAP, 6);
  const rows: PluginResponse = [];
  const keys = new KeyCache();
  for (let i = 0; i < n; i++) {
    const m = mapHeader(r, T.STRING, T.STRING, 8);
    const row: Record<string, string> = {};
    for (let j = 0; j < m; j++) {
      const k = keys.read(r, j);
      setKey(row, k, r.string());
    }
    rows.push(row);
  }
  return rows;
}

/** Iterates the fields of a struct: calls `field(type, id)`, which returns false to skip it. */
function readStruct(r: Reader, field: (type: number, id: number) => boolean): void {
  for (;;) {
    const type = r.u8();
    if (type === T.STOP) return;
    const id = r.i16();
    if (!field(type, id)) r.skip(type);
  }
}

function readStatus(r: Reader): ExtensionStatus {
  const s: ExtensionStatus = { code: 0, message: '', uuid: 0 };
  readStruct(r, (type, id) => {
    if (id === 1 && type === T.I32) s.code = r.i32();
    else if (id === 2 && type === T.STRING) s.message = r.string();
    else if (id === 3 && type === T.I64) s.uuid = Number(r.i64());
    else return false;
    return true;
  });
  return s;
}

function readResponse(r: Reader): ExtensionResponse {
  const out: ExtensionResponse = { status: { code: 0, message: '', uuid: 0 }, response: [] };
  readStruct(r, (type, id) => {
    if (id === 1 && type === T.STRUCT) out.status = readStatus(r);
    else if (id === 2 && type === T.LIST) out.response = readRows(r);
    else return false;
    return true;
  });
  return out;
}

function readExtensionInfo(r: Reader): InternalExtensionInfo {
  const i: InternalExtensionInfo = { name: '', version: '', sdk_version: '', min_sdk_version: '' };
  readStruct(r, (type, id) => {
    if (type !== T.STRING || id < 1 || id > 4) return false;
    const v = r.string();
    if (id === 1) i.name = v;
    else if (id === 2) i.version = v;
    else if (id === 3) i.sdk_version = v;
    else i.min_sdk_version = v;
    return true;
  });
  return i;
}

function readOptionInfo(r: Reader): InternalOptionInfo {
  const o: InternalOptionInfo = { value: '', default_value: '', type: '' };
  readStruct(r, (type, id) => {
    if (type !== T.STRING || id < 1 || id > 3) return false;
    const v = r.string();
    if (id === 1) o.value = v;
    else if (id === 2) o.default_value = v;
    else o.type = v;
    return true;
  });
  return o;
}

function readRegistry(r: Reader): ExtensionRegistry {
  const reg: ExtensionRegistry = {};
  const n = mapHeader(r, T.STRING, T.MAP, 10);
  for (let i = 0; i < n; i++) {
    const name = r.string();
    const table: Record<string, PluginResponse> = {};
    const m = mapHeader(r, T.STRING, T.LIST, 9);
    for (let j = 0; j < m; j++) {
      const item = r.string();
      setKey(table, item, readRows(r));
    }
    setKey(reg, name, table);
  }
  return reg;
}

function readExtensionList(r: Reader): InternalExtensionList {
  const n = mapHeader(r, T.I64, T.STRUCT, 9);
  const list: InternalExtensionList = new Map();
  for (let i = 0; i < n; i++) {
    const uuid = r.i64();
    list.set(uuid, readExtensionInfo(r));
  }
  return list;
}

function readOptionList(r: Reader): InternalOptionList {
  const n = mapHeader(r, T.STRING, T.STRUCT, 5);
  const list: InternalOptionList = {};
  for (let i = 0; i < n; i++) {
    const name = r.string();
    setKey(list, name, readOptionInfo(r));
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Calls (args structs)

function writeArgs(w: Writer, call: Call): void {
  switch (call.method) {
    case 'call':
      w.fieldBegin(T.STRING, 1);
      w.string(call.registry);
      w.fieldBegin(T.STRING, 2);
      w.string(call.item);
      w.fieldBegin(T.MAP, 3);
      writeStringMap(w, call.request);
      break;
    case 'registerExtension':
      w.fieldBegin(T.STRUCT, 1);
      writeExtensionInfo(w, call.info);
      w.fieldBegin(T.MAP, 2);
      writeRegistry(w, call.registry);
      break;
    case 'deregisterExtension':
      w.fieldBegin(T.I64, 1);
      w.i64(call.uuid);
      break;
    case 'query':
    case 'getQueryColumns':
      w.fieldBegin(T.STRING, 1);
      w.string(call.sql);
      break;
    default: // ping, shutdown, extensions, options: no arguments
      break;
  }
  w.stop();
}

function readArgs(r: Reader, method: MethodName): Call {
  switch (method) {
    case 'call': {
      const c = { method, registry: '', item: '', request: {} as PluginRequest };
      readStruct(r, (type, id) => {
        if (id === 1 && type === T.STRING) c.registry = r.string();
        else if (id === 2 && type === T.STRING) c.item = r.string();
        else if (id === 3 && type === T.MAP) c.request = readStringMap(r);
        else return false;
        return true;
      });
      return c;
    }
    case 'registerExtension': {
      const c = {
        method,
        info: { name: '', version: '', sdk_version: '', min_sdk_version: '' },
        registry: {} as ExtensionRegistry,
      };
      readStruct(r, (type, id) => {
        if (id === 1 && type === T.STRUCT) c.info = readExtensionInfo(r);
        else if (id === 2 && type === T.MAP) c.registry = readRegistry(r);
        else return false;
        return true;
      });
      return c;
    }
    case 'deregisterExtension': {
      const c = { method, uuid: 0 };
      readStruct(r, (type, id) => {
        if (id !== 1 || type !== T.I64) return false;
        c.uuid = Number(r.i64());
        return true;
      });
      return c;
    }
    case 'query':
    case 'getQueryColumns': {
      const c = { method, sql: '' };
      readStruct(r, (type, id) => {
        if (id !== 1 || type !== T.STRING) return false;
        c.sql = r.string();
        return true;
      });
      return c;
    }
    default:
      readStruct(r, () => false);
      return { method } as Call;
  }
}

const KNOWN = new Set<string>(METHOD_NAMES);

export function isMethodName(name: string): name is MethodName {
  return KNOWN.has(name);
}

/** A CALL message for `call` (strict header). */
export function encodeCall(call: Call, seqid: number): Buffer {
  const w = new Writer(call.method === 'registerExtension' ? 4096 : 256);
  writeHeader(w, call.method, MessageType.CALL, seqid);
  writeArgs(w, call);
  return w.finish();
}

export type DecodedCall = { seqid: number; call: Call } | { seqid: number; unknown: string };

/**
 * Decodes a CALL message. An unknown method name is returned as `unknown` without reading its
 * arguments, so the server can answer UNKNOWN_METHOD. Other message types (osquery never sends
 * ONEWAY) are a ProtocolError.
 */
export function decodeCall(msg: Buffer): DecodedCall {
  const r = new Reader(msg);
  const h = readHeader(r);
  if (h.type !== MessageType.CALL) throw new ProtocolError(`expected a CALL message, got type ${h.type}`);
  if (!isMethodName(h.name)) return { seqid: h.seqid, unknown: h.name };
  return { seqid: h.seqid, call: readArgs(r, h.name) };
}

// ---------------------------------------------------------------------------------------------
// Replies (result structs)

function writeSuccess<M extends MethodName>(w: Writer, method: M, result: ResultOf<M>): void {
  switch (method) {
    case 'shutdown':
      break;
    case 'ping':
    case 'registerExtension':
    case 'deregisterExtension':
      w.fieldBegin(T.STRUCT, 0);
      writeStatus(w, result as ExtensionStatus);
      break;
    case 'call':
    case 'query':
    case 'getQueryColumns':
      w.fieldBegin(T.STRUCT, 0);
      writeResponse(w, result as ExtensionResponse);
      break;
    case 'extensions': {
      const list = result as InternalExtensionList;
      w.fieldBegin(T.MAP, 0);
      w.mapBegin(T.I64, T.STRUCT, list.size);
      for (const [uuid, info] of list) {
        w.i64(uuid);
        writeExtensionInfo(w, info);
      }
      break;
    }
    case 'options': {
      const list = result as InternalOptionList;
      const names = Object.keys(list);
      w.fieldBegin(T.MAP, 0);
      w.mapBegin(T.STRING, T.STRUCT, names.length);
      for (const name of names) {
        w.string(name);
        writeOptionInfo(w, list[name]!);
      }
      break;
    }
  }
  w.stop();
}

/** A REPLY message carrying `result` as the method's `success` field. */
export function encodeReply<M extends MethodName>(method: M, seqid: number, result: ResultOf<M>): Buffer {
  const w = new Writer(method === 'shutdown' || method === 'ping' ? 128 : 4096);
  writeHeader(w, method, MessageType.REPLY, seqid);
  writeSuccess(w, method, result);
  return w.finish();
}

/** An EXCEPTION message carrying a TApplicationException {1: message, 2: type}. */
export function encodeApplicationException(
  name: string,
  seqid: number,
  type: number,
  message: string,
): Buffer {
  const w = new Writer(64 + name.length * 3 + message.length * 3);
  writeHeader(w, name, MessageType.EXCEPTION, seqid);
  w.fieldBegin(T.STRING, 1);
  w.string(message);
  w.fieldBegin(T.I32, 2);
  w.i32(type);
  w.stop();
  return w.finish();
}

function readApplicationException(r: Reader): ApplicationError {
  let message = '';
  let type: number = ApplicationErrorType.UNKNOWN;
  readStruct(r, (ft, id) => {
    if (id === 1 && ft === T.STRING) message = r.string();
    else if (id === 2 && ft === T.I32) type = r.i32();
    else return false;
    return true;
  });
  return new ApplicationError(type, message);
}

function readSuccess(r: Reader, method: MethodName, type: number): unknown {
  switch (method) {
    case 'ping':
    case 'registerExtension':
    case 'deregisterExtension':
      return type === T.STRUCT ? readStatus(r) : undefined;
    case 'call':
    case 'query':
    case 'getQueryColumns':
      return type === T.STRUCT ? readResponse(r) : undefined;
    case 'extensions':
      return type === T.MAP ? readExtensionList(r) : undefined;
    case 'options':
      return type === T.MAP ? readOptionList(r) : undefined;
    default:
      return undefined;
  }
}

/**
 * Decodes the reply to `method`. An EXCEPTION reply throws ApplicationError; a reply for another
 * method name or (when given) another seqid throws ProtocolError; a reply without `success`
 * (other than shutdown's) throws ApplicationError MISSING_RESULT.
 */
export function decodeReply<M extends MethodName>(method: M, msg: Buffer, expectSeqid?: number): ResultOf<M> {
  const r = new Reader(msg);
  const h = readHeader(r);
  if (expectSeqid !== undefined && h.seqid !== expectSeqid) {
    throw new ProtocolError(`reply seqid ${h.seqid}, expected ${expectSeqid}`);
  }
  if (h.type === MessageType.EXCEPTION) throw readApplicationException(r);
  if (h.type !== MessageType.REPLY) throw new ProtocolError(`expected a REPLY message, got type ${h.type}`);
  if (h.name !== method) throw new ProtocolError(`reply for '${h.name}', expected '${method}'`);
  let success: unknown;
  readStruct(r, (type, id) => {
    if (id !== 0) return false;
    success = readSuccess(r, method, type);
    return success !== undefined;
  });
  if (success === undefined && method !== 'shutdown') {
    throw new ApplicationError(ApplicationErrorType.MISSING_RESULT, `${method} failed: unknown result`);
  }
  return success as ResultOf<M>;
}
