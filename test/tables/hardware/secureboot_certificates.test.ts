// secureboot_certificates against a fixture efivarfs tree built here from
// certificates made with `openssl req`, compared field by field with `openssl x509`.
//
// Format of the fixture, from the UEFI Specification 2.10, §32.4.1 "Signature
// Database": a db/dbx variable is a sequence of EFI_SIGNATURE_LIST
//   { EFI_GUID SignatureType; UINT32 SignatureListSize; UINT32 SignatureHeaderSize;
//     UINT32 SignatureSize; UINT8 SignatureHeader[SignatureHeaderSize];
//     EFI_SIGNATURE_DATA Signatures[...][SignatureSize]; }
// with EFI_SIGNATURE_DATA = { EFI_GUID SignatureOwner; UINT8 SignatureData[]; };
// EFI_CERT_X509_GUID lists hold one DER certificate per entry, EFI_CERT_SHA256_GUID
// lists a 32-byte hash. db and dbx live under EFI_IMAGE_SECURITY_DATABASE_GUID
// (UEFI §32.6.1), KEK and PK under EFI_GLOBAL_VARIABLE (UEFI §3.3). efivarfs
// (Documentation/filesystems/efivarfs.rst) puts the 4 attribute bytes first.
//
// osquery reads db and dbx only; a certificate from dbx is revoked = 1, path is the
// efivarfs file, and hash lists give no rows.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query, type ResultRow } from '../../helpers/sql.ts';

const IMAGE_SECURITY_DB = 'd719b2cb-3d3a-4596-a3bc-dad00e67656f';
const GLOBAL_VARIABLE = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
const CERT_X509 = 'a5c059a1-94e4-4aa7-87b5-ab155c2bf072';
const CERT_SHA256 = 'c1c41626-504c-4092-aca9-41f936934328';
const CERT_X509_SHA256 = '3bd2a492-96c0-4079-b420-fcf98ef103ed';
const OWNER = '77fa9abd-0359-4d32-bd60-28f4e78f784b';
// EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS | TIME_BASED_AUTHENTICATED_WRITE_ACCESS
const ATTRIBUTES = Buffer.from([0x27, 0, 0, 0]);

/** An EFI_GUID as stored: Data1..Data3 little-endian, Data4 as is. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replaceAll('-', '');
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

/** One EFI_SIGNATURE_LIST of equally sized entries. */
function signatureList(type: string, entries: Buffer[]): Buffer {
  const size = 16 + (entries[0]?.length ?? 0);
  const header = Buffer.alloc(28);
  guidBytes(type).copy(header, 0);
  header.writeUInt32LE(28 + entries.length * size, 16);
  header.writeUInt32LE(0, 20);
  header.writeUInt32LE(size, 24);
  return Buffer.concat([header, ...entries.flatMap((e) => [guidBytes(OWNER), e])]);
}

const variable = (...lists: Buffer[]) => Buffer.concat([ATTRIBUTES, ...lists]);

const openssl = (args: string[]) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// openssl's key usage names -> osquery's, in osquery's order.
const USAGE_ORDER: [string, string][] = [
  ['Encipher Only', 'Encipher Only'],
  ['CRL Sign', 'CRL Sign'],
  ['Certificate Sign', 'Key Cert Sign'],
  ['Key Agreement', 'Key Agreement'],
  ['Data Encipherment', 'Data Encipherment'],
  ['Key Encipherment', 'Key Encipherment'],
  ['Non Repudiation', 'Non Repudiation'],
  ['Digital Signature', 'Digital Signature'],
  ['Decipher Only', 'Decipher Only'],
];

const epoch = (date: string) => String(Math.floor(Date.parse(date.replace(/ GMT$/, ' UTC')) / 1000));

/** The row osquery would give for a PEM certificate, as openssl x509 describes it. */
function expectedRow(pem: string, path: string, revoked: number): ResultRow {
  const line = (args: string[]) => {
    const out = openssl(['x509', '-in', pem, '-noout', ...args]).trim();
    return out.slice(out.indexOf('=') + 1);
  };
  const textOut = openssl(['x509', '-in', pem, '-noout', '-text']);
  const field = (label: string) =>
    new RegExp(`${label}:[ \\t]*\\n?\\s*([^\\n]+)`).exec(textOut)?.[1]?.trim() ?? '';
  const ext = (name: string) => {
    const out = openssl(['x509', '-in', pem, '-noout', '-ext', name]).trim().split('\n');
    return out.length > 1 ? (out[1] as string).trim() : '';
  };
  const hexId = (s: string) =>
    s
      .replace(/^keyid:/, '')
      .replaceAll(':', '')
      .toLowerCase();
  const subject = line(['-subject', '-nameopt', 'compat']);
  const issuer = line(['-issuer', '-nameopt', 'compat']);
  const usages = ext('keyUsage').split(', ');
  const keyAlgorithm = field('Public Key Algorithm');
  const selfSigned =
    subject === issuer &&
    spawnSync('openssl', ['verify', '-check_ss_sig', '-CAfile', pem, pem], { stdio: 'ignore' }).status === 0;
  return {
    common_name: /CN = ([^,]*)/.exec(line(['-subject', '-nameopt', 'oneline']))?.[1] ?? '',
    subject,
    issuer,
    not_valid_before: epoch(line(['-startdate'])),
    not_valid_after: epoch(line(['-enddate'])),
    sha1: line(['-fingerprint', '-sha1']).replaceAll(':', '').toLowerCase(),
    serial: line(['-serial']),
    revoked,
    path,
    is_ca: ext('basicConstraints').includes('CA:TRUE') ? 1 : 0,
    self_signed: selfSigned ? 1 : 0,
    key_usage: USAGE_ORDER.filter(([name]) => usages.includes(name))
      .map(([, ours]) => ours)
      .join(', '),
    authority_key_id: hexId(ext('authorityKeyIdentifier')),
    subject_key_id: hexId(ext('subjectKeyIdentifier')),
    signing_algorithm: field('Signature Algorithm'),
    key_algorithm: keyAlgorithm,
    key_strength:
      keyAlgorithm === 'id-ecPublicKey'
        ? field('ASN1 OID')
        : (/Public-Key: \((\d+) bit\)/.exec(textOut)?.[1] ?? ''),
  };
}

