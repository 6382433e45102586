// Helpers shared by the service tables (Docker, LXD, cloud metadata, curl,
// Prometheus): tolerant JSON walking in the style of osquery's property trees,
// and the one-line status warning a table prints when its service is missing.
import { childValues, isObject, type Json } from '../../lib/json.js';

/**
 * Print one status warning on stderr. Used when a service a table reads is absent
 * or answers badly: the table then returns no rows instead of failing the query.
 * (The daemon's status log will take these over later.)
 */
export function statusWarning(message: string): void {
  console.warn(`osq: ${message}`);
}

/** Walk `a.b.c` (keys given as separate arguments; keys may contain dots). */
export function at(v: Json | undefined, ...keys: string[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * The value as text the way osquery's property tree renders scalars: strings as
 * they are, numbers and booleans in JSON spelling, anything else `fallback`.
 */
export function str(v: Json | undefined, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fallback;
}

/** Only a JSON string counts (rapidjson-style lookups in osquery's newer tables). */
export function strictStr(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** An integer from a number or numeric string, else `fallback`. */
export function int(v: Json | undefined, fallback = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return fallback;
}

/** 1 for JSON true (or "true"), 0 otherwise: osquery's INTEGER(get<bool>(..., false)). */
export function boolInt(v: Json | undefined): number {
  return v === true || v === 'true' || v === 1 ? 1 : 0;
}

/** The entries of an object (key, value); empty for anything else. */
export function entries(v: Json | undefined): [string, Json][] {
  return isObject(v) ? Object.entries(v) : [];
}

/** The scalar elements of an array joined with `sep` (osquery::join over a child list). */
export function joinList(v: Json | undefined, sep: string): string {
  return childValues(v)
    .map((x) => str(x))
    .join(sep);
}
