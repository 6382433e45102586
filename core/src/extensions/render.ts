// Values as osquery's core renders them in query() responses and result logs
// (castvariant.h): integers in decimal, REALs with 15 significant digits (%g style)
// and `.0` appended when there is no `.`, NULL as --nullvalue.
import { formatG15 } from '@osq/idl';
import type { QueryResult, SqlValue } from '../engine/types.js';
import { flags } from '../flags/index.js';

export function renderValue(v: SqlValue, isReal: boolean): string {
  if (v === null) return flags.nullvalue;
  if (typeof v === 'number' && isReal) {
    const s = formatG15(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A result's rows as column -> text maps, rendered as above. */
export function renderRows(r: QueryResult): Record<string, string>[] {
  return r.rows.map((cells) => {
    const row: Record<string, string> = {};
    r.columns.forEach((c, i) => {
      row[c] = renderValue(cells[i] ?? null, r.realColumns?.[i] ?? false);
    });
    return row;
  });
}
