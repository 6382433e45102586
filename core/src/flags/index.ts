// osquery's flags, declared once (declarations/, one list per concern) and read everywhere
// through the typed `flags` view: `flags.docker_socket` is a string, `flags.verbose` a
// boolean, `flags.read_max` a number, and a misspelt name fails tsc. Names and defaults are
// osquery's, so flagfiles keep working.
import { declarations } from './declarations/index.js';
import type { FlagDeclaration, FlagValue, ValueOfType } from './types.js';

export type { FlagDeclaration, FlagKind, FlagType, FlagValue } from './types.js';

type Declared = (typeof declarations)[number];
/** The name of every declared flag. */
export type FlagName = Declared['name'];
/** The value type of flag N (bool → boolean, string → string, int32/uint64 → number). */
export type FlagValueOf<N extends FlagName> = ValueOfType<Extract<Declared, { name: N }>['type']>;
/** A declaration known to be in the list, so its name can be handed to setFlag/getFlag. */
export type DeclaredFlag = FlagDeclaration & { name: FlagName };

const byName = new Map<string, DeclaredFlag>();
for (const decl of declarations as readonly DeclaredFlag[]) {
  if (byName.has(decl.name)) throw new Error(`flag --${decl.name} declared twice`);
  byName.set(decl.name, decl);
}
const values = new Map<string, FlagValue>();

/** The declaration of a flag named by user text (a command line, a config, the shell); undefined if unknown. */
export function flagDeclaration(name: string): DeclaredFlag | undefined {
  return byName.get(name);
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
  if (decl.type === 'uint64' && n < 0) throw new Error(`flag --${decl.name}: must not be negative`);
  return n;
}

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
