// curl_certificate: the certificate a TLS server presents for each `hostname = ...`
// ("host" or "host:port", port 443 by default), described as osquery does with
// OpenSSL: subject and issuer names, validity, fingerprints, signature and the text
// of the usual X.509v3 extensions (multi-line values joined with ';').
//
// Generators are synchronous and the sync bridge carries HTTP only, so the handshake
// runs in a short-lived `node` child (spawnSync, bounded by the timeout column) and
// the extension texts come from `openssl x509 -text` (Debian package openssl), the
// same OpenSSL printers osquery calls. Without openssl those columns are ''.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { defineTable, integer, type Row, text } from '../framework.js';
import { statusWarning } from './util.js';

const DEFAULT_TIMEOUT_S = 4;

// The child: connect, complete the handshake (any certificate accepted, with SNI),
// print the peer certificate as base64 DER.
const HANDSHAKE = `
const tls = require('node:tls');
const [host, port, ms] = process.argv.slice(1);
const s = tls.connect({ host, port: Number(port), servername: /^[0-9.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false });
if (Number(ms) > 0) s.setTimeout(Number(ms), () => { process.stderr.write('timed out'); process.exit(2); });
s.on('secureConnect', () => { const c = s.getPeerCertificate(); process.stdout.write(c && c.raw ? c.raw.toString('base64') : ''); s.destroy(); });
s.on('error', (e) => { process.stderr.write(e.message); process.exit(1); });
`;

/** "host", "host:" or "host:port" -> [host, port]. */
export function splitHostname(hostname: string): [string, string] {
  const colon = hostname.indexOf(':');
  if (colon < 0) return [hostname, '443'];
  const port = hostname.slice(colon + 1);
  return [hostname.slice(0, colon), port === '' ? '443' : port];
}

function fetchCertificate(hostname: string, timeoutS: number): Buffer | null {
  const [host, port] = splitHostname(hostname);
  const limitMs = (timeoutS > 0 ? timeoutS : 30) * 1000;
  const r = spawnSync(process.execPath, ['-e', HANDSHAKE, host, port, String(limitMs)], {
    timeout: limitMs + 2000,
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stdout === '') {
    statusWarning(
      `curl_certificate: cannot get certificate for ${hostname}: ${r.stderr || r.error?.message || 'no certificate'}`,
    );
    return null;
  }
  return Buffer.from(r.stdout, 'base64');
}

// OpenSSL long names (as `-text` prints them) -> the short names osquery reports.
const SIGNATURE_SHORT_NAMES: Record<string, string> = {
  md5WithRSAEncryption: 'RSA-MD5',
  sha1WithRSAEncryption: 'RSA-SHA1',
  sha224WithRSAEncryption: 'RSA-SHA224',
  sha256WithRSAEncryption: 'RSA-SHA256',
  sha384WithRSAEncryption: 'RSA-SHA384',
  sha512WithRSAEncryption: 'RSA-SHA512',
  rsassaPss: 'RSASSA-PSS',
};

// Extension headings of `openssl x509 -text` -> columns.
const EXTENSIONS: Record<string, string> = {
  'X509v3 Subject Key Identifier': 'subject_key_identifier',
  'X509v3 Authority Key Identifier': 'authority_key_identifier',
  'X509v3 Key Usage': 'key_usage',
  'X509v3 Extended Key Usage': 'extended_key_usage',
  'X509v3 Certificate Policies': 'policies',
  'X509v3 Subject Alternative Name': 'subject_alternative_names',
  'X509v3 Issuer Alternative Name': 'issuer_alternative_names',
  'Authority Information Access': 'info_access',
  'Subject Information Access': 'subject_info_access',
  'X509v3 Policy Mappings': 'policy_mappings',
  'X509v3 Basic Constraints': 'basic_constraint',
  'X509v3 Name Constraints': 'name_constraints',
  'X509v3 Policy Constraints': 'policy_constraints',
};

export interface OpensslFacts {
  version?: number;
  signature_algorithm?: string;
  signature?: string;
  extensions: Record<string, string>;
}

/** Read version, signature and extension texts out of `openssl x509 -text -noout`. */
export function parseOpensslText(out: string): OpensslFacts {
  const facts: OpensslFacts = { extensions: {} };
  const lines = out.split('\n');
  const version = /^\s*Version: (\d+)/m.exec(out);
  if (version) facts.version = Number(version[1]);
  const algo = /^\s*Signature Algorithm: (\S+)/m.exec(out);
  if (algo) facts.signature_algorithm = SIGNATURE_SHORT_NAMES[algo[1] as string] ?? (algo[1] as string);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Extension headings are indented 12 spaces; their values 16.
    const head = /^ {12}(\S.*?):( critical)?\s*$/.exec(line);
    if (head && EXTENSIONS[head[1] as string]) {
      const value: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1] as string).startsWith('                ')) {
        value.push((lines[++i] as string).slice(16));
      }
      facts.extensions[EXTENSIONS[head[1] as string] as string] = value.join(';');
    }
    if (/^\s*Signature Value:\s*$/.test(line)) {
      const hex: string[] = [];
      while (i + 1 < lines.length && /^\s+[0-9a-f:]+$/.test(lines[i + 1] as string))
        hex.push((lines[++i] as string).trim());
      facts.signature = hex.join('');
    }
  }
  return facts;
}

