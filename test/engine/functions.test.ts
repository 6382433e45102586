// osquery's extra SQL functions (docs/architecture.md#sql-functions-and-the-authorizer), through the real
// engine. Expected values are osquery's documented behaviour (docs/wiki/introduction/sql.md
// and osquery/sql/tests/sql.cpp), case by case.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { query, queryError } from '../helpers/sql.js';

/** The single value of `SELECT <expr>`. */
async function value(expr: string): Promise<unknown> {
  const rows = await query(`SELECT ${expr} AS v`);
  assert.equal(rows.length, 1);
  return rows[0]?.v;
}

async function sqlTypeOf(expr: string): Promise<unknown> {
  return value(`typeof(${expr})`);
}

/** SQL string literal. */
function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

describe('split', () => {
  test('splits on any of the characters, drops empty pieces, trims, 0-based', async () => {
    assert.equal(await value(`split('a, b,,c', ',', 2)`), 'c');
    assert.equal(await value(`split('a, b,,c', ',', 1)`), 'b');
    assert.equal(await value(`split('192.168.0.1', '.', 1)`), '168');
    // Each character of the token splits: '.0' splits on '.' and on '0'.
    assert.equal(await value(`split('192.168.0.1', '.0', 0)`), '192');
    assert.equal(await value(`split('192.168.0.1', '.0', 1)`), '168');
    assert.equal(await value(`split('192.168.0.1', '.0', 2)`), '1');
    // The docs' example: split(uid, 1, 0) on 1001 gives '00'.
    assert.equal(await value(`split(1001, 1, 0)`), '00');
    assert.equal(await value(`split(500, 1, 0)`), '500');
  });

  test('empty pieces are dropped before trimming, so a blank piece stays as ""', async () => {
    assert.equal(await value(`split('a, ,b', ',', 1)`), '');
    assert.equal(await value(`split('a, ,b', ',', 2)`), 'b');
  });

  test('NULL in or index out of range gives NULL', async () => {
    assert.equal(await value(`split(NULL, ',', 0)`), null);
    assert.equal(await value(`split('a,b', NULL, 0)`), null);
    assert.equal(await value(`split('a,b', ',', NULL)`), null);
    assert.equal(await value(`split('a,b', ',', 2)`), null);
    assert.equal(await value(`split('a,b', ',', -1)`), null);
  });

  test('an empty token is an error', async () => {
    assert.equal(await queryError(`SELECT split('a,b', '', 0)`), 'Invalid input to split function');
  });
});

describe('regex_split', () => {
  test('keeps empty pieces between matches and a leading empty piece', async () => {
    assert.equal(await value(`regex_split('/foo/bar', '/', 0)`), '');
    assert.equal(await value(`regex_split('/foo/bar', '/', 1)`), 'foo');
    assert.equal(await value(`regex_split('/foo/bar', '/', 2)`), 'bar');
    assert.equal(await value(`regex_split('/foo/bar', '/', 3)`), null);
    assert.equal(await value(`regex_split('a//b', '/', 1)`), '');
  });

  test('multi-character and grouped patterns (groups are not returned as pieces)', async () => {
    assert.equal(await value(`regex_split('foo;;bar', ';;', 1)`), 'bar');
    assert.equal(await value(`regex_split('foo;;bar', ';;', 2)`), null);
    assert.equal(await value(`regex_split('foo;bar//qux', '(;|/)+', 2)`), 'qux');
    assert.equal(await value(`regex_split('foo;bar//qux', '(;|/)+', 3)`), null);
    assert.equal(
      await value(`regex_split('/filesystem/path/download.extension.zip', '(.*/)|(.extension.zip)', 1)`),
      'download',
    );
    assert.equal(await value(`regex_split('192.168.0.1', '\\.0', 0)`), '192.168');
  });

  test('a pattern that matches the empty string', async () => {
    // std::regex treats '|' as two empty alternatives: the first piece is ''.
    assert.equal(await value(`regex_split('foo/bar', '|', 0)`), '');
    assert.equal(await value(`regex_split('foo/bar', '|', 1)`), 'f');
  });

  test('errors: empty, invalid, longer than 256 bytes', async () => {
    assert.equal(await queryError(`SELECT regex_split('foo/bar', '', 0)`), 'Invalid input to split function');
    assert.equal(await queryError(`SELECT regex_split('foo/bar', '(/', 0)`), 'Invalid regex');
    assert.equal(await queryError(`SELECT regex_split('foo/bar', '+', 0)`), 'Invalid regex');
    assert.equal(
      await queryError(`SELECT regex_split('foo/bar', ${lit('|'.repeat(257))}, 0)`),
      'Invalid regex',
    );
    // Exactly 256 bytes is still accepted: a character class of 254 slashes.
    assert.equal(await value(`regex_split('foo/bar', ${lit(`[${'/'.repeat(254)}]`)}, 1)`), 'bar');
  });
});

