#!/usr/bin/env node
// Builds osq's native modules with node-gyp. Run by `npm ci` through @osq/core's
// install script, and by hand after editing C code (`node scripts/build-native.mjs
// [name...]`).
//   core/native            the SQLite vtab module: required, a failure fails the install
//   core/native-libs/<m>   optional modules over Debian libraries (libmagic, libaugeas,
//                          libyara): one that does not build is reported and its table
//                          returns no rows
// node-gyp needs Node's headers; Debian's nodejs ships them under /usr/include/node,
// and pointing node-gyp there avoids a download this network cannot make.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const core = join(dirname(fileURLToPath(import.meta.url)), '..', 'core');
const require = createRequire(import.meta.url);

function nodeGyp() {
  // npm puts its own node-gyp on PATH for install scripts; by hand, find npm's copy.
  if (process.env.npm_config_node_gyp) return [process.execPath, process.env.npm_config_node_gyp];
  const prefix = dirname(dirname(process.execPath));
  for (const p of [
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
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
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const [cmd, ...pre] = nodeGyp();
const build = (dir) => spawnSync(cmd, [...pre, ...args], { cwd: dir, stdio: 'inherit' }).status === 0;

const wanted = process.argv.slice(2);
const want = (name) => wanted.length === 0 || wanted.includes(name);

if (want('osq_vtab') && !build(join(core, 'native'))) {
  console.error('osq: building core/native failed (needs python3, make and a C compiler)');
  process.exit(1);
}

const libs = join(core, 'native-libs');
const failed = readdirSync(libs)
  .filter((d) => existsSync(join(libs, d, 'binding.gyp')) && want(d))
  .filter((d) => !build(join(libs, d)));
if (failed.length > 0) {
  console.error(`osq: optional native modules not built: ${failed.join(', ')} (their tables return no rows)`);
}
