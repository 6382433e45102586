// Starts the mock Kafka cluster (kafka-mock.c over librdkafka's rdkafka_mock.h), compiling
// it first when needed: `gcc kafka-mock.c $(pkg-config --cflags --libs rdkafka)` needs
// Debian's librdkafka-dev and pkg-config. Each command written to its stdin is answered
// with one line, "ok" or "error <why>", which `command()` waits for.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'kafka-mock.c');

/** Compiles the mock once per source change; returns the binary's path. */
export function buildKafkaMock(): string {
  const dir = join(tmpdir(), 'osq-kafka-mock');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, `kafka-mock-${Math.floor(statSync(SOURCE).mtimeMs)}`);
  if (existsSync(binary)) return binary;
  const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'rdkafka'], { encoding: 'utf8' })
    .trim()
    .split(/\s+/);
  const tmp = `${binary}.${process.pid}`;
  execFileSync('gcc', ['-O2', '-Wall', '-o', tmp, SOURCE, ...flags], { stdio: 'inherit' });
  execFileSync('mv', [tmp, binary]);
  return binary;
}

export interface KafkaMock {
  /** The bootstrap servers, e.g. `127.0.0.1:40123`. */
  bootstrap: string;
  /** Runs one command (`errors 0 6 3`, `down 1`, `up 1`, `topic t 2`, `rtt 1 50`). */
  command(line: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a cluster of `brokers` brokers with the topics given as `name:partitions`. */
export async function startKafkaMock(brokers = 1, topics: string[] = []): Promise<KafkaMock> {
  const child: ChildProcess = spawn(buildKafkaMock(), [String(brokers), ...topics], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const early = exited.then(() => {
    throw new Error('kafka-mock exited before printing its bootstrap servers');
  });
  early.catch(() => undefined); // only matters while waiting for the first line
  const bootstrap = await Promise.race([nextLine(), early]);
  let chain = Promise.resolve();
  return {
    bootstrap,
    command(line) {
      // One command at a time, so each answer matches its command.
      const run = chain.then(async () => {
        const answer = nextLine();
        child.stdin?.write(`${line}\n`);
        const reply = await answer;
        if (reply !== 'ok') throw new Error(`kafka-mock ${line}: ${reply}`);
      });
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