describe('regex_match', () => {
  test('index 0 is the whole match, 1.. the groups', async () => {
    const subject = `'hello world. Goodbye'`;
    assert.equal(await value(`regex_match(${subject}, '(\\w+) \\w+', 0)`), 'hello world');
    assert.equal(await value(`regex_match(${subject}, '(\\w+) \\w+', 1)`), 'hello');
    assert.equal(await value(`regex_match(${subject}, '(\\w+) \\w+', 2)`), null);
  });

  test('searches anywhere in the text; an unmatched group is an empty string', async () => {
    assert.equal(await value(`regex_match('pid=1234;', '[0-9]+', 0)`), '1234');
    assert.equal(await value(`regex_match('ab', 'a(x)?b', 1)`), '');
    assert.equal(await value(`regex_match('abc', 'z', 0)`), null);
    assert.equal(await value(`regex_match(NULL, 'a', 0)`), null);
  });

  test('errors: invalid pattern, pattern longer than 256 bytes', async () => {
    assert.equal(await queryError(`SELECT regex_match('a', '(', 0)`), 'Invalid regex');
    assert.equal(
      await queryError(`SELECT regex_match('a', ${lit('a'.repeat(257))}, 0)`),
      'Invalid regex: too big, max size is 256 bytes',
    );
    assert.equal(
      await value(`regex_match(${lit('a'.repeat(256))}, ${lit('a'.repeat(256))}, 0)`),
      'a'.repeat(256),
    );
  });
});

describe('concat and concat_ws', () => {
  test('concat joins non-NULL arguments as text', async () => {
    assert.equal(await value(`concat()`), null);
    assert.equal(await value(`concat('hello')`), 'hello');
    assert.equal(await value(`concat('hello', NULL, ' ', 'world')`), 'hello world');
    assert.equal(await value(`concat(1, 2, 3, 'go')`), '123go');
    assert.equal(await value(`concat(1.0, 2.5)`), '1.02.5');
    assert.equal(await value(`concat('')`), '');
  });

  test('concat_ws puts the separator after each non-NULL argument that is not the last', async () => {
    assert.equal(await value(`concat_ws(', ', 'hello', 'world', 1, 2, 3)`), 'hello, world, 1, 2, 3');
    assert.equal(await value(`concat_ws('', 'hello', 'world', 1, 2, 3)`), 'helloworld123');
    assert.equal(await value(`concat_ws(NULL, 'hello', 'world', 1, 2, 3)`), 'helloworld123');
    assert.equal(await value(`concat_ws(' ', 'hello', NULL, 'world')`), 'hello world');
    assert.equal(await value(`concat_ws('x', 'hello')`), 'hello');
    assert.equal(await value(`concat_ws('x', '', '')`), 'x');
    // The quirk: a trailing NULL leaves a trailing separator.
    assert.equal(await value(`concat_ws(',', 'a', NULL)`), 'a,');
    assert.equal(await value(`concat_ws('')`), null);
    assert.equal(await value(`concat_ws(NULL)`), null);
  });

  test('concat_ws needs a separator', async () => {
    assert.equal(await queryError(`SELECT concat_ws()`), 'Missing separator to concat_ws');
  });
});

describe('inet_aton', () => {
  test('dotted IPv4 to integer', async () => {
    assert.equal(await value(`inet_aton('1.2.3.4')`), 16909060);
    assert.equal(await value(`inet_aton('1.0.1.5')`), 16777477);
    assert.equal(await value(`inet_aton('255.255.255.255')`), 4294967295);
    assert.equal(await sqlTypeOf(`inet_aton('1.2.3.4')`), 'integer');
  });

  test('NULL for IPv6, invalid text and NULL', async () => {
    for (const bad of [
      `'::1'`,
      `'::ffff:1.2.3.4'`,
      `'1.2.3'`,
      `'1.2.3.256'`,
      `'01.2.3.4'`,
      `'a.b.c.d'`,
      'NULL',
    ]) {
      assert.equal(await value(`inet_aton(${bad})`), null, bad);
    }
  });
});

