// ec2_instance_metadata, ec2_instance_tags, azure_instance_metadata, azure_instance_tags
// and ycloud_instance_metadata against FIXTURES served on loopback TCP by fake metadata
// services (fake-api-server.cjs in child processes); no traffic goes to 169.254.x.
// Fixtures follow AWS's IMDS and EC2 API reference, Azure IMDS and Yandex Cloud
// metadata docs (each file's header says which). The independent check reads the same
// endpoints with curl(1) (Debian package curl), including the IMDSv2 token dance.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlag } from '@osq/core/flags/index';
import { query } from '../../helpers/sql.ts';
import { type FakeServer, startFakeServer } from './fake-server.ts';

const run = promisify(execFile);
const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));

async function curl(...args: string[]): Promise<string> {
  return (await run('curl', ['-s', '--max-time', '3', ...args])).stdout;
}

describe('cloud metadata tables (fixtures on loopback)', () => {
  let ec2: FakeServer;
  let azure: FakeServer;
  let ycloud: FakeServer;
  before(async () => {
    ec2 = await startFakeServer(fixture('ec2_instance_metadata/routes.json'));
    azure = await startFakeServer(fixture('azure_instance_metadata/routes.json'));
    ycloud = await startFakeServer(fixture('ycloud_instance_metadata/routes.json'));
    setFlag('ec2_metadata_endpoint', `http://127.0.0.1:${ec2.port}`);
    setFlag('ec2_api_endpoint', `http://127.0.0.1:${ec2.port}`);
    setFlag('azure_metadata_endpoint', `http://127.0.0.1:${azure.port}`);
    setFlag('ycloud_metadata_endpoint', `http://127.0.0.1:${ycloud.port}`);
  });
  after(() => {
    for (const s of [ec2, azure, ycloud]) s.stop();
    setFlag('ec2_metadata_endpoint', 'http://169.254.169.254');
    setFlag('ec2_api_endpoint', '');
    setFlag('azure_metadata_endpoint', 'http://169.254.169.254');
    setFlag('ycloud_metadata_endpoint', 'http://169.254.169.254');
  });

  it('ec2_instance_metadata uses an IMDSv2 token and matches curl', async () => {
    const base = `http://127.0.0.1:${ec2.port}/latest`;
    const token = await curl(
      '-X',
      'PUT',
      '-H',
      'x-aws-ec2-metadata-token-ttl-seconds: 21600',
      `${base}/api/token`,
    );
    const get = (p: string) => curl('-H', `x-aws-ec2-metadata-token: ${token}`, `${base}/${p}`);
    const identity = JSON.parse(await get('dynamic/instance-identity/document'));
    const rows = await query('SELECT * FROM ec2_instance_metadata');
    assert.equal(rows.length, 1);
    const r = rows[0] as Record<string, unknown>;
    assert.equal(r.instance_id, identity.instanceId);
    assert.equal(r.instance_type, identity.instanceType);
    assert.equal(r.local_ipv4, identity.privateIp);
    assert.equal(r.region, identity.region);
    assert.equal(r.availability_zone, identity.availabilityZone);
    assert.equal(r.account_id, identity.accountId);
    assert.equal(r.ami_id, identity.imageId);
    assert.equal(r.architecture, identity.architecture);
    assert.equal(r.mac, await get('meta-data/mac'));
    assert.equal(r.local_hostname, await get('meta-data/local-hostname'));
    assert.equal(r.reservation_id, await get('meta-data/reservation-id'));
    assert.equal(r.iam_arn, JSON.parse(await get('meta-data/iam/info')).InstanceProfileArn);
    // osquery drops newlines: "web\nssh" reads "webssh", the key loses its trailing newline.
    assert.equal(r.security_groups, (await get('meta-data/security-groups')).replaceAll('\n', ''));
    assert.equal(r.ssh_public_key, 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC my-key-pair');
    const seen = await ec2.requests();
    assert.ok(seen.some((q) => q.method === 'PUT' && q.url === '/latest/api/token'));
  });

  it('ec2_instance_tags signs DescribeTags with the instance profile credentials', async () => {
    const rows = await query('SELECT * FROM ec2_instance_tags ORDER BY key');
    assert.deepEqual(rows, [
      { instance_id: 'i-1234567890abcdef0', key: 'stack', value: 'Production & Test' },
      { instance_id: 'i-1234567890abcdef0', key: 'webserver', value: '' },
    ]);
    const call = (await ec2.requests()).find((q) => q.url.startsWith('/?'));
    assert.ok(call);
    const params = new URLSearchParams(call.url.slice(2));
    assert.equal(params.get('Action'), 'DescribeTags');
    assert.equal(params.get('Filter.1.Name'), 'resource-id');
    assert.equal(params.get('Filter.1.Value.1'), 'i-1234567890abcdef0');
    assert.match(
      call.headers.authorization ?? '',
      /^AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/ec2\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    assert.equal(call.headers['x-amz-security-token'], 'token');
  });

  it('azure_instance_metadata and azure_instance_tags match curl', async () => {
    const doc = JSON.parse(
      await curl(
        '-H',
        'Metadata: true',
        `http://127.0.0.1:${azure.port}/metadata/instance/compute?api-version=2018-02-01`,
      ),
    );
    const [m] = await query('SELECT * FROM azure_instance_metadata');
    assert.equal(m?.vm_id, doc.vmId);
    assert.equal(m?.location, doc.location);
    assert.equal(m?.os_type, doc.osType);
    assert.equal(m?.platform_fault_domain, doc.platformFaultDomain);
    assert.equal(m?.vm_scale_set_name, doc.vmScaleSetName);
    assert.equal(m?.zone, '');
    const tags = await query('SELECT * FROM azure_instance_tags');
    const expected = String(doc.tags)
      .split(';')
      .filter((t) => t.includes(':'))
      .map((t) => ({ vm_id: doc.vmId, key: t.slice(0, t.indexOf(':')), value: t.slice(t.indexOf(':') + 1) }));
    assert.deepEqual(tags, expected);
    assert.equal(tags.length, 2);
  });

  it('ycloud_instance_metadata matches curl, and honours metadata_endpoint =', async () => {
    const endpoint = `http://127.0.0.1:${ycloud.port}`;
    const doc = JSON.parse(
      await curl(
        '-H',
        'Metadata-Flavor: Google',
        `${endpoint}/computeMetadata/v1/instance/?alt=json&recursive=true`,
      ),
    );
    const rows = await query('SELECT * FROM ycloud_instance_metadata');
    assert.deepEqual(rows, [
      {
        instance_id: doc.id,
        folder_id: doc.vendor.folderId,
        cloud_id: doc.vendor.cloudId,
        name: doc.name,
        description: doc.description,
        hostname: doc.hostname,
        zone: doc.zone.split('/')[3],
        ssh_public_key: doc.attributes['ssh-keys'],
        serial_port_enabled: doc.attributes['serial-port-enable'],
        metadata_endpoint: endpoint,
      },
    ]);
    const other = await query(
      `SELECT instance_id FROM ycloud_instance_metadata WHERE metadata_endpoint = '${endpoint}'`,
    );
    assert.equal(other.length, 1);
    assert.deepEqual(
      await query("SELECT * FROM ycloud_instance_metadata WHERE metadata_endpoint = 'http://127.0.0.1:1'"),
      [],
    );
  });
});

describe('cloud metadata tables with no service', () => {
  it('return no rows quickly (connection refused and a silent endpoint)', async () => {
    const silent = await startFakeServer(fixture('ec2_instance_metadata/routes.json'));
    try {
      setFlag('ec2_metadata_endpoint', 'http://127.0.0.1:1');
      setFlag('azure_metadata_endpoint', 'http://127.0.0.1:1');
      setFlag('ycloud_metadata_endpoint', 'http://127.0.0.1:1');
      let started = Date.now();
      for (const t of [
        'ec2_instance_metadata',
        'ec2_instance_tags',
        'azure_instance_metadata',
        'azure_instance_tags',
        'ycloud_instance_metadata',
      ]) {
        assert.deepEqual(await query(`SELECT * FROM ${t}`), [], t);
      }
      assert.ok(Date.now() - started < 2000);
      // The token request to a service that never answers gives up after about a second.
      setFlag('ec2_metadata_endpoint', `http://127.0.0.1:${silent.port}/hang`);
      started = Date.now();
      assert.deepEqual(await query('SELECT * FROM ec2_instance_metadata'), []);
      assert.ok(Date.now() - started < 2500);
    } finally {
      silent.stop();
      setFlag('ec2_metadata_endpoint', 'http://169.254.169.254');
      setFlag('azure_metadata_endpoint', 'http://169.254.169.254');
      setFlag('ycloud_metadata_endpoint', 'http://169.254.169.254');
    }
  });
});
