// osq's built-in plugins, registered into this thread's registries (core/src/registry/),
// with the route factories that turn an extension's plugins into plugins of each kind.
// This is the one list of what osq builds in: osquery_registry, the extension manager's
// conflict checks and the --*_plugin flags all read the registries it fills.
//
// Every thread that serves SQL or plugins calls setUpRegistries() once before using them:
// the inline engine and the worker engine's main thread (engine/engine.ts), each SQL
// worker thread (engine/worker.ts), and osqd's --config_check.
import { FilesystemConfigPlugin } from './config/plugin.js';
import { extensionConfigPlugin } from './extensions/routes/config.js';
import { extensionDistributedPlugin } from './extensions/routes/distributed.js';
import { extensionLogger } from './extensions/routes/logger.js';
import { tableFromRoute } from './extensions/routes/table.js';
import { LOCAL_LOGGERS } from './logger/index.js';
import { type Registries, registries } from './registry/index.js';
import { coreTables } from './tables/index.js';

let done = false;

/** This thread's registries, filled with osq's built-in plugins on the first call. */
export function setUpRegistries(): Registries {
  const r = registries();
  if (done) return r;
  done = true;

  for (const table of coreTables) r.table.add(table.name, table);
  r.table.routeWith(tableFromRoute);

  r.config.add('filesystem', () => new FilesystemConfigPlugin());
  r.config.routeWith((route) => () => extensionConfigPlugin(route.name));

  for (const [name, make] of Object.entries(LOCAL_LOGGERS)) r.logger.add(name, make);
  r.logger.routeWith((route) => (ctx) => extensionLogger(route.name, ctx.hostIdentifier));

  r.distributed.routeWith((route) => () => extensionDistributedPlugin(route.name));
  return r;
}
