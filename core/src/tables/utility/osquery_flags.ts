import { allFlags, getFlag } from '../../flags/index.js';
import { defineTable, integer, text } from '../framework.js';

export const osqueryFlags = defineTable({
  name: 'osquery_flags',
  attributes: { utility: true },
  columns: {
    name: text(),
    type: text(),
    description: text(),
    default_value: text(),
    value: text(),
    shell_only: integer(),
  },
  // osquery lists flags whose names are longer than two characters (not -A, -L, ...).
  generate: () =>
    allFlags()
      .filter((f) => f.name.length > 2)
      .map((f) => ({
        name: f.name,
        type: f.type,
        description: f.description,
        default_value: String(f.default),
        value: String(getFlag(f.name)),
        shell_only: f.kind === 'shell' ? 1 : 0,
      })),
});
