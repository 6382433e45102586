// Shared helpers of the files area: osquery's expansion of LIKE patterns on
// path/directory columns into file names (SQL `%` becomes a glob `*`, a
// trailing `%%` recurses), a glob(3) work-alike with glibc's GLOB_MARK,
// GLOB_TILDE and GLOB_BRACE behaviour, and boost::filesystem-style path parts.
import { lstatSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { compareBytes } from '../../lib/bytes.js';
import { isDirectory, joinPath } from '../../lib/fs.js';
import { readPasswd } from '../accounts/util.js';

/** Which matches to keep: files (no trailing '/'), folders (trailing '/'), or both. */
export type GlobLimit = 'all' | 'files' | 'folders';

/** osquery stops following a trailing `**` after this many levels. */
const MAX_RECURSIVE_GLOBS = 64;

/**
 * Expand one LIKE pattern on a path column into existing paths, as osquery's
 * resolveFilePattern does: `%` -> `*`, relative patterns are made absolute
 * against the working directory, and a pattern ending in `**` (from `%%`) is
 * globbed again one level deeper while it still matches. Directories come back
 * with a trailing '/'.
 */
export function expandPattern(pattern: string, limit: GlobLimit): string[] {
  let path = pattern.replaceAll('%', '*');
  if (!path.startsWith('/')) path = `${process.cwd()}/${path}`;

  const results: string[] = [];
  for (let level = 1; level < MAX_RECURSIVE_GLOBS; level++) {
    const found = glob(path);
    results.push(...found);
    const wild = path.lastIndexOf('**');
    // Stop on no match, or when the pattern does not end in a double star
    // (a trailing slash after it is allowed).
    if (found.length === 0 || wild === -1 || wild < path.length - 3) break;
    path += '/**';
  }
  return results.filter((p) => {
    const isFolder = p.endsWith('/');
    return limit === 'all' || (limit === 'folders') === isFolder;
  });
}

/** Every path matching a shell pattern, sorted per brace alternative, directories marked with '/'. */
export function glob(pattern: string): string[] {
  const out: string[] = [];
  for (const alternative of expandBraces(pattern)) {
    const found = globOne(expandTilde(alternative));
    found.sort(compareBytes);
    out.push(...found);
  }
  return out;
}

/** `{a,b}c` -> `ac`, `bc` (nested braces allowed); unbalanced braces stay literal. */
export function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{', 0);
  if (open === -1) return [pattern];
  // Find the matching close brace and the top-level commas.
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close === -1) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = pattern.slice((bounds[i] as number) + 1, bounds[i + 1]);
    out.push(...expandBraces(head + part + tail));
  }
  return out;
}

function findUnescaped(s: string, ch: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ch) return i;
  }
  return -1;
}

/** `~` and `~user` at the start of a pattern become home directories (GLOB_TILDE). */
function expandTilde(pattern: string): string {
  if (!pattern.startsWith('~')) return pattern;
  const slash = pattern.indexOf('/');
  const name = slash === -1 ? pattern.slice(1) : pattern.slice(1, slash);
  const rest = slash === -1 ? '' : pattern.slice(slash);
  if (name === '') return (process.env.HOME ?? homedir()) + rest;
  const user = readPasswd().find((u) => u.name === name);
  return user ? user.dir + rest : pattern;
}

const hasMagic = (component: string): boolean => /[*?[]/.test(component);

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Glob one brace-free, tilde-free pattern. */
function globOne(pattern: string): string[] {
  const onlyDirs = pattern.endsWith('/') && pattern.length > 1;
  const parts = pattern.split('/').filter((p) => p !== '');
  let prefixes = [pattern.startsWith('/') ? '/' : ''];

  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const next: string[] = [];
    for (const prefix of prefixes) {
      if (!hasMagic(part)) {
        next.push(joinPath(prefix, unescapeGlob(part)));
        continue;
      }
      const dir = prefix === '' ? '.' : prefix;
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      // glob(3) sees '.' and '..' too; they only match a pattern starting with '.'.
      const matcher = componentMatcher(part);
      for (const name of ['.', '..', ...names]) {
        if (!matcher(name)) continue;
        const full = joinPath(prefix, name);
        // Inner components must be directories to descend into.
        if (!last && !isDirectory(full)) continue;
        next.push(full);
      }
    }
    prefixes = next;
  });

  const out: string[] = [];
  for (const p of prefixes) {
    if (p === '' || !exists(p)) continue;
    const dir = isDirectory(p);
    if (onlyDirs && !dir) continue;
    out.push(dir && !p.endsWith('/') ? `${p}/` : p);
  }
  return out;
}

