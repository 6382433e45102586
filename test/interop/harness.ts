// Harness for the cross-implementation wire tests: Python peers (test/interop/python/)
// built on Thrift code that Debian's compiler generates, at test time, from an IDL
// transcribed independently (python/osquery_interop.thrift), so osq's own IDL and codec
// are checked against code that shares nothing with them.
//
// Needs Debian's thrift-compiler, python3-thrift (and python3-six, which python3-thrift
// imports without declaring it). The tests skip only when the compiler is missing.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const pythonDir = join(here, 'python');
/** Debian's interpreter: a python3 earlier on PATH (pyenv, venv) may not see Debian's packages. */
export const PYTHON = '/usr/bin/python3';
const IDL = join(pythonDir, 'osquery_interop.thrift');
const PACKAGES = 'apt-get install -y thrift-compiler python3-thrift python3-six python3-future';

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

const thriftCompiler = findOnPath('thrift');

/** Why the interop tests cannot run here, or false when they can. */
export const skipReason: string | false = thriftCompiler
  ? false
  : `the Thrift compiler is not installed; these tests need Debian's packages: ${PACKAGES}`;

let generated: string | undefined;

/** Generates the Python code from the independently transcribed IDL (once per test process). */
export function generatedPython(): string {
  if (generated) return generated;
  if (!thriftCompiler) throw new Error(String(skipReason));
  const probe = spawnSync(PYTHON, ['-c', 'import thrift.server.TServer, thrift.protocol.TBinaryProtocol'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    throw new Error(`${PYTHON} cannot import Thrift (${probe.stderr.trim()}); install: ${PACKAGES}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'osq-interop-py-'));
  execFileSync(thriftCompiler, ['--gen', 'py', '-out', dir, IDL]);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  generated = dir;
  return dir;
}

export type Event = Record<string, unknown> & { event?: string };

/** A Python peer whose stdout is one JSON object per line. */
export interface PythonPeer {
  child: ChildProcess;
  events: Event[];
  stderr(): string;
  exited: Promise<number | string>;
  /** Resolves with the first event (already seen or future) matching `pred`. */
  waitFor(pred: (e: Event) => boolean, what: string, timeoutMs?: number): Promise<Event>;
  kill(): void;
}

export function spawnPython(script: string, args: string[]): PythonPeer {
  const child = spawn(PYTHON, [join(pythonDir, script), '--gen', generatedPython(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Event[] = [];
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    let nl = out.indexOf('\n');
    while (nl >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as Event);
      nl = out.indexOf('\n');
    }
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    events,
    stderr: () => err,
    exited,
    waitFor: (pred, what, timeoutMs = 15_000) =>
      until(
        what,
        () => events.find(pred),
        timeoutMs,
        () => err,
      ),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Polls `check` every 20 ms until it returns a value; the error names `what`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail() && `: ${detail()}`}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The rows the Python extension's table serves; every value a string, as on the wire. */
export const FRUITS: Record<string, string>[] = [
  { name: 'apple', color: 'red', weight: '180' },
  { name: 'banana', color: 'yellow', weight: '120' },
  { name: 'cherry', color: 'red', weight: '8' },
  { name: 'damson', color: 'purple', weight: '0x10' }, // osquery reads integers in base 0
  { name: 'elder', color: 'black' }, // a missing key is NULL
];

/** The osquery-python-like extension (python/py_extension.py) and what it logged. */
export interface PythonExtension {
  dir: string;
  /** An executable wrapper, as osquery launches an extension binary (`--socket S ...`). */
  launcher: string;
  log: string;
  /** Every event py_extension.py logged, oldest first. */
  events(): Event[];
}

export function preparePythonExtension(dir: string, name = 'py_interop'): PythonExtension {
  const rows = join(dir, `${name}.rows.json`);
  const log = join(dir, `${name}.log`);
  writeFileSync(rows, JSON.stringify(FRUITS));
  const launcher = join(dir, `${name}.ext`);
  const script = join(pythonDir, 'py_extension.py');
  writeFileSync(
    launcher,
    `#!/bin/sh\nexec ${PYTHON} ${script} --gen ${generatedPython()} --name ${name} --rows ${rows} --log ${log} "$@"\n`,
    { mode: 0o755 },
  );
  return {
    dir,
    launcher,
    log,
    events: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as Event)
        : [],
  };
}

/**
 * Runs python/cpp_like_client.py against a manager; one result per operation. Async: the
 * manager under test may live in this very process.
 */
export async function cppLikeClient(socket: string, ops: Record<string, unknown>[]): Promise<Event[]> {
  const peer = spawnPython('cpp_like_client.py', ['--socket', socket, '--ops', JSON.stringify(ops)]);
  const code = await peer.exited;
  if (code !== 0) throw new Error(`cpp_like_client.py failed (${code}): ${peer.stderr()}`);
  return peer.events;
}
