// apt_sources against `apt-cache policy` for this host's sources, and against
// fixture sources (test/fixtures/apt_sources: one-line .list and deb822 .sources
// entries plus a Release file) copied for the test into /etc/apt/sources.list.d
// and /var/lib/apt/lists under unique names, and removed afterwards.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseDeb822File, parseSourcesList } from '../../../core/src/tables/packages/apt_sources.ts';
import { query } from '../../helpers/sql.ts';
import { fixture, run } from './helpers.ts';

const tag = `osqtest${process.pid}`;
const listFile = `/etc/apt/sources.list.d/${tag}.list`;
const sourcesFile = `/etc/apt/sources.list.d/${tag}.sources`;
// apt's list file names: the URI without scheme, '/' as '_', then dists_<suite>_InRelease.
const releaseFiles = [
  '/var/lib/apt/lists/osq-test.invalid_debian_dists_osqsuite_InRelease',
  '/var/lib/apt/lists/osq-test.invalid_deb822_dists_osqsuite-updates_InRelease',
  // apt names a flat repository's file osq-test.invalid_flat_._InRelease, but
  // osquery looks for <host>_dists_._*Release, so flat repositories give no row.
  '/var/lib/apt/lists/osq-test.invalid_flat_._InRelease',
];

before(() => {
  copyFileSync(fixture('apt_sources/osq-test.list'), listFile);
  copyFileSync(fixture('apt_sources/osq-test.sources'), sourcesFile);
  for (const f of releaseFiles) copyFileSync(fixture('apt_sources/InRelease'), f);
});
after(() => {
  for (const f of [listFile, sourcesFile, ...releaseFiles]) rmSync(f, { force: true });
});

/** `apt-cache policy` release lines keyed by "<uri> <suite>". */
function policy(): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const lines = run('apt-cache', ['policy']).split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^\s*\d+\s+(\S+:\/\/\S+)\s+([^/\s]+)\//.exec(lines[i] as string);
    const rel = /^\s*release\s+(.*)$/.exec(lines[i + 1] as string);
    if (!m || !rel) continue;
    const fields = Object.fromEntries(
      (rel[1] as string).split(',').map((kv) => kv.split('=', 2) as [string, string]),
    );
    out.set(`${(m[1] as string).replace(/\/+$/, '')} ${m[2]}`, fields);
  }
  return out;
}

describe('apt_sources', () => {
  it("matches apt-cache policy's releases for the host's sources", async () => {
    const expected = policy();
    const rows = await query(
      "SELECT base_uri, name, release, version, maintainer FROM apt_sources WHERE base_uri NOT LIKE '%osq-test.invalid%'",
    );
    assert.ok(rows.length > 0, 'this host has apt sources with downloaded lists');
    for (const r of rows) {
      const suite = String(r.name).split(' ')[1];
      const e = expected.get(`${r.base_uri} ${suite}`);
      assert.ok(e, `apt-cache policy knows ${r.base_uri} ${suite}`);
      assert.equal(r.release, e.n);
      assert.equal(r.version, e.v);
      assert.equal(r.maintainer, e.o);
    }
  });

  it('reads one-line and deb822 entries that have a Release file', async () => {
    const rows = await query("SELECT * FROM apt_sources WHERE base_uri LIKE '%osq-test.invalid%'");
    const release = {
      release: 'osqcodename',
      version: '1.2',
      maintainer: 'OsqTest',
      components: 'main contrib',
      architectures: 'amd64 arm64',
    };
    assert.deepEqual(rows, [
      {
        name: 'osq-test.invalid/debian osqsuite',
        source: listFile,
        base_uri: 'http://osq-test.invalid/debian',
        ...release,
      },
      {
        name: 'osq-test.invalid/deb822 osqsuite-updates',
        source: sourcesFile,
        base_uri: 'http://osq-test.invalid/deb822',
        ...release,
      },
    ]);
  });

  it('parses entries without Release files too (deb-src, disabled and commented ones skipped)', () => {
    const list = parseSourcesList(readFileSync(fixture('apt_sources/osq-test.list'), 'utf8'));
    assert.deepEqual(
      list.map((s) => s.name),
      ['osq-test.invalid/debian osqsuite', 'osq-test.invalid/flat ./'],
    );
    const deb822 = parseDeb822File(readFileSync(fixture('apt_sources/osq-test.sources'), 'utf8'));
    assert.deepEqual(
      deb822.map((s) => s.name),
      ['osq-test.invalid/deb822 osqsuite', 'osq-test.invalid/deb822 osqsuite-updates'],
    );
  });
});
