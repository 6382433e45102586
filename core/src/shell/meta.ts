// The shell's dot-commands (`.tables`, `.mode csv`, ...). As in sqlite's shell,
// any prefix of a command name works (`.tab`, `.h on`), and the first command in
// the table below whose name and argument count fit wins.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { allFlags, flagDeclaration, flags, getFlag, isFlagSet } from '../flags/index.js';
import { OSQUERY_COMPAT_VERSION as OSQUERY_VERSION } from '../version.js';
import { formatBatch, formatRows, type Mode, PrettyBatch, type TextResult } from './printer.js';
import { errorMessage, type Shell } from './shell.js';

export type MetaOutcome = { kind: 'ok' } | { kind: 'error' } | { kind: 'exit'; code: number };

const ok: MetaOutcome = { kind: 'ok' };
const failed: MetaOutcome = { kind: 'error' };

/** Split a dot-command line into words; quotes group words, backslash escapes are resolved. */
export function parseMetaArgs(line: string): string[] {
  const args: string[] = [];
  let i = line.startsWith('.') ? 1 : 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i++;
    if (i >= line.length) break;
    const q = line[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      let word = '';
      while (j < line.length && line[j] !== q) {
        if (line[j] === '\\' && q === '"' && j + 1 < line.length) word += line[j++];
        word += line[j++];
      }
      args.push(q === '"' ? resolveBackslashes(word) : word);
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && !/\s/.test(line[j] as string)) j++;
      args.push(resolveBackslashes(line.slice(i, j)));
      i = j;
    }
  }
  return args;
}

/** C-style escapes: \n \t \r \\ and up to three octal digits. Other escapes drop the backslash. */
export function resolveBackslashes(s: string): string {
  return s.replace(/\\([0-7]{1,3}|.)/g, (_m, c: string) => {
    if (/^[0-7]/.test(c)) return String.fromCharCode(Number.parseInt(c, 8) & 0xff);
    return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
  });
}

/** sqlite's integer parsing for dot-commands: decimal or 0x hex, with K/M/G/KiB/... suffixes. */
export function integerValue(arg: string): number {
  const m = /^([-+]?)(0x[0-9a-f]*|\d*)(.*)$/i.exec(arg) as RegExpExecArray;
  const digits = m[2] as string;
  let v = digits.toLowerCase().startsWith('0x')
    ? Number.parseInt(digits.slice(2) || '0', 16)
    : Number(digits || '0');
  const mult: Record<string, number> = {
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    kb: 1000,
    mb: 1e6,
    gb: 1e9,
    k: 1000,
    m: 1e6,
    g: 1e9,
  };
  v *= mult[(m[3] as string).toLowerCase()] ?? 1;
  return m[1] === '-' ? -v : v;
}

/** ON/OFF, yes/no, true/false, 1/0 (any integer). Unknown words warn and count as off. */
export function booleanValue(arg: string, shell: Shell): boolean {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(arg)) return integerValue(arg) !== 0;
  const word = arg.toLowerCase();
  if (['1', 'true', 't', 'yes', 'y', 'on'].includes(word)) return true;
  if (['0', 'false', 'f', 'no', 'n', 'off'].includes(word)) return false;
  shell.io.err(`ERROR: Not a boolean value: "${arg}". Assuming "no".\n`);
  return false;
}

/** Print rows through the current output mode, as if a query had returned them. */
function printRows(shell: Shell, res: TextResult): void {
  if (shell.settings.mode === 'pretty') {
    const batch = new PrettyBatch();
    batch.add(res, shell.settings.nullvalue);
    shell.io.out(formatBatch(batch, shell.settings));
  } else {
    shell.io.out(formatRows(res, shell.settings));
  }
}

/** The extension socket osqueryi would use: --extensions_socket, else ~/.osquery/shell.em. */
function socketPath(): string {
  return isFlagSet('extensions_socket') ? flags.extensions_socket : join(homedir(), '.osquery', 'shell.em');
}

