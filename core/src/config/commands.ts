// `--config_check` and `--config_dump`: plain functions the CLI calls before starting
// the daemon. Each returns the process exit code and writes what osquery writes.

import { flags } from '../flags/index.js';
import { compareBytes } from '../lib/bytes.js';
import { ConfigManager, type ConfigManagerOptions } from './manager.js';
import { type ConfigPlugin, selectConfigPlugin } from './plugin.js';

export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: CommandOutput = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/**
 * `--config_check`: load and validate the config like a start would; on failure print
 * `Error reading config: <reason>` on stderr and return 1, else print nothing and return 0.
 */
export async function configCheck(
  options: ConfigManagerOptions,
  out: CommandOutput = processOutput,
): Promise<number> {
  const manager = new ConfigManager(options);
  const r = await manager.refresh();
  if (r.ok) return 0;
  out.stderr(`Error reading config: ${r.error}\n`);
  return 1;
}

/**
 * `--config_dump`: print every source the plugin returns, in source-name order, as
 * `{"<source>": <text as read>}` plus a newline, and return 0. The text is not parsed
 * (comments included), exactly as osquery prints it. When the plugin fails, osquery
 * goes on starting; osq prints `Error reading config: <reason>` and returns 1 instead.
 */
export async function configDump(plugin: ConfigPlugin, out: CommandOutput = processOutput): Promise<number> {
  let sources: Record<string, string>;
  try {
    sources = await plugin.genConfig();
  } catch (e) {
    out.stderr(`Error reading config: ${(e as Error).message}\n`);
    return 1;
  }
  for (const name of Object.keys(sources).sort(compareBytes)) {
    out.stdout(`{"${name}": ${sources[name]}}\n`);
  }
  return 0;
}

/**
 * `--config_check` and `--config_dump` as osqueryd and osqueryi both answer them: with the
 * config plugin --config_plugin names, before anything else starts. Returns the exit code, or
 * undefined when neither flag is set.
 */
export async function runConfigCommand(out: CommandOutput = processOutput): Promise<number | undefined> {
  if (!flags.config_check && !flags.config_dump) return undefined;
  let plugin: ConfigPlugin;
  try {
    const { setUpRegistries } = await import('../plugins.js');
    plugin = selectConfigPlugin(flags.config_plugin, (name) => setUpRegistries().config.get(name)?.());
  } catch (e) {
    out.stderr(`${(e as Error).message}\n`);
    return 1;
  }
  return flags.config_check ? configCheck({ plugin }, out) : configDump(plugin, out);
}
