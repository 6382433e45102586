// Just enough of the ZIP format (APPNOTE.TXT) to pull one member out of a jar:
// find the end-of-central-directory record, walk the central directory for the
// name, then read the member's local header and inflate (method 8) or copy
// (method 0) its data. No ZIP64, encryption or multi-disk archives.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const EOCD_SIG = 0x06054b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** The EOCD record is 22 bytes plus a comment of up to 65535 bytes. */
const EOCD_SEARCH = 22 + 0xffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

function findEocd(fd: number, size: number): Buffer | null {
  const start = Math.max(0, size - EOCD_SEARCH);
  const tail = readAt(fd, start, size - start);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) return tail.subarray(i);
  }
  return null;
}

/** The bytes of member `name`, or null when the file is not a readable zip or lacks it. */
export function readZipMember(file: string, name: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const eocd = findEocd(fd, size);
    if (!eocd) return null;
    const count = eocd.readUInt16LE(10);
    const dirSize = eocd.readUInt32LE(12);
    const dirOffset = eocd.readUInt32LE(16);
    const dir = readAt(fd, dirOffset, dirSize);
    let p = 0;
    for (let i = 0; i < count && p + 46 <= dir.length; i++) {
      if (dir.readUInt32LE(p) !== CDIR_SIG) return null;
      const method = dir.readUInt16LE(p + 10);
      const compressed = dir.readUInt32LE(p + 20);
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      const localOffset = dir.readUInt32LE(p + 42);
      const entryName = dir.toString('utf8', p + 46, p + 46 + nameLen);
      p += 46 + nameLen + extraLen + commentLen;
      if (entryName !== name) continue;
      const local = readAt(fd, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIG) return null;
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const data = readAt(fd, dataStart, compressed);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      return null;
    }
    return null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
