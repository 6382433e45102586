// portage_use: one row per USE flag a Gentoo package was built with, from
// /var/db/pkg/<category>/<pkg>/USE.

import { osquerySplit } from '../../lib/split.js';
import { defineTable, type Row, text } from '../framework.js';
import { installedPackageDirs, packageFile, splitPackageVersion } from './portage.js';

export const portageUse = defineTable({
  name: 'portage_use',
  columns: {
    package: text(),
    version: text({ collate: 'version' }),
    use: text(),
  },
  generate() {
    const rows: Row[] = [];
    for (const dir of installedPackageDirs()) {
      const use = packageFile(dir, 'USE');
      if (!use) continue;
      const [pkg, version] = splitPackageVersion(dir);
      for (const flag of osquerySplit(use, ' ')) rows.push({ package: pkg, version, use: flag });
    }
    return rows;
  },
});
