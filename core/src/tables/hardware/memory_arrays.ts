// memory_arrays: SMBIOS type 16 (Physical Memory Array, DSP0134 7.17) structures.
// max_capacity is in GB as osquery reports it (KB field, or the extended byte field).
import { defineTable, integer, type Row, text } from '../framework.js';
import {
  byte,
  dword,
  hostStructures,
  MEMORY_ARRAY_LOCATION,
  MEMORY_ARRAY_USE,
  MEMORY_ERROR_CORRECTION,
  qword,
  SMBIOS_TYPE,
  type SmbiosStructure,
  word,
} from './smbios.js';
import { hex } from './util.js';

export function memoryArrayRow(s: SmbiosStructure): Row | null {
  if (s.type !== SMBIOS_TYPE.MEMORY_ARRAY || s.bytes.length < 0x0f + 8) return null;
  const r: Row = { handle: hex(word(s, 0x02)) };
  const location = MEMORY_ARRAY_LOCATION.get(byte(s, 0x04));
  if (location !== undefined) r.location = location;
  const use = MEMORY_ARRAY_USE.get(byte(s, 0x05));
  if (use !== undefined) r.use = use;
  const ecc = MEMORY_ERROR_CORRECTION.get(byte(s, 0x06));
  if (ecc !== undefined) r.memory_error_correction = ecc;
  const cap = dword(s, 0x07);
  // 80000000h means "see Extended Maximum Capacity at 0Fh" (bytes).
  r.max_capacity = cap >= 0x80000000 ? Number(qword(s, 0x0f) / 1073741824n) : Math.floor(cap / 1048576);
  const errHandle = word(s, 0x0b);
  if (errHandle !== 0xfffe && errHandle !== 0xffff) r.memory_error_info_handle = hex(errHandle);
  r.number_memory_devices = word(s, 0x0d);
  return r;
}

export const memoryArrays = defineTable({
  name: 'memory_arrays',
  columns: {
    handle: text(),
    location: text(),
    use: text(),
    memory_error_correction: text(),
    max_capacity: integer(),
    memory_error_info_handle: text(),
    number_memory_devices: integer(),
  },
  generate() {
    return hostStructures()
      .map(memoryArrayRow)
      .filter((r): r is Row => r !== null);
  },
});
