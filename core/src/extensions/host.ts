// The extension host of a process (osqi or osqd): the manager on --extensions_socket,
// the extensions it launches (--extensions_autoload, --extension) and the wait for
// --extensions_require. SQL must run on worker threads while a host runs, so the
// thread serving the socket is never the one blocked inside a query.
import type { SqlEngine } from '../engine/types.js';
import { flags } from '../flags/index.js';
import { ExtensionLauncher, readAutoloadFile } from './autoload.js';
import { ExtensionManager, type ManagerOptions, secondsFlagMs } from './manager.js';

export interface HostOptions {
  engine: SqlEngine;
  socketPath: string;
  /** Extensions to launch without safety checks (osqi's --extension). */
  extraExtensions?: string[];
  /** Whether to read --extensions_autoload. */
  autoload: boolean;
  log: NonNullable<ManagerOptions['log']>;
}

export interface ExtensionHost {
  manager: ExtensionManager;
  /** Launch (and keep running) one more extension; resolves once it serves `registry`/`item` or the timeout passes. */
  launch(path: string, registry: string, item: string): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startExtensionHost(opts: HostOptions): Promise<ExtensionHost> {
  const manager = new ExtensionManager({ socketPath: opts.socketPath, engine: opts.engine, log: opts.log });
  await manager.start();
  const warn = (m: string) => opts.log('warning', m);
  const launcher = new ExtensionLauncher({
    socket: opts.socketPath,
    timeout: flags.extensions_timeout,
    interval: flags.extensions_interval,
    verbose: flags.verbose,
    warn,
  });
  const paths = [
    ...(opts.autoload ? readAutoloadFile(flags.extensions_autoload, warn, flags.allow_unsafe) : []),
    ...(opts.extraExtensions ?? []),
  ];
  const before = manager.list().length;
  for (const p of paths) launcher.launch(p);

  // Give launched extensions --extensions_timeout to register, so a one-shot query
  // that names their tables finds them.
  const deadline = Date.now() + secondsFlagMs(flags.extensions_timeout);
  while (manager.list().length < before + paths.length && Date.now() < deadline) {
    if (!paths.some((p) => launcher.running(p))) break;
    await new Promise((r) => setTimeout(r, 20));
  }

  const required = flags.extensions_require
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of required) {
    if (!(await manager.waitFor(name, secondsFlagMs(flags.extensions_timeout)))) {
      opts.log('error', `Required extension not found or not loaded: ${name}`);
    }
  }

  return {
    manager,
    async launch(path, registry, item) {
      launcher.launch(path);
      const deadline = Date.now() + Math.max(secondsFlagMs(flags.extensions_timeout), 10_000);
      while (!manager.pluginSocket(registry, item) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      return manager.pluginSocket(registry, item) !== undefined;
    },
    async stop() {
      await manager.stop();
      await launcher.stopAll();
    },
  };
}
