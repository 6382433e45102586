// platform_info: the firmware (BIOS) description from SMBIOS type 0 (BIOS
// Information, DSP0134 7.1), plus whether the host booted through UEFI.

import { isDirectory } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { byte, dmiString, hostStructures, SMBIOS_TYPE, type SmbiosStructure } from './smbios.js';
import { hex, overridable } from './util.js';

export function platformInfoRow(s: SmbiosStructure, firmwareType: string): Row | null {
  if (s.type !== SMBIOS_TYPE.BIOS || s.bytes.length < 0x15) return null;
  return {
    vendor: dmiString(s, byte(s, 0x04)),
    version: dmiString(s, byte(s, 0x05)),
    date: dmiString(s, byte(s, 0x08)),
    // Minor/major release bytes at 14h/15h, printed in that order as osquery does.
    revision: `${byte(s, 0x14)}.${byte(s, 0x15)}`,
    extra: '',
    firmware_type: firmwareType,
    // BIOS starting address segment (06h) and ROM size in 64K blocks minus one (09h).
    address: hex((byte(s, 0x07) << 8) + byte(s, 0x06)),
    size: String(((byte(s, 0x09) + 1) << 6) * 1024),
    volume_size: 0,
  };
}

export const platformInfo = defineTable({
  name: 'platform_info',
  columns: {
    vendor: text(),
    version: text({ collate: 'version' }),
    date: text(),
    revision: text(),
    extra: text(),
    firmware_type: text(),
    address: text({ platforms: ['linux', 'darwin'] }),
    size: text({ platforms: ['linux', 'darwin'] }),
    volume_size: integer({ platforms: ['linux', 'darwin'] }),
  },
  generate() {
    const efi = overridable('OSQ_EFI_ROOT', '/sys/firmware/efi');
    const firmwareType = isDirectory(efi) ? 'uefi' : 'bios';
    return hostStructures()
      .map((s) => platformInfoRow(s, firmwareType))
      .filter((r): r is Row => r !== null);
  },
});
