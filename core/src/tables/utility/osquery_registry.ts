import { extensionState } from '../../extensions/state.js';
import { isTableDisabled, tableRegistry } from '../../registry/tables.js';
import { defineTable, integer, text } from '../framework.js';

/** Plugins the core itself provides besides tables (osquery's registries). */
const CORE_PLUGINS: [registry: string, name: string][] = [
  ['config', 'filesystem'],
  ['logger', 'filesystem'],
  ['logger', 'stdout'],
  ['logger', 'syslog'],
];

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
  generate: () => {
    const state = extensionState();
    const tableOwner = new Map(state.tables.map((t) => [t.name, t.uuid]));
    return [
      ...tableRegistry()
        .all()
        .map((t) => ({
          registry: 'table',
          name: t.name,
          owner_uuid: tableOwner.get(t.name) ?? 0, // 0 is the core
          internal: 0,
          active: isTableDisabled(t.name) ? 0 : 1,
        })),
      ...CORE_PLUGINS.map(([registry, name]) => ({ registry, name, owner_uuid: 0, internal: 0, active: 1 })),
      ...(state.plugins ?? []).map((p) => ({
        registry: p.registry,
        name: p.name,
        owner_uuid: p.uuid,
        internal: 0,
        active: 1,
      })),
    ];
  },
});
