// The npm tarballs for extension authors: what `npm pack` makes of @osq/idl and @osq/sdk,
// installable by path (`npm install ./osq-sdk-<v>.tgz ./osq-idl-<v>.tgz`) or publishable as
// they are. Their contents are each package.json's `files` (compiled dist/ with types).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SDK_WORKSPACES = ['idl', 'sdk'];

export function packNpm({ root, outDir }) {
  for (const ws of SDK_WORKSPACES) {
    if (!existsSync(join(root, ws, 'dist/index.js'))) {
      throw new Error(`package: ${ws}/dist is missing: run npm run build first`);
    }
  }
  mkdirSync(outDir, { recursive: true });
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir];
  for (const ws of SDK_WORKSPACES) args.push('--workspace', ws);
  const r = spawnSync('npm', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`package: npm ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout).map((p) => ({
    name: p.name,
    version: p.version,
    tarball: join(outDir, p.filename),
  }));
}
