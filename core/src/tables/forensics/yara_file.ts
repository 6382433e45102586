// yara_file (alias yara): YARA scan of files named by `path` (= or LIKE) with the
// signatures of the query (see yara_scan.ts). LIKE patterns keep only readable
// regular files, as osquery does; an `=` path that cannot be scanned has no row.
import { compareBytes } from '../../lib/bytes.js';
import { isFile, isReadable } from '../../lib/fs.js';
import { constrainedPaths } from '../files/util.js';
import { defineTable, integer, Op, type QueryContext, type Row, text } from '../framework.js';
import { afterScan, querySignatures, scanRow, yaraModule } from './yara_scan.js';

const scannable = (path: string): boolean => isFile(path) && isReadable(path);

/** `=` paths as given, LIKE patterns expanded to readable regular files. */
function targetPaths(ctx: QueryContext): string[] {
  const expanded = constrainedPaths([], ctx.valuesFor('path', Op.LIKE), 'files').filter(scannable);
  return [...new Set([...ctx.equals('path'), ...expanded])].sort(compareBytes);
}

function generate(ctx: QueryContext): Row[] {
  const yara = yaraModule();
  if (!yara) return [];
  const signatures = querySignatures(yara, ctx);
  if (signatures.length === 0) return [];
  const rows: Row[] = [];
  for (const path of targetPaths(ctx)) {
    for (const sig of signatures) {
      const row = scanRow(yara.scanFile(sig.rules, path), sig, { path });
      if (row) rows.push(row);
      afterScan();
    }
  }
  return rows;
}

export const yaraFile = defineTable({
  name: 'yara_file',
  aliases: ['yara'],
  columns: {
    path: text({ index: true, required: true }),
    matches: text(),
    count: integer(),
    sig_group: text({ additional: true }),
    sigfile: text({ additional: true }),
    sigrule: text({ hidden: true, additional: true }),
    strings: text(),
    tags: text(),
    sigurl: text({ hidden: true, additional: true }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  generate,
});
