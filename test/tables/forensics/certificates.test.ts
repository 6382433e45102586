// certificates against openssl x509 over the same PEM files: the system CA bundle
// (Debian ca-certificates) and a certificate made here with openssl req.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.ts';
import { run } from '../system/tools.ts';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** openssl's view of one PEM certificate. */
function openssl(pem: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const lines = (nameopt: string) =>
    execFileSync(
      'openssl',
      [
        'x509',
        '-noout',
        '-nameopt',
        nameopt,
        '-subject',
        '-issuer',
        '-serial',
        '-dates',
        '-fingerprint',
        '-sha1',
      ],
      {
        input: pem,
      },
    )
      .toString()
      .trim()
      .split('\n');
  for (const line of lines('oneline')) {
    const eq = line.indexOf('=');
    fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  for (const line of lines('compat').slice(0, 2)) {
    const eq = line.indexOf('=');
    fields[`${line.slice(0, eq)}_compat`] = line.slice(eq + 1);
  }
  return fields;
}

const epoch = (date: string) => String(Math.floor(Date.parse(date.replace(/ GMT$/, ' UTC')) / 1000));

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

describe('certificates', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-cert-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the default CA bundle matches openssl x509, certificate by certificate', async () => {
    const rows = await query('SELECT * FROM certificates');
    const pems = splitPem(readFileSync(BUNDLE, 'latin1'));
    assert.ok(pems.length > 0, 'ca-certificates installed');
    const ours = rows.filter((r) => r.path === BUNDLE);
    assert.equal(ours.length, pems.length);
    pems.forEach((pem, i) => {
      const row = ours[i] as Record<string, unknown>;
      const o = openssl(pem);
      assert.equal(row.subject2, o.subject, `subject of #${i}`);
      assert.equal(row.issuer2, o.issuer);
      assert.equal(row.subject, o.subject_compat);
      assert.equal(row.issuer, o.issuer_compat);
      // openssl prints a zero serial as "00"; osquery's BN_bn2hex as "0".
      assert.equal(row.serial, o.serial === '00' ? '0' : o.serial);
      assert.equal(row.sha1, o['sha1 Fingerprint']?.replaceAll(':', '').toLowerCase());
      assert.equal(row.not_valid_before, epoch(o.notBefore as string));
      assert.equal(row.not_valid_after, epoch(o.notAfter as string));
    });
  });

  test('a made certificate: key, usage, CA and identifiers as openssl -text shows them', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      '/C=DE/O=osq test, Inc./CN=osq.example.test',
      '-addext',
      'keyUsage=critical,digitalSignature,keyCertSign',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    const rows = await query(`SELECT * FROM certificates WHERE path = '${cert}'`);
    assert.equal(rows.length, 1);
    const row = rows[0] as Record<string, unknown>;
    const textOut = run('openssl', ['x509', '-in', cert, '-noout', '-text']);
    const after = (label: string) => new RegExp(`${label}:?\\s*\\n?\\s*([^\\n]+)`).exec(textOut)?.[1]?.trim();
    assert.equal(row.common_name, 'osq.example.test');
    assert.equal(row.signing_algorithm, after('Signature Algorithm'));
    assert.equal(row.key_algorithm, after('Public Key Algorithm'));
    assert.equal(row.key_strength, after('NIST CURVE') === 'P-256' ? 'prime256v1' : after('ASN1 OID'));
    assert.equal(row.key_usage, 'Key Cert Sign, Digital Signature');
    assert.match(textOut, /Certificate Sign/);
    assert.equal(row.ca, 1);
    assert.equal(row.self_signed, 1);
    const ski = after('X509v3 Subject Key Identifier')?.replaceAll(':', '').toLowerCase();
    assert.equal(row.subject_key_id, ski);
    assert.equal(row.authority_key_id, ski);
    assert.equal(row.subject2, openssl(readFileSync(cert, 'utf8')).subject);
  });

  test('a file that is not PEM has no rows', async () => {
    assert.deepEqual(await query(`SELECT * FROM certificates WHERE path = '/etc/hostname'`), []);
    assert.deepEqual(await query(`SELECT * FROM certificates WHERE path = '/nonexistent/bundle.crt'`), []);
  });
});
