// Regular expressions for regex_split and regex_match. osquery uses C++ std::regex
// (ECMAScript grammar); JS RegExp speaks the same grammar. What differs is how
// std::regex_token_iterator walks matches, which splitByRegex reproduces.
import { flags } from '../../flags/index.js';

/** The longest pattern, in bytes, regex_split and regex_match accept. */
export function regexMaxSize(): number {
  return flags.regex_max_size;
}

const cache = new Map<string, RegExp>();

/** Compile (and cache) a pattern; throws SyntaxError when it is invalid. */
export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'g');
    if (cache.size > 256) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

interface Match {
  start: number;
  end: number;
}

/** Leftmost match at or after `from` (regex_search). */
function searchFrom(re: RegExp, input: string, from: number): Match | null {
  re.lastIndex = from;
  const m = re.exec(input);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

/** A non-empty match starting exactly at `at` (match_continuous | match_not_null). */
function nonEmptyAt(re: RegExp, input: string, at: number): Match | null {
  const m = searchFrom(re, input, at);
  return m && m.start === at && m.end > at ? m : null;
}

/**
 * The pieces std::sregex_token_iterator(..., -1) yields: the text before each match,
 * then the text after the last match unless it is empty. With no match at all the
 * whole input is the single piece (even when empty). After an empty match the
 * search retries a non-empty match at the same place, else moves on one character.
 */
export function splitByRegex(re: RegExp, input: string): string[] {
  let m = searchFrom(re, input, 0);
  if (!m) return [input];
  const pieces: string[] = [];
  let pieceStart = 0;
  while (m) {
    pieces.push(input.slice(pieceStart, m.start));
    pieceStart = m.end;
    let from = m.end;
    if (m.start === m.end) {
      if (from >= input.length) break;
      const retry = nonEmptyAt(re, input, from);
      if (retry) {
        m = retry;
        continue;
      }
      from += 1;
    }
    m = searchFrom(re, input, from);
  }
  if (pieceStart < input.length) pieces.push(input.slice(pieceStart));
  return pieces;
}
