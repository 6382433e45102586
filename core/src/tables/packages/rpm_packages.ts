// rpm_packages: the packages in the rpm database (see rpm.ts: read through the
// rpm tool; no rows on hosts without an rpm database, such as Debian).
import { bigint, defineTable, integer, text } from '../framework.js';
import { PACKAGE_FORMAT, parseRpmPackages, queryRpm } from './rpm.js';

export const rpmPackages = defineTable({
  name: 'rpm_packages',
  attributes: { cacheable: true },
  columns: {
    name: text({ index: true, optimized: true }),
    version: text({ index: true, collate: 'version_rhel' }),
    release: text({ index: true }),
    source: text(),
    size: bigint(),
    sha1: text({ collate: 'nocase' }),
    arch: text({ index: true }),
    epoch: integer({ index: true }),
    install_time: integer(),
    vendor: text(),
    package_group: text(),
    pid_with_namespace: integer({ hidden: true, additional: true, platforms: ['linux'] }),
    mount_namespace_id: text({ hidden: true, platforms: ['linux'] }),
  },
  generate(ctx) {
    const names = new Set(ctx.equals('name'));
    return parseRpmPackages(queryRpm(PACKAGE_FORMAT))
      .filter((p) => names.size === 0 || names.has(p.name))
      .map((p) => ({
        name: p.name,
        version: p.version,
        release: p.release,
        source: p.source,
        size: p.size,
        sha1: p.sha1,
        arch: p.arch,
        epoch: p.epoch,
        install_time: p.installTime,
        vendor: p.vendor,
        package_group: p.group,
        pid_with_namespace: 0,
      }));
  },
});
