// kernel_modules: loadable modules from /proc/modules (empty on kernels without modules).

import { readText } from '../../lib/fs.js';
import { splitNonBlank } from '../../lib/split.js';
import { bigint, defineTable, type Row, text } from '../framework.js';

export const PROC_MODULES = '/proc/modules';

/**
 * One row per well-formed /proc/modules line:
 * "name size refcount used_by, state address" (used_by is "-" or "a,b,").
 */
export function parseModules(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of content.split('\n')) {
    const f = splitNonBlank(line, ' ').map((d) => (d.endsWith(',') ? d.slice(0, -1) : d));
    if (f.length < 6) continue;
    rows.push({ name: f[0], size: Number(f[1]), used_by: f[3], status: f[4], address: f[5] });
  }
  return rows;
}

export const kernelModules = defineTable({
  name: 'kernel_modules',
  columns: {
    name: text(),
    size: bigint(),
    used_by: text(),
    status: text(),
    address: text(),
  },
  generate() {
    const content = readText(PROC_MODULES);
    return content === null ? [] : parseModules(content);
  },
});
