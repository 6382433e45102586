// deb_package_files: the paths dpkg recorded for each installed package, from
// <admindir>/info/<package>.list. Like osquery, the list file is looked up by
// the bare package name, so Multi-Arch: same packages (whose list file is named
// <package>:<arch>.list) contribute no rows.

import { isDirectory, joinPath, readText } from '../../lib/fs.js';
import { defineTable, type Row, text } from '../framework.js';
import { admindirsFor, readDpkgDatabase } from './dpkg.js';

export const debPackageFiles = defineTable({
  name: 'deb_package_files',
  columns: {
    package: text({ index: true, optimized: true }),
    path: text({ index: true }),
    admindir: text({ additional: true, optimized: true }),
  },
  generate(ctx) {
    const wanted = new Set(ctx.equals('package'));
    const rows: Row[] = [];
    for (const admindir of admindirsFor(ctx.equals('admindir'))) {
      if (!isDirectory(admindir)) continue;
      for (const pkg of readDpkgDatabase(admindir) ?? []) {
        if (wanted.size > 0 && !wanted.has(pkg.name)) continue;
        const list = readText(joinPath(admindir, `info/${pkg.name}.list`));
        if (list === null) continue;
        for (const path of list.split('\n')) {
          if (path !== '') rows.push({ package: pkg.name, path, admindir });
        }
      }
    }
    return rows;
  },
});