function flagText(name: string): string {
  const decl = flagDeclaration(name);
  return decl ? String(getFlag(decl.name)) : '';
}

// ---------------------------------------------------------------------------

async function allRows(shell: Shell, table: string): Promise<MetaOutcome> {
  const error = await shell.runSql(`SELECT * FROM ${table}`);
  if (error === null) return ok;
  shell.io.err(`Error querying table: ${table}\n`);
  return failed;
}

function tables(shell: Shell, prefix: string | undefined): MetaOutcome {
  const names = shell.engine
    .tables()
    .map((t) => t.name)
    .sort();
  for (const name of names)
    if (prefix === undefined || name.startsWith(prefix)) shell.io.out(`  => ${name}\n`);
  return ok;
}

function schema(shell: Shell, prefix: string | undefined): MetaOutcome {
  for (const t of shell.engine.tables()) {
    if (prefix !== undefined && !t.name.startsWith(prefix)) continue;
    shell.io.out(t.schema.endsWith(';') ? `${t.schema}\n` : `${t.schema};\n`);
  }
  return ok;
}

/** `.types SQL`: name and type of each result column, printed in the current mode. */
export async function types(shell: Shell, sql: string): Promise<MetaOutcome> {
  try {
    const cols = await shell.engine.columns(sql);
    printRows(shell, { columns: ['name', 'type'], rows: cols.map((c) => [c.name, c.type]) });
  } catch (e) {
    shell.io.out(`Error 1: ${errorMessage(e)}\n`);
  }
  return ok;
}

function features(shell: Shell): MetaOutcome {
  for (const f of allFlags()) {
    if (f.type === 'bool' && /^(disable|enable)_/.test(f.name))
      shell.io.out(`${f.name}: ${getFlag(f.name)}\n`);
  }
  return ok;
}

async function sqliteVersion(shell: Shell): Promise<string> {
  try {
    const res = await shell.engine.query('SELECT sqlite_version()');
    return String(res.rows[0]?.[0] ?? '');
  } catch {
    return 'unknown';
  }
}

async function version(shell: Shell): Promise<MetaOutcome> {
  shell.io.out(`osquery ${OSQUERY_VERSION}\nusing SQLite ${await sqliteVersion(shell)}\n`);
  return ok;
}

