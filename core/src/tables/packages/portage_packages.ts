// portage_packages: Gentoo packages installed under /var/db/pkg, with their
// SLOT, SIZE, EAPI, BUILD_TIME and repository files, and whether the package is
// in the world set (/var/lib/portage/world). Like osquery, no rows at all when
// the world file cannot be read.

import { isDirectory, readText } from '../../lib/fs.js';
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import {
  atomLines,
  installedPackageDirs,
  PORTAGE_PKG_DIR,
  PORTAGE_WORLD,
  packageFile,
  portageRoot,
  splitPackageVersion,
} from './portage.js';

const FILES: [string, string][] = [
  ['SLOT', 'slot'],
  ['SIZE', 'size'],
  ['EAPI', 'eapi'],
  ['BUILD_TIME', 'build_time'],
  ['repository', 'repository'],
];

export const portagePackages = defineTable({
  name: 'portage_packages',
  columns: {
    package: text(),
    version: text({ collate: 'version' }),
    slot: text(),
    build_time: bigint(),
    repository: text(),
    eapi: bigint(),
    size: bigint(),
    world: integer(),
  },
  generate() {
    const root = portageRoot();
    const worldText = readText(root + PORTAGE_WORLD);
    if (!isDirectory(root + PORTAGE_PKG_DIR) || worldText === null) return [];
    const world = new Set(atomLines(worldText).map((t) => splitPackageVersion(t[0] as string)[0]));
    return installedPackageDirs().map((dir) => {
      const [pkg, version] = splitPackageVersion(dir);
      const r: Row = { package: pkg, version, world: world.has(pkg) ? 1 : 0 };
      for (const [file, column] of FILES) {
        const value = packageFile(dir, file);
        if (value !== null) r[column] = value;
      }
      return r;
    });
  },
});
