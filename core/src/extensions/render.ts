// Values as osquery's core renders them in query() responses and result logs
// (castvariant.h): integers in decimal, REALs with 15 significant digits (%g style)
// and `.0` appended when there is no `.`, NULL as --nullvalue.
import type { QueryResult, SqlValue } from '../engine/types.js';
import { flags } from '../flags/index.js';

/** C's `%.15g`. */
export function formatG15(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(15)))));
  if (exp < -4 || exp >= 15) {
    const [mant = '', e = '0'] = x.toExponential(14).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 14 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

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
