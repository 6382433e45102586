// The shape of a flag declaration. The declarations themselves live in declarations/, one
// list per concern; index.ts assembles them and derives every flag's name and value type.
// What the fields mean for a user: docs/flags.md#flag-classes.

/** gflags' types as osquery uses them (osquery_flags.type shows these names). */
export type FlagType = 'bool' | 'string' | 'int32' | 'uint32' | 'uint64';
/** osquery's flag kinds: FLAG (config-settable), CLI_FLAG (startup), SHELL_FLAG (osqueryi only). */
export type FlagKind = 'flag' | 'cli' | 'shell';
export type FlagValue = string | number | boolean;
/**
 * What osq does with a flag: `honoured` (it does what osquery does), `later` (an open issue
 * implements it; until then it is accepted and says so once in the status log), `no-effect`
 * (accepted and listed, says once in the status log that it has no effect, and why).
 */
export type FlagSupport = 'honoured' | 'later' | 'no-effect';

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
  support: FlagSupport;
  /** For `later`: the open issue that implements it. */
  issue?: number;
  /** For `no-effect`: why, as the status log says it. */
  note?: string;
  /** A flag osquery does not have; its description starts with `osq:`. */
  osqOnly?: boolean;
  /** Other names that set this flag (osquery's FLAG_ALIAS), e.g. a deprecated spelling. */
  aliases?: readonly string[];
}

/** One flag: a default of the wrong type for the flag's type fails tsc. */
export type FlagDeclaration =
  | Declaration<'bool'>
  | Declaration<'string'>
  | Declaration<'int32' | 'uint32' | 'uint64'>;
