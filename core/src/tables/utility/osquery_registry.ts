import { isTableDisabled, tableRegistry } from '../../registry/tables.js';
import { defineTable, integer, text } from '../framework.js';

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
    tableRegistry()
      .all()
      .map((t) => ({
        registry: 'table',
        name: t.name,
        owner_uuid: 0, // 0 is the core; extension routes carry their extension's uuid
        internal: 0,
        active: isTableDisabled(t.name) ? 0 : 1,
      })),
});
