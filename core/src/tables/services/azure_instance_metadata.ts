// azure_instance_metadata: one row from the Azure compute metadata document (see
// azure_metadata.ts). Only string fields are reported; others read as ''.
import { defineTable, text } from '../framework.js';
import { fetchAzureMetadata } from './azure_metadata.js';
import { strictStr } from './util.js';

const FIELDS: [string, string][] = [
  ['location', 'location'],
  ['name', 'name'],
  ['offer', 'offer'],
  ['publisher', 'publisher'],
  ['sku', 'sku'],
  ['version', 'version'],
  ['os_type', 'osType'],
  ['platform_update_domain', 'platformUpdateDomain'],
  ['platform_fault_domain', 'platformFaultDomain'],
  ['vm_id', 'vmId'],
  ['vm_size', 'vmSize'],
  ['subscription_id', 'subscriptionId'],
  ['resource_group_name', 'resourceGroupName'],
  ['placement_group_id', 'placementGroupId'],
  ['vm_scale_set_name', 'vmScaleSetName'],
  ['zone', 'zone'],
];

export const azureInstanceMetadata = defineTable({
  name: 'azure_instance_metadata',
  attributes: { cacheable: true },
  columns: {
    location: text(),
    name: text(),
    offer: text(),
    publisher: text(),
    sku: text(),
    version: text(),
    os_type: text(),
    platform_update_domain: text(),
    platform_fault_domain: text(),
    vm_id: text({ index: true }),
    vm_size: text(),
    subscription_id: text(),
    resource_group_name: text(),
    placement_group_id: text(),
    vm_scale_set_name: text(),
    zone: text(),
  },
  generate() {
    const doc = fetchAzureMetadata();
    if (doc === null) return [];
    return [Object.fromEntries(FIELDS.map(([col, key]) => [col, strictStr(doc[key])]))];
  },
});
