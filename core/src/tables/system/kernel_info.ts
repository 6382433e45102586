// kernel_info: the running kernel's version (/proc/version) and boot arguments
// (/proc/cmdline, with BOOT_IMAGE= as path and root= as device).

import { readText } from '../../lib/fs.js';
import { splitNonBlank } from '../../lib/split.js';
import { defineTable, type Row, text } from '../framework.js';

/** path, device and the remaining arguments from a kernel command line. */
export function parseCmdline(cmdline: string): Row {
  const row: Row = {};
  const rest: string[] = [];
  for (const arg of splitNonBlank(cmdline, ' ')) {
    if (arg.startsWith('BOOT_IMAGE=')) row.path = arg.slice('BOOT_IMAGE='.length);
    else if (arg.startsWith('root=')) row.device = arg.slice('root='.length);
    else rest.push(arg);
  }
  row.arguments = rest.join(' ');
  return row;
}

/** "Linux version 6.1.0-18-amd64 (...) ..." -> "6.1.0-18-amd64". */
export function parseVersion(signature: string): string | undefined {
  const words = splitNonBlank(signature, ' ');
  return words.length > 2 && words[1] === 'version' ? words[2] : undefined;
}

export const kernelInfo = defineTable({
  name: 'kernel_info',
  attributes: { cacheable: true },
  columns: {
    version: text({ collate: 'version' }),
    arguments: text(),
    path: text(),
    device: text(),
  },
  generate() {
    const cmdline = readText('/proc/cmdline');
    const row: Row = cmdline === null ? {} : parseCmdline(cmdline);
    const signature = readText('/proc/version');
    if (signature !== null) row.version = parseVersion(signature);
    return [row];
  },
});
