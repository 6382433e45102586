#!/usr/bin/env node
// Builds core/native (the SQLite vtab module) with node-gyp. Run by `npm ci` through
// @osq/core's install script, and by hand after editing the C code.
// node-gyp needs Node's headers; Debian's nodejs ships them under /usr/include/node,
// and pointing node-gyp there avoids a download this network cannot make.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const native = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'native');
const require = createRequire(import.meta.url);

function nodeGyp() {
  // npm puts its own node-gyp on PATH for install scripts; by hand, find npm's copy.
  if (process.env.npm_config_node_gyp) return [process.execPath, process.env.npm_config_node_gyp];
  const npmDir = dirname(dirname(process.execPath));
  for (const p of [
    join(npmDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  ]) {
    if (existsSync(p)) return [process.execPath, p];
  }
  try {
    return [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
  } catch {
    return ['node-gyp'];
  }
}

const args = ['rebuild'];
const headers = join(dirname(dirname(process.execPath)), 'include', 'node', 'node_api.h');
if (!process.env.npm_config_nodedir && existsSync(headers)) {
  args.push(`--nodedir=${dirname(dirname(process.execPath))}`);
}
const [cmd, ...pre] = nodeGyp();
const r = spawnSync(cmd, [...pre, ...args], { cwd: native, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('osq: building core/native failed (needs python3, make and a C compiler)');
  process.exit(r.status ?? 1);
}
