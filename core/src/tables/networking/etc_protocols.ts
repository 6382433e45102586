// etc_protocols: the protocols of /etc/protocols ("name number alias # comment").

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { toInteger } from './util.js';

export function parseProtocols(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of osquerySplit(content, '\n')) {
    if (line.startsWith('#')) continue;
    const parts = osquerySplit(line, '#');
    const fields = osquerySplit(parts[0] ?? '');
    if (fields.length < 2) continue;
    const row: Row = { name: fields[0], number: toInteger(fields[1]!) };
    if (fields.length > 2) row.alias = fields[2];
    if (parts.length > 1) row.comment = parts.slice(1).join(' # ');
    rows.push(row);
  }
  return rows;
}

export const etcProtocols = defineTable({
  name: 'etc_protocols',
  columns: {
    name: text(),
    number: integer(),
    alias: text(),
    comment: text(),
  },
  attributes: { cacheable: true },
  generate() {
    return parseProtocols(readText('/etc/protocols') ?? '');
  },
});
