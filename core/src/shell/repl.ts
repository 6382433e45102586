// The interactive prompt (stdin is a terminal): line editing, persistent history
// in ~/.osquery/.history, and tab completion of dot-commands, table and column names.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputProcessor } from './input.js';
import { metaCommandNames } from './meta.js';
import type { Shell } from './shell.js';

const HISTORY_MAX = 100;

export function historyFile(): string {
  return join(homedir(), '.osquery', '.history');
}

/** History as readline wants it: newest first. The file is oldest first, one entry a line. */
export function loadHistory(file: string): string[] {
  try {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    return lines.slice(-HISTORY_MAX).reverse();
  } catch {
    return [];
  }
}

export function saveHistory(file: string, newestFirst: string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const lines = newestFirst.slice(0, HISTORY_MAX).reverse();
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not break the shell.
  }
}

/** Completion candidates for the word before the cursor. */
export function completer(shell: Shell, pendingSql: () => string): (line: string) => [string[], string] {
  let tables: { name: string; columns: string[] }[] | undefined;
  const known = () => {
    tables ??= shell.engine.tables().map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) }));
    return tables;
  };
  return (line: string) => {
    if (pendingSql() === '' && /^\.\w*$/.test(line)) {
      return [metaCommandNames.filter((n) => `.${n}`.startsWith(line)).map((n) => `.${n}`), line];
    }
    const word = /[A-Za-z0-9_]*$/.exec(line)?.[0] ?? '';
    if (word === '') return [[], word];
    const text = `${pendingSql()} ${line}`.toLowerCase();
    const words = new Set(text.match(/[a-z0-9_]+/g) ?? []);
    const all = known();
    // Columns of the tables the statement names; of every table when it names none yet.
    const named = all.filter((t) => words.has(t.name));
    const columnSource = named.length > 0 ? named : all;
    const candidates = new Set<string>(all.map((t) => t.name));
    for (const t of columnSource) for (const c of t.columns) candidates.add(c);
    const hits = [...candidates].filter((c) => c.startsWith(word)).sort();
    return [hits, word];
  };
}

function prompts(): { main: string; more: string } {
  // osqueryi colours its prompts on 256-colour xterms.
  if ((process.env.TERM ?? '').includes('xterm-256color')) {
    return { main: '\x1b[38;5;147mosquery> \x1b[0m', more: '\x1b[38;5;147m    ...> \x1b[0m' };
  }
  return { main: 'osquery> ', more: '    ...> ' };
}

/** Run the interactive shell until .exit/.quit, Ctrl-D, or Ctrl-C on an empty prompt. */
export async function runInteractive(shell: Shell): Promise<number> {
  process.stdout.write("Using a \x1b[1mvirtual database\x1b[0m. Need help, type '.help'\n");
  const file = historyFile();
  let history = loadHistory(file);
  const proc = new InputProcessor(shell);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history,
    historySize: HISTORY_MAX,
    completer: completer(shell, () => proc.text),
  });
  rl.on('history', (h: string[]) => {
    history = h;
  });
  const { main, more } = prompts();
  const prompt = (): void => {
    rl.setPrompt(proc.pending ? more : main);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (rl.line === '' && !proc.pending) {
      rl.close();
      return;
    }
    // Ctrl-C abandons the statement being typed, as in sqlite's shell.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    process.stdout.write('^C\n');
    proc.discard();
    prompt();
  });

  let exitCode: number | null = null;
  prompt();
  for await (const line of rl) {
    const r = await proc.feed(line);
    if (r !== 'continue') {
      exitCode = r.exit;
      break;
    }
    prompt();
  }
  if (exitCode === null) process.stdout.write('\n'); // end of input: leave the terminal on a fresh line
  rl.close();
  saveHistory(file, history);
  if (exitCode !== null && exitCode !== 0) return exitCode;
  return proc.errors > 0 ? 1 : 0;
}
