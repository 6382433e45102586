// The LXD REST API over its Unix socket (--lxd_socket), as osquery's lxd tables use
// it: GETs answered 200 with a {"type":"sync","metadata":...} document. Lists hold
// resource URLs ("/1.0/containers/c1") that are fetched one by one.
import { flags } from '../../flags/index.js';
import { childValues, type Json, tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { at, statusWarning, str } from './util.js';

const TIMEOUT_MS = 3000;

/** The `metadata` of GET `uri`, or null (after a status warning) on any failure. */
export function lxdGet(uri: string): Json | null {
  const socketPath = flags.lxd_socket;
  try {
    const res = httpRequestSync({ url: uri, socketPath, timeoutMs: TIMEOUT_MS, headers: { Accept: '*/*' } });
    if (res.status !== 200 && res.status !== 202) {
      statusWarning(`lxd: invalid API response for ${uri}: HTTP ${res.status}`);
      return null;
    }
    const doc = tryParseJson(res.body);
    const meta = at(doc ?? undefined, 'metadata');
    if (meta === undefined) {
      statusWarning(`lxd: error reading API response for ${uri}`);
      return null;
    }
    return meta;
  } catch (e) {
    statusWarning(`lxd: error calling API ${uri}: ${(e as Error).message}`);
    return null;
  }
}

/** The resource URLs a list endpoint returns. */
export function lxdList(uri: string): string[] {
  return childValues(lxdGet(uri) ?? undefined).map((u) => str(u));
}

/**
 * A field osquery reads without a default: a missing field drops the whole row
 * (osquery's property tree throws). Throws MissingField.
 */
export class MissingField extends Error {}

export function need(v: Json | null | undefined, ...keys: string[]): Json {
  const found = at(v ?? undefined, ...keys);
  if (found === undefined) throw new MissingField(keys.join('.'));
  return found;
}

/** A required text field; JSON null reads as "null", as in osquery's property trees. */
export function needStr(v: Json | null | undefined, ...keys: string[]): string {
  const found = need(v, ...keys);
  return found === null ? 'null' : str(found);
}

/** A required boolean as 1/0. */
export function needBool(v: Json | null | undefined, ...keys: string[]): number {
  const b = need(v, ...keys);
  if (b === true || b === 'true') return 1;
  if (b === false || b === 'false') return 0;
  throw new MissingField(keys.join('.'));
}

/** A required integer. */
export function needInt(v: Json | null | undefined, ...keys: string[]): number {
  const n = need(v, ...keys);
  const num = typeof n === 'number' ? n : Number(str(n));
  if (!Number.isFinite(num)) throw new MissingField(keys.join('.'));
  return Math.trunc(num);
}

/** Run `build`; a missing required field yields null (the row is skipped). */
export function orSkip<T>(what: string, build: () => T): T | null {
  try {
    return build();
  } catch (e) {
    if (e instanceof MissingField) {
      statusWarning(`lxd: error parsing details for ${what}: no ${e.message}`);
      return null;
    }
    throw e;
  }
}
