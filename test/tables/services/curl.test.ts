// curl, curl_certificate and prometheus_metrics against servers on loopback:
// - curl and prometheus_metrics: FIXTURES served over HTTP by fake-api-server.cjs in a
//   child process (the Prometheus fixture is the example of Prometheus's "Exposition
//   formats" document); checked against curl(1).
// - curl_certificate: a REAL TLS handshake with a loopback TLS server in a child
//   process, whose self-signed certificate `openssl req` makes at test time; checked
//   against `openssl x509` (Debian packages curl, openssl).
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { query } from '../../helpers/sql.ts';
import { type FakeServer, startFakeServer } from './fake-server.ts';

const run = promisify(execFile);
const ROUTES = fileURLToPath(new URL('../../fixtures/curl/routes.json', import.meta.url));

describe('curl (fixture on loopback)', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer(ROUTES);
  });
  after(() => server.stop());

  it('matches curl(1) for status and body, with osquery user agent', async () => {
    const url = `http://127.0.0.1:${server.port}/hello`;
    const body = (await run('curl', ['-s', url])).stdout;
    const rows = await query(`SELECT * FROM curl WHERE url = '${url}'`);
    assert.equal(rows.length, 1);
    const r = rows[0] as Record<string, unknown>;
    assert.equal(r.method, 'GET');
    assert.equal(r.user_agent, 'osquery');
    assert.equal(r.response_code, 200);
    assert.equal(r.result, body);
    assert.equal(r.bytes, Buffer.byteLength(body));
    assert.ok(typeof r.round_trip_time === 'number' && r.round_trip_time > 0);
    const seen = (await server.requests()).filter((q) => q.url === '/hello');
    assert.equal(seen.at(-1)?.headers['user-agent'], 'osquery');
  });

  it('honours one user_agent, reports HTTP errors, keeps a row for a failed request', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    await query(`SELECT * FROM curl WHERE url = '${base}/hello' AND user_agent = 'probe/1.0'`);
    const hellos = (await server.requests()).filter((q) => q.url === '/hello');
    assert.equal(hellos.at(-1)?.headers['user-agent'], 'probe/1.0');
    const code = (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${base}/missing`]))
      .stdout;
    const [missing] = await query(`SELECT response_code, result FROM curl WHERE url = '${base}/missing'`);
    assert.deepEqual(missing, { response_code: Number(code), result: 'not here' });
    const [failed] = await query("SELECT * FROM curl WHERE url = 'http://127.0.0.1:1/'");
    assert.deepEqual(failed, {
      url: 'http://127.0.0.1:1/',
      method: 'GET',
      user_agent: 'osquery',
      response_code: null,
      round_trip_time: null,
      bytes: null,
      result: null,
    });
    assert.deepEqual(
      await query(`SELECT * FROM curl WHERE url = '${base}/hello' AND user_agent IN ('a', 'b')`),
      [],
    );
  });

  it('prometheus_metrics reads OSQ_PROMETHEUS_TARGETS and matches the exposition text', async () => {
    const url = `http://127.0.0.1:${server.port}/metrics`;
    const text = (await run('curl', ['-s', url])).stdout;
    const expected = text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(/ +/).slice(0, 2));
    process.env.OSQ_PROMETHEUS_TARGETS = JSON.stringify({ urls: [url], timeout: 1 });
    try {
      const before = Date.now();
      const rows = await query('SELECT * FROM prometheus_metrics');
      assert.deepEqual(
        rows.map((r) => [r.metric_name, r.metric_value]),
        // osquery splits on spaces, so a label value with a space leaves a non-number
        // in the value field: NULL in the double column.
        expected.map(([name, value]) => {
          const n = value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value);
          return [name, Number.isNaN(n) ? null : n];
        }),
      );
      for (const r of rows) {
        assert.equal(r.target_name, url);
        assert.ok(Number(r.timestamp_ms) >= before && Number(r.timestamp_ms) <= Date.now());
      }
      process.env.OSQ_PROMETHEUS_TARGETS = JSON.stringify({ urls: ['http://127.0.0.1:1/metrics'] });
      assert.deepEqual(await query('SELECT * FROM prometheus_metrics'), []);
    } finally {
      delete process.env.OSQ_PROMETHEUS_TARGETS;
    }
    assert.deepEqual(await query('SELECT * FROM prometheus_metrics'), []);
  });
});

