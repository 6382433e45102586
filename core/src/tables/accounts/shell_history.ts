// shell_history: the history files of every user (or of the users named by a
// `uid =` constraint). Bash `#<epoch>` lines time the command after them,
// zsh extended lines (`: <epoch>:<secs>;cmd`) carry their own time, anything
// else has time 0.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { flags } from '../../flags/index.js';
import { joinPath } from '../../lib/fs.js';
import { expandPattern } from '../files/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { type PasswdEntry, usersForContext } from './util.js';

const HISTORY_FILES = ['.bash_history', '.zsh_history', '.zhistory', '.history', '.sh_history'];
const BASH_TIMESTAMP = /^#([0-9]+)$/;
const ZSH_EXTENDED = /^: {0,10}([0-9]{1,11}):[0-9]+;(.*)$/;
// osquery reads history files in blocks of this size and splits each block.
const BLOCK_SIZE = 4096;

/** Read a file block by block; false when it is missing, unreadable or over read_max. */
function readBlocks(path: string, onBlock: (block: string) => void): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    // osquery refuses files over --read_max before reading anything.
    if (fstatSync(fd).size > flags.read_max) return false;
    const buf = Buffer.alloc(BLOCK_SIZE);
    for (;;) {
      const n = readSync(fd, buf, 0, BLOCK_SIZE, null);
      if (n <= 0) break;
      // latin1 keeps one char per byte, so lines can be cut exactly like osquery's bytes.
      onBlock(buf.toString('latin1', 0, n));
    }
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Rows of one history file. */
export function historyRows(uid: number, file: string): Row[] {
  const rows: Row[] = [];
  let pendingBashTime = '';
  let content = '';

  const parseLine = (raw: string): void => {
    const line = Buffer.from(raw, 'latin1').toString('utf8');
    const bash = pendingBashTime === '' ? BASH_TIMESTAMP.exec(line) : null;
    if (bash) {
      pendingBashTime = bash[1] as string;
      return;
    }
    let time = 0;
    let command = line;
    const zsh = pendingBashTime === '' ? ZSH_EXTENDED.exec(line) : null;
    if (pendingBashTime !== '') {
      time = Number(pendingBashTime);
      pendingBashTime = '';
    } else if (zsh) {
      time = Number(zsh[1]);
      command = zsh[2] as string;
    }
    rows.push({ uid, time, command, history_file: file });
  };

  // Same block splitting as osquery, including its quirk: when exactly one
  // byte follows the block's last newline the buffer is kept whole, so the
  // lines before it are parsed again with the next block.
  const ok = readBlocks(file, (block) => {
    content += block;
    let lastNewline = 0;
    let newline = content.indexOf('\n');
    while (newline !== -1) {
      parseLine(content.slice(lastNewline, newline));
      lastNewline = newline + 1;
      newline = content.indexOf('\n', lastNewline);
    }
    if (lastNewline !== content.length - 1) content = content.slice(lastNewline);
  });
  if (!ok) return rows;
  if (content !== '') parseLine(content);
  return rows;
}

function historyForUser(user: PasswdEntry): Row[] {
  const rows: Row[] = [];
  for (const name of HISTORY_FILES) rows.push(...historyRows(user.uid, joinPath(user.dir, name)));
  // macOS-style per-session bash histories.
  const sessions = joinPath(user.dir, '.bash_sessions');
  if (existsSync(sessions)) {
    for (const file of expandPattern(`${sessions}/*.history`, 'all'))
      rows.push(...historyRows(user.uid, file));
  }
  return rows;
}

export const shellHistory = defineTable({
  name: 'shell_history',
  attributes: { user_data: true },
  columns: {
    uid: bigint({ additional: true, optimized: true }),
    time: integer(),
    command: text(),
    history_file: text(),
  },
  generate(ctx) {
    const uids = ctx.integerEquals('uid');
    return usersForContext(uids.length > 0 ? uids : null).flatMap(historyForUser);
  },
});