function unescapeGlob(part: string): string {
  return part.replace(/\\(.)/g, '$1');
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
};

/** fnmatch(3) for one path component, with the leading-period rule of glob(3). */
export function componentMatcher(part: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i] as string;
    if (c === '\\' && i + 1 < part.length) {
      re += escapeRegex(part[++i] as string);
    } else if (c === '*') {
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      const end = bracketEnd(part, i);
      if (end === -1) {
        re += '\\[';
        continue;
      }
      re += bracketToRegex(part.slice(i + 1, end));
      i = end;
    } else {
      re += escapeRegex(c);
    }
  }
  const rx = new RegExp(`^${re}$`, 's');
  const explicitDot = part.startsWith('.') || part.startsWith('\\.');
  return (name) => (explicitDot || !name.startsWith('.')) && rx.test(name);
}

function bracketEnd(part: string, open: number): number {
  let i = open + 1;
  if (part[i] === '!' || part[i] === '^') i++;
  if (part[i] === ']') i++; // a leading ']' is a member
  for (; i < part.length; i++) {
    if (part[i] === '[' && part[i + 1] === ':') {
      const close = part.indexOf(':]', i + 2);
      if (close !== -1) i = close + 1;
    } else if (part[i] === ']') return i;
  }
  return -1;
}

function bracketToRegex(body: string): string {
  let out = '[';
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    out += '^';
    i = 1;
  }
  for (; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '[' && body[i + 1] === ':') {
      const close = body.indexOf(':]', i + 2);
      const cls = POSIX_CLASSES[body.slice(i + 2, close)];
      if (close !== -1 && cls !== undefined) {
        out += cls;
        i = close + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < body.length) {
      out += `\\${body[++i]}`;
    } else if (c === '-' || c === ']' || c === '[' || c === '^') {
      // A '-' between two members is a range; anything else is literal.
      out += c === '-' && i > 0 && i < body.length - 1 ? '-' : `\\${c}`;
    } else {
      out += escapeRegex(c);
    }
  }
  return `${out}]`;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// --- boost::filesystem (v3) path parts, as osquery reports them ------------------

/** The last component; '.' for a path ending in '/', '/' for the root. */
export function fileName(path: string): string {
  if (path === '') return '';
  if (/^\/+$/.test(path)) return '/';
  if (path.endsWith('/')) return '.';
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Everything before the last component ('/etc/ssh/' -> '/etc/ssh', '/etc' -> '/'). */
export function parentPath(path: string): string {
  if (path === '' || /^\/+$/.test(path)) return '';
  if (path.endsWith('/')) return path.replace(/\/+$/, '') || '/';
  const slash = path.lastIndexOf('/');
  if (slash === -1) return '';
  const parent = path.slice(0, slash).replace(/\/+$/, '');
  return parent === '' ? '/' : parent;
}

/** The permission bits as four octal digits (setuid/setgid/sticky first), e.g. '0644'. */
export function modeString(mode: number): string {
  return [9, 6, 3, 0].map((shift) => String((mode >> shift) & 7)).join('');
}

/** A 64-bit stat field as a number when exact, else as a bigint. */
export function statNumber(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** The paths a path/directory column asks for: `=` values plus expanded LIKE patterns, sorted and unique. */
export function constrainedPaths(
  equals: readonly string[],
  likes: readonly string[],
  limit: GlobLimit,
): string[] {
  const set = new Set(equals);
  for (const pattern of likes) for (const p of expandPattern(pattern, limit)) set.add(p);
  return [...set].sort(compareBytes);
}
