// Time as osquery prints it.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/**
 * C's asctime() layout of a UTC time plus ` UTC`, day of month padded with a space:
 * `Thu Aug  6 21:46:12 2026 UTC` (calendarTime in result lines, `time.timestamp`).
 */
export function asctimeUtc(unixSeconds: number): string {
  const d = new Date(Math.floor(unixSeconds) * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${clock} ${d.getUTCFullYear()} UTC`;
}
