// oem_strings: the strings of SMBIOS type 11 (OEM Strings, DSP0134 7.12)
// structures, one row per string.
import { defineTable, integer, type Row, text } from '../framework.js';
import { byte, dmiString, hostStructures, SMBIOS_TYPE, type SmbiosStructure, word } from './smbios.js';
import { hex } from './util.js';

export function oemStringRows(s: SmbiosStructure): Row[] {
  if (s.type !== SMBIOS_TYPE.OEM_STRINGS || s.bytes.length < 0x04 + 1) return [];
  const handle = hex(word(s, 0x02));
  const rows: Row[] = [];
  const count = byte(s, 0x04);
  for (let i = 1; i <= count; i++) rows.push({ handle, number: i, value: dmiString(s, i) });
  return rows;
}

export const oemStrings = defineTable({
  name: 'oem_strings',
  columns: {
    handle: text(),
    number: integer(),
    value: text(),
  },
  generate() {
    return hostStructures().flatMap(oemStringRows);
  },
});
