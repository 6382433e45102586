import { defineTable, integer, text } from '../framework.js';

export const osqueryEvents = defineTable({
  name: 'osquery_events',
  attributes: { utility: true },
  columns: {
    name: text(),
    publisher: text(),
    type: text(),
    subscriptions: integer(),
    events: integer(),
    refreshes: integer(),
    active: integer(),
  },
  // osq has no event publishers or subscribers yet (the events work is its own issue),
  // so there is nothing to list.
  generate: () => [],
});
