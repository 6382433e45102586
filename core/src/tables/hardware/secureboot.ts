// secureboot: the SecureBoot and SetupMode UEFI variables from efivarfs. Each file
// holds a 4-byte attribute word followed by the data; these two are one byte, 0/1.
// A host without efivarfs (legacy BIOS, most VMs) still gets one row, with NULLs.

import { readBytes } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { overridable } from './util.js';

/** The global-variable vendor GUID (UEFI Specification, EFI_GLOBAL_VARIABLE). */
export const EFI_GLOBAL_GUID = '8be4df61-93ca-11d2-aa0d-00e098032b8c';

export function efivarsDir(): string {
  return overridable('OSQ_EFIVARS_ROOT', '/sys/firmware/efi/efivars');
}

/** 1/0 for a boolean variable, -1 for any other byte, undefined when unreadable. */
export function readBoolEfiVar(dir: string, name: string): number | undefined {
  const data = readBytes(`${dir}/${name}-${EFI_GLOBAL_GUID}`);
  if (data === null || data.length < 5) return undefined;
  const v = data[4]!;
  return v === 0 || v === 1 ? v : -1;
}

export function secureBootRow(dir: string): Row {
  return {
    secure_boot: readBoolEfiVar(dir, 'SecureBoot'),
    setup_mode: readBoolEfiVar(dir, 'SetupMode'),
  };
}

export const secureboot = defineTable({
  name: 'secureboot',
  columns: {
    secure_boot: integer(),
    secure_mode: integer({ platforms: ['darwin'] }),
    description: text({ platforms: ['darwin'] }),
    kernel_extensions: integer({ platforms: ['darwin'] }),
    mdm_operations: integer({ platforms: ['darwin'] }),
    setup_mode: integer({ platforms: ['linux', 'windows'] }),
  },
  generate() {
    return [secureBootRow(efivarsDir())];
  },
});
