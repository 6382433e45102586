// osqi: osqueryi's twin. `osqi "SQL"` runs and exits; piped stdin runs every
// statement; a terminal gets the interactive prompt.
//
// The one-shot path must start fast, so the REPL and readline are imported only
// when needed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { realToText } from '../engine/sqlite-text.js';
import type { SqlEngine } from '../engine/types.js';
import { FlagError, helpText, parseCommandLine } from '../flags/cli.js';
import { flags, isFlagSet, setFlag, unhonouredFlagNotices } from '../flags/index.js';
import { defaultSettings, type PrintSettings } from '../shell/printer.js';
import { Shell, type ShellIO } from '../shell/shell.js';
import { OSQUERY_COMPAT_VERSION as OSQUERY_VERSION } from '../version.js';

const DEFAULT_FLAGFILE = '/etc/osquery/osquery.flags.default';

/** Output settings from the flags, with osqueryi's precedence and its --csv quirk. */
export function settingsFromFlags(): PrintSettings {
  const s = defaultSettings();
  if (flags.list) s.mode = 'list';
  else if (flags.line) s.mode = 'line';
  else if (flags.csv) s.mode = 'csv';
  s.json = flags.json;
  s.jsonPretty = flags.json_pretty;
  s.showHeader = flags.header;
  // osqueryi sets ',' for --csv, then overwrites it with --separator (default '|').
  s.separator = flags.separator;
  s.nullvalue = flags.nullvalue;
  return s;
}

/** Where results go: stdout, or the --output file. Errors always go to stderr. */
function makeIO(): { io: ShellIO; close: () => void } {
  const path = flags.output;
  const err = (t: string): void => {
    process.stderr.write(t);
  };
  if (path === '' || path === '-') {
    return {
      io: {
        out: (t) => {
          if (t !== '') process.stdout.write(t);
        },
        err,
      },
      close: () => {},
    };
  }
  const fd = openSync(path, 'w');
  return { io: { out: (t) => writeSync(fd, t), err }, close: () => closeSync(fd) };
}

/** Status messages: warnings and errors to stderr, information only with --verbose. */
function statusLog(level: 'info' | 'warning' | 'error', message: string): void {
  if (level === 'info' && !flags.verbose) return;
  process.stderr.write(`osqi: ${level === 'info' ? '' : `${level}: `}${message}\n`);
}

/** osqueryi's shell socket: ~/.osquery/shell.em, or a numbered one when that is taken. */
async function shellSocketPath(): Promise<string> {
  if (isFlagSet('extensions_socket')) return flags.extensions_socket;
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  const path = join(homedir(), '.osquery', 'shell.em');
  const { ThriftClient } = await import('@osq/idl');
  try {
    const c = await ThriftClient.connect(path, { timeoutMs: 500 });
    c.close();
    return `${path}${Math.floor(Math.random() * 65536)}`; // another shell answers there
  } catch {
    return path;
  }
}

interface Session {
  engine: SqlEngine;
  close(): Promise<void>;
}

/**
 * The engine for this run. A one-shot query with no extensions runs inline (fastest);
 * an interactive shell, or any use of extensions, runs SQL on worker threads beside
 * an extension manager; --connect sends SQL to another process's manager.
 */
async function openSession(interactive: boolean): Promise<Session> {
  const connect = flags.connect;
  if (connect !== '') {
    const { RemoteEngine } = await import('../extensions/remote-engine.js');
    const engine = await RemoteEngine.connect(connect, flags.thrift_timeout * 1000);
    return { engine, close: () => engine.close() };
  }
  const { openEngine } = await import('../engine/engine.js');
  const wantsHost =
    !flags.disable_extensions &&
    (interactive ||
      flags.extension !== '' ||
      isFlagSet('extensions_autoload') ||
      isFlagSet('extensions_socket') ||
      flags.extensions_require !== '');
  if (!wantsHost) {
    const engine = await openEngine({ thread: 'inline' });
    return { engine, close: () => engine.close() };
  }
  const engine = await openEngine({ thread: 'worker' });
  const { startExtensionHost } = await import('../extensions/host.js');
  const socketPath = await shellSocketPath();
  setFlag('extensions_socket', socketPath);
  const host = await startExtensionHost({
    engine,
    socketPath,
    autoload: true,
    extraExtensions: flags.extension !== '' ? [flags.extension] : [],
    log: statusLog,
  });
  return {
    engine,
    close: async () => {
      await host.stop();
      await engine.close();
    },
  };
}