describe('base64', () => {
  test('to_base64 agrees with coreutils base64', async () => {
    for (const s of ['CPU0', '', 'a', 'ab', 'abc', 'héllo wörld', 'x'.repeat(100)]) {
      const expected = execFileSync('base64', ['-w0'], { input: s }).toString();
      assert.equal(await value(`to_base64(${lit(s)})`), expected, s);
    }
    assert.equal(await value(`to_base64(x'00ff10')`), 'AP8Q');
    assert.equal(await value(`to_base64(NULL)`), null);
  });

  test('from_base64 round-trips to_base64', async () => {
    for (const s of ['CPU0', 'a', 'ab', 'abc', 'héllo wörld', 'line\nbreak']) {
      assert.equal(await value(`from_base64(to_base64(${lit(s)}))`), s, s);
    }
    assert.equal(await value(`from_base64('Q1BVMA==')`), 'CPU0');
  });

  test('from_base64: padding optional, line breaks ignored, invalid input gives ""', async () => {
    assert.equal(await value(`from_base64('Q1BVMA')`), 'CPU0');
    assert.equal(await value(`from_base64('Q1BV' || char(10) || 'MA==')`), 'CPU0');
    assert.equal(await value(`from_base64('!!!!')`), '');
    assert.equal(await value(`from_base64('Q1B VMA==')`), '');
    assert.equal(await value(`from_base64('Q1BVM')`), '');
    assert.equal(await value(`from_base64('')`), '');
    assert.equal(await value(`from_base64(NULL)`), null);
  });

  test('conditional_to_base64 encodes only non-printable text', async () => {
    assert.equal(await value(`conditional_to_base64('CPU0')`), 'CPU0');
    const expected = execFileSync('base64', ['-w0'], { input: 'CPU0\u00b7' }).toString();
    assert.equal(await value(`conditional_to_base64('CPU0' || char(183))`), expected);
    assert.equal(await value(`conditional_to_base64('tab' || char(9))`), 'dGFiCQ==');
    assert.equal(await value(`conditional_to_base64(NULL)`), null);
  });
});

describe('in_cidr_block', () => {
  test('documented examples', async () => {
    assert.equal(await value(`in_cidr_block('10.0.0.0/26', '10.0.0.24')`), 1);
    assert.equal(await value(`in_cidr_block('10.0.0.0/26', '10.0.0.64')`), 0);
    assert.equal(await value(`in_cidr_block('2001:db8::/48', '2001:db8:0:ffff:ffff:ffff:ffff:ffff')`), 1);
    assert.equal(await value(`in_cidr_block('2001:db8::/48', '2001:db8:1::')`), 0);
    assert.equal(await sqlTypeOf(`in_cidr_block('10.0.0.0/8', '10.1.2.3')`), 'integer');
  });

  test('IPv4 uses the host range: network and broadcast addresses are outside', async () => {
    assert.equal(await value(`in_cidr_block('192.168.1.0/24', '192.168.1.0')`), 0);
    assert.equal(await value(`in_cidr_block('192.168.1.0/24', '192.168.1.1')`), 1);
    assert.equal(await value(`in_cidr_block('192.168.1.0/24', '192.168.1.254')`), 1);
    assert.equal(await value(`in_cidr_block('192.168.1.0/24', '192.168.1.255')`), 0);
    assert.equal(await value(`in_cidr_block('192.168.1.77/24', '192.168.1.5')`), 1);
    assert.equal(await value(`in_cidr_block('10.0.0.0/30', '10.0.0.1')`), 1);
    assert.equal(await value(`in_cidr_block('10.0.0.0/30', '10.0.0.3')`), 0);
    // /31 has no hosts in boost's sense; /32 is the address itself.
    assert.equal(await value(`in_cidr_block('10.0.0.0/31', '10.0.0.0')`), 0);
    assert.equal(await value(`in_cidr_block('10.0.0.0/31', '10.0.0.1')`), 0);
    assert.equal(await value(`in_cidr_block('10.0.0.7/32', '10.0.0.7')`), 1);
    assert.equal(await value(`in_cidr_block('10.0.0.7/32', '10.0.0.8')`), 0);
  });

  test('IPv6 includes the first and last addresses', async () => {
    assert.equal(await value(`in_cidr_block('2001:db8::/64', '2001:db8::')`), 1);
    assert.equal(await value(`in_cidr_block('2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff')`), 1);
    assert.equal(await value(`in_cidr_block('fe80::/10', 'fe80::1%eth0')`), 1);
  });

  test('errors for non-text or unparsable input', async () => {
    assert.equal(await queryError(`SELECT in_cidr_block(1, '1.1.1.1')`), 'CIDR must be a string');
    assert.equal(await queryError(`SELECT in_cidr_block('1.0.0.0/8', 1)`), 'IP address must be a string');
    assert.equal(await queryError(`SELECT in_cidr_block('1.0.0.0/8', NULL)`), 'IP address must be a string');
    assert.equal(await queryError(`SELECT in_cidr_block('1.0.0.0/8', 'x')`), 'IP address cannot be parsed');
    for (const cidr of ['1.0.0.0', '1.0.0.0/', '1.0.0.0/33', '1.0.0/8', '::/8']) {
      assert.equal(
        await queryError(`SELECT in_cidr_block('${cidr}', '1.2.3.4')`),
        'CIDR for IP address v4 cannot be parsed',
        cidr,
      );
    }
    assert.equal(
      await queryError(`SELECT in_cidr_block('10.0.0.0/8', '::1')`),
      'CIDR for IP address v6 cannot be parsed',
    );
  });
});

