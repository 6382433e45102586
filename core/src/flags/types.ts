// The shape of a flag declaration. The declarations themselves live in declarations/, one
// list per concern; index.ts assembles them and derives every flag's name and value type.

export type FlagType = 'bool' | 'string' | 'int32' | 'uint64';
/** osquery's flag kinds: FLAG (config-settable), CLI_FLAG (startup), SHELL_FLAG (osqueryi only). */
export type FlagKind = 'flag' | 'cli' | 'shell';
export type FlagValue = string | number | boolean;

/** The TypeScript type of a flag's value, by its declared type. */
export type ValueOfType<T extends FlagType> = T extends 'bool'
  ? boolean
  : T extends 'string'
    ? string
    : number;

interface Declaration<T extends FlagType> {
  name: string;
  type: T;
  default: ValueOfType<T>;
  description: string;
  kind: FlagKind;
  /** Not listed in --help, still settable (osquery's HIDDEN_FLAG). */
  hidden?: boolean;
}

/** One flag: a default of the wrong type for the flag's type fails tsc. */
export type FlagDeclaration = Declaration<'bool'> | Declaration<'string'> | Declaration<'int32' | 'uint64'>;
