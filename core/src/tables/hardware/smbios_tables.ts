// smbios_tables: one row per SMBIOS structure of the firmware's DMI table, with its
// type, handle, sizes and the md5 of its raw bytes (see smbios.ts for the source).
import { createHash } from 'node:crypto';
import { defineTable, integer, type Row, text } from '../framework.js';
import { hostStructures, SMBIOS_TYPE_DESCRIPTIONS, type SmbiosStructure } from './smbios.js';

export function smbiosTableRow(s: SmbiosStructure): Row {
  return {
    number: s.index,
    type: s.type,
    description: SMBIOS_TYPE_DESCRIPTIONS.get(s.type) ?? 'Unknown',
    handle: s.handle,
    header_size: s.length,
    size: s.bytes.length,
    md5: createHash('md5').update(s.bytes).digest('hex'),
  };
}

export const smbiosTables = defineTable({
  name: 'smbios_tables',
  columns: {
    number: integer(),
    type: integer(),
    description: text(),
    handle: integer(),
    header_size: integer(),
    size: integer(),
    md5: text({ collate: 'nocase' }),
  },
  generate() {
    return hostStructures().map(smbiosTableRow);
  },
});
