// listening_ports and process_open_sockets against `ss`, with a child process
// holding sockets on 127.0.0.1 only (a listener, a bound UDP socket and one
// loopback connection).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { query } from '../../helpers/sql.js';
import { sh } from './net_helpers.js';

const CHILD = `
const net = require('node:net');
const dgram = require('node:dgram');
const server = net.createServer((c) => { conns.push(c); });
const conns = [];
server.listen(0, '127.0.0.1', () => {
  const udp = dgram.createSocket('udp4');
  udp.bind(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1', () => {
      setTimeout(() => {
        console.log(JSON.stringify({ tcp: server.address().port, udp: udp.address().port, client: client.localPort }));
      }, 100);
    });
  });
});
setTimeout(() => process.exit(0), 60000);
`;

let child: ChildProcess;
let ports: { tcp: number; udp: number; client: number };

before(async () => {
  child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  ports = JSON.parse(data.toString());
});

after(() => {
  child.kill();
});

interface SsSocket {
  netid: string;
  state: string;
  local: string;
  localPort: number;
  peer: string;
  peerPort: number;
  users: { pid: number; fd: number }[];
}

function splitHostPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  const host = s.slice(0, i).replace(/^\[|\]$/g, '');
  const port = s.slice(i + 1);
  return [host, port === '*' ? 0 : Number(port)];
}

/** Parse `ss -H -p` lines; `withNetid` when -u/-t together print the protocol first. */
function ss(args: string[], withNetid: boolean): SsSocket[] {
  const out: SsSocket[] = [];
  for (const line of sh('ss', args).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const [netid, state, , , local, peer] = withNetid ? f : ['tcp', ...f];
    const [lh, lp] = splitHostPort(local!);
    const [ph, pp] = splitHostPort(peer!);
    const users = [...line.matchAll(/pid=(\d+),fd=(\d+)/g)].map((m) => ({
      pid: Number(m[1]),
      fd: Number(m[2]),
    }));
    out.push({ netid: netid!, state: state!, local: lh, localPort: lp, peer: ph, peerPort: pp, users });
  }
  return out;
}

test('listening_ports matches ss for a child listening on TCP and UDP', async () => {
  const pid = child.pid!;
  const rows = await query(`SELECT * FROM listening_ports WHERE pid = ${pid}`);
  const tcp = rows.find((r) => r.protocol === 6 && r.port === ports.tcp);
  const udp = rows.find((r) => r.protocol === 17 && r.port === ports.udp);
  assert.ok(tcp, 'the TCP listener is listed');
  assert.ok(udp, 'the UDP socket is listed');
  assert.equal(tcp.address, '127.0.0.1');
  assert.equal(tcp.family, 2);
  assert.equal(udp.address, '127.0.0.1');

  // ss -ltnupH: every listening TCP / bound UDP socket of the child, with its fd.
  const theirs = ss(['-ltnupH'], true)
    .flatMap((s) => s.users.map((u) => ({ ...s, ...u })))
    .filter((s) => s.pid === pid)
    .map((s) => JSON.stringify([s.netid === 'tcp' ? 6 : 17, s.local, s.localPort, s.fd]))
    .sort();
  const ours = rows
    .filter((r) => r.family === 2 || r.family === 10)
    .map((r) => JSON.stringify([r.protocol, r.address, r.port, r.fd]))
    .sort();
  assert.deepEqual(ours, theirs);
  assert.ok(typeof tcp.socket === 'number' && tcp.socket > 0);
  assert.match(String(tcp.net_namespace), /^\d+$/);

  // Every process-owned listener ss sees is in the table too.
  const all = await query('SELECT pid, port, protocol FROM listening_ports');
  const have = new Set(all.map((r) => `${r.pid} ${r.port} ${r.protocol}`));
  for (const s of ss(['-ltnupH'], true)) {
    for (const u of s.users) {
      assert.ok(
        have.has(`${u.pid} ${s.localPort} ${s.netid === 'tcp' ? 6 : 17}`),
        `${s.netid} ${s.localPort}`,
      );
    }
  }
});

const SS_STATES: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  LISTEN: 'LISTEN',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING',
  UNCONN: 'CLOSED',
};

test('process_open_sockets matches ss -tanpH for the child', async () => {
  const pid = child.pid!;
  const rows = await query(`SELECT * FROM process_open_sockets WHERE pid = ${pid}`);
  assert.ok(rows.length > 0);
  for (const r of rows) assert.equal(r.pid, pid, 'the pid constraint is honoured');

  const theirs = ss(['-tanpH'], false)
    .flatMap((s) => s.users.map((u) => ({ ...s, ...u })))
    .filter((s) => s.pid === pid)
    .map((s) =>
      JSON.stringify([SS_STATES[s.state] ?? s.state, s.local, s.localPort, s.peer, s.peerPort, s.fd]),
    )
    .sort();
  const ours = rows
    .filter((r) => r.protocol === 6)
    .map((r) =>
      JSON.stringify([r.state, r.local_address, r.local_port, r.remote_address, r.remote_port, r.fd]),
    )
    .sort();
  assert.deepEqual(ours, theirs);

  const est = rows.filter((r) => r.state === 'ESTABLISHED');
  assert.equal(est.length, 2, 'both ends of the loopback connection');
  assert.ok(est.some((r) => r.local_port === ports.client && r.remote_port === ports.tcp));
  const udp = rows.find((r) => r.protocol === 17);
  assert.deepEqual([udp?.family, udp?.local_port, udp?.state], [2, ports.udp, '']);
  // Node's event loop holds unix or other sockets too; families are 1, 2, 10 or 17.
  for (const r of rows) assert.ok([1, 2, 10, 17].includes(Number(r.family)));

  // Without a pid constraint the child's sockets are there as well.
  const everything = await query('SELECT pid, socket FROM process_open_sockets');
  const sockets = new Set(everything.filter((r) => r.pid === pid).map((r) => r.socket));
  for (const r of rows) assert.ok(sockets.has(r.socket));
});
