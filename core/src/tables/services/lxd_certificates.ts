// lxd_certificates: the trusted client certificates (GET /1.0/certificates, then each URL).
import { defineTable, type Row, text } from '../framework.js';
import { lxdGet, lxdList } from './lxd_api.js';
import { at, str } from './util.js';

export const lxdCertificates = defineTable({
  name: 'lxd_certificates',
  columns: {
    name: text(),
    type: text(),
    fingerprint: text({ collate: 'nocase' }),
    certificate: text(),
  },
  generate() {
    const rows: Row[] = [];
    for (const url of lxdList('/1.0/certificates')) {
      const m = lxdGet(url);
      if (m === null) continue;
      rows.push({
        name: str(at(m, 'name')),
        type: str(at(m, 'type')),
        fingerprint: str(at(m, 'fingerprint')),
        certificate: str(at(m, 'certificate')),
      });
    }
    return rows;
  },
});
