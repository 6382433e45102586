// osqd: osqueryd's twin. Takes osqueryd's flags and flagfile; --config_check and
// --config_dump answer and exit; otherwise the first process takes the pidfile and
// becomes the watchdog (unless --disable_watchdog), and the worker it starts (this
// program again, with OSQUERY_WORKER set) does the work.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { acquirePidfile, releasePidfile } from '../daemon/pidfile.js';
import { LIMIT_SIGNAL, Watchdog } from '../daemon/watchdog.js';
import { FlagError, helpText, parseCommandLine } from '../flags/cli.js';
import { flags } from '../flags/index.js';
import { statusLog } from '../logger/status.js';
import { OSQ_VERSION, OSQUERY_COMPAT_VERSION } from '../version.js';

const DEFAULT_FLAGFILE = '/etc/osquery/osquery.flags.default';

async function runWorker(): Promise<number> {
  // Imported here: the watcher process only supervises, and stays small without it.
  const { startDaemon } = await import('../daemon/daemon.js');
  const watcher = Number(process.env.OSQUERY_WORKER ?? -1);
  const daemon = await startDaemon({ watcherPid: watcher > 0 ? watcher : -1 });
  const exitCode = 0;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= daemon.stop();
    return stopping;
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGHUP', () => void daemon.reload());
  // The watchdog says a limit was hit: leave `executing_query` set so the next worker
  // denylists the query, and go at once.
  process.on(LIMIT_SIGNAL, () => process.exit(1));
  // A worker whose watcher is gone stops too.
  if (watcher > 0) {
    const t = setInterval(() => {
      if (process.ppid !== watcher) {
        statusLog.warning('osqd watcher has gone away: stopping the worker');
        void stop();
      }
    }, 3000);
    t.unref();
  }
  await daemon.done;
  await stop();
  return exitCode;
}

async function main(argv: string[]): Promise<number> {
  let cli: ReturnType<typeof parseCommandLine>;
  try {
    cli = parseCommandLine(argv, { defaultFlagfile: DEFAULT_FLAGFILE });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`osqd: ${e.message} (see osqd --help)\n`);
    return 1;
  }
  if (cli.help) {
    process.stdout.write(helpText('daemon'));
    return 0;
  }
  if (cli.version) {
    process.stdout.write(`osqd version ${OSQUERY_COMPAT_VERSION} (osq ${OSQ_VERSION})\n`);
    return 0;
  }
  if (cli.positionals.length > 0) {
    process.stderr.write(`osqd: unexpected argument ${cli.positionals[0]} (flags start with --)\n`);
    return 1;
  }
  statusLog.configure({ processName: 'osqueryd' });

  if (flags.config_check || flags.config_dump) {
    const { runConfigCommand } = await import('../config/commands.js');
    return (await runConfigCommand()) ?? 0;
  }

  const isWorker = process.env.OSQUERY_WORKER !== undefined;
  if (isWorker || flags.disable_watchdog) {
    if (!isWorker && !flags.ephemeral) await acquirePidfile(flags.pidfile, flags.force);
    try {
      return await runWorker();
    } finally {
      if (!isWorker) releasePidfile(flags.pidfile);
    }
  }

  // The watcher: pidfile, optional daemonizing, then supervise workers.
  if (flags.daemonize && process.env.OSQ_DAEMONIZED === undefined) {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...argv], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, OSQ_DAEMONIZED: '1' },
    });
    child.unref();
    return 0;
  }
  if (!flags.ephemeral) await acquirePidfile(flags.pidfile, flags.force);
  const watchdog = new Watchdog(fileURLToPath(import.meta.url), argv);
  process.on('SIGTERM', () => watchdog.stop());
  process.on('SIGINT', () => watchdog.stop());
  process.on('SIGHUP', () => watchdog.forward('SIGHUP'));
  try {
    return await watchdog.run();
  } finally {
    if (!flags.ephemeral) releasePidfile(flags.pidfile);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    statusLog.error(message);
    process.stderr.write(`osqd: ${message}\n`);
    process.exit(1);
  },
);
