// selinux_settings: the state exposed by selinuxfs: the root keys (enforce,
// mls, policyvers, ...), the booleans (on/off), the policy capabilities, the
// initial contexts, and every permission of every class. No rows when selinuxfs
// is not mounted. OSQ_SELINUXFS_ROOT points the table at a copy of the tree.

import { listFilesInDirectory, listFilesRecursive, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, type Row, text } from '../framework.js';

const ROOT_KEYS = ['checkreqprot', 'deny_unknown', 'enforce', 'mls', 'policyvers', 'reject_unknown'];
const SCOPES = ['booleans', 'policy_capabilities', 'initial_contexts'];

/** Where selinuxfs is mounted (from /proc/mounts), or '' when it is not. */
export function selinuxfsMount(): string {
  for (const line of osquerySplit(readText('/proc/mounts') ?? '', '\n')) {
    const f = line.split(' ');
    if (f[2] === 'selinuxfs' && f[1] !== undefined) return f[1].replace(/\\040/g, ' ');
  }
  return '';
}

function isDirectoryPath(path: string): boolean {
  return path.endsWith('/');
}

/** A booleans file reads "<current> <pending>"; only settled values are reported. */
function booleanValue(raw: string): string | null {
  if (raw === '0 0') return 'off';
  if (raw === '1 1') return 'on';
  return null;
}

function scopeRows(root: string, scope: string): Row[] {
  const rows: Row[] = [];
  for (const path of listFilesRecursive(`${root}/${scope}`)) {
    if (isDirectoryPath(path)) continue;
    const key = path.slice(path.lastIndexOf('/') + 1);
    if (key === '') continue;
    const raw = readText(`${root}/${scope}/${key}`);
    if (raw === null) continue;
    const value = scope === 'booleans' ? booleanValue(raw) : raw;
    if (value === null) continue;
    rows.push({ scope, key, value });
  }
  return rows;
}

/** class/<name>/perms/<perm> files become (class, "<name>/perms", <perm>); index files are skipped. */
function classRows(root: string): Row[] {
  const classRoot = `${root}/class`;
  const rows: Row[] = [];
  for (const path of listFilesRecursive(classRoot)) {
    const slash = path.lastIndexOf('/');
    const value = path.slice(slash + 1);
    if (value === '' || value === 'index') continue;
    rows.push({ scope: 'class', key: path.slice(classRoot.length + 1, slash), value });
  }
  return rows;
}

export function selinuxRows(root: string): Row[] {
  const rows: Row[] = [];
  for (const key of ROOT_KEYS) {
    // A root key is listed even when it cannot be read (its value is then NULL).
    const row: Row = { scope: '', key };
    const value = readText(`${root}/${key}`);
    if (value !== null) row.value = value;
    rows.push(row);
  }
  for (const scope of SCOPES) rows.push(...scopeRows(root, scope));
  rows.push(...classRows(root));
  return rows;
}

export const selinuxSettings = defineTable({
  name: 'selinux_settings',
  columns: {
    scope: text(),
    key: text(),
    value: text(),
  },
  generate() {
    const root = process.env.OSQ_SELINUXFS_ROOT ?? selinuxfsMount();
    if (root === '' || listFilesInDirectory(root) === null) return [];
    return selinuxRows(root.replace(/\/+$/, ''));
  },
});
