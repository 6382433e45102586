// ycloud_instance_metadata: Yandex.Cloud's GCE-compatible metadata service,
// GET <endpoint>/computeMetadata/v1/instance/?alt=json&recursive=true with
// "Metadata-Flavor: Google". `metadata_endpoint = ...` picks endpoints (as in
// osquery); otherwise --ycloud_metadata_endpoint (osq's flag for tests; default the
// link-local http://169.254.169.254) is used.
import { flagDeclaration, flags } from '../../flags/index.js';
import { isObject, type Json, tryParseJson } from '../../lib/json.js';
import { httpRequestSync } from '../../net/http.js';
import { defineTable, type Row, text } from '../framework.js';
import { at, statusWarning, strictStr } from './util.js';

/** "projects/<folder>/zones/<zone>" -> "<zone>"; anything else ''. */
export function zoneId(zone: string): string {
  if (!zone.startsWith('projects/')) return '';
  const parts = zone.split('/').filter((p) => p !== '');
  return parts[3] ?? '';
}

function fetchDoc(endpoint: string, probe: boolean): Json | null {
  const url = `${endpoint}/computeMetadata/v1/instance/?alt=json&recursive=true`;
  try {
    const res = httpRequestSync({
      url,
      headers: { 'Metadata-Flavor': 'Google' },
      timeoutMs: probe ? 1000 : 3000,
    });
    if (res.status !== 200) {
      statusWarning(`ycloud: metadata service ${endpoint} responded with ${res.status}`);
      return null;
    }
    const doc = tryParseJson(res.body);
    if (!isObject(doc)) {
      statusWarning(`ycloud: metadata service ${endpoint} response isn't a JSON object`);
      return null;
    }
    return doc;
  } catch (e) {
    statusWarning(`ycloud: couldn't fetch metadata from ${endpoint}: ${(e as Error).message}`);
    return null;
  }
}

function metadataRow(endpoint: string, doc: Json): Row {
  return {
    instance_id: strictStr(at(doc, 'id')),
    folder_id: strictStr(at(doc, 'vendor', 'folderId')),
    cloud_id: strictStr(at(doc, 'vendor', 'cloudId')),
    name: strictStr(at(doc, 'name')),
    description: strictStr(at(doc, 'description')),
    hostname: strictStr(at(doc, 'hostname')),
    zone: zoneId(strictStr(at(doc, 'zone'))),
    ssh_public_key: strictStr(at(doc, 'attributes', 'ssh-keys')),
    serial_port_enabled: strictStr(at(doc, 'attributes', 'serial-port-enable')),
    metadata_endpoint: endpoint,
  };
}

export const ycloudInstanceMetadata = defineTable({
  name: 'ycloud_instance_metadata',
  attributes: { cacheable: true },
  columns: {
    instance_id: text({ index: true }),
    folder_id: text(),
    cloud_id: text(),
    name: text(),
    description: text(),
    hostname: text(),
    zone: text(),
    ssh_public_key: text(),
    serial_port_enabled: text(),
    metadata_endpoint: text({ index: true }),
  },
  generate(ctx) {
    const given = ctx.equals('metadata_endpoint');
    const fallback = flags.ycloud_metadata_endpoint;
    const endpoints = given.length > 0 ? given : [fallback];
    const rows: Row[] = [];
    for (const endpoint of endpoints) {
      const probe = given.length === 0 && fallback === flagDeclaration('ycloud_metadata_endpoint')?.default;
      const doc = fetchDoc(endpoint, probe);
      if (doc !== null) rows.push(metadataRow(endpoint, doc));
    }
    return rows;
  },
});
