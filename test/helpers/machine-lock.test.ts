// The machine-wide test lock (real flock(1) processes): holders take turns, and a holder
// killed with SIGKILL leaves the lock free.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { acquireMachineLock, withMachineLock } from './machine-lock.ts';

test('a second holder waits until the first releases', async () => {
  const order: string[] = [];
  const first = await acquireMachineLock();
  const second = withMachineLock(() => {
    order.push('second');
  });
  await new Promise((r) => setTimeout(r, 300));
  order.push('first');
  await first.release();
  await second;
  assert.deepEqual(order, ['first', 'second']);
});

test('a test process killed with SIGKILL while holding the lock leaves it free', async () => {
  // A real second process takes the lock through this helper, then dies without releasing it.
  const helper = new URL('./machine-lock.ts', import.meta.url).pathname;
  const holder = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('${helper}').then(async (m) => { await m.acquireMachineLock(); console.log('held'); setInterval(() => {}, 1000); })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((r) => holder.stdout.once('data', r));
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  const started = Date.now();
  await withMachineLock(() => undefined);
  assert.ok(Date.now() - started < 5000, 'the lock was free after its holder died');
});

test('a lock taken untilExit does not keep its process alive and is free once it exits', async () => {
  // A real second process takes the lock for its whole life and then has nothing left to do:
  // it must exit by itself (the flock child is unref'd) and the lock must then be free.
  const helper = new URL('./machine-lock.ts', import.meta.url).pathname;
  const holder = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('${helper}').then(async (m) => { await m.acquireMachineLock({ untilExit: true }); console.log('held'); })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((r) => holder.stdout.once('data', r));
  const code = await new Promise((r) => holder.once('exit', r));
  assert.equal(code, 0, 'the holder exited on its own');
  const started = Date.now();
  await withMachineLock(() => undefined);
  assert.ok(Date.now() - started < 5000, 'the lock was free after its holder exited');
});
