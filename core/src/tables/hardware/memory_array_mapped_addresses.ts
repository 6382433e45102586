// memory_array_mapped_addresses: SMBIOS type 19 (Memory Array Mapped Address,
// DSP0134 7.20) structures; the extended 64-bit addresses are used when the
// 32-bit starting address is FFFFFFFFh.
import { defineTable, integer, type Row, text } from '../framework.js';
import {
  byte,
  hostStructures,
  mappedAddressRange,
  SMBIOS_TYPE,
  type SmbiosStructure,
  word,
} from './smbios.js';
import { hex } from './util.js';

export function memoryArrayMappedAddressRow(s: SmbiosStructure): Row | null {
  if (s.type !== SMBIOS_TYPE.MEMORY_ARRAY_MAPPED_ADDRESS || s.bytes.length < 0x17 + 8) return null;
  const r: Row = { handle: hex(word(s, 0x02)), ...mappedAddressRange(s, 0x0f) };
  r.memory_array_handle = hex(word(s, 0x0c));
  r.partition_width = byte(s, 0x0e);
  return r;
}

export const memoryArrayMappedAddresses = defineTable({
  name: 'memory_array_mapped_addresses',
  columns: {
    handle: text(),
    memory_array_handle: text(),
    starting_address: text(),
    ending_address: text(),
    partition_width: integer(),
  },
  generate() {
    return hostStructures()
      .map(memoryArrayMappedAddressRow)
      .filter((r): r is Row => r !== null);
  },
});
