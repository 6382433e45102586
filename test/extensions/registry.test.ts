// The plugin registry with a real peer: test/extensions/peers/sdk-plugins.ts is an
// extension built with our SDK, run as its own process on the real extension socket. It
// registers a table, a config, a logger and a distributed plugin.
//
// First, osqd end to end (the real binary) autoloads it and activates its plugins through
// the registry: --config_plugin=peer_config (the schedule comes from the extension, and
// queries the extension's table) and --logger_plugin=filesystem,peer_logger (the same
// snapshot line reaches both). osquery_registry lists osq's own plugins and the
// extension's, and extensions asking for a built-in or reserved name are refused.
// Then the distributed route, in this process's core: activated from the registry, it
// carries getQueries and writeResults to the same peer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setUpRegistries } from '@osq/core/plugins';
import { activeOne } from '@osq/core/registry/index';
import { ThriftClient } from '@osq/idl';
import { DaemonDir, stopDaemon, until } from '../daemon/helpers.ts';
import { type Core, type Spawned, spawnExtension, startCore } from '../sdk/harness.ts';

const PEER = new URL('./peers/sdk-plugins.mjs', import.meta.url).pathname;

/** What the peer's logger and distributed plugins received (its PEER_LOG). */
function received(log: string, kind: string): unknown[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; data: unknown })
    .filter((r) => r.kind === kind)
    .map((r) => r.data);
}

