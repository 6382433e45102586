import { asctimeUtc } from '@osq/idl';
import { bigint, defineTable, integer, text } from '../framework.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The local zone's abbreviation (strftime's %Z), e.g. `UTC`, `CET`. */
function localZone(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

export const time = defineTable({
  name: 'time',
  attributes: { utility: true },
  columns: {
    weekday: text(),
    year: integer(),
    month: integer(),
    day: integer(),
    hour: integer(),
    minutes: integer(),
    seconds: integer(),
    timezone: text(),
    local_timezone: text(),
    unix_time: integer(),
    timestamp: text(),
    datetime: text({ aliases: ['date_time'] }),
    iso_8601: text(),
    win_timestamp: bigint({ platforms: ['windows'] }),
  },
  generate: () => {
    const now = new Date();
    const iso = `${now.toISOString().slice(0, 19)}Z`;
    return [
      {
        weekday: WEEKDAYS[now.getUTCDay()],
        year: now.getUTCFullYear(),
        month: now.getUTCMonth() + 1,
        day: now.getUTCDate(),
        hour: now.getUTCHours(),
        minutes: now.getUTCMinutes(),
        seconds: now.getUTCSeconds(),
        timezone: 'UTC',
        local_timezone: localZone(now),
        unix_time: Math.floor(now.getTime() / 1000),
        timestamp: asctimeUtc(now.getTime() / 1000),
        datetime: iso,
        iso_8601: iso,
      },
    ];
  },
});
