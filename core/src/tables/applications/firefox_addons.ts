// firefox_addons: the add-ons listed in extensions.json of each Firefox profile
// folder under ~/.mozilla/firefox/ (the querying user's, or the `uid =` users').
// Values are read as boost::property_tree strings, and every value that reads
// as a boolean word ("true", "yes", "0", ...) becomes 1 or 0, as osquery does.

import { listDirectoriesInDirectory, readText } from '../../lib/fs.js';
import { childValues, type Json, tryParseJson } from '../../lib/json.js';
import { contextUsers } from '../accounts/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { getChild, ptreeValue } from './util.js';

/** [extensions.json path, column] pairs. */
const ADDON_KEYS: [string, string][] = [
  ['defaultLocale.name', 'name'],
  ['id', 'identifier'],
  ['type', 'type'],
  ['version', 'version'],
  ['defaultLocale.creator', 'creator'],
  ['defaultLocale.description', 'description'],
  ['sourceURI', 'source_url'],
  ['visible', 'visible'],
  ['active', 'active'],
  ['applyBackgroundUpdates', 'autoupdate'],
  ['location', 'location'],
  ['path', 'path'],
];

/** osquery's tryTo<bool> words. */
const BOOL_WORDS: Record<string, string> = {
  '1': '1',
  '0': '0',
  y: '1',
  yes: '1',
  n: '0',
  no: '0',
  t: '1',
  true: '1',
  f: '0',
  false: '0',
  ok: '1',
  disable: '0',
  enable: '1',
};

function boolAsInt(s: string): string {
  return BOOL_WORDS[s.toLowerCase()] ?? s;
}

/** The rows of one extensions.json document. */
export function addonRows(uid: number, content: string): Row[] {
  const doc: Json | undefined = tryParseJson(content);
  const addons = getChild(doc, 'addons');
  if (addons === undefined) return [];
  return childValues(addons).map((addon) => {
    const r: Row = { uid };
    for (const [path, column] of ADDON_KEYS) r[column] = boolAsInt(ptreeValue(getChild(addon, path)));
    const flag = (key: string): boolean => ptreeValue(getChild(addon, key)) === 'true';
    r.disabled = flag('softDisable') || flag('appDisabled') || flag('userDisabled') ? 1 : 0;
    return r;
  });
}

export const firefoxAddons = defineTable({
  name: 'firefox_addons',
  attributes: { user_data: true },
  columns: {
    uid: bigint({ additional: true, optimized: true }),
    name: text(),
    identifier: text({ index: true }),
    creator: text(),
    type: text(),
    version: text({ collate: 'version' }),
    description: text(),
    source_url: text(),
    visible: integer(),
    active: integer(),
    disabled: integer(),
    autoupdate: integer(),
    location: text(),
    path: text(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const user of contextUsers(ctx)) {
      for (const profile of listDirectoriesInDirectory(`${user.dir}/.mozilla/firefox/`) ?? []) {
        const content = readText(`${profile}/extensions.json`);
        if (content !== null) rows.push(...addonRows(user.uid, content));
      }
    }
    return rows;
  },
});
