// The Docker Engine API over its Unix socket (--docker_socket), as osquery's
// docker tables use it: plain GETs, a 200 answer with a JSON body, nothing else.
import { flags } from '../../flags/index.js';
import { type Json, tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { Op, type QueryContext } from '../framework.js';
import { statusWarning, str } from './util.js';

const TIMEOUT_MS = 3000;

/**
 * GET `uri` from the Docker daemon and parse the JSON answer. Null (after one status
 * warning) when the socket is missing, the daemon answers other than 200, or the
 * body is not JSON.
 */
export function dockerGet(uri: string, timeoutMs = TIMEOUT_MS): Json | null {
  const socketPath = flags.docker_socket;
  try {
    const res = httpRequestSync({ url: uri, socketPath, timeoutMs, headers: { Accept: '*/*' } });
    if (res.status !== 200) {
      statusWarning(`docker: invalid API response for ${uri}: HTTP ${res.status}`);
      return null;
    }
    const json = tryParseJson(res.body) ?? null;
    if (json === null) statusWarning(`docker: error reading API response for ${uri}`);
    return json;
  } catch (e) {
    statusWarning(`docker: error calling API ${uri}: ${(e as Error).message}`);
    return null;
  }
}

/** osquery only passes ids that look like (a prefix of) a SHA-256 hex digest. */
export function isHashLike(value: string): boolean {
  return value.length <= 64 && /^[0-9a-fA-F]*$/.test(value);
}

/** The `=` values of `column` that are hash-like. */
export function hashConstraints(ctx: QueryContext, column: string): string[] {
  return ctx.equals(column).filter(isHashLike);
}

/**
 * The query string osquery adds for `column = ...` constraints:
 * `?[all=1&]filters={"<column>":{"v1":true,...}}`, or '' without a constraint
 * (then Docker lists running containers only, as in osquery). `wanted` receives
 * the values passed on.
 */
export function filterQuery(ctx: QueryContext, column: string, addAll: boolean, wanted: Set<string>): string {
  if (!ctx.hasConstraint(column, Op.EQ)) return '';
  const keys: Record<string, boolean> = {};
  for (const v of hashConstraints(ctx, column)) {
    keys[v] = true;
    wanted.add(v);
  }
  const filters = encodeURIComponent(JSON.stringify({ [column]: keys }));
  return `?${addAll ? 'all=1&' : ''}filters=${filters}`;
}

/** Drop a leading "sha256:" (osquery reports bare digests). */
export function stripSha(value: string): string {
  return value.startsWith('sha256:') ? value.slice(7) : value;
}

/**
 * The object's key field without "sha256:"; when the query asked for an id prefix
 * Docker matched, osquery reports the prefix the query gave (so `id = 'abc'` holds).
 */
export function keyValue(obj: Json, key: string, wanted: Set<string>): string {
  const value = stripSha(str((obj as Record<string, Json>)[key]));
  for (const w of wanted) if (value.startsWith(w)) return w;
  return value;
}

/** GET /containers/json with osquery's id filter; null when Docker is unreachable. */
export function listContainers(ctx: QueryContext, wanted: Set<string>): Json[] | null {
  const list = dockerGet(`/containers/json${filterQuery(ctx, 'id', true, wanted)}`);
  return Array.isArray(list) ? list : null;
}
