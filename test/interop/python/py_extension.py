#!/usr/bin/python3
"""An extension that behaves like one written with osquery-python (osquery/management.py
`start_extension`), built on the Thrift code generated from osquery_interop.thrift:

* options --socket (default /var/osquery/osquery.em), --timeout (1), --interval (1),
  --verbose, as osquery passes them (separate argv tokens; `--x=y` also works);
* opens the manager socket, retrying every 0.2 s for up to --timeout seconds, and keeps that
  one connection for its whole life;
* registerExtension(name, version, sdk_version "3.0.7", min_sdk_version "1.8.0") with only
  the registries that have plugins: one table whose route rows are
  {"id": "column", "name": ..., "type": ..., "op": "0"};
* a watcher thread pings the manager on that connection every --interval seconds and exits
  the process when the ping fails or answers a non-zero code;
* serves <socket>.<uuid> with TSimpleServer + TBufferedTransport + TBinaryProtocol: ONE
  connection at a time, so a caller holding a connection open blocks every other caller;
* ping answers code 0 "OK"; shutdown() replies, then the process exits about 1 s later
  without removing its socket file.

Test-only options: --gen DIR (the generated code), --name, --table, --rows FILE (a JSON
list of string maps the table serves) and --log FILE (one JSON object per event: each
accepted connection, call, ping, watcher ping and shutdown).
"""

import argparse
import json
import os
import sys
import threading
import time

import interop_common as common

COLUMNS = [("name", "TEXT"), ("color", "TEXT"), ("weight", "INTEGER")]


def parse_args():
    p = argparse.ArgumentParser(description="osquery-python-like interop extension")
    p.add_argument("--socket", default="/var/osquery/osquery.em")
    # osquery-python declares these as int; osq's tests pass fractions of a second.
    p.add_argument("--timeout", type=float, default=1)
    p.add_argument("--interval", type=float, default=1)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--gen", default=os.environ.get("OSQ_INTEROP_GEN"))
    p.add_argument("--name", default="py_interop")
    p.add_argument("--table", default="py_fruits")
    p.add_argument("--rows", required=True)
    p.add_argument("--log", default=os.devnull)
    return p.parse_args()


ARGS = parse_args()
common.use_generated(ARGS.gen)

from osquery.extensions import Extension, ExtensionManager  # noqa: E402
from osquery.extensions.ttypes import (  # noqa: E402
    ExtensionResponse,
    ExtensionStatus,
    InternalExtensionInfo,
)
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.server import TServer  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

LOG = open(ARGS.log, "a")


def log(event, **fields):
    common.emit(LOG, dict(event=event, pid=os.getpid(), **fields))


def route_info():
    return [{"id": "column", "name": n, "type": t, "op": "0"} for n, t in COLUMNS]


class TablePlugin:
    """Like osquery-python's TablePlugin: `generate` ignores the context (SQLite filters)."""

    def __init__(self, name, rows):
        self.name = name
        self.rows = rows

    def call(self, request):
        action = request.get("action")
        if action == "generate":
            context = json.loads(request["context"]) if "context" in request else {}
            return self.generate(context)
        if action == "columns":
            return route_info()
        raise ValueError("Unknown table plugin action: %s" % action)

    def generate(self, context):
        return [dict(r) for r in self.rows]


class Handler(Extension.Iface):
    """The Extension service, as osquery-python's ExtensionManager class answers it."""

    def __init__(self, table):
        self.table = table
        self.connection = 0  # set by the server socket for each accepted connection

    def ping(self):
        log("ping", conn=self.connection)
        return ExtensionStatus(code=0, message="OK")

    def call(self, registry, item, request):
        log("call", conn=self.connection, registry=registry, item=item, request=dict(request))
        if registry != "table":
            return ExtensionResponse(
                status=ExtensionStatus(code=1, message="A registry of an unknown type was called"),
                response=[],
            )
        if item != self.table.name:
            return ExtensionResponse(
                status=ExtensionStatus(code=1, message="Unknown registry item: %s" % item),
                response=[],
            )
        try:
            rows = self.table.call(request)
        except Exception as e:  # reported to the caller, as a failed status
            return ExtensionResponse(status=ExtensionStatus(code=1, message=str(e)), response=[])
        return ExtensionResponse(status=ExtensionStatus(code=0, message="OK"), response=rows)

    def shutdown(self):
        log("shutdown", conn=self.connection)
        # Reply first; exit a second later, leaving the socket file where it is.
        threading.Timer(1.0, os._exit, [0]).start()


class CountingServerSocket(TSocket.TServerSocket):
    """TServerSocket that numbers the connections it accepts (for the test's log)."""

    def __init__(self, handler, path):
        super().__init__(unix_socket=path)
        self.handler = handler
        self.accepted = 0

    def listen(self):
        super().listen()
        log("listening", path=self._unix_socket)

    def accept(self):
        client = super().accept()
        self.accepted += 1
        self.handler.connection = self.accepted
        log("connection", conn=self.accepted)
        return client


def open_manager(path, timeout_s):
    """Connects to the manager, retrying every 0.2 s for up to timeout_s seconds."""
    deadline = time.time() + timeout_s
    while True:
        try:
            return common.open_client(ExtensionManager, path)
        except TTransport.TTransportException:
            if time.time() >= deadline:
                raise
            time.sleep(0.2)


def watch(client, interval_s):
    """osquery-python's watcher: ping on the registration connection; exit when it fails."""
    while True:
        time.sleep(interval_s)
        try:
            status = client.ping()
        except Exception as e:
            log("watch", error=str(e))
            os._exit(1)
        log("watch", code=status.code, message=status.message)
        if status.code != 0:
            os._exit(1)


def main():
    with open(ARGS.rows) as f:
        rows = json.load(f)
    log("start", argv=sys.argv[1:])
    try:
        _transport, manager = open_manager(ARGS.socket, ARGS.timeout)
    except TTransport.TTransportException as e:
        log("unreachable", error=str(e))
        sys.stderr.write("py_extension: cannot reach %s: %s\n" % (ARGS.socket, e))
        return 1
    info = InternalExtensionInfo(
        name=ARGS.name, version="1.0.0", sdk_version="3.0.7", min_sdk_version="1.8.0"
    )
    status = manager.registerExtension(info, {"table": {ARGS.table: route_info()}})
    log("registered", status=common.status_dict(status))
    if status.code != 0:
        sys.stderr.write("py_extension: registration refused: %s\n" % status.message)
        return 1

    threading.Thread(target=watch, args=(manager, ARGS.interval), daemon=True).start()

    handler = Handler(TablePlugin(ARGS.table, rows))
    server = TServer.TSimpleServer(
        Extension.Processor(handler),
        CountingServerSocket(handler, "%s.%d" % (ARGS.socket, status.uuid)),
        TTransport.TBufferedTransportFactory(),
        TBinaryProtocol.TBinaryProtocolFactory(),
    )
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
