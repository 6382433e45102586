// osquery's extra SQL functions, registered on every connection (osquery's
// sqlite_util.cpp openOptimized). version_compare() and the version collations are
// native (core/native/version.c), loaded with the vtab extension.
import type Database from 'better-sqlite3';
import { encodingFunctions } from './encoding.js';
import { filesystemFunctions } from './filesystem.js';
import { hashingFunctions } from './hashing.js';
import { mathFunctions } from './math.js';
import { networkFunctions } from './network.js';
import { carveAggregate, sleepSeconds } from './operations.js';
import { stringFunctions } from './string.js';
import type { ScalarFunction } from './util.js';

export { setCarveStarter } from './operations.js';
export { setFunctionWarningSink } from './util.js';

const scalarFunctions: ScalarFunction[] = [
  ...stringFunctions,
  ...hashingFunctions,
  ...encodingFunctions,
  ...networkFunctions,
  ...mathFunctions,
  ...filesystemFunctions,
  { name: 'sleep', arity: 1, deterministic: false, fn: sleepSeconds },
];

export function registerFunctions(db: Database.Database): void {
  for (const f of scalarFunctions) {
    // better-sqlite3 takes a fixed function's SQL arity from fn.length.
    if (f.arity !== 'any' && f.fn.length !== f.arity) {
      throw new Error(`osq: SQL function ${f.name} declares ${f.arity} arguments but takes ${f.fn.length}`);
    }
    db.function(
      f.name,
      { deterministic: f.deterministic, varargs: f.arity === 'any', safeIntegers: true },
      f.fn,
    );
  }
  const { name, ...carve } = carveAggregate;
  db.aggregate(name, { ...carve, safeIntegers: true });
}