/** C-style quoting for `.show` (how sqlite's shell shows separator and nullvalue). */
function cString(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s)) {
    const c = String.fromCharCode(ch);
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (ch < 0x20 || ch >= 0x7f) out += `\\${ch.toString(8).padStart(3, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

async function show(shell: Shell): Promise<MetaOutcome> {
  const s = shell.settings;
  const field = (name: string, value: string): string => `${name.slice(0, 13).padStart(13)}: ${value}\n`;
  let out = 'osquery - being built, with love.\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n';
  out += `osquery ${OSQUERY_VERSION}\nusing SQLite ${await sqliteVersion(shell)}\n`;
  out += '\nGeneral settings:\n';
  out += field('Flagfile', flagText('flagfile'));
  out += field('Config', flagText('config_plugin'));
  out += field('Logger', flagText('logger_plugin'));
  out += field('Distributed', flagText('distributed_plugin'));
  out += field('Database', 'ephemeral');
  out += field('Extensions', '');
  out += field('Socket', socketPath());
  out += '\nShell settings:\n';
  out += field('echo', shell.echo ? 'on' : 'off');
  out += field('headers', s.showHeader ? 'on' : 'off');
  out += field('mode', s.mode);
  out += field('nullvalue', cString(s.nullvalue));
  out += field('output', isFlagSet('output') && flags.output !== '-' ? flags.output : 'stdout');
  out += field('separator', cString(s.separator));
  out += field('width', s.colWidth.map((w) => `${w} `).join(''));
  out += '\nNon-default flags/options:\n';
  for (const f of allFlags()) {
    if (isFlagSet(f.name) && getFlag(f.name) !== f.default) out += `  ${f.name}: ${getFlag(f.name)}\n`;
  }
  shell.io.out(out);
  return ok;
}

function mode(shell: Shell, name: string): MetaOutcome {
  const modes: Record<string, Mode> = {
    line: 'line',
    lines: 'line',
    column: 'column',
    columns: 'column',
    list: 'list',
    pretty: 'pretty',
    csv: 'csv',
  };
  const m = Object.hasOwn(modes, name) ? modes[name] : undefined;
  if (!m) {
    shell.io.err('Error: mode should be one of: column csv line list pretty\n');
    return failed;
  }
  shell.settings.mode = m;
  if (m === 'csv') shell.settings.separator = ',';
  return ok;
}

// ---------------------------------------------------------------------------

interface Command {
  /** Names the typed word may abbreviate. */
  names: string[];
  /** The shortest abbreviation accepted. */
  minLength?: number;
  /** Whether the number of words (command included) fits this command. */
  argc: (n: number) => boolean;
  run: (shell: Shell, args: string[]) => MetaOutcome | Promise<MetaOutcome>;
}

const any = (): boolean => true;
const exactly = (k: number) => (n: number) => n === k;
const atMost = (k: number) => (n: number) => n <= k;

const commands: Command[] = [
  { names: ['all'], argc: exactly(2), run: (sh, a) => allRows(sh, a[1] as string) },
  {
    names: ['socket'],
    argc: exactly(1),
    run: (sh) => {
      sh.io.out(sh.connectedTo ? `(connected to ${sh.connectedTo})\n` : `${socketPath()}\n`);
      return ok;
    },
  },
  {
    names: ['connect'],
    argc: exactly(2),
    run: async (sh, a) => {
      const socket = a[1] as string;
      try {
        const { RemoteEngine } = await import('../extensions/remote-engine.js');
        await sh.connect(socket, await RemoteEngine.connect(socket, flags.thrift_timeout * 1000));
      } catch (e) {
        sh.io.err(`Error: cannot connect to ${socket}: ${(e as Error).message}\n`);
        return failed;
      }
      return ok;
    },
  },
  {
    names: ['disconnect'],
    argc: exactly(1),
    run: async (sh) => {
      if (await sh.disconnect()) return ok;
      sh.io.err('Error: Not connected to a socket\n');
      return failed;
    },
  },
  {
    names: ['bail'],
    minLength: 3,
    argc: exactly(2),
    run: (sh, a) => {
      sh.bail = booleanValue(a[1] as string, sh);
      return ok;
    },
  },
  {
    names: ['echo'],
    argc: exactly(2),
    run: (sh, a) => {
      sh.echo = booleanValue(a[1] as string, sh);
      return ok;
    },
  },
  {
    names: ['exit'],
    argc: any,
    run: (_sh, a) => ({ kind: 'exit', code: a[1] === undefined ? 0 : integerValue(a[1]) }),
  },
  { names: ['features'], argc: exactly(1), run: (sh) => features(sh) },
  {
    names: ['header', 'headers'],
    argc: exactly(2),
    run: (sh, a) => {
      sh.settings.showHeader = booleanValue(a[1] as string, sh);
      return ok;
    },
  },
  {
    names: ['help'],
    argc: any,
    run: (sh) => {
      sh.io.err(HELP);
      return ok;
    },
  },
  { names: ['mode'], argc: exactly(2), run: (sh, a) => mode(sh, a[1] as string) },
  {
    names: ['nullvalue'],
    argc: exactly(2),
    run: (sh, a) => {
      sh.settings.nullvalue = a[1] as string;
      return ok;
    },
  },
  {
    names: ['print'],
    minLength: 3,
    argc: any,
    run: (sh, a) => {
      sh.io.out(`${a.slice(1).join(' ')}\n`);
      return ok;
    },
  },
  { names: ['quit'], argc: exactly(1), run: () => ({ kind: 'exit', code: 0 }) },
  { names: ['schema'], argc: atMost(2), run: (sh, a) => schema(sh, a[1]) },
  {
    names: ['separator'],
    argc: exactly(2),
    run: (sh, a) => {
      sh.settings.separator = a[1] as string;
      return ok;
    },
  },
  { names: ['show', 'summary'], argc: exactly(1), run: (sh) => show(sh) },
  { names: ['tables'], minLength: 2, argc: atMost(2), run: (sh, a) => tables(sh, a[1]) },
  { names: ['list'], minLength: 2, argc: atMost(2), run: (sh, a) => tables(sh, a[1]) },
  {
    names: ['timeout'],
    minLength: 5,
    argc: exactly(2),
    run: async (sh, a) => {
      await sh.engine.query(`PRAGMA busy_timeout = ${Math.trunc(integerValue(a[1] as string))}`);
      return ok;
    },
  },
  {
    names: ['timer'],
    minLength: 5,
    argc: exactly(2),
    run: (sh, a) => {
      sh.timer = booleanValue(a[1] as string, sh);
      return ok;
    },
  },
  { names: ['types'], argc: (n) => n >= 2, run: (sh, a) => types(sh, a.slice(1).join(' ')) },
  { names: ['version'], argc: any, run: (sh) => version(sh) },
  {
    names: ['width'],
    argc: (n) => n > 1,
    run: (sh, a) => {
      sh.settings.colWidth = a.slice(1).map((w) => Math.trunc(integerValue(w)));
      return ok;
    },
  },
];

/** Every command name, for tab completion. */
export const metaCommandNames: string[] = commands.flatMap((c) => c.names).sort();

function matches(cmd: Command, word: string, argc: number): boolean {
  if (word.length < (cmd.minLength ?? 1)) return false;
  return cmd.names.some((n) => n.startsWith(word)) && cmd.argc(argc);
}

/** Run one dot-command line (with its leading `.`). */
export async function runMeta(shell: Shell, line: string): Promise<MetaOutcome> {
  const args = parseMetaArgs(line);
  if (args.length === 0) return ok;
  const word = args[0] as string;
  const cmd = commands.find((c) => matches(c, word, args.length));
  if (!cmd) {
    shell.io.err(`Error: unknown command or invalid arguments:  "${word}". Enter ".help" for help\n`);
    return failed;
  }
  try {
    return await cmd.run(shell, args);
  } catch (e) {
    shell.io.err(`Error: ${errorMessage(e)}\n`);
    return failed;
  }
}

export const HELP = `osqi: osquery's SQL shell. Every table is a live view of this machine;
nothing is stored, each query reads the system afresh.

Dot-commands (any unique prefix works, e.g. .tab):
.all TABLE        Show every row of TABLE (SELECT * FROM TABLE)
.bail ON|OFF      Stop reading piped input after the first error
.connect PATH     Query another osquery through its extension socket
.disconnect       Leave a .connect session
.echo ON|OFF      Print each command before running it
.exit [CODE]      Leave the shell (with exit status CODE)
.features         Show the enable_*/disable_* switches and their values
.headers ON|OFF   Show column names in list, csv and column modes
.help             This text
.mode MODE        Choose how results look:
                    pretty   boxed table (default)
                    line     one "column = value" line per value
                    list     values joined by the separator
                    csv      comma-separated, quoted where needed
                    column   fixed-width columns (see .width)
.nullvalue TEXT   Show TEXT for NULL values
.print TEXT...    Print TEXT
.quit             Leave the shell
.schema [PREFIX]  CREATE TABLE statements of the tables (starting with PREFIX)
.separator TEXT   Separator for list and csv modes
.show             Versions, settings and flags changed from their defaults
.socket           The extension socket path this shell would use
.summary          Same as .show
.tables [PREFIX]  Table names (starting with PREFIX); .list does the same
.timeout MS       Wait up to MS milliseconds for a busy database
.timer ON|OFF     Print run time after each query
.types SQL        Column names and types a query would return
.version          osquery and SQLite versions
.width N...       Column widths for column mode (negative: right-aligned)

End SQL statements with ';'. --json and --json_pretty are command-line flags.
`;
