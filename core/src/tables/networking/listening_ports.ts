// listening_ports: osquery derives it from process_open_sockets: IPv4/IPv6
// sockets with no remote port (listening TCP, bound UDP, raw, ...), unix sockets
// bound to a path, and packet sockets.
import { bigint, defineTable, integer, type Row, text } from '../framework.js';
import { collectOpenSockets, pidFilter } from './process_open_sockets.js';
import { toInteger } from './util.js';

const AF_UNIX = 1;

export const listeningPorts = defineTable({
  name: 'listening_ports',
  columns: {
    pid: integer(),
    port: integer(),
    protocol: integer(),
    family: integer(),
    address: text(),
    fd: bigint(),
    socket: bigint(),
    path: text(),
    net_namespace: text({ platforms: ['linux'] }),
  },
  attributes: { cacheable: true },
  generate(ctx) {
    const rows: Row[] = [];
    for (const s of collectOpenSockets(pidFilter(ctx))) {
      if (s.family === AF_UNIX && s.path === '') continue;
      if ((s.family === 2 || s.family === 10) && s.remotePort !== 0) continue;
      const row: Row = { pid: s.pid, protocol: s.protocol, family: s.family, fd: s.fd };
      if (s.family === AF_UNIX) {
        // osquery reports unix sockets with port and socket 0.
        row.port = 0;
        row.path = s.path;
        row.socket = 0;
      } else {
        row.address = s.localAddress;
        row.port = s.localPort;
        row.socket = toInteger(s.socket);
      }
      row.net_namespace = String(s.netNamespace);
      rows.push(row);
    }
    return rows;
  },
});
