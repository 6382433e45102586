// The plugin registry, osquery's model: one registry per plugin kind (table, config,
// logger, distributed, and every other registry name osquery's core has), each mapping a
// name to a plugin that is either osq's own or a route to the extension serving it,
// behind the kind's one interface. Whatever asks "which plugins exist" reads it:
// osquery_registry, the extension manager's conflict checks and registration, the
// activation of --config_plugin / --logger_plugin / --distributed_plugin, and the SQL
// engine, which attaches and detaches tables as they come and go (osquery's attach).
//
// Each thread has its own registries (`registries()` below): plugins are functions and
// cannot cross threads. core/src/plugins.ts fills them with osq's built-in plugins, once
// per thread (the inline engine, each SQL worker, the main thread alike). Extension routes
// arrive as plain data (routes.ts) that every thread applies to its own copy.
//
// This folder is a leaf: it imports the plugin interfaces (as types) and the flags, and
// nothing that imports it back. Its files:
//   registry.ts    Registry<P>: one kind's plugins by name, local or routed, with add/remove events
//   registries.ts  Registries: every kind and what it holds; applying extension state
//   routes.ts      extension records and routes as plain data
//   reserved.ts    names osquery owns that osq does not implement yet (refused, not listed)
//   activate.ts    picking the plugin an activation flag names, in osquery's words
//   tables.ts      --disable_tables / --enable_tables over the table registry
//
// Adding a plugin to a kind that exists (say a `tls` logger):
//   1. implement the kind's interface (LoggerPlugin) where the kind lives (core/src/logger/);
//   2. register it in core/src/plugins.ts: `r.logger.add('tls', (ctx) => new TlsLogger(...))`.
//   osquery_registry then lists it, extensions can no longer take the name, and
//   --logger_plugin=tls activates it. Drop the name from reserved.ts if it was there.
//
// Adding a plugin kind (say event_publisher):
//   1. declare its interface and the type its registry holds (often a maker function, so
//      a plugin reads its flags and opens what it needs only when activated) in its own
//      folder, e.g. core/src/events/publisher.ts;
//   2. type the kind's field in Registries (registries.ts) with it instead of routesOnly;
//   3. write how an extension's route of the kind becomes a plugin in
//      core/src/extensions/routes/<kind>.ts, and install it in plugins.ts with `routeWith`;
//   4. register osq's own plugins of the kind in plugins.ts.
//   Code that uses the kind reads `registries().event_publisher`; code that must follow
//   plugins coming and going calls `subscribe` (the engine does so for tables).
import { Registries } from './registries.js';

export { activeOne, unknownPlugin } from './activate.js';
export { Registries } from './registries.js';
export { Registry, type RegistryChange, type RegistryItem, type RegistryListener } from './registry.js';
export { isReserved, RESERVED_PLUGINS } from './reserved.js';
export { type ExtensionRecord, type ExtensionRoute, type ExtensionState, sameRoute } from './routes.js';
export { allTables, enabledTables, isTableDisabled } from './tables.js';

let thread: Registries | undefined;

/** This thread's registries (empty until core/src/plugins.ts sets them up). */
export function registries(): Registries {
  thread ??= new Registries();
  return thread;
}
