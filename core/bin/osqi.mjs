#!/usr/bin/env node
// osqi, osqueryi's twin. Runs the bundled build (scripts/bundle.mjs) through V8's code
// cache: compiling the bundle is most of a one-shot query's cost, and the cache, made
// at build time, skips it. A cache V8 rejects (another Node) is simply not used.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = new URL('../dist/osqi.bundle.cjs', import.meta.url);
const cachePath = fileURLToPath(new URL('../dist/osqi.bundle.cache', import.meta.url));
const filename = fileURLToPath(bundle);
let cachedData;
try {
  cachedData = readFileSync(cachePath);
} catch {
  // No cache yet: compile normally.
}
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, __osqBundleUrl) {${readFileSync(filename, 'utf8')}\n})`,
  { filename, cachedData },
);
const module = { exports: {} };
script.runInThisContext()(
  module.exports,
  createRequire(filename),
  module,
  filename,
  fileURLToPath(new URL('.', bundle)),
  bundle.href,
);
if (process.env.OSQ_WRITE_CODE_CACHE === '1') {
  // After the run, the cache also holds the functions the query compiled lazily.
  process.on('exit', () => writeFileSync(cachePath, script.createCachedData()));
}
