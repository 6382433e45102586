// A config plugin served by an extension, behind the same ConfigPlugin interface as the
// filesystem one: `{action: genConfig}` answers source name -> JSON text in its first
// row; `{action: genPack, name, value}` answers the pack's text under its name.
import type { ConfigPlugin } from '../../config/plugin.js';
import { flags } from '../../flags/index.js';
import { callRoute } from './call.js';

export function extensionConfigPlugin(name: string): ConfigPlugin {
  const call = (request: Record<string, string>) =>
    callRoute('config', name, request, flags.thrift_timeout * 1000);
  return {
    name,
    async genConfig() {
      const r = await call({ action: 'genConfig' });
      if (r.status.code !== 0) throw new Error(r.status.message || `config plugin ${name} failed`);
      return (r.response[0] ?? {}) as Record<string, string>;
    },
    async genPack(pack, value) {
      return (await call({ action: 'genPack', name: pack, value })).response[0]?.[pack];
    },
  };
}
