// yara_process: YARA scan of the memory of each `pid =` process with the
// signatures of the query (see yara_scan.ts). Needs ptrace rights over the
// process (root); a process that cannot be read has no row.
import { defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { afterScan, querySignatures, scanRow, yaraModule } from './yara_scan.js';

function generate(ctx: QueryContext): Row[] {
  const yara = yaraModule();
  const pids = [...new Set(ctx.integerEquals('pid'))].sort((a, b) => a - b);
  if (!yara || pids.length === 0) return [];
  const signatures = querySignatures(yara, ctx);
  const rows: Row[] = [];
  for (const pid of pids) {
    for (const sig of signatures) {
      const row = scanRow(yara.scanProcess(sig.rules, pid), sig, { pid });
      if (row) rows.push(row);
      afterScan();
    }
  }
  return rows;
}

export const yaraProcess = defineTable({
  name: 'yara_process',
  columns: {
    pid: integer({ index: true, required: true }),
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
