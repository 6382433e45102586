// pci_devices: the PCI functions of /sys/bus/pci/devices with the names pci.ids
// gives their ids. Like osquery, the table is empty when no pci.ids database is
// installed (Debian package `pci.ids`, a dependency of `pciutils`).
//
// osquery takes the class names from udev's hwdb; when the udev database is not
// there (udevd not running) they are looked up in pci.ids, which hwdb is built from.
// OSQ_SYSFS_ROOT and OSQ_PCI_IDS_PATH point the table at fixtures.

import { canonical, listDir } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';
import { type IdsDatabase, loadIds } from './pci_ids.js';
import { overridable, udevProperties, ueventOf } from './util.js';

export const PCI_IDS_PATHS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids', '/usr/share/pci.ids'];

/** "VVVV:DDDD" -> [vendor, device] lowercased, or null when malformed. */
function splitIds(attr: string | undefined): [string, string] | null {
  const m = /^([0-9a-f]+):([0-9a-f]+)$/.exec((attr ?? '').toLowerCase());
  return m ? [m[1]!, m[2]!] : null;
}

export function pciDeviceRow(syspath: string, db: IdsDatabase): Row {
  const uevent = ueventOf(syspath);
  const slot = uevent.get('PCI_SLOT_NAME') ?? '';
  const udev = udevProperties(`+pci:${slot}`);
  const classAttr = (uevent.get('PCI_CLASS') ?? '').toLowerCase();
  const r: Row = {
    pci_slot: slot,
    pci_class: udev.get('ID_PCI_CLASS_FROM_DATABASE') ?? '',
    driver: uevent.get('DRIVER') ?? '',
    vendor: udev.get('ID_VENDOR_FROM_DATABASE') ?? '',
    model: udev.get('ID_MODEL_FROM_DATABASE') ?? '',
    pci_subclass: udev.get('ID_PCI_SUBCLASS_FROM_DATABASE') ?? '',
  };

  // PCI_CLASS is class, subclass and prog-if in 5 or 6 hex digits.
  let classId: string | null = null;
  let subclassId: string | null = null;
  if (classAttr.length === 5) {
    classId = `0${classAttr.slice(0, 1)}`;
    subclassId = classAttr.slice(1, 3);
  } else if (classAttr.length === 6) {
    classId = classAttr.slice(0, 2);
    subclassId = classAttr.slice(2, 4);
  }
  if (udev.size === 0 && classId !== null) {
    r.pci_class = db.classes.get(classId) ?? '';
    r.pci_subclass = db.subclasses.get(`${classId}:${subclassId}`) ?? '';
  }

  const ids = splitIds(uevent.get('PCI_ID'));
  if (ids === null) {
    r.vendor_id = '0';
    r.model_id = '0';
  } else {
    const [vendor, model] = ids;
    r.vendor_id = `0x${vendor}`;
    r.model_id = `0x${model}`;
    const vendorName = db.vendors.get(vendor);
    if (vendorName !== undefined) r.vendor = vendorName;
    const modelName = db.devices.get(`${vendor}:${model}`);
    if (modelName !== undefined) r.model = modelName;
    const sub = splitIds(uevent.get('PCI_SUBSYS_ID'));
    if (sub !== null) {
      r.subsystem_vendor_id = `0x${sub[0]}`;
      r.subsystem_model_id = `0x${sub[1]}`;
      const subVendor = db.vendors.get(sub[0]);
      if (subVendor !== undefined) r.subsystem_vendor = subVendor;
      const subModel = db.subsystems.get(`${vendor}:${model}:${sub[0]} ${sub[1]}`);
      if (subModel !== undefined) r.subsystem_model = subModel;
    }
  }
  if (classId !== null) {
    r.pci_class_id = `0x${classId}`;
    r.pci_subclass_id = `0x${subclassId}`;
  }
  return r;
}

export const pciDevices = defineTable({
  name: 'pci_devices',
  columns: {
    pci_slot: text(),
    pci_class: text(),
    driver: text(),
    vendor: text(),
    vendor_id: text({ collate: 'nocase' }),
    model: text(),
    model_id: text({ collate: 'nocase' }),
    pci_class_id: text({ collate: 'nocase', platforms: ['linux'] }),
    pci_subclass_id: text({ collate: 'nocase', platforms: ['linux'] }),
    pci_subclass: text({ platforms: ['linux'] }),
    subsystem_vendor_id: text({ collate: 'nocase', platforms: ['linux'] }),
    subsystem_vendor: text({ platforms: ['linux'] }),
    subsystem_model_id: text({ collate: 'nocase', platforms: ['linux'] }),
    subsystem_model: text({ platforms: ['linux'] }),
  },
  generate() {
    const db = loadIds(process.env.OSQ_PCI_IDS_PATH ? [process.env.OSQ_PCI_IDS_PATH] : PCI_IDS_PATHS);
    if (db === null) return [];
    const dir = `${overridable('OSQ_SYSFS_ROOT', '/sys')}/bus/pci/devices`;
    // udev enumerates devices in the order of their sysfs paths.
    const paths = listDir(dir)
      .map((name) => canonical(`${dir}/${name}`))
      .sort();
    return paths.map((p) => pciDeviceRow(p, db));
  },
});
