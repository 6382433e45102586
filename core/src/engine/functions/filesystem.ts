// Path functions: parent_directory, find_file_path_in_cmd, is_path_deterministic
// (osquery's sqlite_filesystem.cpp).
import { statSync } from 'node:fs';
import { isCSpace } from '../../lib/split.js';
import {
  argCString,
  argInt,
  type ScalarFunction,
  type SqlArg,
  type SqlResult,
  sqlError,
  sqlType,
} from './util.js';

/** Exists (following symlinks) and is not a directory; errors such as EACCES count as missing. */
function isExistingFile(path: string): boolean {
  if (path === '') return false;
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st !== undefined && !st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Walk a command line and test each prefix that ends before an unquoted space as
 * a path. `shortest` stops at the first existing file; otherwise the last one wins,
 * the whole (unescaped, unquoted) command included. '' when nothing exists.
 */
function findExistingPath(cmd: string, escapeChar: string, allowQuotes: boolean, shortest: boolean): string {
  let pos = 0;
  while (pos < cmd.length && isCSpace(cmd.charCodeAt(pos))) pos++;
  let result = '';
  let candidate = '';
  let quoted = false;
  let escaped = false;
  for (; pos < cmd.length; pos++) {
    const ch = cmd[pos] as string;
    if (escaped) {
      candidate += ch;
      escaped = false;
      continue;
    }
    if (allowQuotes && ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (ch === escapeChar) {
      escaped = true;
      continue;
    }
    if (!quoted && isCSpace(ch.charCodeAt(0)) && isExistingFile(candidate)) {
      result = candidate;
      if (shortest) break;
    }
    candidate += ch;
  }
  if ((result === '' || !shortest) && isExistingFile(candidate)) result = candidate;
  return result;
}

interface CmdArgs {
  cmd: string;
  escapeChar: string;
  allowQuotes: boolean;
}

/** Arguments shared by both functions; null when osquery rejects them (any NULL, an escape that is not one byte). */
function parseCmdArgs(args: SqlArg[]): CmdArgs | null {
  if (args.length === 0 || args.some((a) => a === null)) return null;
  const allowQuotes = args.length > 1 ? argInt(args[1] as SqlArg) !== 0 : false;
  let escapeChar = '\\';
  if (args.length > 2) {
    const e = argCString(args[2] as SqlArg) ?? '';
    if (Buffer.byteLength(e) !== 1) return null;
    escapeChar = e;
  }
  return { cmd: argCString(args[0] as SqlArg) ?? '', escapeChar, allowQuotes };
}

function findFilePathInCmd(...args: SqlArg[]): SqlResult {
  const a = parseCmdArgs(args);
  if (!a) throw sqlError('Invalid inputs to find_binary_path_from_cmd');
  return findExistingPath(a.cmd, a.escapeChar, a.allowQuotes, true);
}

/** 1 when at most one prefix of the command is an existing file, else 0. */
function isPathDeterministic(...args: SqlArg[]): SqlResult {
  const a = parseCmdArgs(args);
  if (!a) throw sqlError('Invalid inputs to is_path_deterministic');
  const shortest = findExistingPath(a.cmd, a.escapeChar, a.allowQuotes, true);
  const shortLen = Buffer.byteLength(shortest);
  if (shortLen === 0 || shortLen === Buffer.byteLength(a.cmd)) return 1n;
  const longest = findExistingPath(a.cmd, a.escapeChar, a.allowQuotes, false);
  return shortLen === Buffer.byteLength(longest) ? 1n : 0n;
}

/** Text before the last '/'; NULL when there is none; only TEXT is accepted. */
function parentDirectory(path: SqlArg): SqlResult {
  if (sqlType(path) !== 'text') throw sqlError('Invalid inputs to parent_directory, TEXT was expected');
  const text = argCString(path) ?? '';
  const slash = text.lastIndexOf('/');
  return slash < 0 ? null : text.slice(0, slash);
}

export const filesystemFunctions: ScalarFunction[] = [
  { name: 'is_path_deterministic', arity: 'any', deterministic: true, fn: isPathDeterministic },
  { name: 'find_file_path_in_cmd', arity: 'any', deterministic: true, fn: findFilePathInCmd },
  { name: 'parent_directory', arity: 1, deterministic: true, fn: parentDirectory },
];
