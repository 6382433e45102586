// chrome_extensions, chrome_extension_content_scripts and firefox_addons. No
// browser is installed here, so the test creates a temporary user (useradd -m,
// removed with its home afterwards) and copies fixture profiles into its home:
// test/fixtures/chrome_extensions/profile -> ~/.config/google-chrome/Default and
// test/fixtures/firefox_addons/extensions.json -> ~/.mozilla/firefox/x.default/.
// Expected values come from independent tools (sha256sum, openssl, jq).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { createTempUser, removeLeftoverTempUsers, type TempUser } from '../accounts/helpers.ts';

await holdMachineLockForFile(removeLeftoverTempUsers);

const fixture = (rel: string): string => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
const sh = (script: string): string => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

let user: TempUser;
let profile: string;
let ext1: string;
let ext2: string;

before(() => {
  user = createTempUser('br');
  profile = `${user.home}/.config/google-chrome/Default`;
  cpSync(fixture('chrome_extensions/profile'), profile, { recursive: true });
  ext1 = `${profile}/Extensions/abcdefghijklmnopabcdefghijklmnop/1.2.0_0`;
  ext2 = `${profile}/Extensions/ponmlkjihgfedcbaponmlkjihgfedcba/0.1_0`;
  mkdirSync(`${user.home}/.mozilla/firefox/x1y2z3.default-release`, { recursive: true });
  cpSync(
    fixture('firefox_addons/extensions.json'),
    `${user.home}/.mozilla/firefox/x1y2z3.default-release/extensions.json`,
  );
  // Profiles of the user's own, as a browser running as that user would leave them.
  sh(`chown -R ${user.uid}:${user.gid} ${user.home}`);
});
after(() => user?.remove());

/** Chrome's extension id for a manifest key: sha256 of the DER key, hex digits 0-f mapped to a-p. */
function idFromKey(manifest: string): string {
  return sh(`jq -r .key '${manifest}' | base64 -d | openssl dgst -sha256 -r | cut -c1-32 | tr 0-9a-f a-p`);
}

describe('chrome_extensions', () => {
  it("is empty for the querying user and finds the temp user's extensions by uid", async () => {
    const mine = await query(`SELECT * FROM chrome_extensions WHERE profile_path LIKE '${user.home}%'`);
    assert.deepEqual(mine, []);
    const rows = await query(`SELECT * FROM chrome_extensions WHERE uid = ${user.uid}`);
    assert.equal(rows.length, 2);
    // Extensions not referenced by the preferences come first.
    const [unref, ref] = rows as Record<string, unknown>[];
    assert.equal(unref?.path, ext2);
    assert.equal(unref?.referenced, 0);
    assert.equal(unref?.name, sh(`jq -r .name '${ext2}/manifest.json'`));
    assert.equal(unref?.identifier, '');
    assert.equal(unref?.referenced_identifier, '');
    assert.equal(unref?.permissions, '');

    assert.deepEqual(
      { ...ref, manifest_hash: undefined },
      {
        browser_type: 'chrome',
        uid: user.uid,
        name: sh(`jq -r .appName.message '${ext1}/_locales/en/messages.json'`),
        profile: sh(`jq -r .profile.name '${profile}/Preferences'`),
        profile_path: profile,
        referenced_identifier: 'abcdefghijklmnopabcdefghijklmnop',
        identifier: idFromKey(`${ext1}/manifest.json`),
        version: '1.2.0',
        description: sh(`jq -r .appDesc.message '${ext1}/_locales/en/messages.json'`),
        default_locale: 'en',
        current_locale: '',
        update_url: 'https://clients2.google.com/service/update2/crx',
        author: 'Osq Test',
        persistent: 0,
        path: ext1,
        permissions: sh(`jq -r '.permissions | join(", ")' '${ext1}/manifest.json'`),
        optional_permissions: 'history',
        manifest_hash: undefined,
        referenced: 1,
        from_webstore: 'true',
        state: '1',
        install_time: '13345678901234567',
        install_timestamp: Number(13345678901234567n / 1000000n) - 11644473600,
      },
    );
    assert.equal(ref?.manifest_hash, sh(`sha256sum '${ext1}/manifest.json' | cut -d' ' -f1`));
  });

  it('serves the hidden json columns as property_tree renders them', async () => {
    const [r] = await query(
      `SELECT permissions_json, optional_permissions_json, key, locale FROM chrome_extensions WHERE uid = ${user.uid} AND referenced = 1`,
    );
    assert.equal(r?.permissions_json, '["tabs","storage","https:\\/\\/*.example.invalid\\/*"]\n');
    assert.equal(r?.optional_permissions_json, '["history"]\n');
    assert.equal(r?.key, sh(`jq -r .key '${ext1}/manifest.json'`));
    assert.equal(r?.locale, 'en');
  });
});

describe('chrome_extension_content_scripts', () => {
  it('has one row per (match, script) of entries with both', async () => {
    const rows = await query(
      `SELECT match, script, version, path, referenced, identifier FROM chrome_extension_content_scripts WHERE uid = ${user.uid}`,
    );
    const expected = sh(
      `jq -r '.content_scripts[] | select(.js != null) | .matches[] as $m | .js[] | "\\($m) \\(.)"' '${ext1}/manifest.json'`,
    ).split('\n');
    assert.deepEqual(
      rows.map((r) => `${r.match} ${r.script}`),
      expected,
    );
    for (const r of rows) {
      assert.equal(r.version, '1.2.0');
      assert.equal(r.path, ext1);
      assert.equal(r.referenced, 1);
      assert.equal(r.identifier, '');
    }
  });
});

describe('firefox_addons', () => {
  it("reads the temp user's profile extensions.json", async () => {
    const rows = await query(
      `SELECT uid, name, identifier, creator, type, version, description, source_url, visible, active, disabled, autoupdate, location, path FROM firefox_addons WHERE uid = ${user.uid}`,
    );
    const file = `${user.home}/.mozilla/firefox/x1y2z3.default-release/extensions.json`;
    const ids = sh(`jq -r '.addons[].id' '${file}'`).split('\n');
    assert.deepEqual(
      rows.map((r) => r.identifier),
      ids,
    );
    assert.deepEqual(rows[0], {
      uid: user.uid,
      name: sh(`jq -r '.addons[0].defaultLocale.name' '${file}'`),
      identifier: 'uBlock0@raymondhill.net',
      creator: 'Raymond Hill & contributors',
      type: 'extension',
      version: '1.57.2',
      description: 'Finally, an efficient blocker.',
      source_url: sh(`jq -r '.addons[0].sourceURI' '${file}'`),
      visible: 1,
      active: 1,
      disabled: 0,
      autoupdate: 1,
      location: 'app-profile',
      path: sh(`jq -r '.addons[0].path' '${file}'`),
    });
    assert.equal(rows[1]?.disabled, 1);
    assert.equal(rows[1]?.active, 0);
    assert.equal(rows[1]?.description, '');
    // property_tree reads JSON null as the text "null".
    assert.equal(rows[1]?.source_url, 'null');
  });
});
