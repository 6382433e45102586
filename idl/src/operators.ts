// The constraint operator codes of a query context: SQLite's SQLITE_INDEX_CONSTRAINT_*
// values, which osquery passes through unchanged as the `op` of each constraint in the
// `context` JSON a table plugin receives.

export const Op = {
  UNIQUE: 1,
  EQ: 2,
  IN: 3,
  GT: 4,
  LE: 8,
  LT: 16,
  GE: 32,
  MATCH: 64,
  LIKE: 65,
  GLOB: 66,
  REGEXP: 67,
  NE: 68,
  ISNOT: 69,
  ISNOTNULL: 70,
  ISNULL: 71,
  IS: 72,
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];
