// Chromium-family browser profiles as osquery reads them (shared by
// chrome_extensions and chrome_extension_content_scripts): for each user, each
// known browser folder (or its sub-folders) holding a Preferences or Secure
// Preferences file is a profile; its extensions are the Extensions/<id>/<version>
// folders plus those its preferences reference by path.
import { createHash } from 'node:crypto';
import { compareBytes } from '../../lib/bytes.js';
import { canonical, isReadable, listDirectoriesInDirectory, readText } from '../../lib/fs.js';
import { childValues, isObject, type Json, tryParseJson } from '../../lib/json.js';
import type { PasswdEntry } from '../accounts/util.js';
import { getChild, ptreeValue, writePtreeJson } from './util.js';

/** osquery's Linux browser folders, relative to the home directory, in its order. */
const LINUX_BROWSERS: [string, string][] = [
  ['chrome', '.config/google-chrome'],
  ['chrome_beta', '.config/google-chrome-beta'],
  ['chrome_dev', '.config/google-chrome-unstable'],
  ['brave', '.config/BraveSoftware/Brave-Browser'],
  ['chromium', '.config/chromium'],
  ['chromium', 'snap/chromium/common/chromium'],
  ['yandex', '.config/yandex-browser-beta'],
  ['opera', '.config/opera'],
  ['vivaldi', '.config/vivaldi'],
  ['island', '.config/island'],
];

/** The manifest properties osquery copies: [manifest path, property name, is a list]. */
const PROPERTIES: [string, string, boolean][] = [
  ['name', 'name', false],
  ['update_url', 'update_url', false],
  ['version', 'version', false],
  ['author', 'author', false],
  ['default_locale', 'default_locale', false],
  ['current_locale', 'current_locale', false],
  ['background.persistent', 'persistent', false],
  ['description', 'description', false],
  ['permissions', 'permissions', true],
  ['optional_permissions', 'optional_permissions', true],
  ['key', 'key', false],
];

const SETTINGS = ['from_webstore', 'state', 'install_time'];
const MSG_PREFIX = '__MSG_';

export interface ContentScript {
  match: string;
  script: string;
}

export interface ChromeExtension {
  path: string;
  referenced: boolean;
  manifestHash: string;
  manifestJson: string;
  properties: Map<string, string>;
  /** referenced_identifier, from_webstore, state, install_time (referenced ones only). */
  settings: Map<string, string>;
  identifier: string;
  contentScripts: ContentScript[];
}

export interface ChromeProfile {
  browserType: string;
  uid: number;
  path: string;
  name: string;
  extensions: ChromeExtension[];
}

function isProfile(dir: string): boolean {
  return isReadable(`${dir}/Preferences`) || isReadable(`${dir}/Secure Preferences`);
}

/** [browser type, profile path] of one user's profiles. */
function profilePaths(home: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [type, suffix] of LINUX_BROWSERS) {
    const base = canonical(home.endsWith('/') ? home + suffix : `${home}/${suffix}`);
    if (isProfile(base)) {
      out.push([type, base]);
      continue;
    }
    for (const sub of listDirectoriesInDirectory(base) ?? []) {
      const dir = canonical(sub);
      if (isProfile(dir)) out.push([type, dir]);
    }
  }
  return out;
}

/** The extensions.settings (or Opera's extensions.opsettings) object of a preferences tree. */
function extensionSettings(prefs: Json | undefined): Json | undefined {
  const ext = getChild(prefs, 'extensions', true);
  return getChild(ext, 'settings', true) ?? getChild(ext, 'opsettings', true);
}

/** The canonical folder a settings entry points at (relative paths are under Extensions/). */
function settingsPath(profile: string, entry: Json): string | null {
  const node = getChild(entry, 'path', true);
  if (node === undefined) return null;
  const raw = ptreeValue(node);
  return canonical(raw.startsWith('/') ? raw : `${profile}/Extensions/${raw}`);
}

/** The content_scripts entries: one per (match, js) pair of entries having both. */
export function contentScripts(manifest: Json): ContentScript[] {
  const out: ContentScript[] = [];
  for (const entry of childValues(getChild(manifest, 'content_scripts', true))) {
    const matches = getChild(entry, 'matches', true);
    const js = getChild(entry, 'js', true);
    if (matches === undefined || js === undefined) continue;
    for (const match of childValues(matches)) {
      for (const script of childValues(js))
        out.push({ match: ptreeValue(match), script: ptreeValue(script) });
    }
  }
  return out;
}

/** The properties osquery copies from a manifest (lists joined with ", ", plus a *_json rendering). */
export function manifestProperties(manifest: Json): Map<string, string> {
  const props = new Map<string, string>();
  for (const [path, name, isList] of PROPERTIES) {
    const node = getChild(manifest, path, true);
    if (node === undefined) continue;
    if (!isList) {
      props.set(name, ptreeValue(node));
      continue;
    }
    let list = '';
    for (const v of childValues(node)) {
      if (list !== '') list += ', ';
      list += ptreeValue(v);
    }
    props.set(name, list);
    props.set(`${name}_json`, writePtreeJson(node));
  }
  return props;
}

