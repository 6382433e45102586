// memory_devices: SMBIOS type 17 (Memory Device, DSP0134 7.18) structures, decoded
// with osquery's field choices (raw size word, speeds and voltages skipped when 0).
import { defineTable, integer, type Row, text } from '../framework.js';
import {
  bitFieldNames,
  byte,
  dmiString,
  dword,
  hostStructures,
  MEMORY_FORM_FACTOR,
  MEMORY_TYPE,
  MEMORY_TYPE_DETAILS,
  SMBIOS_TYPE,
  type SmbiosStructure,
  word,
} from './smbios.js';
import { hex } from './util.js';

export function memoryDeviceRow(s: SmbiosStructure): Row | null {
  // osquery requires the structure (with its strings) to reach offset 2Ah.
  if (s.type !== SMBIOS_TYPE.MEMORY_DEVICE || s.bytes.length < 0x26 + 4) return null;
  const r: Row = { handle: hex(word(s, 0x02)), array_handle: hex(word(s, 0x04)) };
  const form = MEMORY_FORM_FACTOR.get(byte(s, 0x0e));
  if (form !== undefined) r.form_factor = form;
  const total = word(s, 0x08);
  if (total !== 0xffff) r.total_width = total;
  const data = word(s, 0x0a);
  if (data !== 0xffff) r.data_width = data;
  const size = word(s, 0x0c);
  // 7FFFh means "see Extended Size at 1Ch" (MB).
  if (size !== 0xffff) r.size = size !== 0x7fff ? size : dword(s, 0x1c);
  if (byte(s, 0x0f) !== 0xff) r.set = byte(s, 0x0f);
  r.device_locator = dmiString(s, byte(s, 0x10));
  r.bank_locator = dmiString(s, byte(s, 0x11));
  const type = MEMORY_TYPE.get(byte(s, 0x12));
  if (type !== undefined) r.memory_type = type;
  r.memory_type_details = bitFieldNames(word(s, 0x13), MEMORY_TYPE_DETAILS);
  const maxSpeed = word(s, 0x15);
  if (maxSpeed !== 0 && maxSpeed !== 0xffff) r.max_speed = maxSpeed;
  const configured = word(s, 0x20);
  if (configured !== 0 && configured !== 0xffff) r.configured_clock_speed = configured;
  r.manufacturer = dmiString(s, byte(s, 0x17));
  r.serial_number = dmiString(s, byte(s, 0x18));
  r.asset_tag = dmiString(s, byte(s, 0x19));
  r.part_number = dmiString(s, byte(s, 0x1a));
  const minV = word(s, 0x22);
  if (minV !== 0) r.min_voltage = minV;
  const maxV = word(s, 0x24);
  if (maxV !== 0) r.max_voltage = maxV;
  const confV = word(s, 0x26);
  if (confV !== 0) r.configured_voltage = confV;
  return r;
}

export const memoryDevices = defineTable({
  name: 'memory_devices',
  columns: {
    handle: text(),
    array_handle: text(),
    form_factor: text(),
    total_width: integer(),
    data_width: integer(),
    size: integer(),
    set: integer(),
    device_locator: text(),
    bank_locator: text(),
    memory_type: text(),
    memory_type_details: text(),
    max_speed: integer(),
    configured_clock_speed: integer(),
    manufacturer: text(),
    serial_number: text(),
    asset_tag: text(),
    part_number: text(),
    min_voltage: integer(),
    max_voltage: integer(),
    configured_voltage: integer(),
  },
  generate() {
    return hostStructures()
      .map(memoryDeviceRow)
      .filter((r): r is Row => r !== null);
  },
});
