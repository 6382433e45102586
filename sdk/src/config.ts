// Config plugins: `genConfig` answers with source name -> config JSON text; `genPack`
// (optional) answers with one pack's JSON text (docs/extensions.md#config-plugin-calls).
import type { PluginRequest } from '@osq/idl';
import { failure, guarded, type Plugin, type PluginResult, success } from './plugin.js';

/** Config sources: name -> JSON text (an object is serialised for you). */
export type ConfigSources = Record<string, string | object>;

export type GenConfig = () => ConfigSources | Promise<ConfigSources>;

/** Returns the pack's JSON (text or object), or undefined when the plugin has no such pack. */
export type GenPack = (
  name: string,
  value: string,
) => string | object | undefined | Promise<string | object | undefined>;

const asText = (v: string | object): string => (typeof v === 'string' ? v : JSON.stringify(v));

export class ConfigPlugin implements Plugin {
  readonly registry = 'config';

  constructor(
    readonly name: string,
    private readonly genConfig: GenConfig,
    private readonly genPack?: GenPack,
  ) {}

  routeInfo() {
    return [];
  }

  call(request: PluginRequest): PluginResult | Promise<PluginResult> {
    switch (request.action) {
      case undefined:
        return failure('Config plugins require an action');
      case 'genConfig':
        return guarded(async () => {
          const sources = await this.genConfig();
          const row: Record<string, string> = {};
          for (const [source, json] of Object.entries(sources)) row[source] = asText(json);
          return success([row]);
        });
      case 'genPack':
        return guarded(async () => {
          const name = request.name ?? '';
          if (!this.genPack) return failure('this config plugin serves no packs (no genPack)');
          const pack = await this.genPack(name, request.value ?? '');
          // A missing key makes osquery skip the pack ("Invalid plugin response").
          return pack === undefined ? failure(`No pack named ${name}`) : success([{ [name]: asText(pack) }]);
        });
      default:
        return failure(`Config plugin action unknown: ${request.action}`);
    }
  }
}

/** Declares a config plugin; osquery uses it with `--config_plugin=<name>`. */
export function configPlugin(name: string, genConfig: GenConfig, genPack?: GenPack): ConfigPlugin {
  return new ConfigPlugin(name, genConfig, genPack);
}
