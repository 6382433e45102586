// deb_packages: the packages in the dpkg database that are not "not-installed"
// (so half-installed, unpacked and config-files packages are listed too), read
// from <admindir>/status plus its updates/ journal. `admindir =` selects other
// dpkg databases (e.g. a chroot's).
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { admindirsFor, readDpkgDatabase } from './dpkg.js';

export const debPackages = defineTable({
  name: 'deb_packages',
  attributes: { cacheable: true },
  columns: {
    name: text(),
    version: text({ collate: 'version_dpkg' }),
    source: text(),
    size: bigint(),
    arch: text(),
    revision: text(),
    status: text(),
    maintainer: text(),
    section: text(),
    priority: text(),
    admindir: text({ additional: true, optimized: true }),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const rows: Row[] = [];
    for (const admindir of admindirsFor(ctx.equals('admindir'))) {
      for (const p of readDpkgDatabase(admindir) ?? []) {
        rows.push({
          name: p.name,
          version: p.version,
          source: p.source,
          size: p.size,
          arch: p.arch,
          revision: p.revision,
          status: p.status,
          maintainer: p.maintainer,
          section: p.section,
          priority: p.priority,
          admindir,
          pid_with_namespace: 0,
        });
      }
    }
    return rows;
  },
});
