// rpm_package_files: the files each rpm package owns, with owner, group,
// permissions, size and SHA-256 digest as recorded in the rpm database (see
// rpm.ts; no rows on hosts without an rpm database).
import { bigint, defineTable, type Row, text } from '../framework.js';
import { FILE_FORMAT, parseRpmFiles, queryRpm } from './rpm.js';

export const rpmPackageFiles = defineTable({
  name: 'rpm_package_files',
  columns: {
    package: text({ index: true, optimized: true }),
    path: text({ index: true }),
    username: text(),
    groupname: text(),
    mode: text(),
    size: bigint(),
    sha256: text({ collate: 'nocase' }),
  },
  generate(ctx) {
    const names = new Set(ctx.equals('package'));
    return parseRpmFiles(queryRpm(FILE_FORMAT))
      .filter((f) => names.size === 0 || names.has(f.package))
      .map((f): Row => ({ ...f }));
  },
});
