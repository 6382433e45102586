// secureboot_certificates: the X.509 certificates of the UEFI Secure Boot signature
// databases, as osquery reads them on Linux: every efivarfs file `db-<GUID>` (the
// allowed database) and `dbx-<GUID>` (the forbidden one). Certificates found in
// dbx are the revoked ones (revoked = 1); `path` is the efivarfs file. Like
// osquery, KEK and PK are not read, and dbx hash entries (EFI_CERT_SHA256 and
// friends) give no rows: only EFI_CERT_X509_GUID lists hold certificates.
//
// A variable's data is a run of EFI_SIGNATURE_LIST structures (UEFI Specification
// 2.10, UEFI §32.4.1 "Signature Database"), after the 4 attribute bytes efivarfs puts first.
// The certificate fields come from the `certificates` table's reader.
// Test override: OSQ_EFIVARS_ROOT replaces /sys/firmware/efi/efivars.

import { listDir, readBytes } from '../../lib/fs.js';
import { certificateRow } from '../forensics/certificates.js';
import { elementLength } from '../forensics/der.js';
import { defineTable, integer, type Row, text } from '../framework.js';
import { efivarsDir } from './secureboot.js';

/** EFI_CERT_X509_GUID {a5c059a1-94e4-4aa7-87b5-ab155c2bf072} as stored (little-endian fields). */
const EFI_CERT_X509 = Buffer.from('a159c0a5e494a74a87b5ab155c2bf072', 'hex');

/** EFI_SIGNATURE_LIST: SignatureType (16), ListSize, HeaderSize, SignatureSize (u32 LE each). */
const LIST_HEADER = 28;
/** EFI_SIGNATURE_DATA starts with the 16-byte SignatureOwner GUID. */
const OWNER_GUID = 16;
/** efivarfs prefixes each variable with its 32-bit attributes. */
const ATTRIBUTES = 4;

/** The databases osquery reads, in its order. */
const STORES = [
  { name: 'db', revoked: 0 },
  { name: 'dbx', revoked: 1 },
];

/**
 * The DER certificates of the EFI_CERT_X509_GUID lists in a variable's data (the
 * bytes after the attributes). Stops at the first list whose size does not fit.
 */
export function eslCertificates(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let head = 0;
  while (head + LIST_HEADER <= data.length) {
    const listSize = data.readUInt32LE(head + 16);
    const headerSize = data.readUInt32LE(head + 20);
    const sigSize = data.readUInt32LE(head + 24);
    if (listSize === 0 || head + listSize > data.length) break;
    const first = head + LIST_HEADER + headerSize;
    const end = head + listSize;
    if (data.subarray(head, head + 16).equals(EFI_CERT_X509) && sigSize > OWNER_GUID && first <= end) {
      const count = Math.floor((end - first) / sigSize);
      for (let i = 0; i < count; i++) {
        const cert = data.subarray(first + i * sigSize + OWNER_GUID, first + (i + 1) * sigSize);
        // The entry may be padded; the certificate is the first DER element.
        const len = elementLength(cert);
        if (len !== undefined) out.push(cert.subarray(0, len));
      }
    }
    head = end;
  }
  return out;
}

/** One row per certificate of one efivarfs file. */
export function variableRows(path: string, revoked: number): Row[] {
  const content = readBytes(path);
  if (content === null || content.length < ATTRIBUTES + LIST_HEADER) return [];
  const rows: Row[] = [];
  for (const der of eslCertificates(content.subarray(ATTRIBUTES))) {
    const cert = certificateRow(der, path);
    if (!cert) continue;
    rows.push({
      common_name: cert.common_name,
      subject: cert.subject,
      issuer: cert.issuer,
      not_valid_before: cert.not_valid_before,
      not_valid_after: cert.not_valid_after,
      sha1: cert.sha1,
      serial: cert.serial,
      revoked,
      path,
      is_ca: cert.ca,
      self_signed: cert.self_signed,
      key_usage: cert.key_usage,
      authority_key_id: cert.authority_key_id,
      subject_key_id: cert.subject_key_id,
      signing_algorithm: cert.signing_algorithm,
      key_algorithm: cert.key_algorithm,
      key_strength: cert.key_strength,
    });
  }
  return rows;
}

function generate(): Row[] {
  const dir = efivarsDir();
  const names = listDir(dir);
  const rows: Row[] = [];
  for (const store of STORES) {
    for (const name of names.filter((n) => n.startsWith(`${store.name}-`))) {
      rows.push(...variableRows(`${dir}/${name}`, store.revoked));
    }
  }
  return rows;
}

export const securebootCertificates = defineTable({
  name: 'secureboot_certificates',
  columns: {
    common_name: text(),
    subject: text(),
    issuer: text(),
    not_valid_before: text(),
    not_valid_after: text(),
    sha1: text({ collate: 'nocase' }),
    serial: text({ collate: 'nocase' }),
    revoked: integer(),
    path: text(),
    is_ca: integer(),
    self_signed: integer(),
    key_usage: text(),
    authority_key_id: text({ collate: 'nocase' }),
    subject_key_id: text({ collate: 'nocase' }),
    signing_algorithm: text(),
    key_algorithm: text(),
    key_strength: text(),
  },
  generate,
});
