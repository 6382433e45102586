// SMBIOS (DMTF DSP0134) structure table reader shared by smbios_tables, cpu_info,
// platform_info, oem_strings and the memory_* tables.
//
// Like osquery, the table is read from sysfs (/sys/firmware/dmi/tables/DMI, the raw
// structure table the kernel copied from firmware); osquery's fallbacks of scanning
// /dev/mem are not attempted. Tests point the reader at a fixture through
// OSQ_SMBIOS_DMI_PATH.
//
// DSP0134 section 6.1.2: every structure starts with a 4-byte header (type, formatted
// length, handle), the formatted area follows, then a set of NUL-terminated strings
// closed by an extra NUL (a structure without strings ends in two NULs).

import { readBytes } from '../../lib/fs.js';
import { hex, overridable } from './util.js';

export const DMI_TABLE_PATH = '/sys/firmware/dmi/tables/DMI';

export interface SmbiosStructure {
  /** Position of the structure in the table (0-based). */
  index: number;
  type: number;
  /** Length of the formatted area (the header's length byte). */
  length: number;
  handle: number;
  /** The whole structure: formatted area, strings and the closing NULs. */
  bytes: Buffer;
}

/** The raw structure table, or null when this host exposes none. */
export function readDmiTable(): Buffer | null {
  const data = readBytes(overridable('OSQ_SMBIOS_DMI_PATH', DMI_TABLE_PATH));
  return data !== null && data.length > 0 ? data : null;
}

/**
 * Split the table into structures the way osquery walks it: stop at a header that
 * runs past the end or at an all-zero header; a structure ends after the first
 * double NUL following its formatted area.
 */
export function parseStructures(table: Buffer): SmbiosStructure[] {
  const out: SmbiosStructure[] = [];
  const end = table.length;
  let at = 0;
  while (at + 4 <= end) {
    const type = table[at]!;
    const length = table[at + 1]!;
    const handle = table.readUInt16LE(at + 2);
    if (at + length > end) break;
    if (length === 0 && handle === 0) break;
    let next = at + length;
    for (; next + 4 <= end; next++) {
      if (table[next] === 0 && table[next + 1] === 0) {
        next += 2;
        break;
      }
    }
    out.push({ index: out.length, type, length, handle, bytes: table.subarray(at, next) });
    at = next;
  }
  return out;
}

/** Every structure of the host's table (empty when there is none). */
export function hostStructures(): SmbiosStructure[] {
  const table = readDmiTable();
  return table === null ? [] : parseStructures(table);
}

/**
 * String number `index` (1-based, DSP0134 6.1.3) of a structure; '' for index 0 or a
 * malformed string area. Trailing whitespace is trimmed as osquery does.
 */
export function dmiString(s: SmbiosStructure, index: number): string {
  const area = s.bytes.subarray(s.length);
  const maxlen = area.length;
  if (index === 0 || maxlen === 0 || area[maxlen - 1] !== 0) return '';
  let pos = 0;
  for (let n = index; n > 1; n--) {
    while (pos < maxlen && area[pos] !== 0) pos++;
    pos++;
    if (pos > maxlen - 1) return '';
  }
  let stop = pos;
  while (stop < maxlen && area[stop] !== 0) stop++;
  return area.subarray(pos, stop).toString('utf8').replace(/\s+$/, '');
}

/** A byte of the structure (0 beyond its end). */
export function byte(s: SmbiosStructure, off: number): number {
  return s.bytes[off] ?? 0;
}

/** A little-endian WORD at `off`. */
export function word(s: SmbiosStructure, off: number): number {
  return byte(s, off) | (byte(s, off + 1) << 8);
}

/** A little-endian DWORD at `off` (unsigned). */
export function dword(s: SmbiosStructure, off: number): number {
  return (word(s, off) + word(s, off + 2) * 0x10000) >>> 0;
}

