// Small timing helpers shared by the benchmarks. Benchmarks print figures; they are
// not tests and assert nothing.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time (ms) of fn over `runs` runs after `warm` warm-up runs. */
export async function timeIt(fn, { runs = 15, warm = 2 } = {}) {
  for (let i = 0; i < warm; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Median wall time (ms) of running a command to completion. */
export async function timeCommand(cmd, args, opts = {}) {
  return timeIt(() => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }, opts);
}

/** Print one comparison line: ours vs the peer, with the ratio. */
export function report(what, oursMs, peerName, peerMs) {
  const ratio = oursMs / peerMs;
  console.log(
    `${what.padEnd(34)} osq ${oursMs.toFixed(2).padStart(9)} ms   ${peerName.padEnd(16)} ${peerMs
      .toFixed(2)
      .padStart(9)} ms   ratio ${ratio.toFixed(2)}x`,
  );
}
