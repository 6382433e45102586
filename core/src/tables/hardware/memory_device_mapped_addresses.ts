// memory_device_mapped_addresses: SMBIOS type 20 (Memory Device Mapped Address,
// DSP0134 7.21) structures.
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

export function memoryDeviceMappedAddressRow(s: SmbiosStructure): Row | null {
  if (s.type !== SMBIOS_TYPE.MEMORY_DEVICE_MAPPED_ADDRESS || s.bytes.length < 0x1b + 8) return null;
  const r: Row = { handle: hex(word(s, 0x02)), ...mappedAddressRange(s, 0x13) };
  r.memory_device_handle = hex(word(s, 0x0c));
  // osquery never fills memory_array_mapped_address_handle (word at 0Eh).
  r.partition_row_position = byte(s, 0x10);
  r.interleave_position = byte(s, 0x11);
  r.interleave_data_depth = byte(s, 0x12);
  return r;
}

export const memoryDeviceMappedAddresses = defineTable({
  name: 'memory_device_mapped_addresses',
  columns: {
    handle: text(),
    memory_device_handle: text(),
    memory_array_mapped_address_handle: text(),
    starting_address: text(),
    ending_address: text(),
    partition_row_position: integer(),
    interleave_position: integer(),
    interleave_data_depth: integer(),
  },
  generate() {
    return hostStructures()
      .map(memoryDeviceMappedAddressRow)
      .filter((r): r is Row => r !== null);
  },
});
