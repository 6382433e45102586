// etc_services: the services of /etc/services ("name port/protocol aliases # comment").

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { toInteger } from './util.js';

export function parseServices(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of osquerySplit(content, '\n')) {
    if (line.startsWith('#')) continue;
    const parts = osquerySplit(line, '#');
    const info = osquerySplit(parts[0] ?? '');
    if (info.length < 2) continue;
    const portProto = osquerySplit(info[1]!, '/');
    if (portProto.length !== 2) continue;
    const row: Row = {
      name: info[0],
      // osquery hands the text over; a non-number reads as NULL.
      port: toInteger(portProto[0]!),
      protocol: portProto[1],
      aliases: info.slice(2).join(' '),
    };
    if (parts.length > 1) row.comment = parts.slice(1).join(' # ');
    rows.push(row);
  }
  return rows;
}

export const etcServices = defineTable({
  name: 'etc_services',
  columns: {
    name: text(),
    port: integer(),
    protocol: text(),
    aliases: text(),
    comment: text(),
  },
  attributes: { cacheable: true },
  generate() {
    return parseServices(readText('/etc/services') ?? '');
  },
});
