// jetbrains_plugins: plugins installed in each JetBrains IDE's per-user plugin
// folder (~/.local/share/JetBrains/<Product><version>/plugins): a plugin is a
// .jar there, or a folder whose lib/ holds the jar with META-INF/plugin.xml.
// Name, vendor and version come from plugin.xml, matched with the same loose
// tag search osquery uses. Only ZIP archives are read (osquery's libarchive
// would also open other archive formats).

import { globNames, joinPath, listFilesInDirectory } from '../../lib/fs.js';
import { contextUsers } from '../accounts/util.js';
import { expandPattern } from '../files/util.js';
import { bigint, defineTable, type Row, text } from '../framework.js';
import { readZipMember } from './zip.js';

/** osquery's Linux product folders (in its order) and product_type names. */
const PRODUCTS: [string, string][] = [
  ['clion', 'CLion'],
  ['datagrip', 'DataGrip'],
  ['goland', 'GoLand'],
  ['intellij_idea', 'IntelliJIdea'],
  ['intellij_idea_community_edition', 'IdeaIC'],
  ['phpstorm', 'PhpStorm'],
  ['pycharm', 'PyCharm'],
  ['pycharm_community_edition', 'PyCharmCE'],
  ['resharper', 'ReSharper'],
  ['rider', 'Rider'],
  ['rubymine', 'RubyMine'],
  ['rust_rov', 'RustRover'],
  ['webstorm', 'WebStorm'],
];

export interface PluginInfo {
  name: string;
  vendor: string;
  version: string;
}

/** The text between `<tag...>` and `</tag>` (first match), or ''. */
function tagContent(xml: string, tag: string): string {
  const m = new RegExp(`<${tag}[\\s\\S]*?>([\\s\\S]*?)<\\/${tag}>`).exec(xml);
  return m?.[1] ?? '';
}

/** name, vendor and version of a plugin.xml, read as osquery does. */
export function parsePluginXml(xml: string): PluginInfo {
  return {
    name: xml.includes('<name>') ? tagContent(xml, 'name') : '',
    vendor: xml.includes('<vendor') ? tagContent(xml, 'vendor') : '',
    version: xml.includes('<version>') ? tagContent(xml, 'version') : '',
  };
}

/** The plugin descriptor of a jar, or null when it has none. */
export function pluginFromJar(jar: string): PluginInfo | null {
  const xml = readZipMember(jar, 'META-INF/plugin.xml');
  if (!xml || xml.length === 0) return null;
  return parsePluginXml(xml.toString('utf8'));
}

function isVersionedLibraryName(name: string): boolean {
  const i = name.lastIndexOf('-');
  if (i === -1 || i + 1 >= name.length) return false;
  const c = name[i + 1] as string;
  if (/[0-9]/.test(c)) return true;
  return (c === 'm' || c === 'M') && i + 2 < name.length && /[0-9]/.test(name[i + 2] as string);
}

/** IntelliJ's heuristic order of a plugin's lib/ jars: the likeliest holder of plugin.xml first. */
export function likelyPluginJarsFirst(pluginDirName: string, files: string[]): string[] {
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const dirLower = pluginDirName.toLowerCase();
  const keys = (p: string): number[] => {
    const n = base(p);
    const lower = n.toLowerCase();
    return [
      n.startsWith('resources') ? 1 : 0,
      isVersionedLibraryName(n) ? 1 : 0,
      lower.startsWith(dirLower) ? 0 : 1,
      lower.endsWith('-idea.jar') ? 1 : 0,
      n === 'database-plugin.jar' ? 1 : 0,
      n.length,
    ];
  };
  return [...files].sort((a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    return 0;
  });
}

function pluginRows(productType: string, uid: number, pluginsDir: string): Row[] {
  const rows: Row[] = [];
  const row = (path: string, info: PluginInfo): Row => ({ product_type: productType, uid, path, ...info });
  // A plugin without dependencies is a jar directly in plugins/.
  for (const jar of listFilesInDirectory(pluginsDir) ?? []) {
    const info = pluginFromJar(jar);
    if (info) rows.push(row(jar, info));
  }
  // A plugin with dependencies is a folder with its jars in lib/.
  for (const dirName of globNames(pluginsDir)?.folders ?? []) {
    const dir = joinPath(pluginsDir, dirName);
    for (const jar of likelyPluginJarsFirst(dirName, listFilesInDirectory(`${dir}/lib`) ?? [])) {
      const info = pluginFromJar(jar);
      if (info) {
        rows.push(row(dir, info));
        break;
      }
    }
  }
  return rows;
}

export const jetbrainsPlugins = defineTable({
  name: 'jetbrains_plugins',
  attributes: { user_data: true },
  columns: {
    product_type: text(),
    uid: bigint({ index: true }),
    name: text(),
    version: text({ collate: 'version' }),
    vendor: text(),
    path: text(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const user of contextUsers(ctx)) {
      for (const [productType, folder] of PRODUCTS) {
        for (const pluginsDir of expandPattern(
          `${user.dir}/.local/share/JetBrains/${folder}%/plugins`,
          'all',
        )) {
          rows.push(...pluginRows(productType, user.uid, pluginsDir));
        }
      }
    }
    return rows;
  },
});
