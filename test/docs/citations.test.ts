// The repository explains itself: no file in the source, scripts, tests or docs refers to a
// document outside the repository, and every `docs/<file>.md#<heading>` citation (and every
// link between the docs pages) names a page and a heading that exist, and every repository path
// the docs and the README name exists, so the pages follow the code as it moves. Headings become
// anchors the way GitHub makes them (docs/README.md). Reads the files git lists.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Folders whose files must follow the rule (generated code and data left out below). */
const SCANNED = ['core/', 'sdk/', 'idl/', 'extensions/', 'scripts/', 'test/', 'docs/', '.ci/'];
const SKIPPED = ['test/fixtures/', 'core/schema/', 'idl/gen/'];
const TEXT = /\.(ts|mts|mjs|cjs|js|c|h|py|go|sh|thrift|gyp|md|txt)$|(^|\/)run$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  });
  return out
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repo, f)))
    .filter((f) => f === 'README.md' || SCANNED.some((d) => f.startsWith(d)))
    .filter((f) => !SKIPPED.some((d) => f.startsWith(d)) && TEXT.test(f));
}

// The outside documents, spelt in pieces so this file does not match itself.
const OUTSIDE: { what: string; re: RegExp }[] = [
  { what: 'the shared folder', re: new RegExp(['\\.\\.', 'shared'].join('/')) },
  { what: 'the shared folder', re: new RegExp(['', 'work', 'shared'].join('/')) },
  { what: 'a spec document', re: new RegExp(`\\b${'spec'}/`) },
  { what: 'a design document', re: new RegExp(`\\b${'design'}/`) },
  ...[
    ['extensions', 'protocol'],
    ['config', 'and', 'logging'],
    ['daemon', 'and', 'events'],
  ].map((parts) => ({
    what: `the reference ${parts.join('-')}.md`,
    re: new RegExp(`\\b${parts.join('-')}(\\.md)?\\b`),
  })),
  // A section sign (U+00A7) numbers a section of some document; unless the line names a
  // public standard (the UEFI Specification, an RFC), the reader cannot open it.
  { what: 'a numbered section', re: /^(?!.*\b(UEFI|RFC)\b).*\u00a7/ },
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a markdown page, with GitHub's -1, -2 suffixes for repeated headings. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const pages = new Map<string, Set<string> | null>();
function pageAnchors(page: string): Set<string> | null {
  if (!pages.has(page)) {
    const path = join(repo, 'docs', page);
    pages.set(page, existsSync(path) ? anchors(readFileSync(path, 'utf8')) : null);
  }
  return pages.get(page) as Set<string> | null;
}

/** Why a citation of `page` (and `anchor`, if any) does not resolve, or null when it does. */
function unresolved(page: string, anchor: string | undefined): string | null {
  const found = pageAnchors(page);
  if (found === null) return `docs/${page} does not exist`;
  if (anchor !== undefined && !found.has(anchor)) return `docs/${page} has no heading #${anchor}`;
  return null;
}

describe('the repository explains itself', () => {
  const files = trackedFiles();

  it('scans the source, scripts, tests and docs', () => {
    for (const f of [
      'core/src/scheduler/scheduler.ts',
      'sdk/src/server.ts',
      'idl/osquery.thrift',
      'docs/README.md',
    ])
      assert.ok(files.includes(f), `${f} is scanned`);
    assert.ok(!files.some((f) => f.startsWith('idl/gen/')), 'generated code is left out');
  });

  it('refers to no document outside the repository', () => {
    const problems: string[] = [];
    for (const f of files) {
      readFileSync(join(repo, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const o of OUTSIDE) {
            if (o.re.test(line)) {
              problems.push(`${f}:${i + 1}: refers to ${o.what} outside the repository: ${line.trim()}`);
            }
          }
        });
    }
    assert.deepEqual(problems, [], `cite docs/<file>.md#<heading> instead:\n${problems.join('\n')}`);
  });

  it('cites only docs pages and headings that exist', () => {
    const problems: string[] = [];
    let citations = 0;
    for (const f of files) {
      readFileSync(join(repo, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\bdocs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
            citations++;
            const why = unresolved(m[1] as string, m[2]);
            if (why) problems.push(`${f}:${i + 1}: ${m[0]}: ${why}`);
          }
        });
    }
    assert.ok(citations >= 20, `found only ${citations} docs/ citations`);
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('links between docs pages resolve', () => {
    const problems: string[] = [];
    for (const f of files.filter((p) => /^docs\/[^/]+\.md$/.test(p))) {
      const self = f.slice('docs/'.length);
      readFileSync(join(repo, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\]\(([\w.-]+\.md)?(?:#([\w-]+))?\)/g)) {
            if (m[1] === undefined && m[2] === undefined) continue;
            const why = unresolved(m[1] ?? self, m[2]);
            if (why) problems.push(`${f}:${i + 1}: ${m[0]}: ${why}`);
          }
        });
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('names only repository paths that exist', () => {
    const problems: string[] = [];
    for (const f of files.filter((p) => p === 'README.md' || /^docs\/[^/]+\.md$/.test(p))) {
      readFileSync(join(repo, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/`((?:core|sdk|idl|extensions|scripts|test|docs)\/[\w./-]+)`/g)) {
            const path = (m[1] as string).replace(/\/$/, '');
            if (!existsSync(join(repo, path))) problems.push(`${f}:${i + 1}: ${path} does not exist`);
          }
        });
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('makes anchors as GitHub does', () => {
    assert.equal(slug('The `context` JSON'), 'the-context-json');
    assert.equal(slug("Calls on the core's own plugins"), 'calls-on-the-cores-own-plugins');
    assert.equal(slug('Where osq differs: atomic refresh'), 'where-osq-differs-atomic-refresh');
    assert.equal(slug('query and getQueryColumns'), 'query-and-getquerycolumns');
    assert.deepEqual([...anchors('# A\n## B\n```\n## not a heading\n```\n## B\n')], ['a', 'b', 'b-1']);
  });
});
