// Helpers for the packages tests: run a command and get its output.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: env ?? process.env,
  });
}

/** Absolute path of a fixture under test/fixtures/. */
export function fixture(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
}