/** Replace __MSG_name__ values from _locales/<locale>/messages.json. */
function localize(path: string, props: Map<string, string>): void {
  if (![...props.values()].some((v) => v.startsWith(MSG_PREFIX))) return;
  const locale = props.get('default_locale') ?? props.get('current_locale') ?? 'en';
  const text = readText(`${path}/_locales/${locale}/messages.json`);
  const messages = text === null ? undefined : tryParseJson(text);
  if (messages === undefined) return;
  for (const [key, value] of props) {
    if (!value.startsWith(MSG_PREFIX)) continue;
    const name = value.slice(MSG_PREFIX.length, value.length - 2);
    const node = getChild(getChild(messages, name, true), 'message', true);
    if (node !== undefined && (node === null || typeof node !== 'object')) props.set(key, ptreeValue(node));
  }
}

/** The extension id Chrome derives from the manifest key: sha256 of the key, first 32 hex digits mapped to a-p. */
export function identifierFromKey(key: string | undefined): string {
  if (key === undefined) return '';
  const decoded = Buffer.from(key, 'base64');
  if (decoded.length === 0) return '';
  const hex = createHash('sha256').update(decoded).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/** An extension from its folder and manifest text; null when the manifest is not JSON. */
export function extensionFromManifest(path: string, text: string): ChromeExtension | null {
  const manifest = tryParseJson(text);
  if (manifest === undefined) return null;
  const properties = manifestProperties(manifest);
  localize(path, properties);
  return {
    path,
    referenced: false,
    manifestHash: createHash('sha256').update(text).digest('hex'),
    manifestJson: writePtreeJson(manifest),
    properties,
    settings: new Map(),
    identifier: identifierFromKey(properties.get('key')),
    contentScripts: contentScripts(manifest),
  };
}

/** The settings osquery reports for an extension the preferences reference. */
function referenceSettings(
  prefs: Json | undefined,
  profile: string,
  extPath: string,
): Map<string, string> | null {
  const settings = extensionSettings(prefs);
  if (!isObject(settings)) return null;
  for (const [id, entry] of Object.entries(settings)) {
    if (settingsPath(profile, entry) !== extPath) continue;
    const out = new Map<string, string>([['referenced_identifier', id]]);
    for (const name of SETTINGS) {
      const node = getChild(entry, name, true);
      if (node !== undefined) out.set(name, ptreeValue(node));
    }
    return out;
  }
  return null;
}

function readManifest(path: string): ChromeExtension | null | undefined {
  const text = readText(`${path}/manifest.json`);
  return text === null ? undefined : extensionFromManifest(path, text);
}

/** One profile with its extensions, or null when osquery would skip it. */
function loadProfile(browserType: string, uid: number, path: string): ChromeProfile | null {
  const prefsText = readText(`${path}/Preferences`);
  const secureText = readText(`${path}/Secure Preferences`);
  if (prefsText === null || secureText === null) return null;
  if (prefsText === '' && secureText === '') return null;
  const prefs = tryParseJson(prefsText);
  const secure = tryParseJson(secureText);
  // A preferences file that is not JSON makes the whole profile unusable.
  if (prefs === undefined || secure === undefined) return null;

  const name =
    ptreeValue(getChild(prefs, 'profile.name', true)) || ptreeValue(getChild(secure, 'profile.name', true));
  if (name === '' && browserType !== 'opera') return null;

  // Every folder under Extensions/ starts out unreferenced.
  const unreferenced = new Map<string, string>();
  for (const idDir of listDirectoriesInDirectory(`${path}/Extensions`) ?? []) {
    for (const versionDir of listDirectoriesInDirectory(idDir) ?? [])
      unreferenced.set(canonical(versionDir), '');
  }
  const referenced = new Set<string>();
  for (const tree of [prefs, secure]) {
    const settings = extensionSettings(tree);
    for (const entry of childValues(settings)) {
      const p = settingsPath(path, entry);
      if (p === null) continue;
      unreferenced.delete(p);
      referenced.add(p);
    }
  }

  const extensions: ChromeExtension[] = [];
  for (const extPath of [...unreferenced.keys()].sort(compareBytes)) {
    const ext = readManifest(extPath);
    if (ext) extensions.push(ext);
  }
  for (const extPath of [...referenced].sort(compareBytes)) {
    const ext = readManifest(extPath);
    if (!ext) continue;
    ext.referenced = true;
    ext.settings =
      referenceSettings(prefs, path, extPath) ?? referenceSettings(secure, path, extPath) ?? new Map();
    extensions.push(ext);
  }
  return { browserType, uid, path, name, extensions };
}

/** Every usable profile of the given users. */
export function chromeProfiles(users: readonly PasswdEntry[]): ChromeProfile[] {
  const out: ChromeProfile[] = [];
  for (const user of users) {
    for (const [type, path] of profilePaths(user.dir)) {
      const profile = loadProfile(type, user.uid, path);
      if (profile) out.push(profile);
    }
  }
  return out;
}

/** Chrome's install_time (microseconds since 1601) as a Unix time; 0 when unusable. */
export function webkitToUnix(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) return 0;
  const seconds = Number(BigInt(value.trim()) / 1000000n) - 11644473600;
  return Math.max(seconds, 0);
}
