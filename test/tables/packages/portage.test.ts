// portage_packages, portage_use and portage_keywords on a Gentoo fixture root
// (test/fixtures/portage, served through OSQ_PORTAGE_ROOT); this host is Debian.
// Counts and values are checked against ls/cat of the fixture files.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { splitPackageVersion } from '../../../core/src/tables/packages/portage.ts';
import { query } from '../../helpers/sql.ts';
import { fixture, run } from './helpers.ts';

const root = fixture('portage').replace(/\/$/, '');
before(() => {
  process.env.OSQ_PORTAGE_ROOT = root;
});
after(() => {
  delete process.env.OSQ_PORTAGE_ROOT;
});

describe('portage', () => {
  it('splits atoms into name and version', () => {
    assert.deepEqual(splitPackageVersion('dev-libs/openssl-3.0.9-r1'), ['dev-libs/openssl', '3.0.9-r1']);
    assert.deepEqual(splitPackageVersion('>=sys-apps/portage-3.0.50'), ['sys-apps/portage', '>=3.0.50']);
    assert.deepEqual(splitPackageVersion('=x11-libs/gtk+-2.24.33-r3'), ['x11-libs/gtk+', '2.24.33-r3']);
    assert.deepEqual(splitPackageVersion('app-editors/vim'), ['app-editors/vim', '']);
  });

  it('portage_packages has one row per /var/db/pkg/*/* folder with its files', async () => {
    const dirs = run('sh', ['-c', `cd ${root}/var/db/pkg && ls -d */*`])
      .split('\n')
      .filter(Boolean);
    const rows = await query('SELECT * FROM portage_packages');
    assert.equal(rows.length, dirs.length);
    const slot = (d: string): string => run('cat', [`${root}/var/db/pkg/${d}/SLOT`]).trim();
    assert.deepEqual(rows, [
      {
        package: 'app-editors/vim',
        version: '9.0.1678',
        slot: slot('app-editors/vim-9.0.1678'),
        build_time: 1690000000,
        repository: 'gentoo',
        eapi: 8,
        size: 41234567,
        world: 1,
      },
      {
        package: 'dev-libs/openssl',
        version: '3.0.9-r1',
        slot: slot('dev-libs/openssl-3.0.9-r1'),
        build_time: 1690000100,
        repository: 'gentoo',
        eapi: 8,
        size: 9876543,
        world: 0,
      },
      {
        package: 'sys-apps/portage',
        version: '3.0.49',
        slot: '0',
        build_time: null,
        repository: 'gentoo',
        eapi: 7,
        size: null,
        world: 1,
      },
    ]);
  });

  it('portage_use has one row per USE flag', async () => {
    const words = run('sh', ['-c', `cat ${root}/var/db/pkg/*/*/USE | wc -w`]).trim();
    const rows = await query('SELECT package, version, use FROM portage_use');
    assert.equal(rows.length, Number(words));
    assert.deepEqual(rows[0], { package: 'app-editors/vim', version: '9.0.1678', use: 'acl' });
  });

  it('portage_keywords merges package.keywords, package.mask and package.unmask', async () => {
    const rows = await query('SELECT * FROM portage_keywords');
    assert.deepEqual(rows, [
      { package: 'dev-libs/openssl', version: '3.1.1', keyword: '~amd64', mask: 0, unmask: 0 },
      { package: 'app-editors/vim', version: '', keyword: '~amd64', mask: 0, unmask: 1 },
      { package: 'sys-apps/portage', version: '>=3.0.50', keyword: '**', mask: 1, unmask: 0 },
      { package: 'x11-libs/gtk+', version: '2.24.33-r3', keyword: '', mask: 1, unmask: 1 },
    ]);
  });
});
