// Operations with side effects: the carve() aggregate and sleep()
// (osquery's sqlite_operations.cpp).
import { flags } from '../../flags/index.js';
import { argCString, argInt, type SqlArg, type SqlResult } from './util.js';

/** Starts a carve of the given paths and returns its GUID (the carver, once it exists, installs this). */
export type CarveStarter = (paths: string[]) => string;
let carveStarter: CarveStarter | undefined;

export function setCarveStarter(starter: CarveStarter | undefined): void {
  carveStarter = starter;
}

// Like osquery, the requested paths live in one set per process (per thread here),
// filled by every carve() call and emptied when an aggregate finishes.
const requestedPaths = new Set<string>();

function carveStep(path: SqlArg): void {
  if (path === null) return;
  requestedPaths.add(argCString(path) ?? '');
}

/**
 * osquery hands SQLite 13 bytes of its message, so the result is "Carve Started"
 * or "Carve Failed:". A disabled carver (the default) fails.
 */
function carveResult(): SqlResult {
  let message = 'Carve Failed: function disabled';
  if (!flags.carver_disable_function && carveStarter) {
    try {
      message = `Carve Started: ${carveStarter([...requestedPaths])}`;
    } catch {
      message = 'Carve Failed: could not start';
    }
  }
  requestedPaths.clear();
  return message.slice(0, 13);
}

/** carve(path) as a better-sqlite3 aggregate definition. */
export const carveAggregate = {
  name: 'carve',
  start: null,
  step: (_acc: null, path: SqlArg) => {
    carveStep(path);
    return null;
  },
  result: (_acc: null) => carveResult(),
};

/** sleep(seconds): blocks the query's thread, returns the seconds; negative -> 0 without sleeping. */
export function sleepSeconds(seconds: SqlArg): SqlResult {
  const s = argInt(seconds);
  if (s < 0) return 0n;
  if (s > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
  return BigInt(s);
}
