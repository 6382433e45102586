// crontab: lines of the system crontab, /etc/cron.d and the per-user spools.
// Each non-comment line is split on blanks: five schedule fields (or one
// @event) and the rest is the command; lines without a command are skipped.

import { listFilesInDirectory, readText } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';

const SYSTEM_CRONTAB = '/etc/crontab';
// The directories osquery searches (files only, not recursive).
const CRON_DIRS = ['/etc/cron.d/', '/var/at/tabs/', '/var/spool/cron/', '/var/spool/cron/crontabs/'];

/** One crontab line as osquery splits it, or null when it has no command. */
export function parseCronLine(path: string, line: string): Row | null {
  const fields = line.split(/[ \t]+/).filter((f) => f !== '');
  const r: Row = { path };
  const schedule = ['minute', 'hour', 'day_of_month', 'month', 'day_of_week'];
  let command: string[] = [];
  if (fields[0]?.startsWith('@')) {
    r.event = fields[0];
    command = fields.slice(1);
  } else {
    fields.slice(0, 5).forEach((f, i) => {
      r[schedule[i] as string] = f;
    });
    command = fields.slice(5);
  }
  if (command.length === 0) return null; // e.g. a variable assignment
  r.command = command.join(' ');
  r.pid_with_namespace = 0;
  return r;
}

/** Rows of one crontab file: trimmed lines that are neither blank nor comments. */
export function cronRowsFromFile(path: string): Row[] {
  const content = readText(path);
  if (content === null) return [];
  const rows: Row[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const row = parseCronLine(path, line);
    if (row) rows.push(row);
  }
  return rows;
}

export const crontab = defineTable({
  name: 'crontab',
  attributes: { cacheable: true },
  columns: {
    event: text(),
    minute: text(),
    hour: text(),
    day_of_month: text(),
    month: text(),
    day_of_week: text(),
    command: text(),
    path: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate() {
    const files = [SYSTEM_CRONTAB, ...CRON_DIRS.flatMap((dir) => listFilesInDirectory(dir) ?? [])];
    return files.flatMap(cronRowsFromFile);
  },
});
