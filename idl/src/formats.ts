// Text formats osquery's C++ produces with the C library, reproduced exactly: result and
// status lines carry these, and a reader (a SIEM, Fleet, a diff) sees any difference.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/**
 * C's asctime() layout of a UTC time plus ` UTC`, the day of month padded with a space:
 * `Thu Aug  6 21:46:12 2026 UTC` (osquery's calendarTime, status logs' `c`, `time.timestamp`).
 */
export function asctimeUtc(unixSeconds: number): string {
  const d = new Date(Math.floor(unixSeconds) * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${clock} ${d.getUTCFullYear()} UTC`;
}

/** C's `%.15g`, as osquery renders a REAL (castVariant): 15 significant digits, no trailing zeros. */
export function formatG15(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(15)))));
  if (exp < -4 || exp >= 15) {
    const [mant = '', e = '0'] = x.toExponential(14).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 14 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
