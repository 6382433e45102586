// String functions: split, regex_split, regex_match, concat, concat_ws, inet_aton
// (osquery's sqlite_string.cpp).
import { osquerySplit } from '../../lib/split.js';
import { parseIPv4 } from './ip.js';
import { compileRegex, regexMaxSize, splitByRegex } from './regex.js';
import { argCString, argIndex, type ScalarFunction, type SqlArg, type SqlResult, sqlError } from './util.js';

/** Shared by split and regex_split: NULL in -> NULL out, empty token is an error. */
function pickPiece(
  str: SqlArg,
  token: SqlArg,
  n: SqlArg,
  splitter: (input: string, token: string) => string[],
): SqlResult {
  if (str === null || token === null || n === null) return null;
  const input = argCString(str) ?? '';
  const tok = argCString(token) ?? '';
  const index = argIndex(n);
  if (tok === '') throw sqlError('Invalid input to split function');
  const pieces = splitter(input, tok);
  return index < pieces.length ? (pieces[index] as string) : null;
}

function split(str: SqlArg, chars: SqlArg, n: SqlArg): SqlResult {
  return pickPiece(str, chars, n, osquerySplit);
}

function regexSplit(str: SqlArg, pattern: SqlArg, n: SqlArg): SqlResult {
  return pickPiece(str, pattern, n, (input, tok) => {
    if (Buffer.byteLength(tok) > regexMaxSize()) throw sqlError('Invalid regex');
    let re: RegExp;
    try {
      re = compileRegex(tok);
    } catch {
      throw sqlError('Invalid regex');
    }
    return splitByRegex(re, input);
  });
}

function regexMatch(str: SqlArg, pattern: SqlArg, n: SqlArg): SqlResult {
  if (str === null || pattern === null || n === null) return null;
  const regex = argCString(pattern) ?? '';
  const max = regexMaxSize();
  if (Buffer.byteLength(regex) > max) {
    throw sqlError(`Invalid regex: too big, max size is ${max} bytes`);
  }
  const input = argCString(str) ?? '';
  const index = argIndex(n);
  let re: RegExp;
  try {
    re = compileRegex(regex);
  } catch {
    throw sqlError('Invalid regex');
  }
  re.lastIndex = 0;
  const m = re.exec(input);
  if (!m || index >= m.length) return null;
  // A group that took no part in the match is an empty string in std::smatch.
  return m[index] ?? '';
}

/** osquery's concat helper: non-NULL args as text, `sep` after each one that is not the last argument. */
function joinArgs(args: SqlArg[], sep: string): SqlResult {
  if (args.length === 0) return null;
  let out = '';
  args.forEach((a, i) => {
    if (a === null) return;
    out += argCString(a);
    if (sep !== '' && i + 1 < args.length) out += sep;
  });
  return out;
}

function concat(...args: SqlArg[]): SqlResult {
  return joinArgs(args, '');
}

function concatWs(...args: SqlArg[]): SqlResult {
  if (args.length === 0) throw sqlError('Missing separator to concat_ws');
  const [sep, ...rest] = args;
  return joinArgs(rest, sep === null || sep === undefined ? '' : (argCString(sep) ?? ''));
}

function inetAton(ip: SqlArg): SqlResult {
  if (ip === null) return null;
  const text = argCString(ip) ?? '';
  if (text.includes(':')) return null; // IPv6
  const bytes = parseIPv4(text);
  return bytes ? BigInt(bytes.readUInt32BE(0)) : null;
}

export const stringFunctions: ScalarFunction[] = [
  { name: 'split', arity: 3, deterministic: true, fn: split },
  { name: 'regex_split', arity: 3, deterministic: true, fn: regexSplit },
  { name: 'regex_match', arity: 3, deterministic: true, fn: regexMatch },
  { name: 'concat', arity: 'any', deterministic: true, fn: concat },
  { name: 'concat_ws', arity: 'any', deterministic: true, fn: concatWs },
  { name: 'inet_aton', arity: 1, deterministic: true, fn: inetAton },
];
