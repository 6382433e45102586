// REALs must print exactly as SQLite turns them into text (`1.0`, `0.30000000000000004`,
// `1.0e+20`); SQLite's digit generation has its own rounding, so we ask SQLite itself
// through a private in-memory connection, opened on the first REAL we meet.
import { createRequire } from 'node:module';
import { approximateRealText, type RealToText } from './printer.js';

interface CastStatement {
  get(n: number): unknown;
}

export function sqliteRealText(): RealToText {
  let cast: CastStatement | null | undefined;
  return (n: number): string => {
    if (cast === undefined) {
      try {
        const Database = createRequire(import.meta.url)('better-sqlite3');
        cast = new Database(':memory:').prepare('SELECT CAST(? AS TEXT)').pluck() as CastStatement;
      } catch {
        cast = null; // better-sqlite3 unavailable: fall back to the portable approximation
      }
    }
    if (cast === null || Number.isNaN(n)) return approximateRealText(n);
    const text = cast.get(n);
    return typeof text === 'string' ? text : approximateRealText(n);
  };
}
