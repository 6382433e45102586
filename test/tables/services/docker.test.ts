// docker_* tables against a FIXTURE served on a Unix socket by a fake Docker Engine
// (fake-api-server.cjs in a child process). Fixtures follow the Docker Engine API
// v1.43 reference (each file's header names its endpoint). The independent check is
// the real docker CLI (Debian/CI: /usr/local/bin/docker, client only) pointed at the
// same socket; namespace columns are checked with readlink(1) on the fake server's /proc/<pid>/ns.
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
const ROUTES = fileURLToPath(new URL('../../fixtures/docker_containers/routes.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'osq-docker-'));
const socket = join(dir, 'docker.sock');
let server: FakeServer;

/** The docker CLI against the fake daemon, one JSON document per output line. */
async function dockerCli(...args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('docker', ['-H', `unix://${socket}`, ...args], {
    env: { ...process.env, DOCKER_CONFIG: dir },
  });
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

describe('docker tables (fixture on a Unix socket)', () => {
  before(async () => {
    server = await startFakeServer(ROUTES, socket);
    setFlag('docker_socket', socket);
  });
  after(() => {
    server.stop();
    setFlag('docker_socket', '/var/run/docker.sock');
    rmSync(dir, { recursive: true, force: true });
  });

  it('docker_containers matches `docker ps -a`', async () => {
    const cli = await dockerCli('ps', '-a', '--no-trunc', '--format', '{{json .}}');
    const rows = await query(
      'SELECT * FROM docker_containers WHERE id IN (SELECT id FROM docker_containers) ORDER BY id',
    );
    assert.equal(cli.length, 2);
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.image, r.command, r.state, r.status]),
      cli
        .map((c) => [c.ID, `/${c.Names}`, c.Image, JSON.parse(String(c.Command)), c.State, c.Status])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const running = rows[0] as Record<string, unknown>;
    const serverPid = server.pid;
    assert.equal(running.pid, serverPid);
    assert.equal(running.image_id, 'd74508fb6632491cea586a1fd7d748dfc5274cd6fdfedee309ecdcbc2bf5cb82');
    assert.equal(running.config_entrypoint, '/docker-entrypoint.sh, --verbose');
    assert.equal(running.security_options, 'label=disable, seccomp=unconfined');
    assert.equal(running.privileged, 1);
    assert.equal(running.finished_at, '', 'no finish time while running');
    for (const ns of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts']) {
      const { stdout } = await run('readlink', [`/proc/${serverPid}/ns/${ns}`]);
      assert.equal(running[`${ns}_namespace`], /\[(\d+)\]/.exec(stdout)?.[1], ns);
    }
    const exited = rows[1] as Record<string, unknown>;
    assert.equal(exited.pid, 0);
    assert.equal(exited.config_entrypoint, '');
    assert.equal(exited.readonly_rootfs, 1);
    assert.equal(exited.finished_at, '2015-01-06T15:48:00.000000000Z');
    assert.equal(exited.net_namespace, null);
  });

  it('passes `id =` to Docker as a filter, and reports the prefix the query gave', async () => {
    const rows = await query("SELECT id, name FROM docker_containers WHERE id = '8dfa'");
    assert.deepEqual(rows, [{ id: '8dfa', name: '/boring_feynman' }]);
    const seen = (await server.requests()).map((r) => decodeURIComponent(r.url));
    assert.ok(seen.includes('/containers/json?all=1&filters={"id":{"8dfa":true}}'), seen.join('\n'));
    // Without a constraint osquery lists running containers only (no all=1).
    await query('SELECT count(*) FROM docker_containers');
    assert.ok((await server.requests()).some((r) => r.url === '/containers/json'));
  });

  it('docker_container_labels / mounts / networks / ports / envs', async () => {
    const cli = await dockerCli('ps', '-a', '--no-trunc', '--format', '{{json .}}');
    const labels = await query('SELECT id, key, value FROM docker_container_labels ORDER BY key');
    const cliLabels = String(cli.find((c) => c.ID === '8dfafdbc3a40')?.Labels)
      .split(',')
      .sort();
    assert.deepEqual(
      labels.map((l) => `${l.key}=${l.value}`),
      cliLabels,
    );
    const mounts = await query('SELECT * FROM docker_container_mounts');
    assert.equal(mounts.length, 1);
    assert.deepEqual(
      { ...mounts[0] },
      {
        id: '8dfafdbc3a40',
        type: 'volume',
        name: 'fac362f2c8d8b25e8a8e7a9f0b3b6b3e3d3a7e0e2f1b3b0c9a8e7d6c5b4a3f2e1',
        source: '/data',
        destination: '/data',
        driver: 'local',
        mode: 'ro,Z',
        rw: 0,
        propagation: '',
      },
    );
    const nets = await query(
      'SELECT id, name, ip_address, ip_prefix_len, mac_address FROM docker_container_networks ORDER BY id',
    );
    assert.deepEqual(
      nets.map((n) => [n.id, n.name, n.ip_address, n.ip_prefix_len]),
      [
        ['8dfafdbc3a40', 'bridge', '172.17.0.2', 16],
        ['9cd87474be90', 'bridge', '172.17.0.8', 16],
      ],
    );
    assert.equal(String(cli.find((c) => c.ID === '8dfafdbc3a40')?.Networks), 'bridge');
    const ports = await query('SELECT * FROM docker_container_ports');
    assert.deepEqual(ports, [
      { id: '8dfafdbc3a40', type: 'tcp', port: 2222, host_ip: '0.0.0.0', host_port: 3333 },
    ]);
    assert.match(String(cli.find((c) => c.ID === '8dfafdbc3a40')?.Ports), /0\.0\.0\.0:3333->2222\/tcp/);
    const envs = await query("SELECT key, value FROM docker_container_envs WHERE id = '8dfafdbc3a40'");
    assert.deepEqual(envs[1], { key: 'GREETING', value: 'a=b' });
  });

  it('docker_container_processes / stats / fs_changes need an id', async () => {
    const procs = await query(
      "SELECT pid, name, cmdline, uid, resident_size, total_size, start_time, threads, nice, cpu FROM docker_container_processes WHERE id = '8dfafdbc3a40'",
    );
    assert.deepEqual(procs[1], {
      pid: 3261,
      name: 'sleep',
      cmdline: 'sleep 1000',
      uid: 1000,
      resident_size: 748000,
      total_size: 2412000,
      start_time: 59,
      threads: 2,
      nice: 5,
      cpu: 1.5,
    });
    assert.equal(procs[0]?.start_time, null, 'an etime with colons is not an integer');
    const cliTop = await run('docker', ['-H', `unix://${socket}`, 'top', '8dfafdbc3a40']);
    assert.equal(cliTop.stdout.trim().split('\n').length - 1, procs.length);

    const [stats] = await query("SELECT * FROM docker_container_stats WHERE id = '8dfafdbc3a40'");
    assert.equal(stats?.name, '/boring_feynman');
    assert.equal(stats?.read, 1420757851);
    assert.equal(stats?.interval, 1_000_000_000);
    assert.equal(stats?.disk_read, 5096);
    assert.equal(stats?.disk_write, 8192);
    assert.equal(stats?.network_rx_bytes, 5338 + 4641);
    assert.equal(stats?.memory_limit, 67108864);
    assert.equal(stats?.pids, 3);

    const changes = await query(
      "SELECT path, change_type FROM docker_container_fs_changes WHERE id = '8dfafdbc3a40'",
    );
    const cliDiff = await run('docker', ['-H', `unix://${socket}`, 'diff', '8dfafdbc3a40']);
    assert.deepEqual(
      changes.map((c) => `${c.change_type} ${c.path}`),
      cliDiff.stdout.trim().split('\n'),
    );
    assert.match(await queryErrorText('SELECT * FROM docker_container_stats'), /required|constraint/i);
  });

  it('docker_images, labels, layers, history match `docker images`/`docker history`', async () => {
    const cli = await dockerCli('images', '--no-trunc', '--format', '{{json .}}');
    const rows = await query('SELECT id, created, size_bytes, tags FROM docker_images');
    assert.equal(rows.length, 2);
    const cliIds = new Set(cli.map((c) => String(c.ID).replace(/^sha256:/, '')));
    for (const r of rows) assert.ok(cliIds.has(String(r.id)));
    assert.equal(
      rows[0]?.tags,
      'example:1.0,example:latest,example:stable,internal.registry.example.com:5000/example:1.0',
    );
    const labels = await query('SELECT key FROM docker_image_labels ORDER BY key');
    assert.deepEqual(
      labels.map((l) => l.key),
      ['com.example.some-label', 'com.example.some-other-label'],
    );
    const layers = await query(
      "SELECT layer_id, layer_order FROM docker_image_layers WHERE id = 'ec3f0931a6e6b6855d76b2d7b0be30e81860baccd891b2e243280bf1cd8ad710'",
    );
    assert.deepEqual(layers, [
      { layer_id: '1834950e52ce4d5a88a1bbd131c537f4d0e56d10ff0dd69e66be3b7dfa9df7e6', layer_order: 1 },
      { layer_id: '5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef', layer_order: 2 },
    ]);
    const history = await query('SELECT created, size, created_by, tags, comment FROM docker_image_history');
    const cliHistory = await dockerCli(
      'history',
      '--no-trunc',
      '--format',
      '{{json .}}',
      'ec3f0931a6e6b6855d76b2d7b0be30e81860baccd891b2e243280bf1cd8ad710',
    );
    assert.equal(history.length, cliHistory.length);
    assert.deepEqual(
      history.map((h) => h.created_by),
      cliHistory.map((h) => h.CreatedBy),
    );
    assert.equal(history[0]?.tags, 'ubuntu:lucid,ubuntu:10.04');
    assert.equal(history[2]?.comment, 'Imported from -');
  });

  it('docker_info and docker_version match `docker info`/`docker version`', async () => {
    const [info] = await query('SELECT * FROM docker_info');
    const [cliInfo] = await dockerCli('info', '--format', '{{json .}}');
    assert.equal(info?.id, cliInfo?.ID);
    assert.equal(info?.containers, cliInfo?.Containers);
    assert.equal(info?.containers_paused, cliInfo?.ContainersPaused);
    assert.equal(info?.memory, cliInfo?.MemTotal);
    assert.equal(info?.server_version, cliInfo?.ServerVersion);
    assert.equal(info?.bridge_nf_ip6tables, 0);
    assert.equal(info?.oom_kill_disable, 1);
    assert.equal(info?.root_dir, '/var/lib/docker');
    const [version] = await query('SELECT * FROM docker_version');
    const [cliVersion] = await dockerCli('version', '--format', '{{json .Server}}');
    assert.equal(version?.version, cliVersion?.Version);
    assert.equal(version?.api_version, cliVersion?.ApiVersion);
    assert.equal(version?.git_commit, cliVersion?.GitCommit);
    assert.equal(version?.min_api_version, '1.12');
  });

  it('docker_networks / network_labels / volumes / volume_labels', async () => {
    const nets = await query('SELECT * FROM docker_networks ORDER BY name');
    const cliNets = await dockerCli('network', 'ls', '--no-trunc', '--format', '{{json .}}');
    assert.deepEqual(
      nets.map((n) => [n.id, n.name, n.driver]),
      cliNets.map((n) => [n.ID, n.Name, n.Driver]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    const myNet = nets.find((n) => n.name === 'my_net');
    assert.equal(myNet?.subnet, '172.19.0.0/16');
    assert.equal(myNet?.gateway, '172.19.0.1');
    assert.equal(myNet?.enable_ipv6, 1);
    assert.equal(myNet?.created, Math.floor(new Date(2016, 9, 19, 6, 24, 0).getTime() / 1000));
    assert.equal(nets.find((n) => n.name === 'none')?.subnet, null);
    const nlabels = await query('SELECT id, key FROM docker_network_labels');
    assert.equal(nlabels.length, 2);
    const vols = await query('SELECT * FROM docker_volumes ORDER BY name');
    const cliVols = await dockerCli('volume', 'ls', '--format', '{{json .}}');
    assert.deepEqual(
      vols.map((v) => [v.name, v.driver]),
      cliVols.map((v) => [v.Name, v.Driver]).sort(),
    );
    assert.equal(vols.find((v) => v.name === 'tardis')?.type, 'tmpfs');
    const vlabels = await query("SELECT key, value FROM docker_volume_labels WHERE name = 'tardis'");
    assert.equal(vlabels.length, 2);
  });
});

describe('docker tables without a daemon', () => {
  it('return no rows quickly, never an SQL error', async () => {
    setFlag('docker_socket', join(dir, 'missing.sock'));
    const started = Date.now();
    for (const t of [
      'docker_containers',
      'docker_images',
      'docker_info',
      'docker_version',
      'docker_volumes',
    ]) {
      assert.deepEqual(await query(`SELECT * FROM ${t}`), [], t);
    }
    assert.deepEqual(await query("SELECT * FROM docker_container_stats WHERE id = 'abc'"), []);
    assert.ok(Date.now() - started < 2000);
    setFlag('docker_socket', '/var/run/docker.sock');
  });
});

async function queryErrorText(sql: string): Promise<string> {
  try {
    await query(sql);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
