// ulimit_info: the resource limits of this process (getrlimit), read from
// /proc/self/limits since Node has no getrlimit. Types are osquery's short
// names, listed alphabetically; RLIM_INFINITY reads "unlimited".

import { readText } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';

/** /proc/<pid>/limits row titles by osquery's resource name. */
const LIMIT_TITLES: Record<string, string> = {
  as: 'Max address space',
  core: 'Max core file size',
  cpu: 'Max cpu time',
  data: 'Max data size',
  fsize: 'Max file size',
  locks: 'Max file locks',
  memlock: 'Max locked memory',
  msgqueue: 'Max msgqueue size',
  nice: 'Max nice priority',
  nofile: 'Max open files',
  nproc: 'Max processes',
  rss: 'Max resident set',
  rtprio: 'Max realtime priority',
  sigpending: 'Max pending signals',
  stack: 'Max stack size',
};

/** Rows from the text of a limits file. */
export function parseLimits(content: string): Row[] {
  const byTitle = new Map<string, [string, string]>();
  for (const line of content.split('\n')) {
    // Columns: a 26-character title, then soft, hard and unit separated by blanks.
    const title = line.slice(0, 26).trim();
    const [soft, hard] = line.slice(26).trim().split(/\s+/);
    if (title !== '' && soft !== undefined && hard !== undefined) byTitle.set(title, [soft, hard]);
  }
  const rows: Row[] = [];
  for (const type of Object.keys(LIMIT_TITLES).sort()) {
    const limits = byTitle.get(LIMIT_TITLES[type] as string);
    if (limits) rows.push({ type, soft_limit: limits[0], hard_limit: limits[1] });
  }
  return rows;
}

export const ulimitInfo = defineTable({
  name: 'ulimit_info',
  columns: {
    type: text(),
    soft_limit: text(),
    hard_limit: text(),
  },
  generate() {
    return parseLimits(readText('/proc/self/limits') ?? '');
  },
});