/** A little-endian QWORD at `off`. */
export function qword(s: SmbiosStructure, off: number): bigint {
  return BigInt(dword(s, off)) | (BigInt(dword(s, off + 4)) << 32n);
}

/**
 * The address range of a type 19/20 mapped-address structure (DSP0134 7.20, 7.21): the
 * 32-bit KiB addresses at 04h/08h, or, when the start is FFFFFFFFh, the 64-bit extended
 * ones at `extendedAt` and `extendedAt + 8`. Returned as osquery prints them (hex).
 */
export function mappedAddressRange(
  s: SmbiosStructure,
  extendedAt: number,
): { starting_address: string; ending_address: string } {
  const start = dword(s, 0x04);
  return start !== 0xffffffff
    ? { starting_address: hex(start, 8), ending_address: hex(dword(s, 0x08), 8) }
    : { starting_address: hex(qword(s, extendedAt), 12), ending_address: hex(qword(s, extendedAt + 8), 12) };
}

/** The names of the set bits of a bit field, joined by spaces (osquery's dmiBitFieldToStr). */
export function bitFieldNames(field: number, names: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if (field & (1 << i)) out.push(names[i]!);
  return out.join(' ');
}

// Structure types (DSP0134 section 7).
export const SMBIOS_TYPE = {
  BIOS: 0,
  PROCESSOR: 4,
  OEM_STRINGS: 11,
  MEMORY_ARRAY: 16,
  MEMORY_DEVICE: 17,
  MEMORY_ERROR_INFO: 18,
  MEMORY_ARRAY_MAPPED_ADDRESS: 19,
  MEMORY_DEVICE_MAPPED_ADDRESS: 20,
} as const;

/** The description osquery gives each structure type. */
export const SMBIOS_TYPE_DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'BIOS Information'],
  [1, 'System Information'],
  [2, 'Base Board or Module Information'],
  [3, 'System Enclosure or Chassis'],
  [4, 'Processor Information'],
  [5, 'Memory Controller Information'],
  [6, 'Memory Module Information'],
  [7, 'Cache Information'],
  [8, 'Port Connector Information'],
  [9, 'System Slots'],
  [10, 'On Board Devices Information'],
  [11, 'OEM Strings'],
  [12, 'System Configuration Options'],
  [13, 'BIOS Language Information'],
  [14, 'Group Associations'],
  [15, 'System Event Log'],
  [16, 'Physical Memory Array'],
  [17, 'Memory Device'],
  [18, '32-bit Memory Error Information'],
  [19, 'Memory Array Mapped Address'],
  [20, 'Memory Device Mapped Address'],
  [21, 'Built-in Pointing Device'],
  [22, 'Portable Battery'],
  [23, 'System Reset'],
  [24, 'Hardware Security'],
  [25, 'System Power Controls'],
  [26, 'Voltage Probe'],
  [27, 'Cooling Device'],
  [28, 'Temperature Probe'],
  [29, 'Electrical Current Probe'],
  [30, 'Out-of-Band Remote Access'],
  [31, 'Boot Integrity Services'],
  [32, 'System Boot Information'],
  [33, '64-bit Memory Error Information'],
  [34, 'Management Device'],
  [35, 'Management Device Component'],
  [36, 'Management Device Threshold Data'],
  [37, 'Memory Channel'],
  [38, 'IPMI Device Information'],
  [39, 'System Power Supply'],
  [40, 'Additional Information'],
  [41, 'Onboard Devices Extended Info'],
  [126, 'Inactive'],
  [127, 'End-of-Table'],
  [130, 'Memory SPD Data'],
  [131, 'OEM Processor Type'],
  [132, 'OEM Processor Bus Speed'],
]);

