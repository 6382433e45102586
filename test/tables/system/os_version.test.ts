// os_version against the shell's reading of /etc/os-release, lsb_release and uname -m.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Row } from '../../../core/src/tables/framework.js';
import { applyOsRelease } from '../../../core/src/tables/system/os_version.js';
import { query } from '../../helpers/sql.js';
import { hasTool, run, sh } from './tools.js';

/** The os-release variables as a POSIX shell sees them. */
function shellOsRelease(): Record<string, string> {
  const names = ['NAME', 'VERSION', 'VERSION_ID', 'ID', 'ID_LIKE', 'VERSION_CODENAME', 'BUILD_ID'];
  const out = sh(`. /etc/os-release; ${names.map((n) => `printf '%s\\n' "$${n}"`).join('; ')}`).split('\n');
  return Object.fromEntries(names.map((n, i) => [n, out[i] ?? '']));
}

describe('os_version', () => {
  test('name, version, platform, codename and numbers match /etc/os-release', async () => {
    const [r] = await query(
      'SELECT name, version, major, minor, patch, build, platform, platform_like, codename, arch FROM os_version',
    );
    const v = shellOsRelease();
    assert.equal(r?.name, v.NAME);
    assert.equal(r?.version, v.VERSION);
    assert.equal(r?.platform, v.ID);
    assert.equal(r?.platform_like, v.ID_LIKE === '' ? null : v.ID_LIKE);
    assert.equal(r?.build, v.BUILD_ID === '' ? null : v.BUILD_ID);
    const [major, minor, patch] = (v.VERSION_ID ?? '').split('.');
    assert.equal(r?.major, Number(major ?? 0));
    assert.equal(r?.minor, Number(minor ?? 0));
    assert.equal(r?.patch, Number(patch ?? 0));
    assert.equal(r?.arch, run('uname', ['-m']).trim());
    if (v.VERSION_CODENAME !== '') assert.equal(r?.codename, v.VERSION_CODENAME);
  });

  test('codename agrees with lsb_release', {
    skip: !hasTool('lsb_release') && 'needs lsb-release',
  }, async () => {
    const [r] = await query('SELECT codename FROM os_version');
    assert.equal(r?.codename, run('lsb_release', ['-sc']).trim());
  });

  test('pid_with_namespace reads the release of that process root', async () => {
    const rows = await query(
      `SELECT name, pid_with_namespace FROM os_version WHERE pid_with_namespace = ${process.pid}`,
    );
    assert.deepEqual(rows, [{ name: shellOsRelease().NAME, pid_with_namespace: process.pid }]);
  });

  test('other layouts: quotes, *_CODENAME keys, three-part VERSION_ID (fixture)', () => {
    const row: Row = {};
    applyOsRelease(
      row,
      [
        'NAME="Ubuntu"',
        'VERSION="22.04.3 LTS (Jammy Jellyfish)"',
        'ID=ubuntu',
        'ID_LIKE=debian',
        'PRETTY_NAME="Ubuntu 22.04.3 LTS"',
        'VERSION_ID="22.04.3"',
        'UBUNTU_CODENAME=jammy',
      ].join('\n'),
    );
    assert.deepEqual(row, {
      name: 'Ubuntu',
      version: '22.04.3 LTS (Jammy Jellyfish)',
      platform: 'ubuntu',
      platform_like: 'debian',
      major: 22,
      minor: 4,
      patch: 3,
      codename: 'jammy',
    });
  });
});
