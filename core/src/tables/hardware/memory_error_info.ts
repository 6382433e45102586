// memory_error_info: SMBIOS type 18 (32-Bit Memory Error Information, DSP0134 7.19)
// structures; 80000000h addresses mean "unknown" and are left NULL.
import { defineTable, type Row, text } from '../framework.js';
import {
  byte,
  dword,
  hostStructures,
  MEMORY_ERROR_GRANULARITY,
  MEMORY_ERROR_OPERATION,
  MEMORY_ERROR_TYPE,
  SMBIOS_TYPE,
  type SmbiosStructure,
  word,
} from './smbios.js';
import { hex } from './util.js';

export function memoryErrorInfoRow(s: SmbiosStructure): Row | null {
  if (s.type !== SMBIOS_TYPE.MEMORY_ERROR_INFO || s.bytes.length < 0x13 + 4) return null;
  const r: Row = { handle: hex(word(s, 0x02)) };
  const type = MEMORY_ERROR_TYPE.get(byte(s, 0x04));
  if (type !== undefined) r.error_type = type;
  const gran = MEMORY_ERROR_GRANULARITY.get(byte(s, 0x05));
  if (gran !== undefined) r.error_granularity = gran;
  const op = MEMORY_ERROR_OPERATION.get(byte(s, 0x06));
  if (op !== undefined) r.error_operation = op;
  const syndrome = dword(s, 0x07);
  if (syndrome !== 0) r.vendor_syndrome = hex(syndrome, 8);
  const arrayAddr = dword(s, 0x0b);
  if (arrayAddr !== 0x80000000) r.memory_array_error_address = hex(arrayAddr, 8);
  const deviceAddr = dword(s, 0x0f);
  if (deviceAddr !== 0x80000000) r.device_error_address = hex(deviceAddr, 8);
  const resolution = dword(s, 0x13);
  if (resolution !== 0x80000000) r.error_resolution = hex(resolution, 8);
  return r;
}

export const memoryErrorInfo = defineTable({
  name: 'memory_error_info',
  columns: {
    handle: text(),
    error_type: text(),
    error_granularity: text(),
    error_operation: text(),
    vendor_syndrome: text(),
    memory_array_error_address: text(),
    device_error_address: text(),
    error_resolution: text(),
  },
  generate() {
    return hostStructures()
      .map(memoryErrorInfoRow)
      .filter((r): r is Row => r !== null);
  },
});
