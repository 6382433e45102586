// startup_items: what starts with the system or a session on Linux, as osquery
// lists it: each user's ~/.config/autostart (.desktop Name=/Exec=) and
// ~/.config/autostart-scripts, /etc/init.d scripts, /etc/xdg/autostart, and
// every unit loaded by systemd (status = active state).

import { compareBytes } from '../../lib/bytes.js';
import { listFilesInDirectory, readText } from '../../lib/fs.js';
import { osquerySplit } from '../../lib/split.js';
import { readPasswd } from '../accounts/util.js';
import { defineTable, type Row, text } from '../framework.js';
import { listUnits, unitProperties } from './systemd.js';

const SYSTEM_SCRIPT_DIRS = ['/etc/init.d/'];
const SYSTEM_ITEM_DIRS = ['/etc/xdg/autostart/'];

/** The user a directory under /home belongs to (osquery's only rule for it). */
function userOf(dir: string): string | undefined {
  const parts = osquerySplit(dir, '/');
  return parts.length > 1 && parts[0] === 'home' ? parts[1] : undefined;
}

/** Name= and Exec= of a .desktop file (the last of each wins; values with '=' are skipped). */
export function desktopEntry(content: string): { name?: string; path?: string } {
  const out: { name?: string; path?: string } = {};
  for (const line of osquerySplit(content, '\n')) {
    const details = osquerySplit(line, '=');
    if (details.length !== 2) continue;
    if (line.startsWith('Name=')) out.name = details[1];
    if (line.startsWith('Exec=')) out.path = details[1];
  }
  return out;
}

function itemRows(dir: string): Row[] {
  const username = userOf(dir);
  return (listFilesInDirectory(dir) ?? []).map((file) => {
    const entry = desktopEntry(readText(file) ?? '');
    const row: Row = { ...entry, type: 'Startup Item', source: dir, status: 'enabled' };
    if (username !== undefined) row.username = username;
    return row;
  });
}

function scriptRows(dir: string): Row[] {
  const username = userOf(dir);
  return (listFilesInDirectory(dir) ?? []).map((file) => {
    const row: Row = {
      name: file.slice(file.lastIndexOf('/') + 1),
      path: file,
      type: 'Startup Item',
      source: dir,
      status: 'enabled',
    };
    if (username !== undefined) row.username = username;
    return row;
  });
}

function systemdRows(): Row[] {
  const units = listUnits();
  const props = unitProperties(
    units.map((u) => u.id),
    ['FragmentPath', 'SourcePath', 'User'],
  );
  return units.map((u) => {
    const p = props.get(u.id);
    return {
      name: u.id,
      path: p?.get('FragmentPath') ?? '',
      type: 'systemd unit',
      source: p?.get('SourcePath') ?? '',
      status: u.activeState,
      username: p?.get('User') ?? '',
    };
  });
}

export const startupItems = defineTable({
  name: 'startup_items',
  attributes: { cacheable: true },
  columns: {
    name: text(),
    path: text(),
    args: text(),
    type: text(),
    source: text(),
    status: text(),
    username: text(),
  },
  generate() {
    const rows: Row[] = [];
    const homes = [
      ...new Set(
        readPasswd()
          .map((u) => u.dir)
          .filter((d) => d !== ''),
      ),
    ].sort(compareBytes);
    for (const home of homes) {
      const base = home.endsWith('/') ? home.slice(0, -1) : home;
      rows.push(...itemRows(`${base}/.config/autostart/`));
      rows.push(...scriptRows(`${base}/.config/autostart-scripts/`));
    }
    for (const dir of SYSTEM_SCRIPT_DIRS) rows.push(...scriptRows(dir));
    for (const dir of SYSTEM_ITEM_DIRS) rows.push(...itemRows(dir));
    rows.push(...systemdRows());
    return rows;
  },
});
