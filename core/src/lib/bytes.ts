// Byte order of strings: how osquery's std::string and std::map compare, and how
// glob(3) sorts in the C locale (strcmp on the UTF-8 bytes).

/** The code point at `i` as UTF-8 would encode it; a lone surrogate is written as U+FFFD. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return 0xfffd;
}

/**
 * Compare two strings by their UTF-8 bytes (strcmp order): negative, zero or positive.
 * The same order as `Buffer.compare(Buffer.from(a), Buffer.from(b))`, without
 * encoding either string: UTF-8 byte order is code point order.
 */
export function compareBytes(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    if (x === b.charCodeAt(j) && (x < 0xd800 || x > 0xdfff)) {
      i++;
      j++;
      continue;
    }
    const cx = codePointAt(a, i);
    const cy = codePointAt(b, j);
    if (cx !== cy) return cx < cy ? -1 : 1;
    i += cx > 0xffff ? 2 : 1;
    j += cy > 0xffff ? 2 : 1;
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
}
