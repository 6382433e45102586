// sudoers: the rules of /etc/sudoers and of the files it includes
// (#include/@include and #includedir/@includedir), one row per rule line:
// `header` is the first word, `rule_details` the rest. Lines ending in a
// backslash continue on the next line. OSQ_SUDOERS_FILE replaces the top file
// (for tests).

import { isReadable, joinPath, listFilesInDirectory, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { fileName, parentPath } from '../files/util.js';
import { defineTable, type Row, text } from '../framework.js';

/** sudoers(5) allows 128 levels of nesting; osquery counts every included file as a level. */
const MAX_NEST = 128;
const BLANKS = '\t\v ';

function trimBlanks(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && BLANKS.includes(s[start] as string)) start++;
  while (end > start && BLANKS.includes(s[end - 1] as string)) end--;
  return s.slice(start, end);
}

function firstBlank(s: string): number {
  for (let i = 0; i < s.length; i++) if (BLANKS.includes(s[i] as string)) return i;
  return -1;
}

/** A relative include is read relative to the including file's directory. */
function resolveInclude(from: string, target: string): string {
  return target.startsWith('/') ? target : joinPath(parentPath(from), target);
}

function readSudoersFile(file: string, level: number, rows: Row[]): void {
  if (level > MAX_NEST) return;
  const content = readText(file);
  if (content === null) return;
  let continued = false;
  for (const raw of osquerySplit(content, '\n')) {
    const line = trimBlanks(raw);
    if (line === '') continue;
    if (continued) {
      // Drop the backslash of the previous piece and append this line.
      continued = line.endsWith('\\');
      const last = rows[rows.length - 1] as Row;
      const details = String(last.rule_details ?? '');
      if (details === '') last.header = String(last.header).slice(0, -1);
      else last.rule_details = details.slice(0, -1);
      last.rule_details = String(last.rule_details ?? '') + line;
      continue;
    }
    const cut = firstBlank(line);
    const header = trimBlanks(cut === -1 ? line : line.slice(0, cut));
    const isInclude = header === '#include' || header === '@include';
    const isIncludeDir = header === '#includedir' || header === '@includedir';
    if (line.startsWith('#') && !isInclude && !isIncludeDir) continue;
    const details = cut === -1 ? '' : trimBlanks(line.slice(cut));
    // An include without a target is just a comment.
    if (details === '' && (isInclude || isIncludeDir)) continue;
    if (!isInclude && !isIncludeDir && line.endsWith('\\')) continued = true;
    rows.push({ header, source: file, rule_details: details });

    if (isIncludeDir) {
      const dir = resolveInclude(file, details);
      for (const inc of listFilesInDirectory(dir) ?? []) {
        const base = fileName(inc);
        // sudoers(5): names containing '.' or ending in '~' are ignored.
        if (base === '' || base.includes('.') || base.endsWith('~')) continue;
        readSudoersFile(inc, ++level, rows);
      }
    }
    if (isInclude) readSudoersFile(resolveInclude(file, details), ++level, rows);
  }
}

/** All rows for a top-level sudoers file (none when it cannot be read). */
export function sudoersRows(top: string): Row[] {
  if (!isReadable(top)) return [];
  const rows: Row[] = [];
  readSudoersFile(top, 1, rows);
  return rows;
}

export const sudoers = defineTable({
  name: 'sudoers',
  columns: {
    source: text(),
    header: text(),
    rule_details: text(),
  },
  generate() {
    return sudoersRows(process.env.OSQ_SUDOERS_FILE ?? '/etc/sudoers');
  },
});
