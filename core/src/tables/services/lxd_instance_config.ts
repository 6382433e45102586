// lxd_instance_config: the config keys of one instance (GET /1.0/containers/<name>).
import { defineTable, type Row, text } from '../framework.js';
import { lxdGet } from './lxd_api.js';
import { at, entries, str } from './util.js';

export const lxdInstanceConfig = defineTable({
  name: 'lxd_instance_config',
  columns: {
    name: text({ index: true, required: true }),
    key: text(),
    value: text(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const name of ctx.equals('name')) {
      const meta = lxdGet(`/1.0/containers/${name}`);
      for (const [key, value] of entries(at(meta ?? undefined, 'config')))
        rows.push({ name, key, value: str(value) });
    }
    return rows;
  },
});
