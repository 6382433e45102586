// osquery's flags, declared once (declarations/, one list per concern) and read everywhere
// through the typed `flags` view: `flags.docker_socket` is a string, `flags.verbose` a
// boolean, `flags.read_max` a number, and a misspelt name fails tsc. Names and defaults are
// osquery's, so flagfiles keep working.
import { declarations } from './declarations/index.js';
import type { FlagDeclaration, FlagValue, ValueOfType } from './types.js';

export type { FlagDeclaration, FlagKind, FlagSupport, FlagType, FlagValue } from './types.js';

type Declared = (typeof declarations)[number];
/** The name of every declared flag. */
export type FlagName = Declared['name'];
/** The value type of flag N (bool → boolean, string → string, int32/uint64 → number). */
export type FlagValueOf<N extends FlagName> = ValueOfType<Extract<Declared, { name: N }>['type']>;
/** A declaration known to be in the list, so its name can be handed to setFlag/getFlag. */
export type DeclaredFlag = FlagDeclaration & { name: FlagName };

const byName = new Map<string, DeclaredFlag>();
/** osquery's FLAG_ALIAS names: another spelling that sets the same flag. */
const byAlias = new Map<string, DeclaredFlag>();
for (const decl of declarations as readonly DeclaredFlag[]) {
  if (byName.has(decl.name)) throw new Error(`flag --${decl.name} declared twice`);
  byName.set(decl.name, decl);
}
for (const decl of byName.values()) {
  for (const alias of decl.aliases ?? []) {
    if (byName.has(alias) || byAlias.has(alias)) throw new Error(`flag alias --${alias} declared twice`);
    byAlias.set(alias, decl);
  }
}
const values = new Map<string, FlagValue>();

/**
 * The declaration of a flag named by user text (a command line, a config, the shell), by its
 * name or one of its aliases; undefined if unknown.
 */
export function flagDeclaration(name: string): DeclaredFlag | undefined {
  return byName.get(name) ?? byAlias.get(name);
}

/** Edit distance, for suggesting the flag a user probably meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The known flag name (or alias) nearest to an unknown one, if one is close enough to be a typo. */
export function suggestFlag(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of [...byName.keys(), ...byAlias.keys()]) {
    const d = distance(name, known);
    if (d < bestDistance || (d === bestDistance && best !== undefined && known < best)) {
      best = known;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function allFlags(): DeclaredFlag[] {
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Parse a textual value as the flag's type; throws a clear error on bad input. */
export function parseFlagValue(decl: FlagDeclaration, raw: string | boolean): FlagValue {
  if (decl.type === 'bool') {
    if (typeof raw === 'boolean') return raw;
    const v = raw.toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes' || v === '') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    throw new Error(`flag --${decl.name}: "${raw}" is not a boolean (true or false)`);
  }
  if (decl.type === 'string') return String(raw);
  const n = Number(raw);
  if (typeof raw === 'boolean' || raw.trim() === '' || !Number.isInteger(n)) {
    throw new Error(`flag --${decl.name}: "${String(raw)}" is not an integer`);
  }
  const [min, max] = RANGES[decl.type];
  if (n < min)
    throw new Error(
      `flag --${decl.name}: ${min === 0 ? 'must not be negative' : `${raw} is too small for a ${decl.type}`}`,
    );
  if (n > max) throw new Error(`flag --${decl.name}: ${raw} is too large for a ${decl.type}`);
  return n;
}

/** gflags' integer ranges; uint64 is capped where a JavaScript number stops being exact. */
const RANGES = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
} as const;

function declared(name: string): DeclaredFlag {
  const decl = byName.get(name);
  if (!decl) throw new Error(`unknown flag --${name}`);
  return decl;
}

export function setFlag(name: FlagName, raw: string | boolean): void {
  values.set(name, parseFlagValue(declared(name), raw));
}

/**
 * The current value (its default until set) of a flag picked at run time, e.g. while
 * listing allFlags(). Code that knows which flag it wants reads `flags.<name>` instead.
 */
export function getFlag(name: FlagName): FlagValue {
  const decl = declared(name);
  return values.has(name) ? (values.get(name) as FlagValue) : decl.default;
}

/** Whether the flag was set away from its default. */
export function isFlagSet(name: FlagName): boolean {
  return values.has(name);
}

/** Forget every set value (tests). */
export function resetFlags(): void {
  values.clear();
  reported.clear();
}

const reported = new Set<string>();

/**
 * For each flag set away from its default that osq does not honour (yet), the status line that
 * says so; each flag is reported once per process however often it is set again
 * (docs/flags.md#flag-classes).
 */
export function unhonouredFlagNotices(): string[] {
  const out: string[] = [];
  for (const name of values.keys()) {
    const decl = byName.get(name);
    if (!decl || decl.support === 'honoured' || reported.has(name)) continue;
    reported.add(name);
    out.push(
      decl.support === 'later'
        ? `Flag --${name} is accepted but not implemented in osq yet (issue ${decl.issue})`
        : `Flag --${name} has no effect in osq: ${decl.note}`,
    );
  }
  return out;
}

/** A snapshot of set values, to hand to a worker thread. */
export function flagSnapshot(): Record<string, FlagValue> {
  return Object.fromEntries(values);
}

export function applyFlagSnapshot(snapshot: Record<string, FlagValue>): void {
  for (const [k, v] of Object.entries(snapshot)) if (byName.has(k)) values.set(k, v);
}

/** Every flag as a read-only property of its declared type; each read sees the current value. */
export type Flags = { readonly [N in FlagName]: FlagValueOf<N> };

const view = {};
for (const decl of byName.values()) {
  Object.defineProperty(view, decl.name, { get: () => getFlag(decl.name), enumerable: true });
}
export const flags = Object.freeze(view) as Flags;
