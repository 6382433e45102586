// vscode_extensions: the entries of extensions/extensions.json in each user's
// ~/.vscode, ~/.vscode-server (edition "vscode") and ~/.vscode-insiders,
// ~/.vscode-server-insiders ("vscode_insiders"), for the querying user or the
// `uid =` users.

import { readText } from '../../lib/fs.js';
import { isObject, type Json, tryParseJson } from '../../lib/json.js';
import { contextUsers } from '../accounts/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';

const CONFIG_DIRS: [string, string][] = [
  ['.vscode-server', 'vscode'],
  ['.vscode', 'vscode'],
  ['.vscode-server-insiders', 'vscode_insiders'],
  ['.vscode-insiders', 'vscode_insiders'],
];

const str = (obj: Record<string, Json>, key: string): string | undefined =>
  typeof obj[key] === 'string' ? (obj[key] as string) : undefined;

/** The rows of one extensions.json (an array of installed extensions). */
export function extensionRows(uid: number, edition: string, content: string): Row[] {
  const doc = tryParseJson(content);
  if (!Array.isArray(doc)) return [];
  const rows: Row[] = [];
  for (const ext of doc) {
    if (!isObject(ext)) continue;
    const { identifier, metadata, location } = ext;
    if (!isObject(identifier) || !isObject(metadata) || !isObject(location)) continue;
    const r: Row = { uid, vscode_edition: edition };
    r.name = str(identifier, 'id');
    r.uuid = str(identifier, 'uuid');
    r.version = str(ext, 'version');
    r.path = str(location, 'path');
    r.publisher = str(metadata, 'publisherDisplayName');
    r.publisher_id = str(metadata, 'publisherId');
    const installed = metadata.installedTimestamp;
    if (typeof installed === 'number' && Number.isInteger(installed)) r.installed_at = installed;
    if (typeof metadata.isPreReleaseVersion === 'boolean')
      r.prerelease = metadata.isPreReleaseVersion ? 1 : 0;
    rows.push(r);
  }
  return rows;
}

export const vscodeExtensions = defineTable({
  name: 'vscode_extensions',
  attributes: { user_data: true },
  columns: {
    name: text(),
    uuid: text({ collate: 'nocase' }),
    version: text({ collate: 'version' }),
    path: text(),
    publisher: text(),
    publisher_id: text(),
    installed_at: bigint(),
    prerelease: integer(),
    uid: bigint({ additional: true, optimized: true }),
    vscode_edition: text(),
  },
  generate(ctx) {
    // osquery walks a set ordered by (uid as text, folder path).
    const dirs: [string, string, number, string][] = [];
    for (const user of contextUsers(ctx)) {
      for (const [name, edition] of CONFIG_DIRS)
        dirs.push([String(user.uid), `${user.dir}/${name}`, user.uid, edition]);
    }
    dirs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
    const rows: Row[] = [];
    for (const [, dir, uid, edition] of dirs) {
      const content = readText(`${dir}/extensions/extensions.json`);
      if (content !== null) rows.push(...extensionRows(uid, edition, content));
    }
    return rows;
  },
});
