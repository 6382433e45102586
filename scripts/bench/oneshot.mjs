#!/usr/bin/env node
// One-shot `osqi --json` wall time (the installed launcher, not through npx) against a
// bare `node -e 0`. Goal: within bare node start + 100 ms.
import { fileURLToPath } from 'node:url';
import { report, timeCommand } from './lib.mjs';

const osqi = fileURLToPath(new URL('../../core/bin/osqi.mjs', import.meta.url));
const bare = await timeCommand(process.execPath, ['-e', '0']);
for (const sql of ['SELECT 1', 'SELECT pid, name FROM processes']) {
  const ours = await timeCommand(process.execPath, [osqi, '--json', sql]);
  report(`osqi --json "${sql}"`, ours, 'node -e 0', bare);
  console.log(`${''.padEnd(34)} overhead over bare node: ${(ours - bare).toFixed(1)} ms (goal <= 100 ms)`);
}
