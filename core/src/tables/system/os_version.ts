// os_version: the distribution from /etc/os-release (and the older redhat/gentoo
// release files), plus the machine architecture.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { readLink, readText } from '../../lib/fs.js';
import { splitNonBlank } from '../../lib/split.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { toInt } from './util.js';

const OS_RELEASE_COLUMNS: Record<string, string> = {
  NAME: 'name',
  VERSION: 'version',
  BUILD_ID: 'build',
  ID: 'platform',
  ID_LIKE: 'platform_like',
  VERSION_CODENAME: 'codename',
  VERSION_ID: '_id',
};

/** Apply the os-release `content` to `row` (columns as osquery maps them). */
export function applyOsRelease(row: Row, content: string): void {
  for (const line of content.split('\n')) {
    // "KEY=value": osquery splits on '=', trims the pieces and drops empty ones.
    const pieces = splitNonBlank(line, '=');
    if (pieces.length < 2) continue;
    const key = pieces[0]!;
    let value = pieces.slice(1).join('=');
    // Any other *CODENAME* key (UBUNTU_CODENAME, ...) also lands in codename.
    const column = OS_RELEASE_COLUMNS[key] ?? (key.includes('CODENAME') ? 'codename' : undefined);
    if (column === undefined) continue;
    if (value.startsWith('"')) value = value.slice(1, -1);
    if (column !== '_id') {
      row[column] = value;
      continue;
    }
    // VERSION_ID "22.04.1" gives major, minor, patch.
    const parts = splitNonBlank(value, '.');
    const [major, minor, ...rest] = parts;
    if (major !== undefined) row.major = toInt(major);
    if (minor !== undefined) row.minor = toInt(minor);
    if (rest.length > 0) row.patch = toInt(rest.join('.'));
  }
}

/** Older Red Hat style "CentOS release 6.10 (Final)" files. */
function applyLegacyRelease(row: Row, content: string): void {
  const text = content.trim().replace(/\s+/g, ' ');
  const m = /([\w+\s]+) .* ([0-9]+)\.([0-9]+)\.?(\w+)?/.exec(text);
  if (m) {
    row.name = m[1];
    row.major = toInt(m[2]);
    row.minor = toInt(m[3]);
    row.patch = m[4] === undefined || m[4] === '' ? 0 : toInt(m[4]);
  }
  row.version = text;
  row.build = '';
}

function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}

/** The os_version row as seen from `root` ('' for this process's own filesystem). */
function genOsVersion(root: string): Row {
  const row: Row = {
    name: 'Unknown',
    major: 0,
    minor: 0,
    patch: 0,
    platform: 'posix',
    pid_with_namespace: 0,
  };
  const osRelease = readText(`${root}/etc/os-release`);
  // Some distributions (Funtoo) ship an empty os-release.
  if (osRelease !== null && fileSize(`${root}/etc/os-release`) > 0) applyOsRelease(row, osRelease);
  row.arch = os.machine();

  let legacy = readText(`${root}/etc/redhat-release`);
  if (legacy !== null) {
    row.platform = 'rhel';
    row.platform_like = 'rhel';
  } else {
    legacy = readText(`${root}/etc/gentoo-release`);
    if (legacy === null) return row;
    row.platform = 'gentoo';
    row.platform_like = 'gentoo';
  }
  applyLegacyRelease(row, legacy);
  return row;
}

export const osVersion = defineTable({
  name: 'os_version',
  columns: {
    name: text(),
    version: text({ collate: 'version' }),
    major: integer(),
    minor: integer(),
    patch: integer(),
    build: text(),
    platform: text(),
    platform_like: text(),
    codename: text(),
    arch: text(),
    extra: text({ platforms: ['darwin'] }),
    install_date: bigint({ platforms: ['windows'] }),
    revision: integer({ platforms: ['windows'] }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const pids = ctx.integerEquals('pid_with_namespace').filter((p) => p > 0);
    if (pids.length === 0) return [genOsVersion('')];
    // osquery enters each process's mount namespace; reading through its /proc
    // root gives the same files.
    return [...new Set(pids)].map((pid) => {
      const row = genOsVersion(`/proc/${pid}/root`);
      row.pid_with_namespace = pid;
      const ns = /\[(\d+)\]/.exec(readLink(`/proc/${pid}/ns/mnt`) ?? '');
      row.mount_namespace_id = ns?.[1] ?? '';
      return row;
    });
  },
});
