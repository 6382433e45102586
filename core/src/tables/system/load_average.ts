// load_average: the 1, 5 and 15 minute load averages from /proc/loadavg.

import { readText } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';

const PERIODS = ['1m', '5m', '15m'];

export const loadAverage = defineTable({
  name: 'load_average',
  columns: {
    period: text(),
    average: text(),
  },
  generate() {
    const fields = (readText('/proc/loadavg') ?? '').trim().split(/\s+/);
    const loads = fields.slice(0, 3).map((f) => Number.parseFloat(f));
    if (loads.length < 3 || loads.some((l) => !Number.isFinite(l))) {
      // osquery pre-sizes its result to three rows and leaves them empty on failure.
      return [{}, {}, {}];
    }
    // The average is text printed like C's "%f" (six decimals).
    return loads.map((l, i): Row => ({ period: PERIODS[i], average: l.toFixed(6) }));
  },
});
