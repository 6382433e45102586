// osquery's comment stripping of config text (stripConfigComments), and where an
// offset of the stripped text was in the original, for errors that name a line.

/** Text after osquery's comment stripping, and for each output line the 1-based line it came from. */
export interface StrippedText {
  text: string;
  lineOrigin: { line: number; indent: number }[];
}

/**
 * osquery's stripConfigComments: drop every `\` + newline, then trim each line and drop
 * the lines starting with `#` or `//` (whole-line comments only; text inside strings and
 * trailing comments are untouched). Each kept line is written trimmed plus `\n`.
 */
export function stripConfigComments(raw: string): StrippedText {
  const out: string[] = [];
  const lineOrigin: { line: number; indent: number }[] = [];
  const lines = raw.split('\n');
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i] as string;
    // A trailing backslash joins the next line (osquery removes the "\\\n" pair).
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1) + lines[i];
    }
    i++;
    const trimmed = line.replace(/^[ \t\n\v\f\r]+/, '');
    const indent = line.length - trimmed.length;
    const content = trimmed.replace(/[ \t\n\v\f\r]+$/, '');
    if (content.startsWith('#') || content.startsWith('//')) continue;
    out.push(content);
    lineOrigin.push({ line: start + 1, indent });
  }
  // osquery appends "\n" after every kept line, including the last piece of the split.
  return { text: out.map((l) => `${l}\n`).join(''), lineOrigin };
}

/** Where an offset of stripped text was in the original text: "line L, column C". */
export function locate(stripped: StrippedText, offset: number): string {
  // The end of input is reported just after the last character, not on the empty line after it.
  if (offset >= stripped.text.length && stripped.text.endsWith('\n')) offset = stripped.text.length - 1;
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < stripped.text.length; i++) {
    if (stripped.text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const origin = stripped.lineOrigin[Math.min(line, stripped.lineOrigin.length - 1)];
  if (!origin) return 'line 1, column 1';
  return `line ${origin.line}, column ${origin.indent + (offset - lineStart) + 1}`;
}
