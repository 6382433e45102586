// md_drives: the member drives of each md array (/sys/block/mdN/md/dev-*), with the
// slot and the state words osquery derives from GET_DISK_INFO; slots no member
// fills are reported as "unknown"/"removed" rows, as osquery does.
import { defineTable, integer, type Row, text } from '../framework.js';
import { type MdMember, mdMembers, mdSysDir, readMdstat } from './mdstat.js';
import { sysAttr } from './util.js';

/** GET_DISK_INFO's state bits in osquery's order, from the sysfs state words. */
export function diskState(m: MdMember): string {
  const words: string[] = [];
  const faulty = m.state.includes('faulty');
  if (faulty) words.push('faulty');
  if (!faulty && m.state.includes('in_sync')) words.push('active', 'sync');
  if (m.state.includes('write_mostly')) words.push('writemostly');
  if (m.state.includes('failfast')) words.push('failfast');
  if (m.state.includes('journal')) words.push('journal');
  // osquery calls an empty state (a spare being rebuilt into the array) "recovering".
  return words.length > 0 ? words.join(' ') : 'recovering';
}

export function mdDriveRows(arrayName: string): Row[] {
  const raidDisks = Number(sysAttr(`${mdSysDir(arrayName)}/raid_disks`)?.trim() ?? 0) || 0;
  const missing = new Set<number>();
  for (let i = 0; i < raidDisks; i++) missing.add(i);
  const rows: Row[] = [];
  const unslotted: Row[] = [];
  for (const m of mdMembers(arrayName)) {
    const r: Row = { md_device_name: arrayName, drive_name: `/dev/${m.name}`, state: diskState(m) };
    if (m.slot >= 0) {
      r.slot = m.slot;
      missing.delete(m.slot);
    } else {
      unslotted.push(r);
    }
    rows.push(r);
  }
  // Free slots go to unslotted members first, then become "removed" rows.
  for (const slot of [...missing].sort((a, b) => a - b)) {
    const r = unslotted.shift();
    if (r !== undefined) r.slot = slot;
    else rows.push({ md_device_name: arrayName, drive_name: 'unknown', state: 'removed', slot });
  }
  return rows;
}

export const mdDrives = defineTable({
  name: 'md_drives',
  columns: {
    md_device_name: text(),
    drive_name: text(),
    slot: integer(),
    state: text(),
  },
  generate() {
    return readMdstat().devices.flatMap((d) => mdDriveRows(d.name));
  },
});
