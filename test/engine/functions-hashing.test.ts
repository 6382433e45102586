// md5/sha1/sha256 against coreutils, and community_id_v1 against the Community ID
// spec's published vectors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { query, queryError } from '../helpers/sql.js';

async function value(expr: string): Promise<unknown> {
  const rows = await query(`SELECT ${expr} AS v`);
  return rows[0]?.v;
}

function coreutilsDigest(tool: string, input: string | Buffer): string {
  return execFileSync(tool, [], { input }).toString().split(' ')[0] as string;
}

describe('md5, sha1, sha256', () => {
  const samples = ['', 'Guest', 'System', 'hello world', 'héllo wörld', 'x'.repeat(1000)];
  for (const [fn, tool] of [
    ['md5', 'md5sum'],
    ['sha1', 'sha1sum'],
    ['sha256', 'sha256sum'],
  ] as const) {
    test(`${fn} is the lowercase hex digest ${tool} prints`, async () => {
      for (const s of samples) {
        assert.equal(await value(`${fn}('${s}')`), coreutilsDigest(tool, s), s);
      }
      assert.equal(await value(`${fn}(NULL)`), null);
      // Numbers hash as their text.
      assert.equal(await value(`${fn}(1234)`), coreutilsDigest(tool, '1234'));
      // The text ends at the first NUL byte.
      assert.equal(await value(`${fn}(x'61620063')`), coreutilsDigest(tool, 'ab'));
    });
  }

  test('documented example: sha1(Guest)', async () => {
    assert.equal(await value(`sha1('Guest')`), 'face83ee3014bdc8f98203cc94e2e89222452e90');
  });
});

// Vectors from github.com/corelight/community-id-spec, baseline/baseline_deflt.json
// (seed 0) and baseline/baseline_seed1.json (seed 1): the TCP (6), UDP (17) and
// SCTP (132) flows. The ICMP vectors are left out: the spec maps ICMP type/code to
// ports, which osquery's function does not do (it hashes the ports it is given).
const vectors: [string, string, number, number, number, string, string][] = [
  // saddr, daddr, sport, dport, proto, seed 0 id, seed 1 id
  [
    '128.232.110.120',
    '66.35.250.204',
    34855,
    80,
    6,
    '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    '1:3V71V58M3Ksw/yuFALMcW0LAHvc=',
  ],
  [
    '66.35.250.204',
    '128.232.110.120',
    80,
    34855,
    6,
    '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    '1:3V71V58M3Ksw/yuFALMcW0LAHvc=',
  ],
  [
    '192.168.1.52',
    '8.8.8.8',
    54585,
    53,
    17,
    '1:d/FP5EW3wiY1vCndhwleRRKHowQ=',
    '1:Q9We8WO3piVF8yEQBNJF4uiSVrI=',
  ],
  [
    '8.8.8.8',
    '192.168.1.52',
    53,
    54585,
    17,
    '1:d/FP5EW3wiY1vCndhwleRRKHowQ=',
    '1:Q9We8WO3piVF8yEQBNJF4uiSVrI=',
  ],
  [
    '192.168.170.8',
    '192.168.170.56',
    7,
    7,
    132,
    '1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=',
    '1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=',
  ],
  [
    '192.168.170.56',
    '192.168.170.8',
    7,
    7,
    132,
    '1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=',
    '1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=',
  ],
  [
    '2001:470:e5bf:dead:4957:2174:e82c:4887',
    '2607:f8b0:400c:c03::1a',
    63943,
    25,
    6,
    '1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=',
    '1:eJYTW6AOzFLlSUoESovMjnu7rMw=',
  ],
  [
    '2607:f8b0:400c:c03::1a',
    '2001:470:e5bf:dead:4957:2174:e82c:4887',
    25,
    63943,
    6,
    '1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=',
    '1:eJYTW6AOzFLlSUoESovMjnu7rMw=',
  ],
];

describe('community_id_v1', () => {
  test('Community ID spec baseline vectors, seed 0 (default) and seed 1', async () => {
    for (const [saddr, daddr, sport, dport, proto, id0, id1] of vectors) {
      const args = `'${saddr}', '${daddr}', ${sport}, ${dport}, ${proto}`;
      assert.equal(await value(`community_id_v1(${args})`), id0, args);
      assert.equal(await value(`community_id_v1(${args}, 0)`), id0, args);
      assert.equal(await value(`community_id_v1(${args}, 1)`), id1, args);
      assert.equal(await value(`community_id_v1_strict(${args})`), id0, args);
      assert.equal(await value(`community_id_v1_strict(${args}, 1)`), id1, args);
    }
  });

  test('osquery documentation examples (IPv4 to IPv6, with seed 37)', async () => {
    assert.equal(
      await value(`community_id_v1('66.35.250.204', '2001:0:3238:DFE1:63::FEFB', 80, 2347, 6)`),
      '1:rxU6O+b2d9kbSWjRmVDoBbowx6g=',
    );
    assert.equal(
      await value(`community_id_v1('66.35.250.204', '2001:0:3238:DFE1:63::FEFB', 80, 2347, 6, 37)`),
      '1:jmJ2ORP31di4mtsQPIKzyoEb3yo=',
    );
  });

  test('invalid input: NULL from community_id_v1, an error from the strict variant', async () => {
    const cases: [string, string][] = [
      [`1, '1.2.3.4', 1, 2, 6`, 'Community ID IPs must be strings'],
      [`'1.2.3.4', NULL, 1, 2, 6`, 'Community ID IPs must be strings'],
      [`'x', '1.2.3.4', 1, 2, 6`, 'Community ID saddr cannot be parsed as IP'],
      [`'1.2.3.4', '1.2.3', 1, 2, 6`, 'Community ID daddr cannot be parsed as IP'],
      [`'1.2.3.4', '5.6.7.8', '1', 2, 6`, 'Community ID ports must be integers'],
      [`'1.2.3.4', '5.6.7.8', 1, 2.0, 6`, 'Community ID ports must be integers'],
      [`'1.2.3.4', '5.6.7.8', 1, 65536, 6`, 'Community ID ports must fit in 2 bytes'],
      [`'1.2.3.4', '5.6.7.8', -1, 2, 6`, 'Community ID ports must fit in 2 bytes'],
      [`'1.2.3.4', '5.6.7.8', 1, 2, 'tcp'`, 'Community ID protocol must be an integer'],
      [`'1.2.3.4', '5.6.7.8', 1, 2, 256`, 'Community ID protocol must fit in 1 byte'],
      [`'1.2.3.4', '5.6.7.8', 1, 2, 6, 'x'`, 'Community ID seed must be an integer'],
      [`'1.2.3.4', '5.6.7.8', 1, 2, 6, 32768`, 'Community ID seed must fit in 2 bytes'],
    ];
    for (const [args, message] of cases) {
      assert.equal(await value(`community_id_v1(${args})`), null, args);
      assert.equal(await queryError(`SELECT community_id_v1_strict(${args})`), message, args);
    }
  });

  test('takes exactly 5 or 6 arguments', async () => {
    assert.match(
      await queryError(`SELECT community_id_v1('1.2.3.4', '5.6.7.8', 1, 2)`),
      /wrong number of arguments/,
    );
  });
});
