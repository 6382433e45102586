// Shared helpers of the hardware tables: sysfs attributes, the udev database
// (what libudev adds on top of sysfs), and the environment overrides that let
// tests point a table at a fixture instead of the host.
import { isFile, readText } from '../../lib/fs.js';

/** A sysfs attribute with the trailing newline removed, or null when absent. */
export function sysAttr(path: string): string | null {
  const v = readText(path);
  return v === null ? null : v.replace(/\n$/, '');
}

/** KEY=value lines (a sysfs uevent file) as a map. */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

/** The properties of a device's uevent file (DEVNAME, MAJOR, PCI_ID, ...). */
export function ueventOf(syspath: string): Map<string, string> {
  return parseKeyValues(readText(`${syspath}/uevent`) ?? '');
}

/**
 * The properties udev recorded for a device (its "E:" lines in /run/udev/data),
 * e.g. ID_MODEL or ID_VENDOR_FROM_DATABASE. `id` is udev's device id: "b254:0"
 * for a block device, "c189:1" for a character device, "+pci:0000:00:01.0" for
 * others. Empty when udevd is not running (containers, minimal VMs).
 */
export function udevProperties(id: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = readText(`/run/udev/data/${id}`);
  if (text === null) return out;
  for (const line of text.split('\n')) {
    if (!line.startsWith('E:')) continue;
    const at = line.indexOf('=');
    if (at > 2) out.set(line.slice(2, at), line.slice(at + 1));
  }
  return out;
}

/** A path under a test override: `$VAR` replaces `path` when set. */
export function overridable(envVar: string, path: string): string {
  const v = process.env[envVar];
  return v !== undefined && v !== '' ? v : path;
}

/** The first of `candidates` that exists as a file, or null. */
export function firstExisting(candidates: readonly string[]): string | null {
  return candidates.find(isFile) ?? null;
}

/** Lowercase hex with a 0x prefix, zero-padded to `width` digits (osquery's toHexStr). */
export function hex(n: number | bigint, width = 4): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}
