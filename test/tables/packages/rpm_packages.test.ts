// rpm_packages / rpm_package_files. This Debian host has no rpm database, so
// the tables must return no rows (and run nothing); the parsers are tested on
// output in the layout `rpm -qa --queryformat` gives (test/fixtures/rpm_packages).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hasRpmDatabase, parseRpmFiles, parseRpmPackages } from '../../../core/src/tables/packages/rpm.ts';
import { query } from '../../helpers/sql.ts';
import { fixture } from './helpers.ts';

const rpmdbPresent = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'].some((d) =>
  ['Packages', 'Packages.db', 'rpmdb.sqlite'].some((f) => existsSync(`${d}/${f}`)),
);

describe('rpm_packages', () => {
  it('sees an rpm database exactly when one exists', async () => {
    assert.equal(hasRpmDatabase(), rpmdbPresent);
    if (!rpmdbPresent) {
      assert.deepEqual(await query('SELECT * FROM rpm_packages'), []);
      assert.deepEqual(await query("SELECT * FROM rpm_package_files WHERE package = 'bash'"), []);
    }
  });

  it('parses rpm query output into rows ((none) becomes empty)', () => {
    const pkgs = parseRpmPackages(readFileSync(fixture('rpm_packages/packages.txt'), 'utf8'));
    assert.equal(pkgs.length, 3);
    assert.deepEqual(pkgs[0], {
      name: 'bash',
      version: '5.1.8',
      release: '9.el9',
      source: 'bash-5.1.8-9.el9.src.rpm',
      size: '7738634',
      sha1: 'c4a1d7b2e0f35f7a6a0c8b8e7f3e2a1d9c0b4f11',
      arch: 'x86_64',
      epoch: '',
      installTime: '1717236000',
      vendor: 'Rocky Enterprise Software Foundation',
      group: 'Unspecified',
    });
    assert.equal(pkgs[1]?.epoch, '1');
    assert.equal(pkgs[2]?.arch, '');
    assert.equal(pkgs[2]?.group, 'Public Keys');
  });

  it('parses file lists: permissions as 4 octal digits, SHA-256 digests only', () => {
    const files = parseRpmFiles(readFileSync(fixture('rpm_packages/files.txt'), 'utf8'));
    assert.deepEqual(
      files.map((f) => [f.path, f.mode, f.size, f.sha256.length]),
      [
        ['/usr/bin/bash', '0755', '1390888', 64],
        ['/usr/share/doc/bash', '0755', '4096', 0],
        ['/etc/skel/.bashrc', '0644', '492', 0],
      ],
    );
  });
});
