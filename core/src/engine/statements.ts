// Where one SQL statement ends: SQLite's completeness rules (what sqlite3_complete
// decides), written as a small tokenizer plus a state machine, so the shell can
// tell "run it now" from "wait for more lines" without asking the engine.
//
// A statement is complete when it ends with `;` outside quotes and comments. The
// one twist is CREATE TRIGGER: its body is `BEGIN stmt; stmt; END;`, so the `;`
// inside the body does not end the statement; only `END ;` does.

/** Token classes the state machine cares about. */
enum Tok {
  Semi = 0,
  Space = 1,
  Other = 2,
  Explain = 3,
  Create = 4,
  Temp = 5,
  Trigger = 6,
  End = 7,
}

/** States: where we are relative to the last statement boundary. */
enum St {
  Invalid = 0, // nothing seen yet
  Start = 1, // right after a statement-ending `;`
  Normal = 2, // inside an ordinary statement
  Explain = 3, // after a leading EXPLAIN
  Create = 4, // after CREATE [TEMP]
  Trigger = 5, // inside a trigger body
  Semi = 6, // trigger body, just after a `;`
  End = 7, // trigger body, after `; END`
}

// next[state][token]
const next: readonly (readonly St[])[] = [
  /* Invalid */ [St.Start, St.Invalid, St.Normal, St.Explain, St.Create, St.Normal, St.Normal, St.Normal],
  /* Start   */ [St.Start, St.Start, St.Normal, St.Explain, St.Create, St.Normal, St.Normal, St.Normal],
  /* Normal  */ [St.Start, St.Normal, St.Normal, St.Normal, St.Normal, St.Normal, St.Normal, St.Normal],
  /* Explain */ [St.Start, St.Explain, St.Explain, St.Normal, St.Create, St.Normal, St.Normal, St.Normal],
  /* Create  */ [St.Start, St.Create, St.Normal, St.Normal, St.Normal, St.Create, St.Trigger, St.Normal],
  /* Trigger */ [St.Semi, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger],
  /* Semi    */ [St.Semi, St.Semi, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.End],
  /* End     */ [St.Start, St.End, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger, St.Trigger],
];

const isIdChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 0x7f;
const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');

function keywordToken(word: string, state: St): Tok {
  switch (word.toLowerCase()) {
    case 'create':
      return Tok.Create;
    case 'trigger':
      return Tok.Trigger;
    case 'temp':
    case 'temporary':
      return Tok.Temp;
    case 'end':
      return Tok.End;
    // EXPLAIN only matters at the very start of a statement.
    case 'explain':
      return state === St.Invalid || state === St.Start ? Tok.Explain : Tok.Other;
    default:
      return Tok.Other;
  }
}

/** One token: its class and the index just past it. `unterminated` for an open quote/comment. */
interface Scanned {
  tok: Tok;
  end: number;
  unterminated?: boolean;
}

function scan(sql: string, i: number, state: St): Scanned {
  const c = sql[i] as string;
  if (c === ';') return { tok: Tok.Semi, end: i + 1 };
  if (isSpace(c)) return { tok: Tok.Space, end: i + 1 };
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close < 0
      ? { tok: Tok.Space, end: sql.length, unterminated: true }
      : { tok: Tok.Space, end: close + 2 };
  }
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i + 2);
    return { tok: Tok.Space, end: nl < 0 ? sql.length : nl + 1 };
  }
  if (c === "'" || c === '"' || c === '`' || c === '[') {
    // Strings and quoted identifiers; a doubled quote inside is an escaped quote,
    // which the search below handles by simply continuing after it.
    const close = c === '[' ? ']' : c;
    let j = i + 1;
    for (;;) {
      const k = sql.indexOf(close, j);
      if (k < 0) return { tok: Tok.Other, end: sql.length, unterminated: true };
      if (close !== ']' && sql[k + 1] === close) {
        j = k + 2;
        continue;
      }
      return { tok: Tok.Other, end: k + 1 };
    }
  }
  if (isIdChar(c)) {
    let j = i + 1;
    while (j < sql.length && isIdChar(sql[j] as string)) j++;
    return { tok: keywordToken(sql.slice(i, j), state), end: j };
  }
  return { tok: Tok.Other, end: i + 1 };
}

/**
 * Walk the text, calling `onBoundary(index)` after every `;` that completes a
 * statement. Returns whether the text as a whole ends complete.
 */
function walk(sql: string, onBoundary?: (end: number) => void): boolean {
  let state = St.Invalid;
  let i = 0;
  while (i < sql.length) {
    const t = scan(sql, i, state);
    if (t.unterminated) return false;
    state = next[state]![t.tok]!;
    if (t.tok === Tok.Semi && state === St.Start) onBoundary?.(t.end);
    i = t.end;
  }
  return state === St.Start;
}

/** Whether the text ends with a complete statement (sqlite3_complete's answer). */
export function isComplete(sql: string): boolean {
  return walk(sql);
}

/**
 * Split text into statements, each including its `;`. Text after the last
 * complete statement is returned as a final piece when it holds more than
 * whitespace and comments (the shell runs leftovers at end of input).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let from = 0;
  walk(sql, (end) => {
    const piece = sql.slice(from, end).trim();
    if (!isBlank(piece.replace(/;$/, ''))) out.push(piece);
    from = end;
  });
  const rest = sql.slice(from).trim();
  if (!isBlank(rest)) out.push(rest);
  return out;
}

/** True when the text holds only whitespace and comments (an open block comment is not blank). */
export function isBlank(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 2;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i + 2);
      if (nl < 0) return true;
      i = nl + 1;
    } else {
      return false;
    }
  }
  return true;
}
