// cpu_info: one row per processor socket, from SMBIOS type 4 (Processor Information,
// DSP0134 7.5) as osquery 5 does on Linux. A host without SMBIOS (most VMs without
// DMI tables, containers) has no rows, as with osquery.
import { defineTable, integer, type Row, text } from '../framework.js';
import { byte, dmiString, hostStructures, SMBIOS_TYPE, type SmbiosStructure, word } from './smbios.js';

/** Processor Type (offset 05h) values osquery turns into a device_id prefix. */
const PROCESSOR_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [3, 'CPU'],
  [4, 'MATH'],
  [5, 'DSP'],
  [6, 'GPU'],
]);

export function processorRow(s: SmbiosStructure): Row | null {
  if (s.type !== SMBIOS_TYPE.PROCESSOR || s.bytes.length < 0x2e + 2) return null;
  // Processor Characteristics (26h) bit 2: 64-bit capable.
  const characteristics = word(s, 0x26);
  return {
    socket_designation: dmiString(s, byte(s, 0x04)),
    model: dmiString(s, byte(s, 0x10)),
    manufacturer: dmiString(s, byte(s, 0x07)),
    processor_type: String(byte(s, 0x05)),
    cpu_status: byte(s, 0x18),
    number_of_cores: String(byte(s, 0x23)),
    logical_processors: byte(s, 0x25),
    address_width: characteristics & (1 << 2) ? '64' : '32',
    current_clock_speed: word(s, 0x16),
    max_clock_speed: word(s, 0x14),
  };
}

/** Rows for a list of structures, numbering device ids per osquery (CPU0, CPU1, ...). */
export function cpuInfoRows(structures: readonly SmbiosStructure[]): Row[] {
  const rows: Row[] = [];
  let deviceId = 0;
  for (const s of structures) {
    const r = processorRow(s);
    if (r === null) continue;
    const prefix = PROCESSOR_TYPE_NAMES.get(Number(r.processor_type));
    if (prefix !== undefined) r.device_id = `${prefix}${deviceId++}`;
    rows.push(r);
  }
  return rows;
}

export const cpuInfo = defineTable({
  name: 'cpu_info',
  columns: {
    device_id: text(),
    model: text(),
    manufacturer: text(),
    processor_type: text(),
    cpu_status: integer(),
    number_of_cores: text(),
    logical_processors: integer(),
    address_width: text(),
    current_clock_speed: integer(),
    max_clock_speed: integer(),
    socket_designation: text(),
    availability: text({ platforms: ['windows'] }),
    load_percentage: integer({ platforms: ['windows'] }),
    number_of_efficiency_cores: integer({ platforms: ['darwin'] }),
    number_of_performance_cores: integer({ platforms: ['darwin'] }),
  },
  generate() {
    return cpuInfoRows(hostStructures());
  },
});
