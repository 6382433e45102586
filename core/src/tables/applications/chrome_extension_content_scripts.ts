// chrome_extension_content_scripts: one row per (match pattern, script) of each
// content_scripts entry of each Chromium-family extension (see chrome.ts).
// osquery fills `identifier` from a profile setting that does not exist, so it
// is always ''; we return the same.

import { contextUsers } from '../accounts/util.js';
import { bigint, defineTable, type Row, text } from '../framework.js';
import { chromeProfiles } from './chrome.js';

export const chromeExtensionContentScripts = defineTable({
  name: 'chrome_extension_content_scripts',
  attributes: { user_data: true },
  columns: {
    browser_type: text(),
    uid: bigint({ index: true, optimized: true }),
    identifier: text(),
    version: text({ collate: 'version' }),
    script: text(),
    match: text(),
    profile_path: text(),
    path: text(),
    referenced: bigint(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const profile of chromeProfiles(contextUsers(ctx))) {
      for (const ext of profile.extensions) {
        for (const cs of ext.contentScripts) {
          rows.push({
            browser_type: profile.browserType,
            uid: profile.uid,
            identifier: '',
            version: ext.properties.get('version') ?? '',
            script: cs.script,
            match: cs.match,
            profile_path: profile.path,
            path: ext.path,
            referenced: ext.referenced ? 1 : 0,
          });
        }
      }
    }
    return rows;
  },
});
