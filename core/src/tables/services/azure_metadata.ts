// The Azure Instance Metadata Service as osquery reads it: GET
// /metadata/instance/compute?api-version=2018-02-01 with "Metadata: true".
//
// The base URL is --azure_metadata_endpoint (osq's flag for tests; default the
// link-local http://169.254.169.254). osquery first checks this is an Azure VM
// (/var/log/waagent.log exists); osq does too when the endpoint is the default one.
import { existsSync } from 'node:fs';
import { flagDeclaration, flags } from '../../flags/index.js';
import { isObject, type JsonObject, tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { statusWarning } from './util.js';

const TIMEOUT_MS = 3000;
const CONNECT_PROBE_MS = 1000;

/** The compute metadata document, or null (with a status warning). */
export function fetchAzureMetadata(): JsonObject | null {
  const endpoint = flags.azure_metadata_endpoint.replace(/\/+$/, '');
  const isDefault = endpoint === flagDeclaration('azure_metadata_endpoint')?.default;
  if (isDefault && !existsSync('/var/log/waagent.log')) {
    statusWarning('azure: not an Azure instance (no /var/log/waagent.log)');
    return null;
  }
  const url = `${endpoint}/metadata/instance/compute?api-version=2018-02-01`;
  try {
    const res = httpRequestSync({
      url,
      headers: { Metadata: 'true' },
      timeoutMs: isDefault ? CONNECT_PROBE_MS : TIMEOUT_MS,
    });
    if (res.status !== 200) {
      statusWarning(`azure: metadata service responded with ${res.status}`);
      return null;
    }
    const doc = tryParseJson(res.body);
    if (!isObject(doc)) {
      statusWarning("azure: metadata service response isn't a JSON object");
      return null;
    }
    return doc as JsonObject;
  } catch (e) {
    statusWarning(`azure: couldn't request ${url}: ${(e as Error).message}`);
    return null;
  }
}
