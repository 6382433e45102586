#!/usr/bin/env node
// `npm run package`: osq's release artifacts, from the tree `npm ci` and `npm run build`
// left, written to build/packages/ (or --out DIR):
//   osq_<version>_amd64.deb    for ops (scripts/package/deb.mjs)
//   osq-sdk-<version>.tgz, osq-idl-<version>.tgz   for extension authors (scripts/package/npm.mjs)
// `--deb` or `--npm` builds only that part; `--compress gzip|none` trades the .deb's size
// (xz, the default) for build time.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDeb } from './package/deb.mjs';
import { packNpm } from './package/npm.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'build/packages' },
    deb: { type: 'boolean' },
    npm: { type: 'boolean' },
    compress: { type: 'string', default: 'xz' },
  },
});
const root = resolve(new URL('..', import.meta.url).pathname);
const outDir = resolve(values.out);
const all = !values.deb && !values.npm;

try {
  if (all || values.npm) {
    for (const p of packNpm({ root, outDir })) console.log(`${p.tarball}  (${p.name}@${p.version})`);
  }
  if (all || values.deb) {
    if (!['xz', 'gzip', 'none'].includes(values.compress)) throw new Error('--compress: xz, gzip or none');
    const d = buildDeb({ root, outDir, compress: [`-Z${values.compress}`] });
    console.log(
      `${d.deb}  (${(d.bytes / 1048576).toFixed(1)} MiB, installed ${(d.installedKiB / 1024).toFixed(1)} MiB)`,
    );
    console.log(`  Depends: ${d.depends}`);
    if (d.recommends) console.log(`  Recommends: ${d.recommends}`);
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
