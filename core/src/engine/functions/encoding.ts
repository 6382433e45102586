// Encoding functions: to_base64, from_base64, conditional_to_base64
// (osquery's sqlite_encoding.cpp over osquery/utils/base64.cpp).
import { argBytes, type ScalarFunction, type SqlArg, type SqlResult } from './util.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * osquery's decoder (boost's binary_from_base64): line breaks are removed and
 * trailing '=' trimmed; any other character outside the alphabet makes the result
 * empty, except an inner '=' which counts as 'A' (zero bits). Leftover bits are
 * dropped; a length of 4n+1 characters runs past the end and fails (empty).
 */
export function osqueryBase64Decode(input: Buffer): Buffer {
  const text = input.toString('latin1').replaceAll('\r\n', '').replaceAll('\n', '').replace(/=+$/, '');
  if (text.length === 0 || text.length % 4 === 1) return Buffer.alloc(0);
  let bits = 0;
  let nbits = 0;
  const out: number[] = [];
  for (const ch of text) {
    const value = ch === '=' ? 0 : ALPHABET.indexOf(ch);
    if (value < 0) return Buffer.alloc(0);
    bits = ((bits << 6) | value) & 0xffff;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push((bits >> nbits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Decoded bytes go back as TEXT when they are valid UTF-8 (else as a BLOB, keeping every byte). */
function bytesAsText(bytes: Buffer): string | Buffer {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
}

/** Every byte is printable ASCII (0x20..0x7e). */
function isPrintable(bytes: Buffer): boolean {
  return bytes.every((b) => b >= 0x20 && b < 0x7f);
}

function toBase64(x: SqlArg): SqlResult {
  const bytes = argBytes(x);
  return bytes ? bytes.toString('base64') : null;
}

function fromBase64(x: SqlArg): SqlResult {
  const bytes = argBytes(x);
  return bytes ? bytesAsText(osqueryBase64Decode(bytes)) : null;
}

function conditionalToBase64(x: SqlArg): SqlResult {
  const bytes = argBytes(x);
  if (!bytes) return null;
  return isPrintable(bytes) ? bytes.toString('latin1') : bytes.toString('base64');
}

export const encodingFunctions: ScalarFunction[] = [
  { name: 'to_base64', arity: 1, deterministic: true, fn: toBase64 },
  { name: 'from_base64', arity: 1, deterministic: true, fn: fromBase64 },
  { name: 'conditional_to_base64', arity: 1, deterministic: true, fn: conditionalToBase64 },
];
