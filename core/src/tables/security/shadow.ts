// shadow: the local shadow password database (/etc/shadow), one row per entry,
// as glibc's getspent() reads it. `username = ...` looks up just those names.

import { readText } from '../../lib/fs.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

/** Where the entries are read from; OSQ_SHADOW_FILE points the table at a test file. */
function shadowFile(): string {
  return process.env.OSQ_SHADOW_FILE ?? '/etc/shadow';
}

/** A numeric shadow field: empty means "not set" (-1), like glibc. */
function numberField(field: string | undefined): number | null {
  if (field === undefined || field.trim() === '') return -1;
  const t = field.trim();
  return /^-?\d+$/.test(t) ? Number(t) : null;
}

/** How osquery classifies the password field. */
export function passwordStatus(password: string): string {
  if (password === '!!') return 'not_set';
  if (password.startsWith('!') || password.startsWith('*') || password.startsWith('x')) return 'locked';
  if (password === '') return 'empty';
  return 'active';
}

/** Parse one shadow(5) line the way glibc does; null for comments and malformed lines. */
export function parseShadowLine(line: string): Row | null {
  const trimmed = line.replace(/^\s+/, '');
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const f = trimmed.split(':');
  if (f.length < 2) return null;
  const [name = '', password = ''] = f;
  // The old format stops after `max`; the newer fields then read as unset.
  const numbers = [2, 3, 4, 5, 6, 7, 8].map((i) => numberField(f[i]));
  if (numbers.some((n) => n === null)) return null;
  const [lastChange, min, max, warning, inactive, expire, flag] = numbers as number[];
  const row: Row = {
    password_status: passwordStatus(password),
    last_change: lastChange,
    min,
    max,
    warning,
    inactive,
    expire,
    flag,
    username: name,
  };
  const alg = /^\$(\w+)\$/.exec(password);
  if (alg) row.hash_alg = alg[1];
  return row;
}

export function parseShadow(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of content.split('\n')) {
    const row = parseShadowLine(line);
    if (row) rows.push(row);
  }
  return rows;
}

export const shadow = defineTable({
  name: 'shadow',
  columns: {
    password_status: text(),
    hash_alg: text(),
    last_change: bigint(),
    min: bigint(),
    max: bigint(),
    warning: bigint(),
    inactive: bigint(),
    expire: bigint(),
    flag: bigint(),
    username: text({ index: true, optimized: true }),
  },
  generate(ctx) {
    const rows = parseShadow(readText(shadowFile()) ?? '');
    const names = ctx.equals('username');
    if (names.length === 0) return rows;
    // getspnam() returns the first entry of each name asked for.
    const out: Row[] = [];
    for (const name of new Set(names)) {
      const row = rows.find((r) => r.username === name);
      if (row) out.push(row);
    }
    return out;
  },
});
