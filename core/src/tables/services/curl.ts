// curl: GET each `url = ...` and report the status, the round-trip time in
// microseconds, the body and its size, as osquery's curl table. One `user_agent = `
// may replace osquery's default agent "osquery"; a failed request still yields a row
// with only url, method and user_agent.
import { httpRequestSync } from '../../net/http.js';
import { bigint, defineTable, integer, Op, type Row, text } from '../framework.js';
import { statusWarning } from './util.js';

const DEFAULT_USER_AGENT = 'osquery';
const TIMEOUT_MS = 10_000;

function fetchRow(url: string, userAgent: string): Row {
  const row: Row = { url, method: 'GET', user_agent: userAgent };
  try {
    const started = process.hrtime.bigint();
    const res = httpRequestSync({ url, headers: { 'User-Agent': userAgent }, timeoutMs: TIMEOUT_MS });
    const elapsedUs = Number((process.hrtime.bigint() - started) / 1000n);
    row.response_code = res.status;
    row.round_trip_time = elapsedUs;
    row.result = res.body;
    row.bytes = Buffer.byteLength(res.body);
  } catch (e) {
    statusWarning(`curl: error making request: ${(e as Error).message}`);
  }
  return row;
}

export const curl = defineTable({
  name: 'curl',
  columns: {
    url: text({ index: true, required: true, optimized: true }),
    method: text(),
    user_agent: text({ additional: true }),
    response_code: integer(),
    round_trip_time: bigint(),
    bytes: bigint(),
    result: text(),
  },
  generate(ctx) {
    const agents = ctx.equals('user_agent');
    if (agents.length > 1) {
      statusWarning('curl: can only accept a single user_agent');
      return [];
    }
    if (ctx.hasConstraint('url', Op.LIKE)) statusWarning('curl: using LIKE clause for url is not supported');
    return ctx.equals('url').map((url) => fetchRow(url, agents[0] ?? DEFAULT_USER_AGENT));
  },
});
