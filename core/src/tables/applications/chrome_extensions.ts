// chrome_extensions: extensions of Chromium-family browser profiles (Chrome,
// Chromium, Brave, Opera, Vivaldi, Yandex, Island; see chrome.ts). Like osquery,
// only the querying user's profiles are read unless the query names users
// (`WHERE uid = ...` or a JOIN on users).

import { contextUsers } from '../accounts/util.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { type ChromeExtension, type ChromeProfile, chromeProfiles, webkitToUnix } from './chrome.js';

function extensionRow(profile: ChromeProfile, ext: ChromeExtension): Row {
  const prop = (name: string, fallback = ''): string => ext.properties.get(name) ?? fallback;
  const setting = (name: string): string => ext.settings.get(name) ?? '';
  return {
    browser_type: profile.browserType,
    uid: profile.uid,
    name: prop('name'),
    profile: profile.name,
    profile_path: profile.path,
    referenced_identifier: setting('referenced_identifier'),
    identifier: ext.identifier,
    version: prop('version'),
    description: prop('description'),
    default_locale: prop('default_locale'),
    current_locale: prop('current_locale'),
    update_url: prop('update_url'),
    author: prop('author'),
    persistent: prop('persistent').toLowerCase() === 'true' ? 1 : 0,
    path: ext.path,
    permissions: prop('permissions'),
    permissions_json: prop('permissions_json', '{}'),
    optional_permissions: prop('optional_permissions'),
    optional_permissions_json: prop('optional_permissions_json', '{}'),
    manifest_hash: ext.manifestHash,
    referenced: ext.referenced ? 1 : 0,
    from_webstore: setting('from_webstore'),
    state: setting('state'),
    install_time: setting('install_time'),
    install_timestamp: webkitToUnix(setting('install_time')),
    manifest_json: ext.manifestJson,
    key: prop('key'),
  };
}

export const chromeExtensions = defineTable({
  name: 'chrome_extensions',
  attributes: { user_data: true },
  columns: {
    browser_type: text(),
    uid: bigint({ index: true, optimized: true }),
    name: text(),
    profile: text(),
    profile_path: text(),
    referenced_identifier: text(),
    identifier: text(),
    version: text({ collate: 'version' }),
    description: text(),
    default_locale: text({ aliases: ['locale'] }),
    current_locale: text(),
    update_url: text(),
    author: text(),
    persistent: integer(),
    path: text(),
    permissions: text(),
    permissions_json: text({ hidden: true }),
    optional_permissions: text(),
    optional_permissions_json: text({ hidden: true }),
    manifest_hash: text({ collate: 'nocase' }),
    referenced: bigint(),
    from_webstore: text(),
    state: text(),
    install_time: text(),
    install_timestamp: bigint(),
    manifest_json: text({ hidden: true }),
    key: text({ hidden: true }),
  },
  generate(ctx) {
    return chromeProfiles(contextUsers(ctx)).flatMap((p) => p.extensions.map((e) => extensionRow(p, e)));
  },
});
