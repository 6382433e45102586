// etc_hosts: the entries of /etc/hosts, one row per line; hostnames are the
// names up to a '#' comment, joined by one space.

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, integer, type Row, text } from '../framework.js';

export function parseHosts(content: string): Row[] {
  const rows: Row[] = [];
  for (const line of osquerySplit(content, '\n')) {
    const words = osquerySplit(line);
    if (words.length === 0 || words[0]!.startsWith('#')) continue;
    const row: Row = { address: words[0], pid_with_namespace: 0 };
    if (words.length > 1) {
      const names: string[] = [];
      for (const w of words.slice(1)) {
        if (w.startsWith('#')) break;
        names.push(w);
      }
      row.hostnames = names.join(' ');
    }
    rows.push(row);
  }
  return rows;
}

export const etcHosts = defineTable({
  name: 'etc_hosts',
  aliases: ['hosts'],
  columns: {
    address: text(),
    hostnames: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
  },
  attributes: { cacheable: true },
  generate() {
    // pid_with_namespace (reading another mount namespace's file) is not supported:
    // the host's /etc/hosts is served for every value.
    return parseHosts(readText('/etc/hosts') ?? '');
  },
});
