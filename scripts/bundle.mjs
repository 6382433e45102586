#!/usr/bin/env node
// Bundles osqi's entry (compiled by tsc into core/dist) into one file. Loading ~80
// small ES modules costs a one-shot `osqi` more than the query itself; one file is
// parsed once. Workers and the daemon keep using core/dist/** as compiled.
import { build } from 'esbuild';

await build({
  entryPoints: ['core/dist/cli/osqi.js'],
  outfile: 'core/dist/osqi.bundle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addons and CommonJS packages stay where npm put them.
  external: ['better-sqlite3'],
  sourcemap: true,
  // CommonJS dependencies inside the bundle (execa's cross-spawn, ...) call require().
  banner: {
    js: "import { createRequire as __osqCreateRequire } from 'node:module'; const require = __osqCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
