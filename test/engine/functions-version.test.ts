// version_compare() and the version collations (core/native/version.c). Expected
// values are osquery's (osquery/sql/tests/sql.cpp and docs/wiki/introduction/sql.md),
// including where osquery's flavours differ from dpkg/rpm/pacman themselves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { query, queryError } from '../helpers/sql.js';

async function value(expr: string): Promise<unknown> {
  const rows = await query(`SELECT ${expr} AS v`);
  return rows[0]?.v;
}

async function compare(a: string, b: string, flavor?: string): Promise<unknown> {
  return value(`version_compare('${a}', '${b}'${flavor ? `, '${flavor}'` : ''})`);
}

/** Every `<a> <op> <b>` must hold under the collation. */
async function holds(collation: string, cases: [string, '<' | '=' | '>', string][]): Promise<void> {
  for (const [a, op, b] of cases) {
    assert.equal(
      await value(`'${a}' ${op} '${b}' COLLATE ${collation}`),
      1,
      `${a} ${op} ${b} (${collation})`,
    );
  }
}

describe('version_compare', () => {
  test('osquery test cases', async () => {
    assert.equal(await compare('1.0', '1.0'), 0);
    assert.equal(await compare('1:2.0-10', '1:2.0-10', 'DPKG'), 0);
    assert.equal(await compare('4:1.1.0', '4:1.1.0-3', 'arCH'), 0);
    assert.equal(await compare('50.4.1b', '50.4.1c'), -1);
    assert.equal(await compare('1.0.8-4', '1.0.8-6', 'arch'), -1);
    assert.equal(await compare('1.0.0~rc2^2021', '1.0.0', 'RHEL'), -1);
    assert.equal(await compare('1.1.0~BETA2^1', '1.1.0~CR1', 'RhEl'), -1);
    assert.equal(await compare('1.0.1.1', '1.0.1^2021', 'rhel'), 1);
    assert.equal(await compare('1.9.9-1ubuntu2.4', '1.9.9-1ubuntu2.3', 'dpkg'), 1);
    assert.equal(await compare('1:1.2.13-2', '4.2.1', 'ARCH'), 1);
    assert.equal(await compare('106.32.1', '106:32.1'), 0);
  });

  test('numbers compare by length first, so 1.10 > 1.9', async () => {
    assert.equal(await compare('1.10', '1.9'), 1);
    assert.equal(await compare('1.9', '1.10'), -1);
    assert.equal(await compare('2.0', '10.0'), -1);
    assert.equal(await compare('1.2.3', '1.2'), 1);
    assert.equal(await compare('', '1'), -1);
    assert.equal(await compare('', ''), 0);
  });

  test('epochs win in the package flavours', async () => {
    assert.equal(await compare('1:1.0', '2.0', 'DPKG'), 1);
    assert.equal(await compare('2.0', '1:1.0', 'DPKG'), -1);
    assert.equal(await compare('1:1.0', '2.0', 'RHEL'), 1);
    assert.equal(await compare('1:1.0', '2.0', 'ARCH'), 1);
    assert.equal(await compare('2:1.0', '1:9.0', 'DPKG'), 1);
    // Without a flavour ':' is just a delimiter.
    assert.equal(await compare('1:1.0', '2.0'), -1);
  });

  test('tilde sorts before the release and caret after it (RHEL, ARCH)', async () => {
    assert.equal(await compare('1.0~rc1', '1.0', 'RHEL'), -1);
    assert.equal(await compare('1.0~rc1', '1.0', 'ARCH'), -1);
    assert.equal(await compare('1.0^git1', '1.0', 'RHEL'), 1);
    assert.equal(await compare('1.0~rc1', '1.0~rc2', 'RHEL'), -1);
    // osquery's DPKG flavour gives '~' no special meaning (dpkg itself would say -1).
    assert.equal(await compare('1.0~rc1', '1.0', 'DPKG'), 1);
    // osquery quirk: a '^' remainder decides before the last differing digit (rpm would say -1).
    assert.equal(await compare('1.0.0^git1', '1.0.1', 'RHEL'), 1);
  });

  test('arguments must be text and the flavour one of ARCH, DPKG, RHEL', async () => {
    assert.equal(
      await queryError(`SELECT version_compare(1, '2')`),
      'Must provide two version strings to compare.',
    );
    assert.equal(
      await queryError(`SELECT version_compare('1')`),
      'Must provide two version strings to compare.',
    );
    assert.equal(
      await queryError(`SELECT version_compare('1', NULL)`),
      'Must provide two version strings to compare.',
    );
    assert.equal(
      await queryError(`SELECT version_compare('1', '2', 3)`),
      'The optional third parameter is not a string.',
    );
    assert.equal(
      await queryError(`SELECT version_compare('1', '2', 'semver')`),
      'The optional third parameter does not match one of: (ARCH, DPKG, RHEL).',
    );
  });
});

