// usb_devices: the USB devices (not interfaces) of /sys/bus/usb/devices. osquery
// reads udev's properties; when the udev database is absent (udevd not running)
// the same values are rebuilt from sysfs the way udev's usb_id builtin and hwdb
// compute them (idVendor/idProduct/bcdDevice/serial/product, names from usb.ids).
// OSQ_SYSFS_ROOT and OSQ_USB_IDS_PATH point the table at fixtures.

import { canonical, listDir } from '../../lib/fs.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { type IdsDatabase, loadIds } from './pci_ids.js';
import { overridable, sysAttr, udevProperties, ueventOf } from './util.js';

export const USB_IDS_PATHS = ['/usr/share/misc/usb.ids', '/usr/share/hwdata/usb.ids', '/usr/share/usb.ids'];

/** udev's property view of a USB device, from its database entry or rebuilt from sysfs. */
function usbProperties(syspath: string, db: IdsDatabase | null): Map<string, string> {
  const uevent = ueventOf(syspath);
  const major = uevent.get('MAJOR');
  const minor = uevent.get('MINOR');
  const props = new Map(uevent);
  const udev = major !== undefined && minor !== undefined ? udevProperties(`c${major}:${minor}`) : new Map();
  if (udev.size > 0) {
    for (const [k, v] of udev) props.set(k, v);
    return props;
  }
  const attr = (name: string) => sysAttr(`${syspath}/${name}`)?.trim();
  const vendorId = attr('idVendor');
  const modelId = attr('idProduct');
  if (vendorId !== undefined) props.set('ID_VENDOR_ID', vendorId);
  if (modelId !== undefined) props.set('ID_MODEL_ID', modelId);
  const revision = attr('bcdDevice');
  if (revision !== undefined) props.set('ID_REVISION', revision);
  const serial = attr('serial');
  if (serial !== undefined) props.set('ID_SERIAL_SHORT', serial.replace(/[^\x21-\x7e]/g, '_'));
  const product = attr('product');
  if (product !== undefined) props.set('ID_MODEL', product.trim().replace(/[^\x21-\x7e]/g, '_'));
  if (db !== null && vendorId !== undefined) {
    const v = db.vendors.get(vendorId.toLowerCase());
    if (v !== undefined) props.set('ID_VENDOR_FROM_DATABASE', v);
    const m =
      modelId !== undefined
        ? db.devices.get(`${vendorId.toLowerCase()}:${modelId.toLowerCase()}`)
        : undefined;
    if (m !== undefined) props.set('ID_MODEL_FROM_DATABASE', m);
  }
  return props;
}

export function usbDeviceRow(syspath: string, db: IdsDatabase | null): Row | null {
  const p = usbProperties(syspath, db);
  const get = (k: string) => p.get(k) ?? '';
  const busnum = get('BUSNUM');
  const devnum = get('DEVNUM');
  // Interfaces (and anything without bus/device numbers) are not devices.
  if (busnum === '' || devnum === '') return null;
  const classInfo = get('TYPE').split('/');
  const removable = sysAttr(`${syspath}/removable`);
  return {
    usb_address: Number(busnum),
    usb_port: Number(devnum),
    vendor: get('ID_VENDOR_FROM_DATABASE'),
    vendor_id: get('ID_VENDOR_ID'),
    version: get('ID_REVISION'),
    model: get('ID_MODEL_FROM_DATABASE') || get('ID_MODEL'),
    model_id: get('ID_MODEL_ID'),
    serial: get('ID_SERIAL_SHORT'),
    class: classInfo.length === 3 ? classInfo[0] : '',
    subclass: classInfo.length === 3 ? classInfo[1] : '',
    protocol: classInfo.length === 3 ? classInfo[2] : '',
    // osquery reports 1 for any known state ("fixed" included) and -1 for "unknown".
    removable: removable === 'unknown' ? -1 : 1,
  };
}

export const usbDevices = defineTable({
  name: 'usb_devices',
  columns: {
    usb_address: integer(),
    usb_port: integer(),
    vendor: text(),
    vendor_id: text({ collate: 'nocase' }),
    version: text({ collate: 'version' }),
    model: text(),
    model_id: text({ collate: 'nocase' }),
    serial: text(),
    class: text(),
    subclass: text(),
    protocol: text(),
    removable: integer(),
  },
  generate() {
    const dir = `${overridable('OSQ_SYSFS_ROOT', '/sys')}/bus/usb/devices`;
    const names = listDir(dir);
    if (names.length === 0) return [];
    const db = loadIds(process.env.OSQ_USB_IDS_PATH ? [process.env.OSQ_USB_IDS_PATH] : USB_IDS_PATHS);
    const paths = names.map((n) => canonical(`${dir}/${n}`)).sort();
    return paths.map((p) => usbDeviceRow(p, db)).filter((r): r is Row => r !== null);
  },
});
