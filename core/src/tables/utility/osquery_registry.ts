import { isTableDisabled, registries } from '../../registry/index.js';
import { defineTable, integer, text } from '../framework.js';

/**
 * Every plugin this thread's registries hold: osq's own (owner 0) and the extensions'
 * (their uuid), by registry then name. Reserved names osq does not implement are not here.
 */
export const osqueryRegistry = defineTable({
  name: 'osquery_registry',
  attributes: { utility: true },
  columns: {
    registry: text(),
    name: text(),
    owner_uuid: integer(),
    internal: integer(),
    active: integer(),
  },
  generate: () =>
    registries()
      .all()
      .flatMap((registry) =>
        registry.items().map((item) => ({
          registry: registry.name,
          name: item.name,
          owner_uuid: item.owner,
          internal: 0,
          active: registry.name === 'table' && isTableDisabled(item.name) ? 0 : 1,
        })),
      ),
});
