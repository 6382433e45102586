// osquery's config parsers (plugins/config/parsers/*): each reads its own top-level
// keys of a source (or of an active pack, under the name `<source><D><pack>`).
// `options` always runs first and sets flags; the other keys are kept for their
// consumers with osquery's merge rules (docs/config.md#merge-rules).
import { flagDeclaration, setFlag } from '../flags/index.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { valueToSize } from './values.js';

/** Decorator queries of one source. */
export interface Decorators {
  load: string[];
  always: string[];
  /** Seconds (a multiple of 60) -> queries. */
  interval: Record<string, string[]>;
}

/** Keys where the last-applied source containing the key replaces the previous value. */
export const REPLACED_KEYS = [
  'events',
  'logger',
  'kafka_topics',
  'views',
  'feature_vectors',
  'prometheus_targets',
  'yara',
  'auto_table_construction',
] as const;
export type ReplacedKey = (typeof REPLACED_KEYS)[number];

/** Every key a parser owns: values that are not arrays/objects are skipped with a warning. */
const PARSER_KEYS = [
  'options',
  'decorators',
  'file_paths',
  'file_paths_query',
  'file_accesses',
  'exclude_paths',
  ...REPLACED_KEYS,
];

/** Parsed state accumulated over config updates. Values are replaced, never mutated. */
export interface ParserState {
  /** Every option seen so far, merged (osquery never forgets an option). */
  options: JsonObject;
  /** `custom_*` options, as text. */
  custom: Record<string, string>;
  decorators: Map<string, Decorators>;
  filePaths: Map<string, Record<string, string[]>>;
  filePathsQuery: Map<string, Record<string, string[]>>;
  fileAccesses: Map<string, string[]>;
  excludePaths: Record<string, string[]>;
  replaced: Partial<Record<ReplacedKey, Json>>;
}

export function emptyParserState(): ParserState {
  return {
    options: {},
    custom: {},
    decorators: new Map(),
    filePaths: new Map(),
    filePathsQuery: new Map(),
    fileAccesses: new Map(),
    excludePaths: {},
    replaced: {},
  };
}

export function cloneParserState(s: ParserState): ParserState {
  return {
    options: { ...s.options },
    custom: { ...s.custom },
    decorators: new Map(s.decorators),
    filePaths: new Map(s.filePaths),
    filePathsQuery: new Map(s.filePathsQuery),
    fileAccesses: new Map(s.fileAccesses),
    excludePaths: { ...s.excludePaths },
    replaced: { ...s.replaced },
  };
}

/** Forget what the given sources (a config source and its packs' `<source><D><pack>`) contributed. */
export function forgetSources(s: ParserState, keys: string[]): void {
  for (const key of keys) {
    s.decorators.delete(key);
    s.filePaths.delete(key);
    s.filePathsQuery.delete(key);
    s.fileAccesses.delete(key);
  }
}

/** An option value as osquery turns it into flag text; undefined when it has no usable type. */
export function optionText(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // Integers print as decimal; other numbers go through an unsigned conversion.
    return Number.isInteger(value) ? String(value) : String(value >= 0 ? Math.trunc(value) : 0);
  }
  if (value !== null) return JSON.stringify(value);
  return undefined;
}

export interface ParserContext {
  warn: (message: string) => void;
  /** Names of options applied (for log-level re-application by the caller). */
  applied: Set<string>;
}

/** Set every accumulated option on the flags, as osquery's options parser does on each update. */
function applyOptions(state: ParserState, ctx: ParserContext): void {
  for (const [name, value] of Object.entries(state.options)) {
    const text = optionText(value);
    if (text === undefined) {
      ctx.warn(`Cannot parse unknown value type for option: ${name}`);
      continue;
    }
    if (text === '' || name === '') continue;
    if (name.startsWith('custom_')) {
      state.custom[name] = text;
      ctx.applied.add(name);
      continue;
    }
    const decl = flagDeclaration(name);
    if (!decl) {
      ctx.warn(`Cannot set unknown or invalid flag: ${name}`);
      continue;
    }
    if (decl.kind === 'cli') {
      ctx.warn(
        `Cannot set the CLI only flag --${name} via config: specify it in the flagfile or on the command line`,
      );
      continue;
    }
    try {
      setFlag(decl.name, text);
      ctx.applied.add(name);
    } catch (e) {
      ctx.warn(`Cannot set flag --${name} from config option: ${(e as Error).message}`);
    }
  }
}

function stringList(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function extractDecorators(source: string, doc: JsonObject, warn: (m: string) => void): Decorators {
  const d: Decorators = { load: stringList(doc.load), always: stringList(doc.always), interval: {} };
  if (isObject(doc.interval)) {
    for (const [key, queries] of Object.entries(doc.interval)) {
      const rate = valueToSize(key);
      // osquery only checks `rate % 60`; 0 is refused too since it would never fire sensibly.
      if (rate === 0 || rate % 60 !== 0) {
        warn(`Invalid decorator interval rate ${rate} in config source: ${source}`);
        continue;
      }
      const list = stringList(queries);
      if (list.length > 0) d.interval[String(rate)] = [...(d.interval[String(rate)] ?? []), ...list];
    }
  }
  return d;
}

/** Category -> non-empty string patterns. */
function categoryLists(doc: JsonObject): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [category, list] of Object.entries(doc)) {
    if (!Array.isArray(list)) continue;
    const items = stringList(list).filter((p) => p !== '');
    out[category] = [...(out[category] ?? []), ...items];
  }
  return out;
}

/**
 * osquery's Config::applyParsers for one source (or active pack): `options` first,
 * then every other parser. A parser key whose value is neither array nor object is skipped.
 */
export function applyParsers(state: ParserState, source: string, obj: JsonObject, ctx: ParserContext): void {
  const present: JsonObject = {};
  for (const key of PARSER_KEYS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object') {
      ctx.warn(`Error config ${key} should be an array or object`);
      continue;
    }
    present[key] = v;
  }

  if (isObject(present.options)) {
    state.options = { ...state.options, ...present.options };
    applyOptions(state, ctx);
  }

  // Decorators and file paths are rebuilt for this source on every update.
  state.decorators.delete(source);
  if (isObject(present.decorators)) {
    state.decorators.set(source, extractDecorators(source, present.decorators, ctx.warn));
  }
  state.filePaths.delete(source);
  if (isObject(present.file_paths)) state.filePaths.set(source, categoryLists(present.file_paths));
  state.filePathsQuery.delete(source);
  if (isObject(present.file_paths_query)) {
    state.filePathsQuery.set(source, categoryLists(present.file_paths_query));
  }
  if (Array.isArray(present.file_accesses)) {
    state.fileAccesses.set(source, stringList(present.file_accesses));
  }
  if (isObject(present.exclude_paths)) {
    state.excludePaths = { ...state.excludePaths, ...categoryLists(present.exclude_paths) };
  }
  for (const key of REPLACED_KEYS) {
    if (present[key] !== undefined) state.replaced[key] = present[key];
  }
}
