// yum_sources on a fixture root (test/fixtures/yum_sources, served through
// OSQ_YUM_ROOT) compared with Python's configparser reading the same files;
// this Debian host has no yum configuration of its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { query } from '../../helpers/sql.ts';
import { fixture } from './helpers.ts';

const root = fixture('yum_sources').replace(/\/$/, '');
before(() => {
  process.env.OSQ_YUM_ROOT = root;
});
after(() => {
  delete process.env.OSQ_YUM_ROOT;
});

const KEYS = ['name', 'baseurl', 'mirrorlist', 'metalink', 'enabled', 'gpgcheck', 'gpgkey'];

/** Rows as configparser sees the given files (sections other than [main]). */
function configparserRows(files: [string, string][]): Record<string, string | null>[] {
  const script =
    'import configparser, json, sys\n' +
    'out = []\n' +
    'for source, path in json.loads(sys.argv[1]):\n' +
    '    c = configparser.ConfigParser(interpolation=None)\n' +
    '    c.optionxform = str\n' +
    '    c.read(path)\n' +
    '    for s in c.sections():\n' +
    '        if s == "main": continue\n' +
    '        row = {"source": source}\n' +
    `        for k in ${JSON.stringify(KEYS)}: row[k] = c[s].get(k)\n` +
    '        out.append(row)\n' +
    'print(json.dumps(out))\n';
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(files)], { encoding: 'utf8' }),
  );
}

describe('yum_sources', () => {
  it('lists the repositories configparser reads from yum.conf and *.repo', async () => {
    const rows = await query(`SELECT source, ${KEYS.join(', ')} FROM yum_sources`);
    const expected = configparserRows([
      ['/etc/yum.conf', `${root}/etc/yum.conf`],
      [`/etc/yum.repos.d/rocky.repo`, `${root}/etc/yum.repos.d/rocky.repo`],
    ]);
    assert.equal(expected.length, 3);
    assert.deepEqual(rows, expected);
  });

  it('skips a file that is not valid INI for boost (continuation line)', async () => {
    const rows = await query("SELECT * FROM yum_sources WHERE name = 'Broken'");
    assert.deepEqual(rows, []);
  });
});