/** Runs the peer against `socket` with some plugin names changed; resolves with its exit code and stderr. */
function runPeer(
  socket: string,
  names: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [PEER, '--socket', socket, '--timeout', '5', '--interval', '1'], {
    env: { ...process.env, ...names },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('osqd activates an extension’s config and logger through the registry', () => {
  const d = new DaemonDir();
  const log = join(d.dir, 'peer.log');
  const autoload = join(d.dir, 'extensions.load');

  before(() => {
    // osqd autoloads `.ext` files; this one starts the peer with its log path.
    const ext = join(d.dir, 'sdk-peer.ext');
    writeFileSync(ext, `#!/bin/sh\nPEER_LOG='${log}' exec '${process.execPath}' '${PEER}' "$@"\n`, {
      mode: 0o755,
    });
    writeFileSync(autoload, `${ext}\n`);
  });

  it('runs the extension’s schedule into both loggers, lists its plugins and refuses taken names', async () => {
    const p = d.start([
      '--disable_watchdog',
      '--config_plugin=peer_config',
      '--logger_plugin=filesystem,peer_logger',
      `--extensions_autoload=${autoload}`,
      '--extensions_timeout=10',
      '--extensions_interval=1',
    ]);
    try {
      await until(
        'a snapshot line in the extension’s logger',
        () => received(log, 'snapshot').length > 0,
        30_000,
      );
      // The schedule came from the extension's config and read the extension's table.
      const line = String(received(log, 'snapshot')[0]);
      const doc = JSON.parse(line) as { name: string; snapshot: unknown[] };
      assert.equal(doc.name, 'peer_rows');
      assert.deepEqual(doc.snapshot, [
        { n: '1', label: 'peer-1' },
        { n: '2', label: 'peer-2' },
        { n: '3', label: 'peer-3' },
      ]);
      assert.deepEqual(received(log, 'init'), ['osqueryd']);
      // The filesystem logger, activated by the same flag, wrote the same line.
      await until('the same line in the snapshots file', () =>
        d.raw('osqueryd.snapshots.log').includes(line),
      );

      const core = await ThriftClient.connect(d.socket, { timeoutMs: 5000 });
      try {
        const sql = async (q: string) => {
          const r = await core.call({ method: 'query', sql: q });
          assert.equal(r.status.code, 0, r.status.message);
          return r.response;
        };
        const [peer] = await sql("SELECT uuid FROM osquery_extensions WHERE name = 'sdk_peer'");
        const uuid = peer?.uuid ?? '';
        assert.match(uuid, /^\d+$/);
        const listed = async () =>
          (
            await sql(
              "SELECT registry, name, owner_uuid FROM osquery_registry WHERE registry <> 'table' OR name LIKE 'peer%' ORDER BY registry, name",
            )
          ).map((r) => [r.registry, r.name, r.owner_uuid]);
        const expected = [
          ['config', 'filesystem', '0'],
          ['config', 'peer_config', uuid],
          ['distributed', 'peer_distributed', uuid],
          ['logger', 'filesystem', '0'],
          ['logger', 'peer_logger', uuid],
          ['logger', 'stdout', '0'],
          ['logger', 'syslog', '0'],
          ['table', 'peer_numbers', uuid],
        ];
        assert.deepEqual(await listed(), expected); // no `tls`: reserved names are not plugins

        // Extensions asking for a built-in name or one osquery reserves are refused.
        const fresh = (n: string) => ({
          PEER_NAME: `refused_${n}`,
          PEER_TABLE: `t_${n}`,
          PEER_CONFIG: `c_${n}`,
          PEER_LOGGER: `l_${n}`,
          PEER_DISTRIBUTED: `d_${n}`,
        });
        const refusals = await Promise.all([
          runPeer(d.socket, { ...fresh('logger'), PEER_LOGGER: 'filesystem' }),
          runPeer(d.socket, { ...fresh('table'), PEER_TABLE: 'processes' }),
          runPeer(d.socket, { ...fresh('config'), PEER_CONFIG: 'tls' }),
          runPeer(d.socket, { ...fresh('distributed'), PEER_DISTRIBUTED: 'tls' }),
        ]);
        const conflict = (item: string) =>
          `Failed adding registry: Registry item ${item} conflicts with another item of the same name.`;
        for (const [i, item] of ['filesystem', 'processes', 'tls', 'tls'].entries()) {
          const r = refusals[i];
          assert.equal(r?.code, 1, r?.stderr);
          assert.ok(r?.stderr.includes(conflict(item)), r?.stderr);
        }
        assert.deepEqual(await listed(), expected);
        assert.deepEqual(await sql("SELECT name FROM osquery_extensions WHERE type = 'extension'"), [
          { name: 'sdk_peer' },
        ]);
      } finally {
        core.close();
      }
    } finally {
      assert.equal(await stopDaemon(p), 0, p.output());
    }
  });
});

describe('the distributed registry routes to an extension’s plugin', () => {
  let core: Core;
  let peer: Spawned;
  let log: string;

  before(async () => {
    core = await startCore();
    log = join(core.dir, 'peer.log');
    process.env.PEER_LOG = log;
    peer = spawnExtension(PEER, core.socket);
    await core.waitFor('sdk_peer');
  });

  after(async () => {
    peer?.kill('SIGKILL');
    delete process.env.PEER_LOG;
    await core?.close();
  });

  it('activates --distributed_plugin by name and carries reads and writes to the peer', async () => {
    const registry = setUpRegistries().distributed;
    const lookup = (name: string) => registry.get(name)?.();
    assert.throws(() => activeOne('distributed', 'tls', lookup), {
      message: 'Cannot activate tls distributed plugin: Unknown registry plugin: tls',
    });
    const plugin = activeOne('distributed', 'peer_distributed', lookup);
    assert.deepEqual(JSON.parse(await plugin.getQueries()), {
      queries: { q1: 'SELECT count(*) AS n FROM peer_numbers' },
    });
    const results = { queries: { q1: [{ n: '3' }] }, statuses: { q1: 0 } };
    await plugin.writeResults(JSON.stringify(results));
    assert.deepEqual(received(log, 'results'), [results]);

    // When the extension goes away, so does its plugin: the activated route says so.
    peer.kill('SIGKILL');
    await until('the route removed', () => !registry.has('peer_distributed'), 10_000);
    await assert.rejects(plugin.getQueries(), /no extension serves distributed plugin peer_distributed/);
  });
});
