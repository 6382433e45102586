// block_devices: every device of the "block" class (/sys/class/block: disks,
// partitions, loop, dm and md devices), as osquery reads them through libudev and
// libblkid. size is in 512-byte sectors (the sysfs "size" attribute), block_size
// the logical block size; type/uuid/label come from probing the device's
// superblock, done here with `blkid -p` (util-linux, as osquery's libblkid).
// Reading another disk's raw content needs root, as in osquery.

import { canonical, listDir } from '../../lib/fs.js';
import { runToolText } from '../../lib/tool.js';
import { bigint, defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { overridable, parseKeyValues, sysAttr, udevProperties, ueventOf } from './util.js';

export interface BlockDevice {
  /** /sys/devices/... path of the device. */
  syspath: string;
  /** /dev/<DEVNAME> */
  devnode: string;
  major: string;
  minor: string;
}

function sysRoot(): string {
  return overridable('OSQ_SYSFS_ROOT', '/sys');
}

/** The block devices in udev's enumeration order (sysfs path order, dm/md last). */
export function listBlockDevices(): BlockDevice[] {
  const dir = `${sysRoot()}/class/block`;
  const out: BlockDevice[] = [];
  for (const name of listDir(dir)) {
    const syspath = canonical(`${dir}/${name}`);
    const uevent = ueventOf(syspath);
    const devname = uevent.get('DEVNAME');
    if (devname === undefined) continue;
    out.push({
      syspath,
      devnode: devname.startsWith('/') ? devname : `/dev/${devname}`,
      major: uevent.get('MAJOR') ?? '',
      minor: uevent.get('MINOR') ?? '',
    });
  }
  // libudev sorts by path and moves device-mapper and md devices after the rest.
  const late = (d: BlockDevice) => /\/block\/(md|dm-)/.test(d.syspath);
  return out.sort((a, b) => Number(late(a)) - Number(late(b)) || (a.syspath < b.syspath ? -1 : 1));
}

/** The superblock probe of a device: TYPE, UUID, LABEL (empty when unknown). */
export function probeDevice(devnode: string): Map<string, string> {
  const out = runToolText('blkid', ['-p', '-o', 'export', devnode], { timeoutMs: 5000, cLocale: true });
  return out === null ? new Map() : parseKeyValues(out);
}

export function blockDeviceRow(dev: BlockDevice, byPath: Map<string, BlockDevice>, probe: boolean): Row {
  const r: Row = { name: dev.devnode };
  // A partition's parent is the disk directory that holds it.
  const parentPath = dev.syspath.slice(0, dev.syspath.lastIndexOf('/'));
  const parent = byPath.get(parentPath);
  if (parent !== undefined) r.parent = parent.devnode;
  const size = sysAttr(`${dev.syspath}/size`);
  if (size !== null) r.size = Number(size);
  const blockSize = sysAttr(`${dev.syspath}/queue/logical_block_size`);
  if (blockSize !== null) r.block_size = Number(blockSize);
  const serial = sysAttr(`${dev.syspath}/device/wwid`);
  if (serial !== null) r.serial = serial;
  const udev = udevProperties(`b${dev.major}:${dev.minor}`);
  const model = udev.get('ID_MODEL_FROM_DATABASE') ?? udev.get('ID_MODEL');
  if (model !== undefined) r.model = model;
  const vendor = sysAttr(`${dev.syspath}/device/vendor`);
  if (vendor !== null) r.vendor = vendor;
  if (probe && size !== '0') {
    const tags = probeDevice(dev.devnode);
    for (const [tag, col] of [
      ['TYPE', 'type'],
      ['UUID', 'uuid'],
      ['LABEL', 'label'],
    ] as const) {
      const v = tags.get(tag);
      if (v !== undefined) r[col] = v;
    }
  }
  return r;
}

/** The rows of the block_devices table (used by disk_encryption too). */
export function blockDeviceRows(ctx: QueryContext | null): Row[] {
  const devices = listBlockDevices();
  const byPath = new Map(devices.map((d) => [d.syspath, d]));
  const names = ctx?.equals('name') ?? [];
  const wanted = names.length > 0 ? new Set(names) : null;
  const probe = ctx === null || ctx.isAnyColumnUsed(['type', 'uuid', 'label']);
  return devices
    .filter((d) => wanted === null || wanted.has(d.devnode))
    .map((d) => blockDeviceRow(d, byPath, probe));
}

export const blockDevices = defineTable({
  name: 'block_devices',
  columns: {
    name: text({ index: true }),
    parent: text(),
    vendor: text(),
    model: text(),
    serial: text(),
    size: bigint(),
    block_size: integer(),
    uuid: text({ collate: 'nocase' }),
    type: text(),
    label: text(),
  },
  generate(ctx) {
    return blockDeviceRows(ctx);
  },
});
