// ec2_instance_tags: the instance's tags from the EC2 API (DescribeTags filtered on
// resource-id = this instance), as osquery does through the AWS SDK. The instance id
// and region come from the metadata identity document; credentials from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or the
// instance profile (meta-data/iam/security-credentials/<role>). The request is
// signed with AWS Signature Version 4.
//
// The API base URL is https://ec2.<region>.amazonaws.com, or --ec2_api_endpoint
// (osq's flag for tests).
import { createHash, createHmac } from 'node:crypto';
import { flags } from '../../flags/index.js';
import { tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { defineTable, type Row, text } from '../framework.js';
import { type Imds, imdsGet, openImds } from './ec2_metadata.js';
import { at, statusWarning, str } from './util.js';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

function credentials(imds: Imds): Credentials | null {
  const env = process.env;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN ?? '',
    };
  }
  const role = imdsGet(imds, 'meta-data/iam/security-credentials/').split('\n')[0]?.trim() ?? '';
  if (role === '') return null;
  const doc = tryParseJson(imdsGet(imds, `meta-data/iam/security-credentials/${role}`));
  const accessKeyId = str(at(doc ?? undefined, 'AccessKeyId'));
  const secretAccessKey = str(at(doc ?? undefined, 'SecretAccessKey'));
  if (accessKeyId === '' || secretAccessKey === '') return null;
  return { accessKeyId, secretAccessKey, sessionToken: str(at(doc ?? undefined, 'Token')) };
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it. */
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Headers for a SigV4-signed GET of `url` (service ec2). */
export function signV4(url: URL, region: string, creds: Credentials, now: Date): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const params = [...url.searchParams.entries()].map(([k, v]) => `${enc(k)}=${enc(v)}`).sort();
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate };
  if (creds.sessionToken !== '') headers['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = [
    'GET',
    url.pathname || '/',
    params.join('&'),
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    sha256(''),
  ].join('\n');
  const scope = `${day}/${region}/ec2/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), region), 'ec2'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** The <item> key/value pairs of a DescribeTags XML answer. */
export function parseDescribeTags(xml: string): [string, string][] {
  const decodeEntities = (s: string) =>
    s.replace(
      /&(lt|gt|quot|apos|amp);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '',
    );
  const out: [string, string][] = [];
  for (const m of xml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const body = m[1] as string;
    const key = /<key>([\s\S]*?)<\/key>/.exec(body)?.[1];
    const value =
      /<value>([\s\S]*?)<\/value>/.exec(body)?.[1] ?? (/<value\s*\/>/.test(body) ? '' : undefined);
    if (key !== undefined) out.push([decodeEntities(key), decodeEntities(value ?? '')]);
  }
  return out;
}

export const ec2InstanceTags = defineTable({
  name: 'ec2_instance_tags',
  attributes: { cacheable: true },
  columns: {
    instance_id: text(),
    key: text(),
    value: text(),
  },
  generate() {
    const imds = openImds();
    if (imds === null) return [];
    const identity = tryParseJson(imdsGet(imds, 'dynamic/instance-identity/document'));
    const instanceId = str(at(identity ?? undefined, 'instanceId'));
    const region = str(at(identity ?? undefined, 'region'));
    if (instanceId === '' || region === '') return [];
    const creds = credentials(imds);
    if (creds === null) {
      statusWarning('ec2: no AWS credentials for DescribeTags');
      return [];
    }
    const base = flags.ec2_api_endpoint || `https://ec2.${region}.amazonaws.com`;
    const url = new URL('/', base);
    url.search = new URLSearchParams({
      Action: 'DescribeTags',
      Version: '2016-11-15',
      'Filter.1.Name': 'resource-id',
      'Filter.1.Value.1': instanceId,
      MaxResults: '50',
    }).toString();
    try {
      const res = httpRequestSync({
        url: url.toString(),
        headers: signV4(url, region, creds, new Date()),
        timeoutMs: 5000,
      });
      if (res.status !== 200) {
        statusWarning(`ec2: DescribeTags answered HTTP ${res.status}`);
        return [];
      }
      return parseDescribeTags(res.body).map(
        ([key, value]): Row => ({ instance_id: instanceId, key, value }),
      );
    } catch (e) {
      statusWarning(`ec2: DescribeTags failed: ${(e as Error).message}`);
      return [];
    }
  },
});
