// Readers of the pci.ids / usb.ids databases (Debian packages pci.ids and usb.ids,
// pulled in by pciutils / usbutils): vendor, device and subsystem names, and the
// device class names udev's hwdb derives from the same files.

import { readText } from '../../lib/fs.js';
import { firstExisting } from './util.js';

export interface IdsDatabase {
  /** vendor id (lowercase hex) -> name */
  vendors: Map<string, string>;
  /** "vendor:device" -> name */
  devices: Map<string, string>;
  /** "vendor:device:subvendor subdevice" -> name */
  subsystems: Map<string, string>;
  /** class id (2 hex digits) -> name */
  classes: Map<string, string>;
  /** "class:subclass" -> name */
  subclasses: Map<string, string>;
}

function emptyDb(): IdsDatabase {
  return {
    vendors: new Map(),
    devices: new Map(),
    subsystems: new Map(),
    classes: new Map(),
    subclasses: new Map(),
  };
}

/**
 * Parse pci.ids/usb.ids text. Vendor lines start at column 0 ("1af4  Red Hat, Inc."),
 * device lines with one tab, subsystem lines with two; the class section starts
 * with "C xx  Name". Like osquery, the first entry for a key wins and the vendor
 * list ends at the "ffff" pseudo-vendor.
 */
export function parseIds(text: string): IdsDatabase {
  const db = emptyDb();
  let vendor: string | null = null;
  let device: string | null = null;
  let cls: string | null = null;
  let inVendors = true;
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).replace(/\s+$/, '');
    if (line === '') continue;
    const classHead = /^C ([0-9a-f]{2})\s+(.*)$/.exec(line);
    if (classHead) {
      inVendors = false;
      vendor = null;
      cls = classHead[1]!;
      if (!db.classes.has(cls)) db.classes.set(cls, classHead[2]!);
      continue;
    }
    if (/^[0-9a-f]{4}\s/.test(line)) {
      // A new top-level section that is not a vendor (e.g. usb.ids' "AT", "HID").
      cls = null;
      if (!inVendors) continue;
      vendor = line.slice(0, 4);
      device = null;
      if (vendor === 'ffff') {
        inVendors = false;
        vendor = null;
        continue;
      }
      if (!db.vendors.has(vendor)) db.vendors.set(vendor, line.slice(4).trim());
      continue;
    }
    if (/^[A-Z]+ /.test(line)) {
      // Other usb.ids sections (AT, HID, R, BIAS, PHY, HUT, L, HCC, VT): stop vendor parsing.
      inVendors = false;
      vendor = null;
      cls = null;
      continue;
    }
    const sub = /^\t\t([0-9a-f]{4}) ([0-9a-f]{4})\s+(.*)$/.exec(line);
    if (sub && vendor !== null && device !== null) {
      const key = `${vendor}:${device}:${sub[1]} ${sub[2]}`;
      if (!db.subsystems.has(key)) db.subsystems.set(key, sub[3]!.trim());
      continue;
    }
    const dev = /^\t([0-9a-f]{2,4})\s+(.*)$/.exec(line);
    if (dev) {
      if (vendor !== null && dev[1]!.length === 4) {
        device = dev[1]!;
        const key = `${vendor}:${device}`;
        if (!db.devices.has(key)) db.devices.set(key, dev[2]!.trim());
      } else if (cls !== null && dev[1]!.length === 2) {
        const key = `${cls}:${dev[1]}`;
        if (!db.subclasses.has(key)) db.subclasses.set(key, dev[2]!.trim());
      }
    }
  }
  return db;
}

const cache = new Map<string, { db: IdsDatabase; text: string }>();

/** The parsed database at the first existing path, or null when none is installed. */
export function loadIds(paths: readonly string[]): IdsDatabase | null {
  const path = firstExisting(paths);
  if (path === null) return null;
  const text = readText(path);
  if (text === null) return null;
  const hit = cache.get(path);
  if (hit !== undefined && hit.text.length === text.length) return hit.db;
  const db = parseIds(text);
  cache.set(path, { db, text });
  return db;
}
