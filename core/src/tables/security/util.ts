// Shared helpers of the security area: osquery's string splitting.

/**
 * osquery::split(text, delims): split on any delimiter character, trim every
 * piece and drop the pieces that were empty before trimming.
 */
export function osquerySplit(text: string, delims: string): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of text) {
    if (delims.includes(ch)) {
      if (piece !== '') out.push(piece.trim());
      piece = '';
    } else {
      piece += ch;
    }
  }
  if (piece !== '') out.push(piece.trim());
  return out;
}
