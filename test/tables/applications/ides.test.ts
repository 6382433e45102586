// vscode_extensions and jetbrains_plugins. No IDE is installed here, so the
// test creates a temporary user (useradd -m, removed with its home afterwards)
// and lays fixtures into its home: test/fixtures/vscode_extensions/extensions.json
// -> ~/.vscode/extensions/, and jars zipped with zip(1) from
// test/fixtures/jetbrains_plugins -> ~/.local/share/JetBrains/IdeaIC2024.1/plugins.
// Expected values come from jq and unzip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { likelyPluginJarsFirst } from '../../../core/src/tables/applications/jetbrains_plugins.ts';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { createTempUser, removeLeftoverTempUsers, type TempUser } from '../accounts/helpers.ts';

await holdMachineLockForFile(removeLeftoverTempUsers);

const fixture = (rel: string): string => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
const sh = (script: string): string => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

let user: TempUser;
let plugins: string;

before(() => {
  user = createTempUser('ide');
  mkdirSync(`${user.home}/.vscode/extensions`, { recursive: true });
  cpSync(fixture('vscode_extensions/extensions.json'), `${user.home}/.vscode/extensions/extensions.json`);

  plugins = `${user.home}/.local/share/JetBrains/IdeaIC2024.1/plugins`;
  mkdirSync(`${plugins}/osq-deps/lib`, { recursive: true });
  // zip -r with deflate (the default), as jar files are.
  sh(`cd '${fixture('jetbrains_plugins/simple')}' && zip -q -r '${plugins}/osq-simple.jar' META-INF`);
  sh(
    `cd '${fixture('jetbrains_plugins/withdeps')}' && zip -q -r '${plugins}/osq-deps/lib/osq-deps.jar' META-INF`,
  );
  // A library jar (no plugin.xml) and a non-archive file next to them.
  writeFileSync(`${plugins}/osq-deps/lib/README.txt`, 'not a jar');
  sh(`cd '${plugins}/osq-deps/lib' && zip -q gson-2.8.0.jar README.txt`);
  writeFileSync(`${plugins}/notes.txt`, 'not a plugin');
});
after(() => user?.remove());

describe('vscode_extensions', () => {
  it('lists the complete entries of extensions.json', async () => {
    const file = `${user.home}/.vscode/extensions/extensions.json`;
    const rows = await query(`SELECT * FROM vscode_extensions WHERE uid = ${user.uid}`);
    const complete = sh(`jq -r '.[] | select(.metadata and .location) | .identifier.id' '${file}'`).split(
      '\n',
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      complete,
    );
    assert.deepEqual(rows[0], {
      name: 'ms-python.python',
      uuid: sh(`jq -r '.[0].identifier.uuid' '${file}'`),
      version: '2024.4.1',
      path: sh(`jq -r '.[0].location.path' '${file}'`),
      publisher: 'Microsoft',
      publisher_id: sh(`jq -r '.[0].metadata.publisherId' '${file}'`),
      installed_at: Number(sh(`jq -r '.[0].metadata.installedTimestamp' '${file}'`)),
      prerelease: 0,
      uid: user.uid,
      vscode_edition: 'vscode',
    });
    assert.equal(rows[1]?.uuid, null);
    assert.equal(rows[1]?.prerelease, 1);
  });
});

describe('jetbrains_plugins', () => {
  it('reads plugin.xml from plugin jars and plugin folders', async () => {
    const rows = await query(`SELECT * FROM jetbrains_plugins WHERE uid = ${user.uid}`);
    const xml = (jar: string): string => sh(`unzip -p '${jar}' META-INF/plugin.xml`);
    const tag = (text: string, t: string): string =>
      new RegExp(`<${t}[^>]*>([\\s\\S]*?)</${t}>`).exec(text)?.[1] ?? '';
    const simple = xml(`${plugins}/osq-simple.jar`);
    const deps = xml(`${plugins}/osq-deps/lib/osq-deps.jar`);
    assert.deepEqual(rows, [
      {
        product_type: 'intellij_idea_community_edition',
        uid: user.uid,
        name: tag(simple, 'name'),
        version: tag(simple, 'version'),
        vendor: tag(simple, 'vendor'),
        path: `${plugins}/osq-simple.jar`,
      },
      {
        product_type: 'intellij_idea_community_edition',
        uid: user.uid,
        name: tag(deps, 'name'),
        version: tag(deps, 'version'),
        vendor: tag(deps, 'vendor'),
        path: `${plugins}/osq-deps`,
      },
    ]);
  });

  it("orders a plugin's lib jars the way IntelliJ looks for plugin.xml", () => {
    const order = likelyPluginJarsFirst('kotlin', [
      '/p/lib/resources_en.jar',
      '/p/lib/gson-2.8.0.jar',
      '/p/lib/all-open.jar',
      '/p/lib/kotlin-plugin.jar',
      '/p/lib/kotlin.jar',
    ]);
    assert.deepEqual(order, [
      '/p/lib/kotlin.jar',
      '/p/lib/kotlin-plugin.jar',
      '/p/lib/all-open.jar',
      '/p/lib/gson-2.8.0.jar',
      '/p/lib/resources_en.jar',
    ]);
  });
});
