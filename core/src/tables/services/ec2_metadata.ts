// The EC2 instance metadata service (IMDS) as osquery reads it: an IMDSv2 session
// token first (PUT /latest/api/token), then GETs carrying the token; without a token
// osquery falls back to IMDSv1 unless --aws_disable_imdsv1_fallback.
//
// The base URL is --ec2_metadata_endpoint (osq's flag for tests; default the
// link-local http://169.254.169.254). Unlike osquery, which retries the token three
// times with growing pauses, osq gives up at once when nothing answers within 1 s,
// so off EC2 the tables cost about a second and return no rows.
import { flags } from '../../flags/index.js';
import { httpRequestSync } from '../../net/http.js';
import { statusWarning } from './util.js';

const TOKEN_TIMEOUT_MS = 1000;
const GET_TIMEOUT_MS = 3000;

export interface Imds {
  /** The IMDSv2 token, or null to use IMDSv1. */
  token: string | null;
  base: string;
}

/** Reach the metadata service, or null (with a status warning) when it is absent. */
export function openImds(): Imds | null {
  const base = `${flags.ec2_metadata_endpoint.replace(/\/+$/, '')}/latest/`;
  let token: string | null = null;
  try {
    const res = httpRequestSync({
      url: `${base}api/token`,
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' },
      body: '',
      timeoutMs: TOKEN_TIMEOUT_MS,
    });
    if (res.status === 200 && res.body !== '') token = res.body;
  } catch (e) {
    statusWarning(`ec2: instance metadata service unreachable: ${(e as Error).message}`);
    return null;
  }
  if (token === null && flags.aws_disable_imdsv1_fallback) {
    statusWarning('ec2: could not retrieve an IMDSv2 token and the IMDSv1 fallback is disabled');
    return null;
  }
  return { token, base };
}

/** GET a metadata path ("meta-data/mac"); '' on 404, other errors or timeouts. */
export function imdsGet(imds: Imds, suffix: string): string {
  try {
    const res = httpRequestSync({
      url: imds.base + suffix,
      headers: imds.token !== null ? { 'x-aws-ec2-metadata-token': imds.token } : {},
      timeoutMs: GET_TIMEOUT_MS,
    });
    if (res.status === 200) return res.body;
    if (res.status !== 404) statusWarning(`ec2: unexpected HTTP ${res.status} for ${suffix}`);
  } catch (e) {
    statusWarning(`ec2: request for ${suffix} failed: ${(e as Error).message}`);
  }
  return '';
}
