// uptime: time since boot, split into days/hours/minutes/seconds.

import { uptimeSeconds } from '../../lib/proc.js';
import { bigint, defineTable, integer } from '../framework.js';

export const uptime = defineTable({
  name: 'uptime',
  columns: {
    days: integer(),
    hours: integer(),
    minutes: integer(),
    seconds: integer(),
    total_seconds: bigint(),
  },
  generate() {
    const total = uptimeSeconds();
    if (total < 0) return [];
    return [
      {
        days: Math.floor(total / 86400),
        hours: Math.floor(total / 3600) % 24,
        minutes: Math.floor(total / 60) % 60,
        seconds: total % 60,
        total_seconds: total,
      },
    ];
  },
});
