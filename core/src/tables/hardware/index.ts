// Tables of the hardware area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { acpiTables } from './acpi_tables.js';
import { blockDevices } from './block_devices.js';
import { cpuInfo } from './cpu_info.js';
import { cpuid } from './cpuid.js';
import { diskEncryption } from './disk_encryption.js';
import { mdDevices } from './md_devices.js';
import { mdDrives } from './md_drives.js';
import { mdPersonalities } from './md_personalities.js';
import { memoryArrayMappedAddresses } from './memory_array_mapped_addresses.js';
import { memoryArrays } from './memory_arrays.js';
import { memoryDeviceMappedAddresses } from './memory_device_mapped_addresses.js';
import { memoryDevices } from './memory_devices.js';
import { memoryErrorInfo } from './memory_error_info.js';
import { oemStrings } from './oem_strings.js';
import { pciDevices } from './pci_devices.js';
import { platformInfo } from './platform_info.js';
import { secureboot } from './secureboot.js';
import { securebootCertificates } from './secureboot_certificates.js';
import { smbiosTables } from './smbios_tables.js';
import { usbDevices } from './usb_devices.js';

export const hardwareTables: Table[] = [
  acpiTables,
  blockDevices,
  cpuInfo,
  cpuid,
  diskEncryption,
  mdDevices,
  mdDrives,
  mdPersonalities,
  memoryArrayMappedAddresses,
  memoryArrays,
  memoryDeviceMappedAddresses,
  memoryDevices,
  memoryErrorInfo,
  oemStrings,
  pciDevices,
  platformInfo,
  secureboot,
  securebootCertificates,
  smbiosTables,
  usbDevices,
];