/** A statement or dot-command given on the command line (positional or --query). */
async function runOne(shell: Shell, text: string): Promise<number> {
  if (text.startsWith('.')) {
    const { runMeta } = await import('../shell/meta.js');
    const outcome = await runMeta(shell, text);
    if (outcome.kind === 'exit') return outcome.code;
    return outcome.kind === 'error' ? 1 : 0;
  }
  const error = await shell.runSql(text);
  if (error === null) return 0;
  shell.io.err(`Error: ${error}\n`);
  return 1;
}

async function runQueryFile(shell: Shell, path: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const { processLines } = await import('../shell/input.js');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    shell.io.err(`Error: cannot read --query_file ${path}: ${(e as Error).message}\n`);
    return 1;
  }
  return processLines(shell, text.split(/\r?\n/));
}

/** --pack NAME: run every query of that pack of the configuration (--config_path). */
async function runPack(shell: Shell, name: string): Promise<number> {
  const { ConfigManager } = await import('../config/manager.js');
  const { FilesystemConfigPlugin } = await import('../config/plugin.js');
  const config = new ConfigManager({
    plugin: new FilesystemConfigPlugin(),
    runQuery: async (sql) => (await shell.engine.query(sql)).rows.length,
    log: (level, message) => statusLog(level, message),
  });
  const loaded = await config.refresh();
  if (!loaded.ok) {
    shell.io.err(`Error: cannot read the configuration: ${loaded.error}\n`);
    return 1;
  }
  const queries = (await config.scheduledQueries()).filter((q) => q.pack === name);
  if (queries.length === 0) {
    shell.io.err(`Error: no pack named ${name} with queries for this host in the configuration\n`);
    return 1;
  }
  let status = 0;
  for (const q of queries) {
    const error = await shell.runSql(q.query);
    if (error !== null) {
      shell.io.err(`Error: ${q.scheduledName}: ${error}\n`);
      status = 1;
    }
  }
  return status;
}

async function runStdin(shell: Shell): Promise<number> {
  if (shell.interactive) {
    const { runInteractive } = await import('../shell/repl.js');
    return runInteractive(shell);
  }
  const { createInterface } = await import('node:readline');
  const { processLines } = await import('../shell/input.js');
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  try {
    return await processLines(shell, rl);
  } finally {
    rl.close();
  }
}

async function run(shell: Shell, positionals: string[]): Promise<number> {
  if (flags.L || flags.A !== '') {
    return runOne(shell, flags.L ? '.tables' : `.all ${flags.A}`);
  }
  if (flags.pack !== '') return runPack(shell, flags.pack);
  if (positionals.length > 0) return runOne(shell, positionals[0] as string);
  if (flags.query !== '') return runOne(shell, flags.query);
  if (flags.query_file !== '') return runQueryFile(shell, flags.query_file);
  return runStdin(shell);
}

async function main(argv: string[]): Promise<number> {
  let cli: ReturnType<typeof parseCommandLine>;
  try {
    cli = parseCommandLine(argv, { defaultFlagfile: DEFAULT_FLAGFILE });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`osqi: ${e.message} (see osqi --help)\n`);
    return 1;
  }
  if (cli.help) {
    process.stdout.write(helpText('shell'));
    return 0;
  }
  if (cli.version) {
    process.stdout.write(`osqi version ${OSQUERY_VERSION}\n`);
    return 0;
  }
  if (cli.positionals.length > 1) {
    process.stderr.write(
      `osqi: expected one SQL statement argument, got ${cli.positionals.length} (quote the SQL)\n`,
    );
    return 1;
  }
  // osqueryi answers --config_check and --config_dump as osqueryd does, and exits.
  if (flags.config_check || flags.config_dump) {
    const { runConfigCommand } = await import('../config/commands.js');
    return (await runConfigCommand()) ?? 0;
  }
  for (const notice of unhonouredFlagNotices()) statusLog('info', notice);

  let output: ReturnType<typeof makeIO>;
  try {
    output = makeIO();
  } catch (e) {
    process.stderr.write(`osqi: cannot open --output ${flags.output}: ${(e as Error).message}\n`);
    return 1;
  }
  const interactive = cli.positionals.length === 0 && process.stdin.isTTY === true;
  let session: Session;
  try {
    session = await openSession(interactive);
  } catch (e) {
    process.stderr.write(`osqi: ${(e as Error).message}\n`);
    output.close();
    return 1;
  }
  const engine = session.engine;
  const shell = new Shell(engine, output.io, settingsFromFlags(), {
    interactive,
    realText: realToText,
  });
  try {
    return await run(shell, cli.positionals);
  } finally {
    output.close();
    await shell.disconnect();
    await session.close();
  }
}

// A closed pipe (`osqi ... | head`) is a normal way for output to end.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    // Exit once everything written has been handed to the OS.
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`osqi: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
