// md_devices: one row per md (software RAID) array: /proc/mdstat for status, size
// and progress lines, /sys/block/mdN/md/ for the counters osquery reads with the
// GET_ARRAY_INFO ioctl. superblock_update_time (the superblock's utime) is not
// exposed by sysfs and stays NULL.

import { isDirectory } from '../../lib/fs.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { levelNumber, mdMembers, mdSysDir, readMdstat } from './mdstat.js';
import { sysAttr } from './util.js';

const num = (v: string | null): number | undefined =>
  v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;

export function mdDeviceRows(): Row[] {
  const stat = readMdstat();
  const rows: Row[] = [];
  for (const dev of stat.devices) {
    const dir = mdSysDir(dev.name);
    // osquery stops at the first array it cannot query.
    if (!isDirectory(dir)) break;
    const members = mdMembers(dev.name);
    const failed = members.filter((m) => m.state.includes('faulty')).length;
    const active = members.filter((m) => m.state.includes('in_sync') && !m.state.includes('faulty')).length;
    const working = members.length - failed;
    const arrayState = sysAttr(`${dir}/array_state`)?.trim() ?? '';
    const bitmap = (sysAttr(`${dir}/bitmap/location`)?.trim() ?? 'none') !== 'none';
    const sbStates: string[] = [];
    if (['clean', 'readonly', 'read-auto', 'inactive'].includes(arrayState)) sbStates.push('clean');
    if (bitmap) sbStates.push('bitmap_present');
    const r: Row = {
      device_name: dev.name,
      status: dev.status,
      raid_level: levelNumber(sysAttr(`${dir}/level`)?.trim() ?? ''),
      size: dev.usableSize,
      chunk_size: num(sysAttr(`${dir}/chunk_size`)),
      raid_disks: num(sysAttr(`${dir}/raid_disks`)),
      nr_raid_disks: members.length,
      working_disks: working,
      active_disks: active,
      failed_disks: failed,
      spare_disks: working - active,
      superblock_state: sbStates.length > 0 ? sbStates.join(' ') : 'unknown',
      superblock_version: sysAttr(`${dir}/metadata_version`)?.trim() ?? '',
    };
    const actions = [
      ['recovery', dev.recovery],
      ['resync', dev.resync],
      ['reshape', dev.reshape],
      ['check_array', dev.checkArray],
    ] as const;
    for (const [prefix, a] of actions) {
      if (a === undefined || a.progress === '') continue;
      r[`${prefix}_progress`] = a.progress;
      r[`${prefix}_finish`] = a.finish;
      r[`${prefix}_speed`] = a.speed;
    }
    if (dev.bitmap !== undefined && dev.bitmap.onMem !== '') {
      r.bitmap_on_mem = dev.bitmap.onMem;
      r.bitmap_chunk_size = dev.bitmap.chunkSize;
      r.bitmap_external_file = dev.bitmap.externalFile;
    }
    r.other = dev.other;
    r.unused_devices = stat.unused;
    rows.push(r);
  }
  return rows;
}

export const mdDevices = defineTable({
  name: 'md_devices',
  columns: {
    device_name: text(),
    status: text(),
    raid_level: integer(),
    size: bigint(),
    chunk_size: bigint(),
    raid_disks: integer(),
    nr_raid_disks: integer(),
    working_disks: integer(),
    active_disks: integer(),
    failed_disks: integer(),
    spare_disks: integer(),
    superblock_state: text(),
    superblock_version: text(),
    superblock_update_time: bigint(),
    bitmap_on_mem: text(),
    bitmap_chunk_size: text(),
    bitmap_external_file: text(),
    recovery_progress: text(),
    recovery_finish: text(),
    recovery_speed: text(),
    resync_progress: text(),
    resync_finish: text(),
    resync_speed: text(),
    reshape_progress: text(),
    reshape_finish: text(),
    reshape_speed: text(),
    check_array_progress: text(),
    check_array_finish: text(),
    check_array_speed: text(),
    unused_devices: text(),
    other: text(),
  },
  generate() {
    return mdDeviceRows();
  },
});
