import { sharedState } from '../../thread/shared-state.js';
import { defineTable, integer, text } from '../framework.js';

export const PACKS_TOPIC = 'packs';

export const osqueryPacks = defineTable({
  name: 'osquery_packs',
  attributes: { utility: true },
  columns: {
    name: text(),
    platform: text(),
    version: text({ collate: 'version' }),
    shard: integer(),
    discovery_cache_hits: integer(),
    discovery_executions: integer(),
    active: integer(),
  },
  // The daemon publishes ConfigManager.packsTable() rows under the `packs` topic.
  generate: () => sharedState<Record<string, string | number>[]>(PACKS_TOPIC) ?? [],
});
