// azure_instance_tags: the VM's tags, from the "tags" string of the compute metadata
// ("key1:value1;key2:value2"); a piece without ":" is skipped.
import { defineTable, type Row, text } from '../framework.js';
import { fetchAzureMetadata } from './azure_metadata.js';
import { strictStr } from './util.js';

export const azureInstanceTags = defineTable({
  name: 'azure_instance_tags',
  attributes: { cacheable: true },
  columns: {
    vm_id: text(),
    key: text(),
    value: text(),
  },
  generate() {
    const doc = fetchAzureMetadata();
    if (doc === null) return [];
    const vmId = strictStr(doc.vmId);
    const rows: Row[] = [];
    for (const tag of strictStr(doc.tags).split(';')) {
      const colon = tag.indexOf(':');
      if (colon < 0) continue;
      rows.push({ vm_id: vmId, key: tag.slice(0, colon), value: tag.slice(colon + 1) });
    }
    return rows;
  },
});
