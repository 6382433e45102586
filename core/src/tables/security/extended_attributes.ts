// extended_attributes: the extended attributes of the files named by `path`
// (= or LIKE; on Linux osquery ignores `directory`). Node has no getxattr, so
// the attributes are read with `getfattr` (Debian package `attr`); without it
// the table has no rows. Values that are NUL-terminated printable text are shown
// as text, anything else base64-encoded (base64 = 1); security.capability is
// decoded into libcap's text form (e.g. "cap_net_raw=ep").
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { constrainedPaths, parentPath } from '../files/util.js';
import { defineTable, integer, Op, type Row, text } from '../framework.js';

const CAPABILITY_XATTR = 'security.capability';

/** Capability names by bit number (linux/capability.h). */
const CAP_NAMES = [
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
].map((n) => `cap_${n}`);

const EFF = 1;
const PER = 2;
const INH = 4;

function flagText(flags: number): string {
  return (flags & EFF ? 'e' : '') + (flags & INH ? 'i' : '') + (flags & PER ? 'p' : '');
}

/**
 * libcap's cap_to_text for a file capability (struct vfs_cap_data), or null
 * when the value is not one. The most common flag combination becomes the base
 * ("=ep" for all capabilities); the others are listed as changes to it.
 */
export function capabilityText(value: Buffer): string | null {
  if (value.length < 4) return null;
  const magic = value.readUInt32LE(0);
  const revision = magic & 0xff000000;
  const words = revision === 0x01000000 ? 1 : revision === 0x02000000 || revision === 0x03000000 ? 2 : 0;
  if (words === 0 || value.length < 4 + words * 8) return null;
  const effective = (magic & 1) !== 0;
  const flagsOf = (bit: number): number => {
    const word = bit >> 5;
    if (word >= words) return 0;
    const mask = 1 << (bit & 31);
    const permitted = (value.readUInt32LE(4 + word * 8) & mask) !== 0;
    const inheritable = (value.readUInt32LE(8 + word * 8) & mask) !== 0;
    return (
      (permitted ? PER : 0) | (inheritable ? INH : 0) | (effective && (permitted || inheritable) ? EFF : 0)
    );
  };
  const groups = new Map<number, string[]>();
  for (let bit = 0; bit < CAP_NAMES.length; bit++) {
    const f = flagsOf(bit);
    groups.set(f, [...(groups.get(f) ?? []), CAP_NAMES[bit] as string]);
  }
  let base = 0;
  for (const [f, names] of groups) if (names.length > (groups.get(base)?.length ?? 0)) base = f;
  const clauses: string[] = base === 0 ? [] : [`=${flagText(base)}`];
  for (let f = 7; f >= 0; f--) {
    const names = groups.get(f);
    if (f === base || !names) continue;
    if (base === 0) {
      clauses.push(`${names.join(',')}=${flagText(f)}`);
      continue;
    }
    const add = flagText(f & ~base);
    const drop = flagText(base & ~f);
    clauses.push(names.join(',') + (add ? `+${add}` : '') + (drop ? `-${drop}` : ''));
  }
  return clauses.join(' ');
}

/** Parse `getfattr -d -m - -e base64` output into (name, raw value) pairs. */
export function parseGetfattr(output: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const line of output.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    // A name alone means an empty value.
    if (eq === -1) {
      out.push([line, Buffer.alloc(0)]);
      continue;
    }
    const name = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.startsWith('0s')) out.push([name, Buffer.from(value.slice(2), 'base64')]);
    else if (value.startsWith('0x')) out.push([name, Buffer.from(value.slice(2), 'hex')]);
    else {
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      out.push([name, Buffer.from(value)]);
    }
  }
  return out;
}

/** The extended attributes of `path` (following symlinks); null when they cannot be read. */
function readXattrs(path: string): [string, Buffer][] | null {
  const r = spawnSync('getfattr', ['-d', '-m', '-', '--absolute-names', '-e', 'base64', '--', path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (r.error || r.status !== 0) return null;
  return parseGetfattr(r.stdout);
}

const isPrintable = (b: number): boolean => b >= 0x20 && b < 0x7f;

/** Rows for one file, in osquery's form. */
export function xattrRows(path: string, attrs: [string, Buffer][]): Row[] {
  const base: Row = { path, directory: parentPath(path) };
  const rows: Row[] = [];
  const cap = attrs.find(([k]) => k === CAPABILITY_XATTR);
  const capText = cap ? capabilityText(cap[1]) : null;
  if (capText) rows.push({ ...base, key: CAPABILITY_XATTR, value: capText, base64: 0 });
  for (const [key, value] of attrs) {
    if (key === CAPABILITY_XATTR && capText) continue;
    if (value.length === 0) {
      rows.push({ ...base, key, value: '', base64: 1 });
      continue;
    }
    // Text must end in its NUL terminator and be printable before it; the
    // terminator is dropped before encoding, as osquery does.
    const terminated = value[value.length - 1] === 0;
    const body = terminated ? value.subarray(0, value.length - 1) : value;
    const printable = terminated && body.every(isPrintable);
    rows.push(
      printable
        ? { ...base, key, value: body.toString('latin1'), base64: 0 }
        : { ...base, key, value: value.toString('base64'), base64: 1 },
    );
  }
  return rows;
}

export const extendedAttributes = defineTable({
  name: 'extended_attributes',
  columns: {
    path: text({ required: true, optimized: true }),
    directory: text({ required: true, optimized: true }),
    key: text(),
    value: text(),
    base64: integer(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const path of constrainedPaths(ctx.equals('path'), ctx.valuesFor('path', Op.LIKE), 'all')) {
      try {
        lstatSync(path);
      } catch {
        continue; // missing files are ignored
      }
      const attrs = readXattrs(path);
      if (attrs !== null) rows.push(...xattrRows(path, attrs));
    }
    return rows;
  },
});
