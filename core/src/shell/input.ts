// Reading the shell's input line by line (typed or piped): dot-commands at the
// start of a fresh statement, SQL gathered until a line with `;` makes it complete.

import { isBlank, isComplete } from '../engine/statements.js';
import { runMeta, types } from './meta.js';
import type { Shell } from './shell.js';

export type FeedResult = 'continue' | { exit: number };

export class InputProcessor {
  /** Statements that failed so far (the exit status is 1 when any did). */
  errors = 0;
  private sql = '';
  private lineNo = 0;
  private startLine = 0;
  private typesQuery = false;

  constructor(private readonly shell: Shell) {}

  /** Whether a statement has been started and waits for more lines (continuation prompt). */
  get pending(): boolean {
    return this.sql.length > 0;
  }

  /** The statement gathered so far ('' when none). */
  get text(): string {
    return this.sql;
  }

  /** Forget a half-typed statement (Ctrl-C at the prompt). */
  discard(): void {
    this.sql = '';
    this.typesQuery = false;
  }

  /** Whether .bail has stopped the processing of non-interactive input. */
  get stopped(): boolean {
    return this.errors > 0 && this.shell.bail && !this.shell.interactive;
  }

  async feed(line: string): Promise<FeedResult> {
    this.lineNo++;
    if (!this.pending && isBlank(line)) {
      if (this.shell.echo) this.shell.io.out(`${line}\n`);
      return 'continue';
    }
    if (!this.pending && line.startsWith('.')) {
      if (this.shell.echo) this.shell.io.out(`${line}\n`);
      if (line.startsWith('.types ')) {
        // `.types` takes SQL that may span lines: gather it like a statement.
        this.typesQuery = true;
        line = line.slice('.types '.length);
      } else {
        const outcome = await runMeta(this.shell, line);
        if (outcome.kind === 'exit') return { exit: outcome.code };
        if (outcome.kind === 'error') this.errors++;
        return 'continue';
      }
    }
    if (this.pending) {
      this.sql += `\n${line}`;
    } else {
      this.sql = line.trimStart();
      this.startLine = this.lineNo;
      if (this.sql === '') this.sql = this.typesQuery ? ' ' : '';
    }
    if (line.includes(';') && isComplete(this.sql)) {
      await this.runPending();
    } else if (isBlank(this.sql) && !this.typesQuery) {
      if (this.shell.echo) this.shell.io.out(`${this.sql}\n`);
      this.sql = '';
    }
    return 'continue';
  }

  /** End of input: a statement left without `;` still runs. */
  async finish(): Promise<void> {
    if (this.pending && !isBlank(this.sql)) await this.runPending();
    this.discard();
  }

  private async runPending(): Promise<void> {
    const sql = this.sql;
    const isTypes = this.typesQuery;
    this.discard();
    if (isTypes) {
      await types(this.shell, sql.trim());
      return;
    }
    const error = await this.shell.runSql(sql);
    if (error !== null) {
      const prefix = this.shell.interactive ? 'Error:' : `Error: near line ${this.startLine}:`;
      this.shell.io.err(`${prefix} ${error}\n`);
      this.errors++;
    }
  }
}

/**
 * Feed every line to a fresh processor (piped stdin, --query_file). Returns the
 * exit status: `.exit CODE` wins, else 1 when any statement or command failed.
 */
export async function processLines(
  shell: Shell,
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<number> {
  const proc = new InputProcessor(shell);
  for await (const line of lines) {
    const r = await proc.feed(line);
    if (r !== 'continue') {
      if (r.exit !== 0) return r.exit;
      return proc.errors > 0 ? 1 : 0;
    }
    if (proc.stopped) return 1;
  }
  await proc.finish();
  return proc.errors > 0 ? 1 : 0;
}
