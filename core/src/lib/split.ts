// Splitting text the way osquery does: its split() cuts on any character of a
// delimiter set, drops the empty pieces, and trims the rest with the C locale's
// isspace (boost::algorithm::trim), so a piece of only blanks survives as ''.

/** The C locale's isspace characters. */
export const WHITESPACE = ' \t\n\v\f\r';

/** True for a UTF-16 code of the C locale's isspace set. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** `s` without leading and trailing C-locale whitespace (boost::algorithm::trim). */
export function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isCSpace(s.charCodeAt(start))) start++;
  while (end > start && isCSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The pieces of `text` between any characters of `delims`, empty ones included, untrimmed. */
function pieces(text: string, delims: string): string[] {
  const out: string[] = [];
  if (/[\uD800-\uDFFF]/.test(delims)) {
    // A delimiter outside the BMP: compare whole code points, not their halves.
    const set = new Set(delims);
    let piece = '';
    for (const ch of text) {
      if (set.has(ch)) {
        out.push(piece);
        piece = '';
      } else {
        piece += ch;
      }
    }
    out.push(piece);
    return out;
  }
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (delims.includes(text[i] as string)) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * osquery's split(text, delims): cut on any character of `delims` (osquery's default
 * is a blank or a tab), drop the empty pieces, then trim each remaining piece.
 */
export function osquerySplit(text: string, delims = ' \t'): string[] {
  const out: string[] = [];
  for (const piece of pieces(text, delims)) if (piece !== '') out.push(trimSpace(piece));
  return out;
}

/** Like osquerySplit, but a piece that is blank after trimming is dropped too. */
export function splitNonBlank(text: string, delims = ' \t'): string[] {
  const out: string[] = [];
  for (const piece of pieces(text, delims)) {
    const t = trimSpace(piece);
    if (t !== '') out.push(t);
  }
  return out;
}

/** "key: value" (or "key=value") split at the first `delim`, both sides trimmed; null without one. */
export function splitKeyValue(line: string, delim: string): [string, string] | null {
  const at = line.indexOf(delim);
  if (at < 0) return null;
  return [trimSpace(line.slice(0, at)), trimSpace(line.slice(at + delim.length))];
}
