// Flags are declared once here (name, type, default, help, kind) and read everywhere
// through this module. Names and defaults are osquery's, so flagfiles keep working.

export type FlagType = 'bool' | 'string' | 'int32' | 'uint64';
/** osquery's flag kinds: FLAG (config-settable), CLI_FLAG (startup), SHELL_FLAG (osqueryi only). */
export type FlagKind = 'flag' | 'cli' | 'shell';
export type FlagValue = string | number | boolean;

export interface FlagDeclaration {
  name: string;
  type: FlagType;
  default: FlagValue;
  description: string;
  kind: FlagKind;
  /** Not listed in --help, still settable (osquery's HIDDEN_FLAG). */
  hidden?: boolean;
}

const declarations = new Map<string, FlagDeclaration>();
const values = new Map<string, FlagValue>();

/** Declare a flag. Each flag is declared exactly once, by the module that owns it. */
export function declareFlag(decl: FlagDeclaration): void {
  if (declarations.has(decl.name)) throw new Error(`flag --${decl.name} declared twice`);
  declarations.set(decl.name, decl);
}

export function flagDeclaration(name: string): FlagDeclaration | undefined {
  return declarations.get(name);
}

export function allFlags(): FlagDeclaration[] {
  return [...declarations.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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

export function setFlag(name: string, raw: string | boolean): void {
  const decl = declarations.get(name);
  if (!decl) throw new Error(`unknown flag --${name}`);
  values.set(name, parseFlagValue(decl, raw));
}

/** The flag's current value (its default until set). */
export function getFlag(name: string): FlagValue {
  const decl = declarations.get(name);
  if (!decl) throw new Error(`unknown flag --${name}`);
  return values.has(name) ? (values.get(name) as FlagValue) : decl.default;
}

export function getBool(name: string): boolean {
  return getFlag(name) === true;
}
export function getString(name: string): string {
  return String(getFlag(name));
}
export function getNumber(name: string): number {
  return Number(getFlag(name));
}

/** Whether the flag was set away from its default. */
export function isFlagSet(name: string): boolean {
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
  for (const [k, v] of Object.entries(snapshot)) if (declarations.has(k)) values.set(k, v);
}
