// Test harness for the SDK: a real osq core acting as the extension manager (in this
// process, on a worker-thread engine, from core/dist) and extensions as real child
// processes talking to it over Unix sockets. Only tests import the core; the SDK never does.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '@osq/core/engine/engine';
import type { SqlEngine, SqlValue } from '@osq/core/engine/types';
import { ExtensionManager } from '@osq/core/extensions/manager';
import { setFlag } from '@osq/core/flags/index';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');

/**
 * The example extension's launcher: the built one (bin -> dist, `@osq/sdk` from the
 * workspace) when the workspace has been wired and built, else the dev launcher that runs
 * the TypeScript sources through tsx.
 */
export function exampleLauncher(): string {
  const built = join(repoRoot, 'extensions/example-table/dist/main.js');
  const sdk = join(repoRoot, 'node_modules/@osq/sdk/dist/index.js');
  if (existsSync(built) && existsSync(sdk))
    return join(repoRoot, 'extensions/example-table/bin/example-table.mjs');
  return join(here, 'fixtures/example-dev.mjs');
}

/** The test-only extension with edge-case plugins (see fixtures/probe-extension.ts). */
export const probeLauncher = join(here, 'fixtures/probe-dev.mjs');

export interface Core {
  dir: string;
  socket: string;
  engine: SqlEngine;
  manager: ExtensionManager;
  query(sql: string): Promise<Record<string, SqlValue>[]>;
  queryError(sql: string): Promise<string>;
  /** Waits until an extension named `name` is registered and answers a ping. */
  waitFor(name: string, timeoutMs?: number): Promise<void>;
  /** Waits until `sql` succeeds (or the timeout passes) and returns its rows. */
  eventually<T>(check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Starts a manager on a fresh socket; intervals are short so tests run fast. */
export async function startCore(opts: { interval?: string } = {}): Promise<Core> {
  setFlag('extensions_interval', opts.interval ?? '0.5');
  setFlag('extensions_timeout', '3');
  setFlag('extensions_call_timeout_ms', '10000');
  const dir = mkdtempSync(join(tmpdir(), 'osq-sdk-'));
  const socket = join(dir, 'osq.em');
  setFlag('extensions_socket', socket);
  const engine = await openEngine({ thread: 'worker' });
  const manager = new ExtensionManager({ socketPath: socket, engine });
  await manager.start();
  const query = async (sql: string) => {
    const r = await engine.query(sql);
    return r.rows.map((cells) => Object.fromEntries(r.columns.map((c, i) => [c, cells[i] ?? null])));
  };
  const eventually = async <T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    dir,
    socket,
    engine,
    manager,
    query,
    async queryError(sql) {
      try {
        await query(sql);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`query was expected to fail: ${sql}`);
    },
    async waitFor(name, timeoutMs = 15_000) {
      if (!(await manager.waitFor(name, timeoutMs))) throw new Error(`extension ${name} did not register`);
    },
    eventually,
    async close() {
      await manager.stop();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Spawned {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts an extension the way osquery does: `--socket S --timeout T --interval I`. */
export function spawnExtension(launcher: string, socket: string, extra: string[] = []): Spawned {
  const child = spawn(
    process.execPath,
    [launcher, '--socket', socket, '--timeout', '5', '--interval', '0.5', ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
