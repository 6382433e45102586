// certificates: the X.509 certificates of PEM bundles. Like osquery on Linux, the
// files are the `path =` values, or by default the distributions' CA bundles
// (/etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/certs/ca-certificates.crt).
// node:crypto's X509Certificate gives the fingerprint, serial, dates, key details
// and the issued-by check; the rest is read from the certificate's DER (der.ts).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineTable, integer, type QueryContext, type Row, text } from '../framework.js';
import { bytes, children, elementLength, type Node, oid, readNode } from './der.js';
import { commonName, onelineName, printName } from './x509_names.js';

const DEFAULT_BUNDLES = ['/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/certs/ca-certificates.crt'];

// OpenSSL's long names for signature and key algorithms.
const ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.1': 'dsaEncryption',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

// Key usage bits in osquery's order (by OpenSSL's flag value).
const KEY_USAGES: [number, string][] = [
  [0x0001, 'Encipher Only'],
  [0x0002, 'CRL Sign'],
  [0x0004, 'Key Cert Sign'],
  [0x0008, 'Key Agreement'],
  [0x0010, 'Data Encipherment'],
  [0x0020, 'Key Encipherment'],
  [0x0040, 'Non Repudiation'],
  [0x0080, 'Digital Signature'],
  [0x8000, 'Decipher Only'],
];

/** The DER of each certificate in a PEM text (CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE). */
export function pemCertificates(text: string): Buffer[] {
  const out: Buffer[] = [];
  const re =
    /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;
  for (const m of text.matchAll(re)) {
    const der = Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64');
    // A trusted certificate carries trust settings after the certificate itself.
    const len = elementLength(der);
    if (len !== undefined) out.push(der.subarray(0, len));
  }
  return out;
}

interface Extensions {
  keyUsage?: number;
  basicCa?: boolean;
  subjectKeyId?: string;
  authorityKeyId?: string;
}

/** Key usage bits as OpenSSL numbers them (first byte's bits 0x80.. then 0x8000 for decipherOnly). */
function keyUsageBits(bitString: Buffer): number {
  const first = bitString[1] ?? 0;
  const second = bitString[2] ?? 0;
  return first | (second << 8);
}

function readExtensions(tbs: Node[]): Extensions {
  const ext: Extensions = {};
  const wrapper = tbs.find((n) => n.tag === 0xa3);
  const list = wrapper ? children(wrapper)[0] : undefined;
  for (const e of list ? children(list) : []) {
    const parts = children(e);
    const id = parts[0] ? oid(parts[0]) : '';
    const octets = parts[parts.length - 1];
    const inner = octets ? readNode(bytes(octets)) : undefined;
    if (!inner) continue;
    if (id === '2.5.29.15') ext.keyUsage = keyUsageBits(bytes(inner));
    if (id === '2.5.29.19') {
      const flag = children(inner)[0];
      ext.basicCa = flag?.tag === 0x01 && bytes(flag)[0] !== 0;
    }
    if (id === '2.5.29.14') ext.subjectKeyId = bytes(inner).toString('hex');
    if (id === '2.5.29.35') {
      const keyId = children(inner).find((n) => n.tag === 0x80);
      if (keyId) ext.authorityKeyId = bytes(keyId).toString('hex');
    }
  }
  return ext;
}

/** "May  5 09:37:37 2011 GMT" -> epoch seconds. */
function epoch(date: string): string {
  const ms = Date.parse(date.replace(/ GMT$/, ' UTC'));
  return Number.isNaN(ms) ? '' : String(Math.floor(ms / 1000));
}

/** X509_check_ca, for the cases certificates take (basic constraints, key usage, v1 self-signed). */
function isCa(ext: Extensions, v1: boolean, selfSigned: boolean): boolean {
  if (ext.keyUsage !== undefined && !(ext.keyUsage & 0x0004)) return false;
  if (ext.basicCa !== undefined) return ext.basicCa;
  if (v1 && selfSigned) return true;
  return ext.keyUsage !== undefined;
}

