// Activation: the plugin an activation flag names (--config_plugin, --logger_plugin,
// --distributed_plugin, ...), in osquery's words when there is none.

/** osquery's refusal of a name no registry item answers to. */
export function unknownPlugin(registry: string, name: string): Error {
  return new Error(`Cannot activate ${name} ${registry} plugin: Unknown registry plugin: ${name}`);
}

/**
 * The single plugin a flag names, for registries where osquery activates one (config,
 * distributed, enroll): a comma list names no plugin, so it is refused with a clear error.
 */
export function activeOne<P>(registry: string, name: string, lookup: (name: string) => P | undefined): P {
  if (name.includes(',')) {
    throw new Error(`Cannot activate ${name} ${registry} plugin: only one ${registry} plugin can be active`);
  }
  const plugin = lookup(name);
  if (plugin === undefined) throw unknownPlugin(registry, name);
  return plugin;
}
