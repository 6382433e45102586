// Helpers shared by the networking tests: run a command, and create / remove a
// veth pair (the dummy driver is not available everywhere) that only exists on
// this machine. Nothing here sends traffic anywhere.
import { execFileSync, spawnSync } from 'node:child_process';

/** Run a command and return its stdout; throws on failure. */
export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a command, ignoring failure. */
export function shQuiet(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore' });
}

/** Parse `ip -j ...` output. */
export function ipJson<T = Record<string, unknown>>(args: string[]): T[] {
  const out = sh('ip', ['-j', ...args]).trim();
  return out === '' ? [] : (JSON.parse(out) as T[]);
}

/** Create a veth pair `name` <-> `name`p, both up, and run the setup commands (ip args). */
export function createVeth(name: string, setup: string[][] = []): void {
  removeVeth(name);
  sh('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`]);
  for (const args of setup) sh('ip', args);
  sh('ip', ['link', 'set', `${name}p`, 'up']);
  sh('ip', ['link', 'set', name, 'up']);
}

export function removeVeth(name: string): void {
  shQuiet('ip', ['link', 'del', name]);
}

/** Canonical IPv6 text (lowercase, '::' compressed) for comparisons. */
export function canonicalIp(addr: string): string {
  const [host, scope] = addr.split('%');
  if (!host!.includes(':')) return addr;
  const canon = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return scope ? `${canon}%${scope}` : canon;
}

/** Wait a little (for the kernel to settle, e.g. IPv6 link-local creation). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * True for an interface another networking test file may be creating right now
 * (the test files run in parallel): comparisons leave those out.
 */
export function otherTestLink(name: unknown, mine: string): boolean {
  const n = String(name);
  return n.startsWith('osq') && n !== mine && n !== `${mine}p`;
}

/**
 * Remove the veth pairs a killed run left (every test link's name starts with `osq`; deleting
 * one end removes its peer). Call it while holding the machine lock (holdMachineLockForFile).
 */
export function removeLeftoverTestLinks(): void {
  for (const link of ipJson<{ ifname: string }>(['link', 'show'])) {
    if (link.ifname.startsWith('osq')) shQuiet('ip', ['link', 'del', link.ifname]);
  }
}