function keyStrength(cert: X509Certificate, keyAlgorithm: string): string {
  const details = cert.publicKey.asymmetricKeyDetails;
  if (keyAlgorithm === 'rsaEncryption' || keyAlgorithm === 'dsaEncryption') {
    const bits = details?.modulusLength ?? details?.divisorLength;
    // EVP_PKEY_size is whole bytes.
    return bits ? String(Math.ceil(bits / 8) * 8) : '';
  }
  if (keyAlgorithm === 'id-ecPublicKey') return details?.namedCurve ?? '';
  return '';
}

/** One row per certificate; undefined when the bytes are not a certificate. */
export function certificateRow(der: Buffer, path: string): Row | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const top = readNode(der);
  const [tbsNode, sigAlg] = top ? children(top) : [];
  if (!tbsNode || !sigAlg) return undefined;
  const tbs = children(tbsNode);
  // TBSCertificate: [0] version?, serial, signature, issuer, validity, subject, spki, ...
  const v1 = tbs[0]?.tag !== 0xa0;
  const base = v1 ? 0 : 1;
  const issuer = tbs[base + 2];
  const subject = tbs[base + 4];
  const spki = tbs[base + 5];
  if (!issuer || !subject || !spki) return undefined;
  const sigOidNode = children(sigAlg)[0];
  const keyAlgNode = children(children(spki)[0] ?? spki)[0];
  const sigOid = sigOidNode ? oid(sigOidNode) : '';
  const keyOid = keyAlgNode ? oid(keyAlgNode) : '';
  const signing = ALGORITHMS[sigOid] ?? sigOid;
  const keyAlgorithm = ALGORITHMS[keyOid] ?? keyOid;
  const ext = readExtensions(tbs);
  const selfSigned = cert.checkIssued(cert);
  let keyUsage = '';
  if (ext.keyUsage !== undefined) {
    keyUsage = KEY_USAGES.filter(([bit]) => (ext.keyUsage as number) & bit)
      .map(([, name]) => name)
      .join(', ');
  }
  return {
    common_name: commonName(subject),
    subject: onelineName(subject),
    subject2: printName(subject),
    issuer: onelineName(issuer),
    issuer2: printName(issuer),
    ca: isCa(ext, v1, selfSigned) ? 1 : 0,
    self_signed: selfSigned ? 1 : 0,
    not_valid_before: epoch(cert.validFrom),
    not_valid_after: epoch(cert.validTo),
    signing_algorithm: signing,
    key_algorithm: keyAlgorithm,
    key_strength: keyStrength(cert, keyAlgorithm),
    key_usage: keyUsage,
    subject_key_id: ext.subjectKeyId ?? '',
    authority_key_id: ext.authorityKeyId ?? '',
    sha1: cert.fingerprint.replaceAll(':', '').toLowerCase(),
    path,
    // BN_bn2hex: upper case, no leading zero bytes, "0" for zero.
    serial: cert.serialNumber.replace(/^(00)+(?=.)/, '').toUpperCase(),
  };
}

function generate(ctx: QueryContext): Row[] {
  const requested = ctx.equals('path');
  const rows: Row[] = [];
  for (const path of requested.length > 0 ? requested : DEFAULT_BUNDLES) {
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch {
      continue;
    }
    for (const der of pemCertificates(text)) {
      const row = certificateRow(der, path);
      if (row) rows.push(row);
    }
  }
  return rows;
}

export const certificates = defineTable({
  name: 'certificates',
  attributes: { cacheable: true },
  columns: {
    common_name: text(),
    subject: text(),
    subject2: text(),
    issuer: text(),
    issuer2: text(),
    ca: integer(),
    self_signed: integer(),
    not_valid_before: text(),
    not_valid_after: text(),
    signing_algorithm: text(),
    key_algorithm: text(),
    key_strength: text(),
    key_usage: text(),
    subject_key_id: text({ collate: 'nocase' }),
    authority_key_id: text({ collate: 'nocase' }),
    sha1: text({ collate: 'nocase' }),
    path: text({ additional: true, optimized: true }),
    serial: text({ collate: 'nocase' }),
    sid: text({ platforms: ['windows'] }),
    store_location: text({ platforms: ['windows'] }),
    store: text({ platforms: ['windows'] }),
    username: text({ platforms: ['windows'] }),
    store_id: text({ platforms: ['windows'] }),
  },
  generate,
});
