// ec2_instance_metadata: one row from the EC2 instance metadata service (see
// ec2_metadata.ts for the endpoint and the IMDSv2 token flow).

import { tryParseJson } from '../../lib/json.js';
import { defineTable, type Row, text } from '../framework.js';
import { imdsGet, openImds } from './ec2_metadata.js';
import { at, str } from './util.js';

// Columns filled from the instance identity document, with its JSON keys.
const IDENTITY: [string, string][] = [
  ['instance_id', 'instanceId'],
  ['instance_type', 'instanceType'],
  ['local_ipv4', 'privateIp'],
  ['availability_zone', 'availabilityZone'],
  ['region', 'region'],
  ['account_id', 'accountId'],
  ['architecture', 'architecture'],
  ['ami_id', 'imageId'],
];

// Columns that are a metadata path's whole body.
const SIMPLE: [string, string][] = [
  ['mac', 'meta-data/mac'],
  ['local_hostname', 'meta-data/local-hostname'],
  ['ssh_public_key', 'meta-data/public-keys/0/openssh-key'],
  ['reservation_id', 'meta-data/reservation-id'],
  ['security_groups', 'meta-data/security-groups'],
];

/** osquery drops every newline of a text value (so multi-line values run together). */
function oneLine(text: string): string {
  return text.replaceAll('\n', '');
}

export const ec2InstanceMetadata = defineTable({
  name: 'ec2_instance_metadata',
  attributes: { cacheable: true },
  columns: {
    instance_id: text(),
    instance_type: text(),
    architecture: text(),
    region: text(),
    availability_zone: text(),
    local_hostname: text(),
    local_ipv4: text(),
    mac: text({ collate: 'nocase' }),
    security_groups: text(),
    iam_arn: text(),
    ami_id: text(),
    reservation_id: text(),
    account_id: text(),
    ssh_public_key: text(),
  },
  generate() {
    const imds = openImds();
    if (imds === null) return [];
    const row: Row = {};
    const identity = tryParseJson(imdsGet(imds, 'dynamic/instance-identity/document')) ?? null;
    if (identity !== null) {
      for (const [col, key] of IDENTITY) row[col] = oneLine(str(at(identity, key)));
    }
    const iam = tryParseJson(imdsGet(imds, 'meta-data/iam/info')) ?? null;
    if (iam !== null) row.iam_arn = oneLine(str(at(iam, 'InstanceProfileArn')));
    for (const [col, path] of SIMPLE) row[col] = oneLine(imdsGet(imds, path));
    return [row];
  },
});