describe('secureboot_certificates', () => {
  let dir: string;
  let efivars: string;
  const pem = (name: string) => join(dir, `${name}.pem`);
  const derOf = (name: string) => execFileSync('openssl', ['x509', '-in', pem(name), '-outform', 'DER']);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-sbcert-'));
    efivars = join(dir, 'efivars');
    mkdirSync(efivars);
    const req = (name: string, args: string[]) =>
      openssl([
        'req',
        '-x509',
        '-nodes',
        '-days',
        '30',
        '-keyout',
        join(dir, `${name}.key`),
        '-out',
        pem(name),
        ...args,
      ]);
    req('root', [
      '-newkey',
      'rsa:2048',
      '-subj',
      '/C=DE/O=osq Platform/CN=osq Secure Boot Root',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    req('leaf', [
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-subj',
      '/C=DE/O=osq Platform/CN=osq Boot Signer',
      '-CA',
      pem('root'),
      '-CAkey',
      join(dir, 'root.key'),
      '-addext',
      'basicConstraints=CA:FALSE',
      '-addext',
      'keyUsage=digitalSignature,nonRepudiation',
    ]);
    req('old', ['-newkey', 'rsa:3072', '-sha384', '-subj', '/O=osq Legacy/CN=osq Old Loader CA']);
    const rootDer = derOf('root');
    const leafDer = derOf('leaf');
    const oldDer = derOf('old');
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();
    writeFileSync(
      join(efivars, `db-${IMAGE_SECURITY_DB}`),
      variable(
        signatureList(CERT_SHA256, [sha256(Buffer.from('an EFI image')), sha256(Buffer.from('another'))]),
        signatureList(CERT_X509, [rootDer]),
        signatureList(CERT_X509, [leafDer]),
      ),
    );
    writeFileSync(
      join(efivars, `dbx-${IMAGE_SECURITY_DB}`),
      variable(
        signatureList(CERT_X509_SHA256, [Buffer.concat([sha256(leafDer), Buffer.alloc(16)])]),
        signatureList(CERT_SHA256, [sha256(oldDer)]),
        signatureList(CERT_X509, [oldDer]),
      ),
    );
    // KEK and PK are not read by osquery's table.
    writeFileSync(join(efivars, `KEK-${GLOBAL_VARIABLE}`), variable(signatureList(CERT_X509, [rootDer])));
    writeFileSync(join(efivars, `PK-${GLOBAL_VARIABLE}`), variable(signatureList(CERT_X509, [rootDer])));
    writeFileSync(join(efivars, `SecureBoot-${GLOBAL_VARIABLE}`), Buffer.from([6, 0, 0, 0, 1]));
    process.env.OSQ_EFIVARS_ROOT = efivars;
  });
  after(() => {
    delete process.env.OSQ_EFIVARS_ROOT;
    rmSync(dir, { recursive: true, force: true });
  });

  test('db and dbx certificates equal openssl x509, field by field', async () => {
    const rows = await query('SELECT * FROM secureboot_certificates');
    const db = join(efivars, `db-${IMAGE_SECURITY_DB}`);
    const dbx = join(efivars, `dbx-${IMAGE_SECURITY_DB}`);
    const expected = [
      expectedRow(pem('root'), db, 0),
      expectedRow(pem('leaf'), db, 0),
      expectedRow(pem('old'), dbx, 1),
    ];
    assert.equal(rows.length, expected.length);
    expected.forEach((want, i) => {
      assert.deepEqual(rows[i], want, `row ${i} (${want.common_name})`);
    });
    // Sanity of the expectations themselves: the fixture covers both key kinds and both stores.
    assert.deepEqual(
      rows.map((r) => [r.key_algorithm, r.is_ca, r.self_signed, r.revoked]),
      [
        ['rsaEncryption', 1, 1, 0],
        ['id-ecPublicKey', 0, 0, 0],
        ['rsaEncryption', 1, 1, 1],
      ],
    );
  });

  test('revoked selects the dbx certificates', async () => {
    const rows = await query('SELECT common_name FROM secureboot_certificates WHERE revoked = 1');
    assert.deepEqual(rows, [{ common_name: 'osq Old Loader CA' }]);
  });

  test('a truncated list keeps the certificates before it', async () => {
    const db = join(efivars, `db-${IMAGE_SECURITY_DB}`);
    const whole = readFileSync(db);
    try {
      writeFileSync(db, whole.subarray(0, whole.length - 10));
      const rows = await query(`SELECT common_name FROM secureboot_certificates WHERE path = '${db}'`);
      assert.deepEqual(rows, [{ common_name: 'osq Secure Boot Root' }]);
    } finally {
      writeFileSync(db, whole);
    }
  });

  test('no efivarfs (legacy BIOS): no rows, no error', async () => {
    process.env.OSQ_EFIVARS_ROOT = join(dir, 'absent');
    try {
      assert.deepEqual(await query('SELECT * FROM secureboot_certificates'), []);
    } finally {
      process.env.OSQ_EFIVARS_ROOT = efivars;
    }
  });
});
