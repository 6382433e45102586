// Config plugins: where configuration text comes from. A plugin returns a map
// source name -> JSON text; string-valued packs are resolved through genPack.
// The `filesystem` plugin is osquery's default: `--config_path` plus
// `<config_path>.d/*.conf`, and packs given as file paths or a glob.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { flags } from '../flags/index.js';
import { isFile } from '../lib/fs.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { parseStrictJson } from '../lib/json-reader.js';
import { activeOne } from '../registry/activate.js';
import { stripConfigComments } from './comments.js';

export interface ConfigPlugin {
  readonly name: string;
  /** Every source the plugin has: source name -> JSON text. Throws when the config cannot be read. */
  genConfig(): Promise<Record<string, string>>;
  /**
   * The text of a pack given in the config as `"packs": {"<name>": "<value>"}`; undefined
   * or '' means the pack is skipped with a warning. For name `*` the text is a JSON object
   * of packs keyed by pack name. Plugins without pack support leave this out.
   */
  genPack?(name: string, value: string): Promise<string | undefined>;
}

/** What the config registry holds: a function that makes the plugin when --config_plugin activates it. */
export type MakeConfigPlugin = () => ConfigPlugin;

/** The path osquery's filesystem plugin reads (`--config_path`). */
export function configPath(): string {
  return flags.config_path;
}

function wildcardRegex(component: string): RegExp {
  const body = component
    .split('')
    .map((c) =>
      c === '*' || c === '%' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

function walkAll(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    out.push(p);
    try {
      if (statSync(p).isDirectory()) walkAll(p, out);
    } catch {
      // vanished or unreadable: skip
    }
  }
}

/**
 * osquery's resolveFilePattern for config use: `%` and `*` match within one path
 * component (not a leading dot), `?` one character, and a final `%%` or `**` matches
 * everything below the directory. Returns sorted existing paths.
 */
export function resolveFilePattern(pattern: string): string[] {
  const recursive = /(%%|\*\*)$/.exec(pattern);
  if (recursive) {
    const out: string[] = [];
    walkAll(pattern.slice(0, -2).replace(/\/+$/, '') || '/', out);
    return out.sort();
  }
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p) => p !== '');
  let current = [absolute ? '/' : '.'];
  for (const part of parts) {
    const next: string[] = [];
    const wild = /[*%?]/.test(part);
    const re = wild ? wildcardRegex(part) : null;
    for (const dir of current) {
      if (!re) {
        const p = join(dir, part);
        try {
          statSync(p);
          next.push(p);
        } catch {
          // no such path
        }
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) if (!name.startsWith('.') && re.test(name)) next.push(join(dir, name));
    }
    current = next;
  }
  return current.sort();
}

/**
 * osquery builds multi-pack content through a Boost property tree, which turns every
 * scalar into a string ("interval": 60 becomes "60"). Reproduced so packs loaded by glob
 * behave exactly as in osquery (e.g. `"snapshot": 1` becomes "1", which is not true).
 */
function propertyTreeScalars(v: Json): Json {
  if (Array.isArray(v)) return v.map(propertyTreeScalars);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = propertyTreeScalars(x);
    return out;
  }
  return v === null ? 'null' : String(v);
}

export interface FilesystemPluginOptions {
  /** Override `--config_path` (tests). */
  path?: string;
  /** Receives warnings (unreadable multi-pack files). */
  warn?: (message: string) => void;
}

/** osquery's `filesystem` config plugin. */
export class FilesystemConfigPlugin implements ConfigPlugin {
  readonly name = 'filesystem';

  constructor(private readonly options: FilesystemPluginOptions = {}) {}

  private path(): string {
    return this.options.path ?? configPath();
  }

  async genConfig(): Promise<Record<string, string>> {
    const main = this.path();
    if (!isFile(main)) throw new Error(`config file does not exist: ${main}`);
    const files = resolveFilePattern(`${main}.d/%.conf`).filter(isFile);
    files.push(main);
    const out: Record<string, string> = {};
    for (const file of files) {
      try {
        out[file] = readFileSync(file, 'utf8');
      } catch {
        // osquery silently leaves out a source it cannot read
      }
    }
    return out;
  }

  async genPack(name: string, value: string): Promise<string | undefined> {
    if (name === '*') return this.multiPack(value);
    if (!isFile(value)) return undefined;
    return readFileSync(value, 'utf8');
  }

  /** `"packs": {"*": "<glob>"}`: one pack per file, named after the file's stem. */
  private multiPack(pattern: string): string | undefined {
    const packs: JsonObject = {};
    for (const path of resolveFilePattern(pattern)) {
      let content: string;
      try {
        content = readFileSync(path, 'utf8');
      } catch {
        this.options.warn?.(`Cannot read multi-pack file: ${path}`);
        continue;
      }
      let doc: Json;
      try {
        doc = parseStrictJson(stripConfigComments(content).text);
      } catch {
        this.options.warn?.(`Cannot read multi-pack JSON: ${path}`);
        continue;
      }
      const stem = basename(path, extname(path));
      packs[stem] = propertyTreeScalars(doc);
    }
    return JSON.stringify(packs);
  }
}

/**
 * Pick the active plugin for `--config_plugin` from `available` (a map, or a lookup such as
 * the config registry's). osquery activates a single config plugin: a comma list names a
 * plugin that does not exist, so it is refused here with a clear error.
 */
export function selectConfigPlugin(
  name: string,
  available: Readonly<Record<string, ConfigPlugin>> | ((name: string) => ConfigPlugin | undefined),
): ConfigPlugin {
  const lookup =
    typeof available === 'function'
      ? available
      : (n: string) => (Object.hasOwn(available, n) ? available[n] : undefined);
  return activeOne('config', name, lookup);
}