describe('math', () => {
  test('C math functions with double results (osquery docs examples)', async () => {
    const close = (a: unknown, b: number) => assert.ok(Math.abs((a as number) - b) < 1e-12, `${a} vs ${b}`);
    close(await value('sin(30)'), -0.988031624092862);
    close(await value('cos(30)'), 0.154251449887584);
    close(await value('tan(30)'), -6.40533119664628);
    close(await value('cot(30)'), -0.156119952161659);
    close(await value('asin(.5)'), 0.523598775598299);
    close(await value('acos(.5)'), 1.0471975511966);
    close(await value('atan(.5)'), 0.463647609000806);
    close(await value('radians(60)'), 1.0471975511966);
    close(await value('degrees(1.3)'), 74.484513367007);
    assert.equal(await value('sqrt(16)'), 4);
    assert.equal(await sqlTypeOf('sqrt(16)'), 'real');
    close(await value('exp(1)'), Math.E);
    assert.equal(await value('power(2, 10)'), 1024);
    assert.equal(await sqlTypeOf('power(2, 10)'), 'real');
    assert.equal(await value('pi()'), Math.PI);
  });

  test('log is the natural logarithm (not SQLite built-in base 10)', async () => {
    assert.equal(await value('log(1)'), 0);
    assert.ok(Math.abs(((await value('log(100)')) as number) - Math.log(100)) < 1e-12);
    assert.equal(await value('log10(1000)'), 3);
  });

  test('ceil and floor return integers; integers pass through', async () => {
    assert.equal(await value('ceil(1.2)'), 2);
    assert.equal(await sqlTypeOf('ceil(1.2)'), 'integer');
    assert.equal(await value('floor(1.8)'), 1);
    assert.equal(await value('floor(-1.5)'), -2);
    assert.equal(await value('ceil(-1.5)'), -1);
    assert.equal(await value('ceil(107372805120)'), 107372805120);
    assert.equal(await sqlTypeOf('floor(7)'), 'integer');
    assert.equal(await value(`ceil('2.5')`), 3);
  });

  test('NULL in gives NULL out', async () => {
    for (const f of ['sqrt', 'sin', 'log', 'ceil', 'floor', 'degrees']) {
      assert.equal(await value(`${f}(NULL)`), null, f);
    }
    assert.equal(await value('power(NULL, 2)'), null);
  });

  test('domain and range errors fail the query with strerror text', async () => {
    assert.equal(await queryError('SELECT sqrt(-1)'), 'Numerical argument out of domain');
    assert.equal(await queryError('SELECT acos(2)'), 'Numerical argument out of domain');
    assert.equal(await queryError('SELECT log(-1)'), 'Numerical argument out of domain');
    assert.equal(await queryError('SELECT log(0)'), 'Numerical result out of range');
    assert.equal(await queryError('SELECT log10(0)'), 'Numerical result out of range');
    assert.equal(await queryError('SELECT power(-8, 0.5)'), 'Numerical argument out of domain');
    assert.equal(await queryError('SELECT power(0, -1)'), 'Numerical result out of range');
    assert.equal(await queryError('SELECT power(10, 400)'), 'Numerical result out of range');
  });
});