describe('version collations', () => {
  test('version', async () => {
    await holds('version', [
      ['1.0', '=', '1.0'],
      // Without flavour rules all delimiters are equal.
      ['1:0.0', '=', '1.0.0'],
      ['2.50^1a', '=', '2.50~1a'],
      ['1.0', '<', '1.1'],
      ['1.1', '<', '1.a'],
      ['50.4.1b', '<', '50.4.1c'],
      ['1.0.0', '<', '1.0.0-2'],
      ['1.0.0-2', '<', '1:0.0.3'],
      ['1.12.1', '<', '1.13'],
      ['190.10a', '>', '20.10a'],
      ['20.10a', '>', '20.102'],
      ['57:4', '>', '6.87.5'],
      ['98.100.21-1b', '>', '98.100.21-1a'],
      ['8.11', '>', '8.10.24'],
    ]);
  });

  test('version_arch', async () => {
    await holds('version_arch', [
      ['1.0', '=', '1.0-4'],
      ['4:2', '=', '4:2-1'],
      ['1.6.1-9', '<', '1.6.1-10'],
      ['2-2pre', '<', '2-2rc'],
      ['41.1-2', '<', '43alpha+r8+g1de47dbc-1'],
      ['1:42.3.1-1', '<', '1:43.2-1'],
      ['6.0.12.arch1-1', '>', '5.18.14.arch1-1'],
      ['3:0.164.r3095.baee400-4', '>', '3:0.164.r3081.19856cc-2'],
      ['0.23.90-1', '>', '0.23.1-9'],
      ['1:1.2.13-2', '>', '4.2.1'],
    ]);
  });

  test('version_dpkg', async () => {
    await holds('version_dpkg', [
      ['1.0-0', '=', '1.0-0'],
      ['1:2.0-10', '=', '1:2.0-10'],
      ['22.07.5-2ubuntu1.3', '<', '22.07.5-2ubuntu1.4'],
      ['2.5.13+dfsg-0ubuntu0.22.04.1', '<', '2.5.14+dfsg-0ubuntu0.22.04.2'],
      ['3.0.2-0ubuntu1.10', '>', '3.0.2-0ubuntu1.8'],
      ['2:8.2.3995-1ubuntu2.9', '>', '2:8.2.3995-1ubuntu2.3'],
      ['1:1.0', '>', '2.0'],
    ]);
  });

  test('version_rhel', async () => {
    await holds('version_rhel', [
      ['0.5.0~rc1^202', '=', '0.5.0~rc1^202'],
      ['1.0.0~rc2^2021', '<', '1.0.0'],
      ['1.0.1', '<', '1.0.1^2021'],
      ['1.0.1^2021', '<', '1.0.1.security1'],
      ['1.1.0~BETA2', '<', '1.1.0~CR1'],
      ['9.11.4-26.P2.el7_9.10', '<', '32:9.11.4-26.P2.el7_9.13'],
      ['1:1.8.0.352.b08-2.el7_9', '<', '1:1.8.0.372.b07-1.el7_9'],
      ['1.0.0', '>', '1.0.0~rc2'],
      ['1.1.0.20201001.GA1', '>', '1.1.0~CR1'],
      ['1.0.0~rc2^20210101gf00fabd', '>', '1.0.0~rc2'],
      ['1.0.1.security1', '>', '1.0.1^20210203gbbbccc0'],
    ]);
  });

  test('ORDER BY ... COLLATE version sorts numerically by segment', async () => {
    const rows = await query(
      `SELECT column1 AS v FROM (VALUES ('1.10'), ('1.9'), ('1.2.3'), ('1.2'), ('10.0'), ('2.0')) ORDER BY v COLLATE version`,
    );
    assert.deepEqual(
      rows.map((r) => r.v),
      ['1.2', '1.2.3', '1.9', '1.10', '2.0', '10.0'],
    );
  });

  test('ORDER BY ... COLLATE version_rhel puts pre-releases first', async () => {
    const rows = await query(
      `SELECT column1 AS v FROM (VALUES ('1.1'), ('1.0.0'), ('1.0.0~rc2'), ('1.0.0^git1'), ('1.0.0~rc1')) ORDER BY v COLLATE version_rhel`,
    );
    assert.deepEqual(
      rows.map((r) => r.v),
      ['1.0.0~rc1', '1.0.0~rc2', '1.0.0', '1.0.0^git1', '1.1'],
    );
  });
});
