import { runTool } from '../../lib/tool.js';
// The Sleuth Kit, through Debian's `sleuthkit` command-line tools, for the
// device_* tables: mmls lists a device's (or image file's) volume system,
// fsstat/fls/istat/ffind/icat read the file system of one of its partitions.
// osquery links libtsk; the tools print the same structures. Without the tools
// (package sleuthkit not installed) every function here finds nothing.

/** One entry of mmls: a partition address and its place on the device. */
export interface Partition {
  /** TSK's partition address (mmls' first column). */
  addr: number;
  kind: 'meta' | 'unallocated' | 'normal';
  /** TSK_VS_PART_FLAG_*: 1 allocated, 2 unallocated, 4 meta. */
  flags: number;
  start: number;
  length: number;
  description: string;
}

export interface VolumeSystem {
  /** Bytes per unit (sector) of the start/length fields. */
  blockSize: number;
  partitions: Partition[];
}

/** mmls' listing of a device, or undefined when it has no volume system TSK knows. */
export function readVolumes(device: string): VolumeSystem | undefined {
  const out = runTool('mmls', [device]);
  return out ? parseMmls(out.toString('utf8')) : undefined;
}

export function parseMmls(textIn: string): VolumeSystem | undefined {
  const unit = /Units are in (\d+)-byte sectors/.exec(textIn);
  if (!unit) return undefined;
  const partitions: Partition[] = [];
  for (const line of textIn.split('\n')) {
    const m = /^(\d+):\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const slot = m[2] as string;
    const kind = slot === 'Meta' ? 'meta' : /^-+$/.test(slot) ? 'unallocated' : 'normal';
    partitions.push({
      addr: Number(m[1]),
      kind,
      flags: kind === 'meta' ? 4 : kind === 'unallocated' ? 2 : 1,
      start: Number(m[3]),
      length: Number(m[5]),
      description: (m[6] as string).trim(),
    });
  }
  return { blockSize: Number(unit[1]), partitions };
}

/** What fsstat says of a file system at a sector offset. */
export interface FileSystem {
  /** TSK's short type name (fsstat -t), e.g. 'ext4'. */
  type: string;
  blockSize: number;
  blockCount: number;
  inodeCount: number;
  rootInode: number;
  /** TSK_FS_INFO_FLAG_*, as far as fsstat shows them (HAVE_NANOSEC for large ext inodes). */
  flags: number;
}

export function readFileSystem(device: string, sector: number): FileSystem | undefined {
  const typeOut = runTool('fsstat', ['-t', '-o', String(sector), device]);
  const out = runTool('fsstat', ['-o', String(sector), device]);
  if (!typeOut || !out) return undefined;
  const text = out.toString('utf8');
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const inodes = /Inode Range: (\d+) - (\d+)/.exec(text);
  const blocks = /Block Range: (\d+) - (\d+)/.exec(text);
  const type = typeOut.toString('utf8').trim();
  const inodeSize = num(/Inode Size: (\d+)/) ?? 0;
  return {
    type,
    blockSize: num(/Block Size: (\d+)/) ?? num(/Sector Size: (\d+)/) ?? 0,
    blockCount: blocks ? Number(blocks[2]) - Number(blocks[1]) + 1 : 0,
    inodeCount: inodes ? Number(inodes[2]) - Number(inodes[1]) + 1 : 0,
    rootInode: num(/Root Directory: (\d+)/) ?? 0,
    flags: type.startsWith('ext') && inodeSize > 128 ? 2 : 0,
  };
}

/** One file of fls' body-file listing. */
export interface FileEntry {
  path: string;
  inode: number;
  /** TSK's type letter: r regular, d directory, l symlink, b, c, p, s, V virtual, ... */
  typeLetter: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  crtime: number;
}

const PERMISSIONS = 'rwxrwxrwx';

/** "r/rrwsr-xr-T" -> the permission bits with setuid/setgid/sticky. */
export function modeBits(mode: string): number {
  const perms = mode.slice(-9);
  let bits = 0;
  for (let i = 0; i < 9; i++) {
    const c = perms[i] as string;
    if (c !== '-' && c.toLowerCase() === (PERMISSIONS[i] as string)) bits |= 1 << (8 - i);
    if ('sStT'.includes(c)) {
      if (c === 's' || c === 't') bits |= 1 << (8 - i); // executable too
      if (i === 2) bits |= 0o4000;
      if (i === 5) bits |= 0o2000;
      if (i === 8) bits |= 0o1000;
    }
  }
  return bits;
}

/** Every allocated file below the root, from `fls -r -m /` (body format). */
export function listFiles(device: string, sector: number): FileEntry[] {
  const out = runTool('fls', ['-r', '-u', '-m', '/', '-o', String(sector), device]);
  if (!out) return [];
  return parseBody(out.toString('utf8'));
}

/** Body format: MD5|name|inode|mode|uid|gid|size|atime|mtime|ctime|crtime. */
export function parseBody(textIn: string): FileEntry[] {
  const out: FileEntry[] = [];
  for (const line of textIn.split('\n')) {
    const f = line.split('|');
    if (f.length < 11) continue;
    // Names can hold '|': the last nine fields are fixed, the name is the rest.
    const tail = f.slice(-9);
    const name = f.slice(1, -9).join('|');
    const [inode, mode, uid, gid, size, atime, mtime, ctime, crtime] = tail as string[];
    const typeLetter = (mode as string).split('/')[0] ?? '';
    // A symlink's name carries " -> target".
    const path = typeLetter === 'l' ? name.replace(/ -> .*$/, '') : name;
    out.push({
      path,
      inode: Number.parseInt(inode as string, 10),
      typeLetter,
      mode: modeBits(mode as string),
      uid: Number(uid),
      gid: Number(gid),
      size: Number(size),
      atime: Number(atime),
      mtime: Number(mtime),
      ctime: Number(ctime),
      crtime: Number(crtime),
    });
  }
  return out;
}

/** istat's link count of an inode. */
export function linkCount(device: string, sector: number, inode: number): number | undefined {
  const out = runTool('istat', ['-o', String(sector), device, String(inode)]);
  const m = out ? /num of links: (\d+)/i.exec(out.toString('utf8')) : null;
  return m ? Number(m[1]) : undefined;
}

/** The contents of an inode (icat), or undefined when it cannot be read. */
export function readInode(
  device: string,
  sector: number,
  inode: number,
  maxBytes: number,
): Buffer | undefined {
  return (
    runTool('icat', ['-o', String(sector), device, String(inode)], { maxBuffer: maxBytes + 1 }) ?? undefined
  );
}

/** The partition of `device` with TSK address `addr`. */
export function findPartition(device: string, addr: string): Partition | undefined {
  return readVolumes(device)?.partitions.find((p) => String(p.addr) === addr);
}
