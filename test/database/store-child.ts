// Driven by store.test.ts: commits transactions in a loop and reports each commit on
// stdout only after commit() returned, until it is killed.
import { BackingStore } from '../../core/src/database/store.ts';

const dir = process.argv[2] as string;
const store = BackingStore.open(dir);
let n = Number(store.get('configurations', 'n') ?? '0');
for (;;) {
  n++;
  store.transaction(() => {
    store.put('configurations', 'n', String(n));
    store.put('queries', `k${n}`, 'x'.repeat(n % 500));
  });
  process.stdout.write(`${n}\n`);
}
