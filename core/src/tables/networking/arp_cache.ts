// arp_cache: the kernel's IPv4 neighbour table from /proc/net/arp, parsed the way
// osquery does (lines of exactly six fields; "0x6" = ATF_COM|ATF_PERM is permanent).

import { readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { defineTable, type Row, text } from '../framework.js';

export const arpCache = defineTable({
  name: 'arp_cache',
  columns: {
    address: text(),
    mac: text({ collate: 'nocase' }),
    interface: text(),
    permanent: text(),
  },
  generate() {
    const rows: Row[] = [];
    const lines = (readText('/proc/net/arp') ?? '').split('\n').slice(1);
    for (const line of lines) {
      // IP address, HW type, Flags, HW address, Mask, Device
      const f = osquerySplit(line, ' ');
      if (f.length !== 6) continue;
      rows.push({ address: f[0], mac: f[3], interface: f[5], permanent: f[2] === '0x6' ? '1' : '0' });
    }
    return rows;
  },
});