/** Enumerations used by the memory tables (DSP0134 7.17 / 7.18 / 7.19), as osquery names them. */
export const MEMORY_FORM_FACTOR: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'SIMM'],
  [0x04, 'SIP'],
  [0x05, 'Chip'],
  [0x06, 'DIP'],
  [0x07, 'ZIP'],
  [0x08, 'Proprietary Card'],
  [0x09, 'DIMM'],
  [0x0a, 'TSOP'],
  [0x0b, 'Row of chips'],
  [0x0c, 'RIMM'],
  [0x0d, 'SODIMM'],
  [0x0e, 'SRIMM'],
  [0x0f, 'FB-DIMM'],
]);

export const MEMORY_TYPE_DETAILS: readonly string[] = [
  'Reserved',
  'Other',
  'Unknown',
  'Fast-paged',
  'Static column',
  'Pseudo-static',
  'RAMBUS',
  'Synchronous',
  'CMOS',
  'EDO',
  'Window DRAM',
  'Cache DRAM',
  'Non-volatile',
  'Registered (Buffered)',
  'Unbuffered (Unregistered)',
  'LRDIMM',
];

const MEMORY_TYPE_NAMES = [
  'Other',
  'Unknown',
  'DRAM',
  'EDRAM',
  'VRAM',
  'SRAM',
  'RAM',
  'ROM',
  'FLASH',
  'EEPROM',
  'FEPROM',
  'EPROM',
  'CDRAM',
  '3DRAM',
  'SDRAM',
  'SGRAM',
  'RDRAM',
  'DDR',
  'DDR2',
  'DDR2 FB-DIMM',
  'RESERVED',
  'RESERVED',
  'RESERVED',
  'DDR3',
  'FBD2',
  'DDR4',
  'LPDDR',
  'LPDDR2',
  'LPDDR3',
  'LPDDR4',
];
/** Memory Device type byte (offset 12h) -> name, 0x01..0x1E as osquery knows them. */
export const MEMORY_TYPE: ReadonlyMap<number, string> = new Map(MEMORY_TYPE_NAMES.map((n, i) => [i + 1, n]));

export const MEMORY_ARRAY_LOCATION: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'System board or motherboard'],
  [0x04, 'ISA add-on card'],
  [0x05, 'EISA add-on card'],
  [0x06, 'PCI add-on card'],
  [0x07, 'MCA add-on card'],
  [0x08, 'PCMCIA add-on card'],
  [0x09, 'Proprietary add-on card'],
  [0x0a, 'NuBus'],
  [0xa0, 'PC-98/C20 add-on card'],
  [0xa1, 'PC-98/C24 add-on card'],
  [0xa2, 'PC-98/E add-on card'],
  [0xa3, 'PC-98/Local bus add-on card'],
]);

export const MEMORY_ARRAY_USE: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'System memory'],
  [0x04, 'Video memory'],
  [0x05, 'Flash memory'],
  [0x06, 'Non-volatile RAM'],
  [0x07, 'Cache memory'],
]);

export const MEMORY_ERROR_CORRECTION: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'none'],
  [0x04, 'Parity'],
  [0x05, 'Single-bit ECC'],
  [0x06, 'Multi-bit ECC'],
  [0x07, 'CRC'],
]);

export const MEMORY_ERROR_TYPE: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'OK'],
  [0x04, 'Bad read'],
  [0x05, 'Parity error'],
  [0x06, 'Single-bit error'],
  [0x07, 'Double-bit error'],
  [0x08, 'Multi-bit error'],
  [0x09, 'Nibble error'],
  [0x0a, 'Checksum error'],
  [0x0b, 'CRC error'],
  [0x0c, 'Corrected single-bit error'],
  [0x0d, 'Corrected error'],
  [0x0e, 'Uncorrectable error'],
]);

export const MEMORY_ERROR_GRANULARITY: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'Device level'],
  [0x04, 'Memory partition level'],
]);

export const MEMORY_ERROR_OPERATION: ReadonlyMap<number, string> = new Map([
  [0x01, 'Other'],
  [0x02, 'Unknown'],
  [0x03, 'Read'],
  [0x04, 'Write'],
  [0x05, 'Partial write'],
]);
