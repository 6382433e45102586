// Loads core/native's addon: one file that is both a Node-API addon and the SQLite
// loadable extension better-sqlite3 loads into each connection.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { corePath } from '../paths.js';

/** fn(tableId, [[columnIndex, op, value], ...], colsUsedBits) -> flat row-major cells */
export type Dispatcher = (
  tableId: number,
  constraints: [number, number, unknown][],
  colsUsed: bigint,
) => unknown[];

/**
 * fn(tableId, kind (0 delete, 1 insert, 2 update), argv[0], argv[1], column values) ->
 * [SQLite result code, error message or null, rowid of an inserted row or null].
 * Integers arrive as bigint, reals as number (xUpdate's arguments).
 */
export type WriteDispatcher = (
  tableId: number,
  kind: 0 | 1 | 2,
  argv0: unknown,
  argv1: unknown,
  values: unknown[],
) => [number, string | null, bigint | number | null];

export interface VtabAddon {
  setDispatcher(fn: Dispatcher): void;
  setWriteDispatcher(fn: WriteDispatcher): void;
  registerTable(
    name: string,
    createSql: string,
    types: number[],
    required: number[],
    indexed: number[],
    requiredMessage: string,
    /** Rows carry a trailing rowid cell and writes go to the write dispatcher. */
    writable?: boolean,
  ): number;
  unregisterTable(name: string): void;
}

/** Path of the built addon. */
export const addonPath = corePath('native/build/Release/osq_vtab.node');
/** The SQLite entry point inside it. */
export const entryPoint = 'sqlite3_osqvtab_init';

let loaded: VtabAddon | undefined;

/** The addon for this thread (the addon is context-aware: each worker gets its own). */
export function vtabAddon(): VtabAddon {
  if (!loaded) {
    if (!existsSync(addonPath)) {
      throw new Error(
        `osq: native module missing at ${addonPath}; run \`npm ci\` or \`node scripts/build-native.mjs\``,
      );
    }
    loaded = createRequire(import.meta.url)(addonPath) as VtabAddon;
  }
  return loaded;
}