function opensslFacts(der: Buffer): OpensslFacts {
  const r = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text'], {
    input: der,
    encoding: 'utf8',
    timeout: 5000,
  });
  if (r.status !== 0) return { extensions: {} };
  return parseOpensslText(r.stdout);
}

/** The first value of `key` in a "CN=a\nO=b" distinguished name. */
function nameField(dn: string, key: string): string | undefined {
  for (const line of dn.split('\n')) if (line.startsWith(`${key}=`)) return line.slice(key.length + 1);
  return undefined;
}

const hex = (fingerprint: string) => fingerprint.replaceAll(':', '').toLowerCase();

export function certificateRow(hostname: string, der: Buffer, dump: number, timeoutS: number): Row {
  const cert = new X509Certificate(der);
  const facts = opensslFacts(der);
  const row: Row = {
    hostname,
    common_name: nameField(cert.subject, 'CN'),
    organization: nameField(cert.subject, 'O'),
    organization_unit: nameField(cert.subject, 'OU'),
    serial_number: cert.serialNumber,
    issuer_common_name: nameField(cert.issuer, 'CN'),
    issuer_organization: nameField(cert.issuer, 'O'),
    issuer_organization_unit: nameField(cert.issuer, 'OU'),
    valid_from: cert.validFrom,
    valid_to: cert.validTo,
    sha256_fingerprint: hex(cert.fingerprint256),
    sha1_fingerprint: hex(cert.fingerprint),
    version: facts.version,
    signature_algorithm: facts.signature_algorithm,
    signature: facts.signature,
    has_expired: new Date(cert.validTo).getTime() <= Date.now() ? 1 : 0,
    dump_certificate: dump,
    timeout: timeoutS,
  };
  for (const col of Object.values(EXTENSIONS)) row[col] = facts.extensions[col] ?? '';
  if (dump) row.pem = cert.toString();
  return row;
}

export const curlCertificate = defineTable({
  name: 'curl_certificate',
  columns: {
    hostname: text({ required: true, optimized: true }),
    common_name: text(),
    organization: text(),
    organization_unit: text(),
    serial_number: text({ collate: 'nocase' }),
    issuer_common_name: text(),
    issuer_organization: text(),
    issuer_organization_unit: text(),
    valid_from: text(),
    valid_to: text(),
    sha256_fingerprint: text({ collate: 'nocase' }),
    sha1_fingerprint: text({ collate: 'nocase' }),
    version: integer(),
    signature_algorithm: text(),
    signature: text(),
    subject_key_identifier: text({ collate: 'nocase' }),
    authority_key_identifier: text({ collate: 'nocase' }),
    key_usage: text(),
    extended_key_usage: text(),
    policies: text(),
    subject_alternative_names: text(),
    issuer_alternative_names: text(),
    info_access: text(),
    subject_info_access: text(),
    policy_mappings: text(),
    has_expired: integer(),
    basic_constraint: text(),
    name_constraints: text(),
    policy_constraints: text(),
    dump_certificate: integer({ hidden: true, additional: true }),
    timeout: integer({ hidden: true, additional: true }),
    pem: text(),
  },
  generate(ctx) {
    const dump = ctx.equals('dump_certificate').includes('1') ? 1 : 0;
    let timeoutS = DEFAULT_TIMEOUT_S;
    const t = ctx.equals('timeout')[0];
    if (t !== undefined) {
      const n = Number(t);
      timeoutS = Number.isInteger(n) && n >= 0 ? n : DEFAULT_TIMEOUT_S;
    }
    const rows: Row[] = [];
    for (const hostname of ctx.equals('hostname')) {
      const der = fetchCertificate(hostname, timeoutS);
      if (der !== null) rows.push(certificateRow(hostname, der, dump, timeoutS));
    }
    return rows;
  },
});
