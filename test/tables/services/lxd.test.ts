// lxd_* tables against a FIXTURE served on a Unix socket by a fake LXD daemon
// (fake-api-server.cjs in a child process). Fixtures follow the LXD REST API 1.0
// spec (each file's header names its endpoint). The independent check reads the same
// API with curl(1) --unix-socket and jq(1) (Debian packages curl, jq).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlag } from '@osq/core/flags/index';
import { query } from '../../helpers/sql.ts';
import { type FakeServer, startFakeServer } from './fake-server.ts';

const run = promisify(execFile);
const ROUTES = fileURLToPath(new URL('../../fixtures/lxd_instances/routes.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'osq-lxd-'));
const socket = join(dir, 'unix.socket');
let server: FakeServer;

/** `curl --unix-socket <sock> http://lxd<path> | jq -r <filter>`, as lines. */
async function api(path: string, filter: string): Promise<string[]> {
  const { stdout } = await run('sh', [
    '-c',
    `curl -s --unix-socket '${socket}' 'http://lxd${path}' | jq -r '${filter}'`,
  ]);
  return stdout.trim().split('\n');
}

describe('lxd tables (fixture on a Unix socket)', () => {
  before(async () => {
    server = await startFakeServer(ROUTES, socket);
    setFlag('lxd_socket', socket);
  });
  after(() => {
    server.stop();
    setFlag('lxd_socket', '/var/lib/lxd/unix.socket');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lxd_instances: one row per complete instance, with metadata and state', async () => {
    const rows = await query('SELECT * FROM lxd_instances');
    // "bar" lacks config.volatile.base_image and is skipped, as osquery does.
    assert.deepEqual(
      rows.map((r) => r.name),
      ['foo'],
    );
    const [status, created, base] = await api(
      '/1.0/containers/foo',
      '.metadata.status, .metadata.created_at, .metadata.config["volatile.base_image"]',
    );
    const [pid, processes] = await api('/1.0/containers/foo/state', '.metadata.pid, .metadata.processes');
    const [os, desc] = await api(
      '/1.0/containers/foo/metadata',
      '.metadata.properties.os, .metadata.properties.description',
    );
    assert.deepEqual(rows[0], {
      name: 'foo',
      status,
      stateful: 0,
      ephemeral: 0,
      created_at: created,
      base_image: base,
      architecture: 'x86_64',
      os,
      description: desc,
      pid: Number(pid),
      processes: Number(processes),
    });
    assert.equal((await query("SELECT name FROM lxd_instances WHERE name = 'foo'")).length, 1);
  });

  it('lxd_instance_config and lxd_instance_devices need a name', async () => {
    const config = await query("SELECT key, value FROM lxd_instance_config WHERE name = 'foo'");
    const keys = await api('/1.0/containers/foo', '.metadata.config | keys_unsorted[]');
    assert.deepEqual(
      config.map((c) => c.key),
      keys,
    );
    const devices = await query(
      "SELECT device, device_type, key, value FROM lxd_instance_devices WHERE name = 'foo'",
    );
    const expected = await api(
      '/1.0/containers/foo',
      '.metadata.expanded_devices | to_entries[] | .key as $d | .value.type as $t | .value | to_entries[] | select(.key != "type") | "\\($d)|\\($t)|\\(.key)|\\(.value)"',
    );
    assert.deepEqual(
      devices.map((d) => `${d.device}|${d.device_type}|${d.key}|${d.value}`),
      expected,
    );
  });

  it('lxd_images', async () => {
    const rows = await query('SELECT * FROM lxd_images');
    assert.equal(rows.length, 1);
    const url = '/1.0/images/06b86454720d36b20f94e31c6812e05ec51c1b568cf3a8abd273769d213394bb';
    const [fp, size, aliases, server] = await api(
      url,
      '.metadata.fingerprint, .metadata.size, ([.metadata.aliases[].name] | join(",")), .metadata.update_source.server',
    );
    assert.equal(rows[0]?.id, fp);
    assert.equal(rows[0]?.size, Number(size));
    assert.equal(rows[0]?.aliases, aliases);
    assert.equal(rows[0]?.update_source_server, server);
    assert.equal(rows[0]?.auto_update, 1);
    assert.equal(rows[0]?.public, 0);
    const byId = await query(
      "SELECT id, os FROM lxd_images WHERE id = '06b86454720d36b20f94e31c6812e05ec51c1b568cf3a8abd273769d213394bb'",
    );
    assert.deepEqual(byId, [{ id: fp, os: 'Ubuntu' }]);
  });

  it('lxd_networks, lxd_storage_pools, lxd_certificates', async () => {
    const [net] = await query('SELECT * FROM lxd_networks');
    const [rx, hw, mtu] = await api(
      '/1.0/networks/lxdbr0/state',
      '.metadata.counters.bytes_received, .metadata.hwaddr, .metadata.mtu',
    );
    assert.equal(net?.name, 'lxdbr0');
    assert.equal(net?.managed, 1);
    assert.equal(net?.ipv4_address, '10.0.0.1/24');
    assert.equal(net?.used_by, '/1.0/profiles/default,c1,c2');
    assert.equal(net?.bytes_received, Number(rx));
    assert.equal(net?.hwaddr, hw);
    assert.equal(net?.mtu, Number(mtu));
    const [pool] = await query('SELECT * FROM lxd_storage_pools');
    const [used, total] = await api(
      '/1.0/storage-pools/local/resources',
      '.metadata.space.used, .metadata.space.total',
    );
    assert.deepEqual(
      [pool?.name, pool?.driver, pool?.source, pool?.size, pool?.space_used, pool?.space_total],
      ['local', 'zfs', '/var/lib/lxd/disks/local.img', '15032385536', Number(used), Number(total)],
    );
    const certs = await query('SELECT * FROM lxd_certificates');
    const [name, fp] = await api(
      '/1.0/certificates/fd200419b271f1dc2a5591b693cc5774b7f234e1ff8c6b78ad703b6888fe2b69',
      '.metadata.name, .metadata.fingerprint',
    );
    assert.deepEqual(
      certs.map((c) => [c.name, c.type, c.fingerprint]),
      [[name, 'client', fp]],
    );
  });

  it('lxd_cluster keeps the last member_config entry; lxd_cluster_members lists members', async () => {
    const cluster = await query('SELECT * FROM lxd_cluster');
    const [key, value] = await api(
      '/1.0/cluster',
      '.metadata.member_config[-1].key, .metadata.member_config[-1].value',
    );
    assert.equal(cluster.length, 1);
    assert.equal(cluster[0]?.enabled, 1);
    assert.equal(cluster[0]?.member_config_key, key);
    assert.equal(cluster[0]?.member_config_value, value);
    const members = await query('SELECT * FROM lxd_cluster_members ORDER BY server_name');
    const urls = await api('/1.0/cluster/members', '.metadata[]');
    assert.equal(members.length, urls.length);
    assert.deepEqual(
      members.map((m) => [m.server_name, m.database, m.status]),
      [
        ['lxd01', 1, 'Online'],
        ['lxd02', 0, 'Offline'],
      ],
    );
  });
});

describe('lxd tables without a daemon', () => {
  it('return no rows quickly, never an SQL error', async () => {
    setFlag('lxd_socket', join(dir, 'missing.socket'));
    for (const t of [
      'lxd_instances',
      'lxd_images',
      'lxd_networks',
      'lxd_storage_pools',
      'lxd_cluster',
      'lxd_certificates',
    ]) {
      assert.deepEqual(await query(`SELECT * FROM ${t}`), [], t);
    }
    setFlag('lxd_socket', '/var/lib/lxd/unix.socket');
  });
});
