// Tables of the applications area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { chromeExtensionContentScripts } from './chrome_extension_content_scripts.js';
import { chromeExtensions } from './chrome_extensions.js';
import { firefoxAddons } from './firefox_addons.js';
import { jetbrainsPlugins } from './jetbrains_plugins.js';
import { vscodeExtensions } from './vscode_extensions.js';

export const applicationsTables: Table[] = [
  chromeExtensions,
  chromeExtensionContentScripts,
  firefoxAddons,
  vscodeExtensions,
  jetbrainsPlugins,
];
