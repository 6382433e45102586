// deb822-style control paragraphs, as dpkg's status file and apt's .sources use them.

/** One paragraph of a control file: field names lower-cased, values trimmed. */
export type Paragraph = Map<string, string>;

/**
 * The paragraphs of a deb822 control file (deb-control(5)): blank lines separate
 * paragraphs, `Name: value` starts a field, lines starting with a blank continue
 * the previous one (kept, joined with '\n'), `#` lines are comments.
 */
export function parseControlFile(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph = new Map();
  let lastKey: string | null = null;
  const flush = (): void => {
    if (current.size > 0) out.push(current);
    current = new Map();
    lastKey = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lastKey !== null) current.set(lastKey, `${current.get(lastKey) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon).trim().toLowerCase();
    current.set(lastKey, line.slice(colon + 1).trim());
  }
  flush();
  return out;
}
