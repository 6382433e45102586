// magic, augeas, yara_file and yara_process (our Node-API modules over libmagic,
// libaugeas and libyara) against Debian's CLI tools: file, augtool, yara.
// Needs: libmagic-dev, libaugeas-dev, libyara-dev (to build core/native-libs),
// augeas-tools + augeas-lenses, yara, gzip.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { query } from '../../helpers/sql.ts';
import { run, sh, waitFor } from '../system/tools.ts';

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

describe('forensics tables over native libraries', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osq-forensics-'));
    writeFileSync(join(dir, 'plain.txt'), 'hello osq\n');
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
    writeFileSync(join(dir, 'page.html'), '<!DOCTYPE html>\n<html><body>x</body></html>\n');
    sh(`gzip -c ${join(dir, 'plain.txt')} > ${join(dir, 'plain.gz')}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('magic matches file -b, --mime-type and --mime-encoding', async () => {
    const paths = [
      '/bin/bash',
      ...['plain.txt', 'empty', 'latin1.txt', 'page.html', 'plain.gz', 'missing'].map((f) => join(dir, f)),
    ];
    const rows = await query(`SELECT * FROM magic WHERE path IN (${paths.map(sqlText).join(',')})`);
    assert.equal(rows.length, paths.length);
    for (const path of paths) {
      const row = rows.find((r) => r.path === path);
      assert.ok(row, path);
      const file = (flags: string[]) => run('file', ['-b', ...flags, path]).trimEnd();
      assert.equal(row.data, file([]), `data of ${path}`);
      assert.equal(row.mime_type, file(['--mime-type']), `mime_type of ${path}`);
      assert.equal(row.mime_encoding, file(['--mime-encoding']), `mime_encoding of ${path}`);
      assert.equal(row.magic_db_files, '/usr/share/file/magic.mgc:/usr/share/misc/magic.mgc');
    }
    // Without a path there is nothing to identify (path is required).
    const custom = await query(
      `SELECT data, magic_db_files FROM magic WHERE path = '/bin/bash' AND magic_db_files = '/usr/share/misc/magic.mgc'`,
    );
    assert.equal(custom[0]?.magic_db_files, '/usr/share/misc/magic.mgc');
    assert.equal(custom[0]?.data, run('file', ['-b', '/bin/bash']).trimEnd());
    assert.deepEqual(
      await query(`SELECT * FROM magic WHERE path = '/bin/bash' AND magic_db_files = '/nonexistent.mgc'`),
      [],
    );
  });

  /** augtool's `print` of a tree: node -> value ('' when it has none). */
  function augtoolPrint(expr: string): Map<string, string> {
    const out = run('augtool', ['-S', '-I', '/usr/share/augeas/lenses/dist', 'print', expr]);
    const nodes = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^(\S+?)(?: = "(.*)")?$/.exec(line);
      if (m?.[1]) nodes.set(m[1], m[2] ?? '');
    }
    return nodes;
  }

  for (const file of ['/etc/hosts', '/etc/passwd', '/etc/fstab']) {
    test(`augeas nodes of ${file} match augtool print`, async () => {
      const rows = await query(`SELECT node, value, label, path FROM augeas WHERE path = ${sqlText(file)}`);
      const expected = augtoolPrint(`/files${file}`);
      assert.ok(expected.size > 1, `augtool sees ${file}`);
      assert.equal(rows.length, expected.size);
      for (const r of rows) {
        assert.ok(expected.has(String(r.node)), `unexpected node ${r.node}`);
        assert.equal(r.value, expected.get(String(r.node)));
        assert.equal(r.path, file);
        assert.equal(
          r.label,
          String(r.node)
            .split('/')
            .pop()
            ?.replace(/\[\d+\]$/, ''),
        );
      }
    });
  }

  test('augeas node constraint and the configurations alias', async () => {
    // The engine re-checks `node =` on each row, so (as in osquery) only exact node
    // names are useful; each is matched by augeas as an expression.
    const expected = augtoolPrint('/files/etc/hosts/*/ipaddr');
    assert.ok(expected.size > 0);
    const list = [...expected.keys()].map(sqlText).join(',');
    const byNode = await query(`SELECT node, value, label FROM configurations WHERE node IN (${list})`);
    assert.equal(byNode.length, expected.size);
    for (const r of byNode) {
      assert.equal(r.value, expected.get(String(r.node)));
      assert.equal(r.label, 'ipaddr');
    }
  });

  describe('yara', () => {
    let rules: string;
    let target: string;
    let scanDir: string;
    before(() => {
      rules = join(dir, 'rules.yar');
      writeFileSync(
        rules,
        [
          'rule has_marker : tagA tagB { strings: $a = "osq-yara-marker" $b = "second" condition: $a or $b }',
          'rule never { strings: $x = "not-in-there-at-all" condition: $x }',
          'rule has_second { strings: $s = "second" condition: $s }',
        ].join('\n'),
      );
      target = join(dir, 'target.bin');
      writeFileSync(target, 'xx osq-yara-marker yy second zz osq-yara-marker\n');
      scanDir = join(dir, 'scan');
      mkdirSync(scanDir);
      writeFileSync(join(scanDir, 'one'), 'osq-yara-marker\n');
      writeFileSync(join(scanDir, 'two'), 'nothing here\n');
      mkdirSync(join(scanDir, 'sub'));
    });

    /** yara -f -s -g (fast mode, as osquery scans): rules with tags, then each string match as 0xOFFSET:$id: data. */
    function yaraCli(ruleFile: string, targetArg: string) {
      const out = run('yara', ['-f', '-s', '-g', ruleFile, targetArg]);
      const matches: string[] = [];
      const tags: string[] = [];
      const strings: string[] = [];
      for (const line of out.split('\n')) {
        const rule = /^(\w+) \[([^\]]*)\] /.exec(line);
        if (rule) {
          matches.push(rule[1] as string);
          if (rule[2]) tags.push(...(rule[2] as string).split(','));
          continue;
        }
        const s = /^0x([0-9a-f]+):(\$\w+):/.exec(line);
        if (s) strings.push(`${s[2]}:${s[1]}`);
      }
      return {
        matches: matches.join(','),
        count: matches.length,
        tags: tags.join(','),
        strings: strings.join(','),
      };
    }

    test('yara_file with sigfile matches the yara CLI', async () => {
      const rows = await query(
        `SELECT path, matches, count, tags, strings, sigfile, sig_group FROM yara_file WHERE path = ${sqlText(target)} AND sigfile = ${sqlText(rules)}`,
      );
      assert.equal(rows.length, 1);
      const cli = yaraCli(rules, target);
      assert.ok(cli.count >= 2);
      assert.deepEqual(
        { matches: rows[0]?.matches, count: rows[0]?.count, tags: rows[0]?.tags, strings: rows[0]?.strings },
        cli,
      );
      assert.equal(rows[0]?.sigfile, rules);
      assert.equal(rows[0]?.sig_group, '');
    });

    test('yara_file with sigrule hides the first string of each rule, like a private string', async () => {
      const rule = 'rule r : t1 { strings: $a = "osq-yara-marker" $b = "second" condition: $a and $b }';
      const rows = await query(
        `SELECT matches, count, tags, strings, sigrule FROM yara_file WHERE path = ${sqlText(target)} AND sigrule = ${sqlText(rule)}`,
      );
      const privateRule = join(dir, 'private.yar');
      writeFileSync(privateRule, rule.replace('$a = "osq-yara-marker"', '$a = "osq-yara-marker" private'));
      const cli = yaraCli(privateRule, target);
      assert.equal(rows.length, 1);
      assert.deepEqual(
        { matches: rows[0]?.matches, count: rows[0]?.count, tags: rows[0]?.tags, strings: rows[0]?.strings },
        cli,
      );
      assert.equal(rows[0]?.sigrule, rule);
    });

    test('yara_file expands LIKE paths to readable regular files', async () => {
      const rows = await query(
        `SELECT path, matches, count FROM yara_file WHERE path LIKE ${sqlText(`${scanDir}/%`)} AND sigfile = ${sqlText(rules)}`,
      );
      const files = run('find', [scanDir, '-maxdepth', '1', '-type', 'f']).trim().split('\n').sort();
      assert.deepEqual(
        rows.map((r) => r.path),
        files,
      );
      for (const r of rows) assert.equal(r.matches, yaraCli(rules, String(r.path)).matches);
      // No signature at all: nothing is scanned.
      assert.deepEqual(await query(`SELECT * FROM yara_file WHERE path = ${sqlText(target)}`), []);
    });

    test('yara_process scans a process memory like the yara CLI', async () => {
      const child = spawn('sleep', ['60'], {
        env: { OSQ_MARKER: 'osq-yara-marker-in-env' },
        stdio: 'ignore',
      });
      try {
        await waitFor(() => run('cat', [`/proc/${child.pid}/comm`]).trim() === 'sleep');
        const rows = await query(
          `SELECT pid, matches, count, tags FROM yara_process WHERE pid = ${child.pid} AND sigfile = ${sqlText(rules)}`,
        );
        const cli = yaraCli(rules, String(child.pid));
        assert.ok(cli.matches.includes('has_marker'));
        assert.equal(rows.length, 1);
        assert.deepEqual(
          { matches: rows[0]?.matches, count: rows[0]?.count, tags: rows[0]?.tags },
          {
            matches: cli.matches,
            count: cli.count,
            tags: cli.tags,
          },
        );
      } finally {
        child.kill();
      }
    });
  });
});