describe('path functions', () => {
  test('parent_directory', async () => {
    assert.equal(await value(`parent_directory('/usr/bin/ls')`), '/usr/bin');
    assert.equal(await value(`parent_directory('/usr/bin/')`), '/usr/bin');
    assert.equal(await value(`parent_directory('/ls')`), '');
    assert.equal(await value(`parent_directory('ls')`), null);
    assert.equal(
      await queryError(`SELECT parent_directory(1)`),
      'Invalid inputs to parent_directory, TEXT was expected',
    );
    assert.equal(
      await queryError(`SELECT parent_directory(NULL)`),
      'Invalid inputs to parent_directory, TEXT was expected',
    );
  });

  test('find_file_path_in_cmd and is_path_deterministic on real files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osq-fn-'));
    try {
      writeFileSync(join(dir, 'prog'), '');
      writeFileSync(join(dir, 'my prog'), '');
      writeFileSync(join(dir, 'a'), '');
      writeFileSync(join(dir, 'a b'), '');
      mkdirSync(join(dir, 'sub'));
      const prog = join(dir, 'prog');
      const spaced = join(dir, 'my prog');

      assert.equal(await value(`find_file_path_in_cmd(${lit(`  ${prog} --flag x`)})`), prog);
      // The first existing prefix wins, even when it contains a space.
      assert.equal(await value(`find_file_path_in_cmd(${lit(`${spaced} -v`)})`), spaced);
      // Quotes (when allowed) and escapes keep a space inside one word.
      assert.equal(await value(`find_file_path_in_cmd(${lit(`"${spaced}" -v`)}, 1)`), spaced);
      assert.equal(
        await value(`find_file_path_in_cmd(${lit(`${dir}/my\\ prog -v`)})`),
        spaced,
        'backslash escapes the space',
      );
      assert.equal(await value(`find_file_path_in_cmd(${lit(`${dir}/my^ prog -v`)}, 0, '^')`), spaced);
      // Directories and missing files do not count.
      assert.equal(await value(`find_file_path_in_cmd(${lit(`${join(dir, 'sub')} x`)})`), '');
      assert.equal(await value(`find_file_path_in_cmd(${lit(`${dir}/nothing here`)})`), '');

      assert.equal(await value(`is_path_deterministic(${lit(`${prog} --flag`)})`), 1);
      assert.equal(await value(`is_path_deterministic(${lit(prog)})`), 1);
      assert.equal(await value(`is_path_deterministic(${lit(`${dir}/nothing here`)})`), 1);
      // Both "<dir>/a" and "<dir>/a b" exist: ambiguous.
      assert.equal(await value(`is_path_deterministic(${lit(`${dir}/a b`)})`), 0);
      assert.equal(await value(`is_path_deterministic(${lit(`${dir}/a b -x`)})`), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('invalid arguments are errors', async () => {
    assert.equal(
      await queryError(`SELECT find_file_path_in_cmd(NULL)`),
      'Invalid inputs to find_binary_path_from_cmd',
    );
    assert.equal(
      await queryError(`SELECT find_file_path_in_cmd('/bin/ls', 0, 'ab')`),
      'Invalid inputs to find_binary_path_from_cmd',
    );
    assert.equal(
      await queryError(`SELECT find_file_path_in_cmd()`),
      'Invalid inputs to find_binary_path_from_cmd',
    );
    assert.equal(
      await queryError(`SELECT is_path_deterministic('/bin/ls', NULL)`),
      'Invalid inputs to is_path_deterministic',
    );
  });
});

describe('sleep and carve', () => {
  test('sleep blocks for the seconds and returns them; negative returns 0', async () => {
    const started = Date.now();
    assert.equal(await value('sleep(1)'), 1);
    assert.ok(Date.now() - started >= 990, 'slept about a second');
    assert.equal(await value('sleep(-5)'), 0);
    assert.equal(await value('sleep(0)'), 0);
  });

  test('carve is disabled by default: the text is cut to 13 bytes', async () => {
    const rows = await query(`SELECT carve(column1) AS c FROM (VALUES ('/etc/hosts'), ('/etc/passwd'))`);
    assert.deepEqual(rows, [{ c: 'Carve Failed:' }]);
  });
});