const TLS_SERVER = `
const tls = require('node:tls');
const fs = require('node:fs');
const [key, cert] = process.argv.slice(1);
const s = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (c) => c.end());
s.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: s.address().port }) + '\\n'));
`;

describe('curl_certificate (real TLS handshake on loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osq-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  let child: ChildProcess;
  let port = 0;
  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=osq.test/O=Osq Test Org/OU=Tables',
        '-addext',
        'subjectAltName=DNS:osq.test,IP:127.0.0.1',
        '-addext',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        '-addext',
        'extendedKeyUsage=serverAuth,clientAuth',
      ],
      { stdio: 'ignore' },
    );
    child = spawn(process.execPath, ['-e', TLS_SERVER, key, cert], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve) => {
      child.stdout?.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port));
    });
  });
  after(() => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const openssl = (...args: string[]) =>
    execFileSync('openssl', ['x509', '-in', cert, '-noout', ...args])
      .toString()
      .trim();

  it('reports the served certificate as openssl x509 describes it', async () => {
    const rows = await query(`SELECT * FROM curl_certificate WHERE hostname = '127.0.0.1:${port}'`);
    assert.equal(rows.length, 1);
    const r = rows[0] as Record<string, unknown>;
    assert.equal(r.common_name, 'osq.test');
    assert.equal(r.organization, 'Osq Test Org');
    assert.equal(r.organization_unit, 'Tables');
    assert.equal(r.issuer_common_name, 'osq.test', 'self-signed');
    assert.equal(r.serial_number, openssl('-serial').replace('serial=', ''));
    assert.equal(
      r.sha256_fingerprint,
      openssl('-fingerprint', '-sha256').split('=')[1]?.replaceAll(':', '').toLowerCase(),
    );
    assert.equal(
      r.sha1_fingerprint,
      openssl('-fingerprint', '-sha1').split('=')[1]?.replaceAll(':', '').toLowerCase(),
    );
    assert.equal(r.valid_from, openssl('-startdate').replace('notBefore=', ''));
    assert.equal(r.valid_to, openssl('-enddate').replace('notAfter=', ''));
    assert.equal(r.version, 3);
    assert.equal(r.signature_algorithm, 'RSA-SHA256');
    assert.match(String(r.signature), /^([0-9a-f]{2}:){255}[0-9a-f]{2}$/);
    assert.equal(r.subject_alternative_names, 'DNS:osq.test, IP Address:127.0.0.1');
    assert.equal(r.key_usage, 'Digital Signature, Key Encipherment');
    assert.equal(r.extended_key_usage, 'TLS Web Server Authentication, TLS Web Client Authentication');
    assert.equal(r.subject_key_identifier, openssl('-ext', 'subjectKeyIdentifier').split('\n')[1]?.trim());
    assert.equal(r.basic_constraint, 'CA:TRUE');
    assert.equal(r.has_expired, 0);
    assert.equal(r.policies, '');
    assert.equal(r.pem, null, 'pem is NULL unless dump_certificate = 1');
    const [dumped] = await query(
      `SELECT pem, dump_certificate FROM curl_certificate WHERE hostname = '127.0.0.1:${port}' AND dump_certificate = 1`,
    );
    assert.equal(String(dumped?.pem).trim(), readFileSync(cert, 'utf8').trim());
  });

  it('gives no row for a host that does not answer, without an SQL error', async () => {
    assert.deepEqual(await query("SELECT * FROM curl_certificate WHERE hostname = '127.0.0.1:1'"), []);
  });
});
