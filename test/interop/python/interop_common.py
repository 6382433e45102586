"""Helpers shared by the interop peers (run with Debian's /usr/bin/python3).

The Thrift code they use is generated at test time, by Debian's `thrift --gen py`, from
osquery_interop.thrift (transcribed from docs/extensions.md#the-idl); `use_generated` puts it on sys.path.
Transport and protocol are the ones osquery's SDKs use: a Unix socket, TBufferedTransport
(local buffering only, no framing on the wire) and TBinaryProtocol.
"""

import json
import sys
import threading

from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport


def use_generated(gen_dir):
    """Makes `import osquery.extensions...` load the code generated into gen_dir."""
    if not gen_dir:
        sys.exit("interop: --gen DIR (the generated Python code) is required")
    sys.path.insert(0, gen_dir)


def open_client(service, path, timeout_s=None):
    """Connects to `path` and returns (transport, client) for the generated `service` module."""
    sock = TSocket.TSocket(unix_socket=path)
    if timeout_s is not None:
        sock.setTimeout(timeout_s * 1000)
    transport = TTransport.TBufferedTransport(sock)
    client = service.Client(TBinaryProtocol.TBinaryProtocol(transport))
    transport.open()
    return transport, client


_emit_lock = threading.Lock()


def emit(stream, event):
    """Writes one JSON object per line, flushed, so the Node test can follow along."""
    with _emit_lock:
        stream.write(json.dumps(event, sort_keys=True) + "\n")
        stream.flush()


def status_dict(s):
    return {"code": s.code, "message": s.message, "uuid": s.uuid}


def response_dict(r):
    return {"status": status_dict(r.status), "response": [dict(row) for row in r.response]}


def info_dict(i):
    return {
        "name": i.name,
        "version": i.version,
        "sdk_version": i.sdk_version,
        "min_sdk_version": i.min_sdk_version,
    }
