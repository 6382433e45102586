// osquery's conversions of config values (JSON::valueToSize, JSON::valueToBool).
import type { Json } from '../lib/json.js';

/** osquery's JSON::valueToSize: unsigned number, or a string of digits; anything else is 0. */
export function valueToSize(v: Json | undefined): number {
  if (typeof v === 'number') return v >= 0 && Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'string') return /^[0-9]+$/.test(v) ? Number(v) : 0;
  return 0;
}

/** osquery's JSON::valueToBool: bools, "true"/"t" (any case), non-zero numbers. */
export function valueToBool(v: Json | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    return s === 't' || s === 'true';
  }
  if (typeof v === 'number') return Math.trunc(v) !== 0;
  return false;
}
