// osqi at a real terminal: a pseudo-terminal driven by Python's pty module
// (python3 is part of Debian's base system).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';

const bin = join(import.meta.dirname, '../../core/bin/osqi.mjs');
const home = mkdtempSync(join(tmpdir(), 'osqi-tty-'));
after(() => rmSync(home, { recursive: true, force: true }));

// Each step: bytes to type, then the text to wait for. Prints the transcript; exits
// with the shell's exit status, or 99 when an expected text never shows up.
const driver = String.raw`
import json, os, pty, select, sys, time
node, script, home, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
pid, fd = pty.fork()
if pid == 0:
    os.environ['HOME'] = home
    os.environ['TERM'] = 'xterm'
    os.execv(node, [node, script])
buf = b''
seen = 0
def wait_for(text, timeout=20):
    # Wait for text after what earlier steps matched.
    global buf, seen
    end = time.time() + timeout
    while text.encode() not in buf[seen:]:
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if not r:
            sys.stdout.write(buf.decode(errors='replace'))
            sys.stdout.write('\n<<timeout waiting for %r>>\n' % text)
            os.kill(pid, 9)
            sys.exit(99)
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            break
        buf += data
    if text.encode() not in buf[seen:]:
        sys.stdout.write(buf.decode(errors='replace'))
        sys.stdout.write('\n<<output ended before %r>>\n' % text)
        sys.exit(99)
    seen = buf.index(text.encode(), seen) + len(text)
for send, expect in steps:
    os.write(fd, send.encode())
    wait_for(expect)
end = time.time() + 20
while True:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        buf += data
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.time() > end:
        os.kill(pid, 9)
        sys.exit(98)
sys.stdout.write(buf.decode(errors='replace'))
sys.exit(os.WEXITSTATUS(status))
`;

function drive(steps: [string, string][]): { stdout: string; status: number | null; stderr: string } {
  const script = join(home, 'drive.py');
  writeFileSync(script, driver);
  return spawnSync('/usr/bin/python3', [script, process.execPath, bin, home, JSON.stringify(steps)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

it('interactive shell: prompt, continuation, results, .tables, tab completion, history, .exit', () => {
  const steps: [string, string][] = [
    ['', 'osquery> '],
    ['SELECT 1 AS a,\n', '    ...> '],
    ["'x' AS b;\n", 'osquery> '],
    ['.tables upt\n', 'osquery> '],
    ['SELECT uptime.total_sec\t', 'total_seconds'],
    [' AS t FROM uptime LIMIT 0;\n', 'osquery> '],
    ['SELECT * FROM upti\t', 'uptime'],
    [' LIMIT 0;\n', 'osquery> '],
    ['SELEC;\n', 'osquery> '],
    ['.exit\n', ''],
  ];
  const r = drive(steps);
  const out = r.stdout.replaceAll('\r', '');
  // The failed statement makes the session's exit status 1, as in osqueryi.
  assert.equal(r.status, 1, out + r.stderr);
  assert.match(out, /Using a .*virtual database.*\. Need help, type '\.help'/);
  assert.match(out, /\+---\+---\+\n\| a \| b \|\n\+---\+---\+\n\| 1 \| x \|\n\+---\+---\+\n/);
  assert.match(out, /\n {2}=> uptime\n/);
  assert.match(out, /SELECT uptime\.total_seconds/);
  assert.match(out, /SELECT \* FROM uptime/);
  assert.match(out, /Error: near "SELEC": syntax error/);

  const dir = join(home, '.osquery');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const history = readFileSync(join(dir, '.history'), 'utf8').split('\n');
  assert.deepEqual(history.slice(0, 3), ['SELECT 1 AS a,', "'x' AS b;", '.tables upt']);
  assert.ok(history.includes('SELECT * FROM uptime LIMIT 0;'));
  assert.equal(history.at(-2), '.exit');
});

it('Ctrl-C abandons the statement being typed; on an empty prompt it leaves', () => {
  const r = drive([
    ['', 'osquery> '],
    ['SELECT 1 AS a,\n', '    ...> '],
    ['2 AS b\x03', 'osquery> '],
    ['SELECT 7 AS c;\n', 'osquery> '],
    ['\x03', ''],
  ]);
  const out = r.stdout.replaceAll('\r', '');
  assert.equal(r.status, 0, out + r.stderr);
  assert.match(out, /\^C\n/);
  assert.match(out, /\| c \|\n\+---\+\n\| 7 \|/);
  assert.doesNotMatch(out, /Error/);
});
