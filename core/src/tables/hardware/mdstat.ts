// Parser of /proc/mdstat (the Linux md driver's status file, format documented in
// the kernel's Documentation/admin-guide/md.rst and drivers/md/md.c md_seq_show)
// and the sysfs view of each array (/sys/block/mdN/md/, same document), shared by
// md_devices, md_drives and md_personalities.
//
// osquery asks the md driver with ioctls (GET_ARRAY_INFO / GET_DISK_INFO), which
// Node cannot issue; the same counters are derived from sysfs instead.
// OSQ_MDSTAT_PATH and OSQ_SYSFS_ROOT point the tables at fixtures.

import { listDir, readText } from '../../lib/fs.js';
import { overridable, sysAttr } from './util.js';

export interface MdAction {
  progress: string;
  finish: string;
  speed: string;
}

export interface MdDevice {
  name: string;
  status: string;
  raidLevel: string;
  /** The drive words of the device line, e.g. "sdb1[1](F)". */
  drives: string[];
  usableSize?: number;
  other: string;
  recovery?: MdAction;
  resync?: MdAction;
  reshape?: MdAction;
  checkArray?: MdAction;
  bitmap?: { onMem: string; chunkSize: string; externalFile: string };
}

export interface MdStat {
  personalities: string[];
  devices: MdDevice[];
  unused: string;
}

const words = (s: string) =>
  s
    .split(' ')
    .map((w) => w.trim())
    .filter((w) => w !== '');

/** "12.6% (1234/5678) finish=1.2min speed=1000K/sec" */
function parseAction(line: string): MdAction | undefined {
  const p = words(line);
  if (p.length !== 4) return undefined;
  return {
    progress: `${p[0]} ${p[1]}`,
    finish: p[2]!.replace(/^finish=/, ''),
    speed: p[3]!.replace(/^speed=/, ''),
  };
}

/** The text after `term` in `line`, or null when absent (or nothing follows). */
function after(line: string, term: string): string | null {
  const at = line.indexOf(term);
  return at >= 0 && line.length > at + term.length ? line.slice(at + term.length).trim() : null;
}

/** Apply a recovery/resync/reshape/check/bitmap line to `dev`; false for any other line. */
function applyStatusLine(dev: MdDevice, line: string): boolean {
  const actions: [string, (v: string) => void][] = [
    ['recovery =', (v) => (dev.recovery = parseAction(v))],
    ['resync =', (v) => (dev.resync = parseAction(v))],
    // "resync=DELAYED" / "resync=PENDING": only a progress word.
    ['resync=', (v) => (dev.resync = { progress: v, finish: '', speed: '' })],
    ['reshape =', (v) => (dev.reshape = parseAction(v))],
    ['check =', (v) => (dev.checkArray = parseAction(v))],
    ['bitmap:', (v) => (dev.bitmap = parseBitmap(v) ?? dev.bitmap)],
  ];
  for (const [term, apply] of actions) {
    const v = after(line, term);
    if (v !== null) {
      apply(v);
      return true;
    }
  }
  return false;
}

/** "0/1 pages [0KB], 65536KB chunk, file: /path" */
function parseBitmap(v: string): MdDevice['bitmap'] {
  const parts = v.split(',').map((x) => x.trim());
  if (parts.length < 2) return undefined;
  const file = parts[2]?.indexOf('file:') ?? -1;
  return {
    onMem: parts[0]!,
    chunkSize: parts[1]!,
    externalFile: file >= 0 ? parts[2]!.slice(file + 5).trim() : '',
  };
}

export function parseMdstat(text: string): MdStat {
  const lines = text.split('\n').map((l) => l.trim());
  const result: MdStat = { personalities: [], devices: [], unused: '' };
  let n = 0;
  if (lines[0]?.includes('Personalities :')) {
    const rest = lines[0].slice(lines[0].indexOf('Personalities :') + 'Personalities :'.length);
    for (const p of words(rest)) if (p.length > 2) result.personalities.push(p.slice(1, -1));
    n = 1;
  }
  while (n < lines.length) {
    const line = lines[n]!;
    if (line.length < 2) {
      n++;
      continue;
    }
    if (line.startsWith('md')) {
      const colon = line.indexOf(':');
      if (colon < 0) {
        n++;
        continue;
      }
      const settings = words(line.slice(colon + 1));
      const dev: MdDevice = {
        name: line.slice(0, colon).trim(),
        status: '',
        raidLevel: '',
        drives: [],
        other: '',
      };
      if (settings.length >= 2) {
        dev.status = settings[0]!;
        dev.raidLevel = settings[1]!;
        dev.drives = settings.slice(2);
      }
      // The next line: "<blocks> blocks [super x.y] [chunk] [n/m] [UU_]".
      const config = words(lines[n + 1] ?? '');
      if (config.length >= 4) {
        if (config[1] === 'blocks' && /^\d+$/.test(config[0]!)) dev.usableSize = Number(config[0]);
        dev.other = config.slice(2, -2).join(' ');
      }
      n += 2;
      // Progress and bitmap lines that belong to this array.
      while (n < lines.length && applyStatusLine(dev, lines[n]!)) n++;
      result.devices.push(dev);
      continue;
    }
    if (line.startsWith('un') && line.length > 'unused devices:'.length) {
      result.unused = line.slice('unused devices:'.length).trim();
    }
    n++;
  }
  return result;
}

export function readMdstat(): MdStat {
  return parseMdstat(readText(overridable('OSQ_MDSTAT_PATH', '/proc/mdstat')) ?? '');
}

/** The md/ directory of an array in sysfs. */
export function mdSysDir(name: string): string {
  return `${overridable('OSQ_SYSFS_ROOT', '/sys')}/block/${name}/md`;
}

export interface MdMember {
  /** Kernel name of the component, e.g. "sdb1". */
  name: string;
  /** The comma-separated words of dev-X/state: in_sync, faulty, spare, write_mostly, ... */
  state: string[];
  /** dev-X/slot: the raid slot, or -1 ("none") for spares and failed members. */
  slot: number;
}

export function mdMembers(name: string): MdMember[] {
  const dir = mdSysDir(name);
  return listDir(dir)
    .filter((e) => e.startsWith('dev-'))
    .map((e) => {
      const slot = sysAttr(`${dir}/${e}/slot`)?.trim() ?? 'none';
      return {
        name: e.slice(4),
        state: (sysAttr(`${dir}/${e}/state`) ?? '')
          .trim()
          .split(',')
          .filter((s) => s !== ''),
        slot: /^\d+$/.test(slot) ? Number(slot) : -1,
      };
    });
}

/** md's level names to the numbers of GET_ARRAY_INFO (linux/raid/md_u.h LEVEL_*). */
export function levelNumber(level: string): number | undefined {
  const named: Record<string, number> = { linear: -1, multipath: -4, faulty: -5, container: -100 };
  if (level in named) return named[level];
  const m = /^raid(\d+)$/.exec(level);
  return m ? Number(m[1]) : undefined;
}
