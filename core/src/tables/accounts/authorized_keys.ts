// authorized_keys: the keys in each user's ~/.ssh/authorized_keys and
// authorized_keys2. A line is `[options] <algorithm> <key> [comment]`; the
// algorithm is found by searching the line for a known key type.
import { existsSync } from 'node:fs';
import { joinPath, readText } from '../../lib/fs.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { type PasswdEntry, usersForContext } from './util.js';

const KEY_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2'];
// The key types osquery recognises, tried in this order.
const KEY_TYPES = [
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
];
const KEY_RING_LABEL = 'zos-key-ring-label=';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

function skipBlanks(line: string, from: number): number {
  let i = from;
  while (i < line.length && isBlank(line[i])) i++;
  return i;
}

function skipNonBlanks(line: string, from: number): number {
  let i = from;
  while (i < line.length && !isBlank(line[i])) i++;
  return i;
}

/** Split one (trimmed, non-comment) line into a row, or null when it holds no key. */
export function parseKeyLine(line: string, uid: number, keyFile: string): Row | null {
  for (const algorithm of KEY_TYPES) {
    const at = line.indexOf(algorithm);
    if (at === -1) continue;
    const after = at + algorithm.length;
    // The type must be a whole word followed by a blank.
    if (!isBlank(line[after])) continue;
    const r: Row = {};
    if (at > 0) r.options = line.slice(0, at).replace(/[ \t]+$/, '');
    const keyStart = skipBlanks(line, after);
    if (keyStart >= line.length) return null;
    const keyEnd = skipNonBlanks(line, keyStart);
    r.key = line.slice(keyStart, keyEnd);
    if (keyEnd < line.length) r.comment = line.slice(skipBlanks(line, keyEnd));
    r.algorithm = algorithm;
    r.key_file = keyFile;
    r.uid = uid;
    r.pid_with_namespace = 0;
    return r;
  }
  // z/OS keys live in a key ring: the line then holds only options.
  if (line.split(',').some((o) => o.trim().startsWith(KEY_RING_LABEL))) {
    return { uid, options: line, key_file: keyFile, pid_with_namespace: 0 };
  }
  return null;
}

function keysForUser(user: PasswdEntry): Row[] {
  const rows: Row[] = [];
  for (const name of KEY_FILES) {
    const file = joinPath(user.dir, name);
    if (!existsSync(file)) continue;
    const content = readText(file);
    if (content === null) return rows; // osquery gives up on this user's remaining files
    for (const raw of content.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const row = parseKeyLine(line, user.uid, file);
      if (row) rows.push(row);
    }
  }
  return rows;
}

export const authorizedKeys = defineTable({
  name: 'authorized_keys',
  attributes: { user_data: true },
  columns: {
    uid: bigint({ additional: true }),
    algorithm: text(),
    key: text(),
    options: text(),
    comment: text(),
    key_file: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const uids = ctx.integerEquals('uid');
    return usersForContext(uids.length > 0 ? uids : null).flatMap(keysForUser);
  },
});
