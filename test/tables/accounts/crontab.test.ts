// crontab against a cron file written for the test and an awk count of the
// command lines of every crontab osquery reads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { removeLeftoverFiles } from '../../helpers/host-state.ts';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.js';

await holdMachineLockForFile(() => removeLeftoverFiles('/etc/cron.d', 'osq-test-'));

const file = `/etc/cron.d/osq-test-${process.pid}`;

before(() => {
  writeFileSync(
    file,
    [
      '# osq test crontab',
      'SHELL=/bin/sh',
      'MAILTO = root',
      '*/5  *\t* * 1-5   root   /usr/bin/test -e /tmp  &&  echo  ok',
      '@reboot root /bin/true --flag',
      '  17 3 1 jan * nobody run-parts /etc/cron.daily  ',
      '',
    ].join('\n'),
  );
});
after(() => rmSync(file, { force: true }));

describe('crontab', () => {
  it('parses schedule fields, @events and commands of a cron.d file', async () => {
    const rows = await query(
      `SELECT event, minute, hour, day_of_month, month, day_of_week, command FROM crontab WHERE path = '${file}'`,
    );
    assert.deepEqual(rows, [
      {
        event: null,
        minute: '*/5',
        hour: '*',
        day_of_month: '*',
        month: '*',
        day_of_week: '1-5',
        command: 'root /usr/bin/test -e /tmp && echo ok',
      },
      {
        event: '@reboot',
        minute: null,
        hour: null,
        day_of_month: null,
        month: null,
        day_of_week: null,
        command: 'root /bin/true --flag',
      },
      {
        event: null,
        minute: '17',
        hour: '3',
        day_of_month: '1',
        month: 'jan',
        day_of_week: '*',
        command: 'nobody run-parts /etc/cron.daily',
      },
    ]);
  });

  it('has one row per command line of every crontab (awk count)', async () => {
    const script =
      'for f in /etc/crontab /etc/cron.d/* /var/spool/cron/* /var/spool/cron/crontabs/*; do ' +
      '[ -f "$f" ] && [ -r "$f" ] && awk -v F="$f" \'$1 !~ /^#/ && (($1 ~ /^@/ && NF >= 2) || NF >= 6) { print F }\' "$f"; ' +
      'done; true';
    const expected = execFileSync('sh', ['-c', script], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    const rows = await query('SELECT path FROM crontab');
    assert.ok(rows.length >= 3);
    assert.deepEqual(rows.map((r) => r.path).sort(), expected);
  });
});
