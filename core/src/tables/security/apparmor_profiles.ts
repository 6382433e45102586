// apparmor_profiles: the loaded AppArmor profiles and their sub-profiles, from
// securityfs (/sys/kernel/security/apparmor/policy/profiles/<dir>/{name,mode,
// attach,sha1}). A sub-profile's path is "<parent name>//<name>". No rows when
// AppArmor is not enabled. OSQ_APPARMOR_PROFILES points the table at a copy.

import { listDirectoriesInDirectory, pathExists, readText } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';

export const APPARMOR_PROFILES = '/sys/kernel/security/apparmor/policy/profiles';

function readTrimmed(path: string): string | null {
  const text = readText(path);
  return text === null ? null : text.trim();
}

/** One profile directory as a row, or null when one of its files cannot be read. */
function profileRow(dir: string, parentName: string): Row | null {
  const attach = readTrimmed(`${dir}/attach`);
  const mode = readTrimmed(`${dir}/mode`);
  const name = readTrimmed(`${dir}/name`);
  const sha1 = readTrimmed(`${dir}/sha1`);
  if (attach === null || mode === null || name === null || sha1 === null) return null;
  const row: Row = { path: parentName === '' ? name : `${parentName}//${name}`, name, attach, mode, sha1 };
  // Newer kernels also publish a SHA-256 of the policy.
  const sha256 = readTrimmed(`${dir}/sha256`);
  if (sha256 !== null) row.sha256 = sha256;
  return row;
}

export function apparmorRows(profilesDir: string): Row[] {
  const top = listDirectoriesInDirectory(profilesDir);
  if (top === null) return [];
  // A stack of (parent name, profile directory), taken from the end as osquery does.
  const stack: [string, string][] = top.map((d) => ['', d]);
  const rows: Row[] = [];
  while (stack.length > 0) {
    const [parent, dir] = stack.pop() as [string, string];
    const row = profileRow(dir, parent);
    if (row === null) continue;
    const subDir = `${dir}/profiles`;
    if (pathExists(subDir)) {
      const subs = listDirectoriesInDirectory(subDir);
      if (subs === null) continue;
      for (const s of subs) stack.push([String(row.name), s]);
    }
    rows.push(row);
  }
  return rows;
}

export const apparmorProfiles = defineTable({
  name: 'apparmor_profiles',
  columns: {
    path: text({ index: true }),
    name: text(),
    attach: text(),
    mode: text(),
    sha1: text({ collate: 'nocase' }),
    sha256: text({ collate: 'nocase' }),
  },
  generate() {
    const dir = process.env.OSQ_APPARMOR_PROFILES ?? APPARMOR_PROFILES;
    if (!pathExists(dir)) return [];
    return apparmorRows(dir);
  },
});
