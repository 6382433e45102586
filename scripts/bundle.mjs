#!/usr/bin/env node
// Bundles osqi's entry (compiled by tsc into core/dist) into one minified CommonJS file
// and records V8's code cache for it. Loading ~150 small ES modules, then compiling
// them, costs a one-shot `osqi` more than its query; core/bin/osqi.mjs instead compiles
// one file with the cache (see it). Workers and the daemon keep using core/dist/**.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['core/dist/cli/osqi.js'],
  outfile: 'core/dist/osqi.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // import() of Node built-ins becomes require(): a vm.Script has no module loader.
  supported: { 'dynamic-import': false },
  // Native addons stay where npm put them.
  external: ['better-sqlite3'],
  sourcemap: true,
  // The sources find their files from import.meta.url; the launcher passes the bundle's URL.
  define: { 'import.meta.url': '__osqBundleUrl' },
  logLevel: 'warning',
});

// Warm the code cache with a real one-shot query (the launcher writes it on this run).
rmSync('core/dist/osqi.bundle.cache', { force: true });
execFileSync(process.execPath, ['core/bin/osqi.mjs', '--json', 'SELECT pid FROM processes WHERE pid = 1'], {
  env: { ...process.env, OSQ_WRITE_CODE_CACHE: '1' },
  stdio: 'ignore',
});
