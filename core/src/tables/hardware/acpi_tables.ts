// acpi_tables: the ACPI tables the kernel exposes under /sys/firmware/acpi/tables
// (sub-directories such as data/ and dynamic/ included), with size and md5.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { defineTable, integer, type Row, text } from '../framework.js';
import { overridable } from './util.js';

function collect(dir: string, rows: Row[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      collect(path, rows);
      continue;
    }
    const row: Row = { name: e.name };
    try {
      const content = fs.readFileSync(path);
      row.size = content.length;
      row.md5 = createHash('md5').update(content).digest('hex');
    } catch {
      row.size = -1;
    }
    rows.push(row);
  }
}

export function acpiTableRows(root: string): Row[] {
  const rows: Row[] = [];
  collect(root, rows);
  return rows;
}

export const acpiTables = defineTable({
  name: 'acpi_tables',
  columns: {
    name: text(),
    size: integer(),
    md5: text({ collate: 'nocase' }),
  },
  generate() {
    return acpiTableRows(overridable('OSQ_ACPI_TABLES_ROOT', '/sys/firmware/acpi/tables'));
  },
});
