// deb_packages and deb_package_files against dpkg-query, on this host's dpkg
// database and on a fixture admindir (test/fixtures/deb_packages/admindir).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withMachineLock } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { fixture, run } from './helpers.ts';

/** dpkg-query's ${Field} placeholders, tab-separated (the status is three words). */
const FIELDS = [
  'Package',
  'Architecture',
  'Version',
  'db:Status-Want',
  'db:Status-Eflag',
  'db:Status-Status',
];
const MORE = ['Installed-Size', 'Source', 'Section', 'Maintainer'];
const placeholder = (f: string): string => `\${${f}}`;
const FORMAT = `${FIELDS.slice(0, 3).map(placeholder).join('\\t')}\\t${FIELDS.slice(3).map(placeholder).join(' ')}\\t${MORE.map(placeholder).join('\\t')}\\n`;

/** dpkg-query's view, keyed by "name:arch". */
function dpkgQuery(admindir?: string): Map<string, string[]> {
  const args = admindir ? [`--admindir=${admindir}`, '-W', `-f=${FORMAT}`] : ['-W', `-f=${FORMAT}`];
  const out = new Map<string, string[]>();
  for (const line of run('dpkg-query', args).split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f[3]?.endsWith('not-installed')) continue;
    out.set(`${f[0]}:${f[1]}`, f);
  }
  return out;
}

async function compare(where: string, admindir?: string): Promise<number> {
  const expected = dpkgQuery(admindir);
  const rows = await query(
    `SELECT name, arch, version, status, size, source, section, maintainer, revision, admindir FROM deb_packages ${where}`,
  );
  assert.equal(rows.length, expected.size);
  for (const r of rows) {
    const e = expected.get(`${r.name}:${r.arch}`);
    assert.ok(e, `${r.name}:${r.arch} not listed by dpkg-query`);
    assert.equal(r.version, e[2]);
    assert.equal(r.status, e[3]);
    assert.equal(r.size, e[4] === '' ? null : Number(e[4]));
    assert.equal(r.source, e[5]);
    assert.equal(r.section, e[6]);
    assert.equal(r.maintainer, e[7]);
    // The revision is what follows the last '-' of the version (none: '').
    const version = String(e[2]).replace(/^\d+:/, '');
    assert.equal(r.revision, version.includes('-') ? version.slice(version.lastIndexOf('-') + 1) : '');
    assert.equal(r.admindir, admindir ?? '/var/lib/dpkg');
  }
  return rows.length;
}

describe('deb_packages', () => {
  it('lists the same packages and fields as dpkg-query on this host', async () => {
    // Under the machine lock: a test that installs packages (test/package) holds it.
    assert.ok((await withMachineLock(() => compare(''))) > 50);
  });

  it('reads another admindir, applying its updates journal and skipping not-installed', async () => {
    const dir = fixture('deb_packages/admindir');
    assert.equal(await compare(`WHERE admindir = '${dir}'`, dir), 3);
    const rows = await query(
      `SELECT name, version, revision, status, priority, section, size FROM deb_packages WHERE admindir = '${dir}'`,
    );
    assert.deepEqual(rows, [
      {
        name: 'alpha',
        version: '1:2.5.3-0+deb12u1',
        revision: '0+deb12u1',
        status: 'install ok installed',
        priority: 'optional',
        section: 'utils',
        size: 120,
      },
      {
        name: 'beta',
        version: '0.9',
        revision: '',
        status: 'deinstall ok config-files',
        priority: 'extra',
        section: 'admin',
        size: 8,
      },
      {
        name: 'delta',
        version: '3.1-3',
        revision: '3',
        status: 'install ok installed',
        priority: 'important',
        section: 'net',
        size: 42,
      },
    ]);
  });

  it('types the columns as the schema says', async () => {
    const [r] = await query("SELECT typeof(size) s, typeof(name) n FROM deb_packages WHERE name = 'dpkg'");
    assert.deepEqual(r, { s: 'integer', n: 'text' });
  });
});

describe('deb_package_files', () => {
  it('gives the paths dpkg -L lists for a package', async () => {
    for (const pkg of ['dpkg', 'adduser', 'tar']) {
      const expected = run('dpkg', ['-L', pkg])
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('diverted by') && !l.startsWith('package diverts'));
      const rows = await query(`SELECT path FROM deb_package_files WHERE package = '${pkg}'`);
      assert.deepEqual(
        rows.map((r) => r.path),
        expected,
        pkg,
      );
    }
  });

  it('reads the .list files of another admindir', async () => {
    const dir = fixture('deb_packages/admindir');
    const rows = await query(`SELECT package, path FROM deb_package_files WHERE admindir = '${dir}'`);
    const expected = ['alpha', 'beta'].flatMap((p) =>
      run('dpkg-query', [`--admindir=${dir}`, '-L', p])
        .split('\n')
        .filter(Boolean)
        .map((path) => ({ package: p, path })),
    );
    assert.deepEqual(rows, expected);
  });
});
