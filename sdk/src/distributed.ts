// Distributed plugins: `getQueries` hands the core the queries to run, `writeResults`
// receives their results (docs/extensions.md#distributed-plugin-calls).
import type { PluginRequest } from '@osq/idl';
import { failure, guarded, type Plugin, type PluginResult, success } from './plugin.js';

/** The body osquery expects from getQueries (the same as the TLS read endpoint's). */
export interface DistributedQueries {
  queries: Record<string, string>;
  discovery?: Record<string, string>;
  accelerate?: number;
}

/** What osquery sends back after running them. */
export interface DistributedResults {
  queries: Record<string, Record<string, string>[]>;
  statuses: Record<string, number>;
  messages?: Record<string, string>;
  stats?: Record<string, { wall_time_ms: number; user_time: number; system_time: number; memory: number }>;
}

export interface DistributedHandlers {
  getQueries(): DistributedQueries | string | Promise<DistributedQueries | string>;
  writeResults(results: DistributedResults): void | Promise<void>;
}

export class DistributedPlugin implements Plugin {
  readonly registry = 'distributed';

  constructor(
    readonly name: string,
    private readonly handlers: DistributedHandlers,
  ) {}

  routeInfo() {
    return [];
  }

  call(request: PluginRequest): PluginResult | Promise<PluginResult> {
    switch (request.action) {
      case undefined:
        return failure('Distributed plugins require an action in PluginRequest');
      case 'getQueries':
        return guarded(async () => {
          const q = await this.handlers.getQueries();
          return success([{ results: typeof q === 'string' ? q : JSON.stringify(q) }]);
        });
      case 'writeResults': {
        const text = request.results;
        if (text === undefined) return failure('Missing results field');
        return guarded(async () => {
          await this.handlers.writeResults(JSON.parse(text) as DistributedResults);
          return success();
        });
      }
      default:
        return failure(`Distributed plugin action unknown: ${request.action}`);
    }
  }
}

/** Declares a distributed plugin; osquery uses it with `--distributed_plugin=<name>`. */
export function distributedPlugin(name: string, handlers: DistributedHandlers): DistributedPlugin {
  return new DistributedPlugin(name, handlers);
}
