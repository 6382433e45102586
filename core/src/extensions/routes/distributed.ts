// A distributed plugin served by an extension, behind the same DistributedPlugin
// interface as osquery's own: `{action: getQueries}` answers the read body in its first
// row's `results`; `{action: writeResults, results}` takes the write body.
import type { DistributedPlugin } from '../../distributed/plugin.js';
import { flags } from '../../flags/index.js';
import { callRoute } from './call.js';

export function extensionDistributedPlugin(name: string): DistributedPlugin {
  const call = async (request: Record<string, string>) => {
    const r = await callRoute('distributed', name, request, flags.thrift_timeout * 1000);
    if (r.status.code !== 0) throw new Error(r.status.message || `distributed plugin ${name} failed`);
    return r.response;
  };
  return {
    name,
    async getQueries() {
      return (await call({ action: 'getQueries' }))[0]?.results ?? '';
    },
    async writeResults(results) {
      await call({ action: 'writeResults', results });
    },
  };
}
