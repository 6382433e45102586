// lxd_instance_devices: one row per setting of each expanded device of one instance
// (GET /1.0/containers/<name>); the device's "type" is its own column.
import { defineTable, type Row, text } from '../framework.js';
import { lxdGet } from './lxd_api.js';
import { at, entries, str } from './util.js';

export const lxdInstanceDevices = defineTable({
  name: 'lxd_instance_devices',
  columns: {
    name: text({ index: true, required: true }),
    device: text(),
    device_type: text(),
    key: text(),
    value: text(),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const name of ctx.equals('name')) {
      const meta = lxdGet(`/1.0/containers/${name}`);
      for (const [device, settings] of entries(at(meta ?? undefined, 'expanded_devices'))) {
        const deviceType = str(at(settings, 'type'));
        for (const [key, value] of entries(settings)) {
          if (key !== 'type') rows.push({ name, device, device_type: deviceType, key, value: str(value) });
        }
      }
    }
    return rows;
  },
});
