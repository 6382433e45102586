// The query context a table's `generate` receives: osquery's `context` JSON turned into
// constraints by column name with operator names. Older cores sent `op` as a string and
// `list: ""` for columns without constraints; both shapes are accepted
// (docs/extensions.md#the-context-json).
import { Op } from '@osq/idl';

/** Operator names for osquery's constraint codes (SQLite's SQLITE_INDEX_CONSTRAINT_*). */
export const OPERATORS = {
  [Op.UNIQUE]: 'unique',
  [Op.EQ]: 'equals',
  [Op.IN]: 'in',
  [Op.GT]: 'greaterThan',
  [Op.LE]: 'lessThanOrEquals',
  [Op.LT]: 'lessThan',
  [Op.GE]: 'greaterThanOrEquals',
  [Op.MATCH]: 'match',
  [Op.LIKE]: 'like',
  [Op.GLOB]: 'glob',
  [Op.REGEXP]: 'regexp',
  [Op.NE]: 'notEquals',
  [Op.ISNOT]: 'isNot',
  [Op.ISNOTNULL]: 'isNotNull',
  [Op.ISNULL]: 'isNull',
  [Op.IS]: 'is',
} as const;

export type OperatorName = (typeof OPERATORS)[keyof typeof OPERATORS] | 'unknown';

export interface Constraint {
  /** The operator's name; `unknown` for codes this SDK does not name (see `code`). */
  op: OperatorName;
  /** osquery's numeric operator code. */
  code: number;
  /** The value, always text (osquery renders SQLite values as strings). */
  expr: string;
}

function operatorName(code: number): OperatorName {
  return (OPERATORS as Record<number, OperatorName>)[code] ?? 'unknown';
}

export class QueryContext<C extends string = string> {
  /** Constraints per column; columns without constraints are absent or map to []. */
  readonly constraints: Partial<Record<C, Constraint[]>>;
  /** Each column's type as the core sees it (`TEXT`, `BIGINT`, ...), when sent. */
  readonly affinity: Partial<Record<C, string>>;
  /** The columns the query uses, or null when the core did not say (use every column). */
  readonly colsUsed: ReadonlySet<string> | null;
  /** Bit i set when column i is used (bit 63: some column >= 63); null when not sent. */
  readonly colsUsedBitset: bigint | null;

  constructor(
    init: {
      constraints?: Partial<Record<C, Constraint[]>>;
      affinity?: Partial<Record<C, string>>;
      colsUsed?: Iterable<string> | null;
      colsUsedBitset?: bigint | null;
    } = {},
  ) {
    this.constraints = init.constraints ?? {};
    this.affinity = init.affinity ?? {};
    this.colsUsed = init.colsUsed ? new Set(init.colsUsed) : null;
    this.colsUsedBitset = init.colsUsedBitset ?? null;
  }

  /** Parses the `context` request value; an absent or empty one means "no constraints". */
  static parse<C extends string = string>(json: string | undefined): QueryContext<C> {
    if (json === undefined || json.trim() === '') return new QueryContext<C>();
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch {
      throw new Error('invalid query context JSON');
    }
    if (typeof doc !== 'object' || doc === null) throw new Error('invalid query context JSON');
    const d = doc as Record<string, unknown>;
    const constraints: Partial<Record<string, Constraint[]>> = {};
    const affinity: Partial<Record<string, string>> = {};
    for (const entry of Array.isArray(d.constraints) ? d.constraints : []) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as Record<string, unknown>;
      if (typeof e.name !== 'string') continue;
      if (typeof e.affinity === 'string') affinity[e.name] = e.affinity;
      const list = parseList(e.list);
      if (list.length > 0) constraints[e.name] = [...(constraints[e.name] ?? []), ...list];
    }
    const colsUsed = Array.isArray(d.colsUsed) ? d.colsUsed.filter((c) => typeof c === 'string') : null;
    return new QueryContext<C>({
      constraints: constraints as Partial<Record<C, Constraint[]>>,
      affinity: affinity as Partial<Record<C, string>>,
      colsUsed,
      colsUsedBitset: parseBitset(json),
    });
  }

  /** The constraints on `column`, optionally only those with operator `op`. */
  get(column: C, op?: OperatorName): Constraint[] {
    const list = this.constraints[column] ?? [];
    return op === undefined ? list : list.filter((c) => c.op === op);
  }

  /** Whether the query constrains `column` (with `op`, if given). */
  has(column: C, op?: OperatorName): boolean {
    return this.get(column, op).length > 0;
  }

  /** The distinct values of `column = x` (and `IN` lists on optimized columns). */
  equals(column: C): string[] {
    return [...new Set(this.get(column, 'equals').map((c) => c.expr))];
  }

  /** Like `equals`, keeping only values that are integers. */
  integerEquals(column: C): number[] {
    return this.equals(column)
      .filter((v) => /^\s*[+-]?\d+\s*$/.test(v))
      .map((v) => Number.parseInt(v, 10));
  }

  /** Whether the query reads `column`; true when the core did not say. */
  isColumnUsed(column: C): boolean {
    return this.colsUsed === null || this.colsUsed.has(column);
  }
}

function parseList(list: unknown): Constraint[] {
  if (!Array.isArray(list)) return []; // `""` from osquery < 3.0, or missing
  const out: Constraint[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { op, expr } = item as Record<string, unknown>;
    const code = typeof op === 'number' ? op : Number.parseInt(String(op ?? ''), 10);
    if (!Number.isInteger(code)) continue;
    out.push({ op: operatorName(code), code, expr: expr === undefined || expr === null ? '' : String(expr) });
  }
  return out;
}

/** colsUsedBitset is a uint64: read it from the text, JSON.parse would round it. */
function parseBitset(json: string): bigint | null {
  const m = /"colsUsedBitset"\s*:\s*"?(\d+)"?/.exec(json);
  return m?.[1] ? BigInt(m[1]) : null;
}
