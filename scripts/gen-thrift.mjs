#!/usr/bin/env node
// Regenerates idl/gen/ from idl/osquery.thrift with the Apache Thrift compiler
// (Debian: `apt-get install -y thrift-compiler`, version 0.17 was used for the committed output).
//
// The generated code is committed so that newcomers need no compiler. It is the REFERENCE
// implementation of the protocol: osq's hot path (idl/src/codec.ts) is tested byte for byte
// against it. It is CommonJS, so idl/gen gets its own package.json saying so (idl itself is ESM).
// Only idl/gen/ is written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const idl = join(root, 'idl', 'osquery.thrift');
const out = join(root, 'idl', 'gen');

const version = spawnSync('thrift', ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  console.error('thrift compiler not found: apt-get install -y thrift-compiler');
  process.exit(1);
}
console.log(version.stdout.trim());

// Start from an empty directory so renamed services leave no stale files behind.
mkdirSync(out, { recursive: true });
for (const name of readdirSync(out)) rmSync(join(out, name), { recursive: true, force: true });

const r = spawnSync('thrift', ['--gen', 'js:node,ts,es6', '-out', out, idl], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
console.log(`generated: ${readdirSync(out).sort().join(', ')}`);
