// Shared helpers of the forensics area: loading our optional Node-API modules
// (core/native-libs/<name>, built by scripts/build-native.mjs against Debian's
// libmagic, libaugeas and libyara), and sleeping inside a generator.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { corePath } from '../../paths.js';

const loaded = new Map<string, unknown>();

/**
 * The native module `name` (e.g. 'osq_magic'), or undefined when it was not built
 * (its Debian -dev package was missing at build time): the table then has no rows.
 */
export function nativeModule<T>(name: string): T | undefined {
  if (loaded.has(name)) return loaded.get(name) as T | undefined;
  const file = corePath(`native-libs/${name}/build/Release/${name}.node`);
  let mod: T | undefined;
  if (existsSync(file)) {
    try {
      mod = createRequire(import.meta.url)(file) as T;
    } catch {
      mod = undefined; // built against a library that is no longer installed
    }
  }
  loaded.set(name, mod);
  return mod;
}

/** Block this thread for `ms` milliseconds (generators are synchronous). */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
