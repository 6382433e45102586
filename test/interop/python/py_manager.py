#!/usr/bin/python3
"""An osquery extension MANAGER written in Python on the code generated from
osquery_interop.thrift, standing in for osquery's core so that osq's SDK can be checked
against a peer that shares none of its code.

It serves the ExtensionManager service on --socket with TThreadedServer (one thread per
connection, many sequential calls per connection, like the core). On registerExtension it
checks the payload the way osquery's core does (docs/extensions.md#checks-the-core-makes) and answers code 1
with osquery's message when a check fails. Once an extension is registered it acts as the
core towards it, following the steps in --plan (a JSON list), each over a FRESH connection
to <socket>.<uuid> preceded by osquery's probe (connect, ping, close):

  {"op": "ping"}
  {"op": "generate", "table": T, "where": {"col": [[op, "expr"], ...]}}
      call("table", T, {action: generate, context: ...}) with the context JSON built as
      osquery builds it (docs/extensions.md#the-context-json): every column, sorted by name, with its affinity
  {"op": "call", "registry": R, "item": I, "request": {...}}
  {"op": "shutdown"}
  {"op": "sleep", "seconds": S}

Everything it sees and gets back is printed on stdout, one JSON object per line:
{"event": "listening"}, {"event": "connection", "conn": n}, {"event": "manager", "method":
..., "conn": n, ...} for each call it serves, {"event": "step", ...} for each plan step,
then {"event": "done"}. `query` is answered for `... FROM processes WHERE pid = N` from
/proc; other SQL gets code 1.
"""

import argparse
import json
import os
import random
import re
import sys
import threading
import time

import interop_common as common


def parse_args():
    p = argparse.ArgumentParser(description="Python extension manager for interop tests")
    p.add_argument("--gen", default=os.environ.get("OSQ_INTEROP_GEN"))
    p.add_argument("--socket", required=True)
    p.add_argument("--plan", required=True)
    p.add_argument("--timeout", type=float, default=5)
    return p.parse_args()


ARGS = parse_args()
common.use_generated(ARGS.gen)

from osquery.extensions import Extension, ExtensionManager  # noqa: E402
from osquery.extensions.ttypes import (  # noqa: E402
    ExtensionResponse,
    ExtensionStatus,
    InternalOptionInfo,
)
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.server import TServer  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

OUT = sys.stdout

# Registries osquery's core knows (docs/extensions.md#known-registries): anything else fails registration.
KNOWN_REGISTRIES = {
    "config", "config_parser", "database", "distributed", "enroll", "event_publisher",
    "event_subscriber", "logger", "numeric_monitoring", "osquery_events_stream", "sql", "table",
}
COLUMN_TYPES = {"TEXT", "INTEGER", "BIGINT", "UNSIGNED BIGINT", "DOUBLE", "BLOB"}


def version_at_least(required, have):
    """osquery's versionAtLeast (docs/extensions.md#sdk-versions): compares over the components of `have`."""
    if required == "0.0.0" or have == "0.0.0":
        return True
    req = [p.strip() for p in required.split(".") if p.strip()]
    got = [p.strip() for p in have.split(".") if p.strip()]
    for i, chunk in enumerate(got):
        if i >= len(req):
            return True
        try:
            a, b = int(chunk), int(req[i])
        except ValueError:
            a, b = chunk, req[i]
        if a < b:
            return False
        if a > b:
            return True
    return True


def route_problems(item, routes):
    """What is wrong with a table's route info (docs/extensions.md#route-info), as a list of strings."""
    if not routes:
        return ["%s: empty route info" % item]
    problems = []
    for row in routes:
        if "id" not in row:
            problems.append("%s: route row without id: %s" % (item, json.dumps(row)))
        elif row["id"] == "column":
            if not row.get("name"):
                problems.append("%s: column without a name" % item)
            if row.get("type") not in COLUMN_TYPES:
                problems.append("%s: column %s has type %r" % (item, row.get("name"), row.get("type")))
            if not re.fullmatch(r"\d+", row.get("op", "0")):
                problems.append("%s: column %s has op %r" % (item, row.get("name"), row.get("op")))
    return problems


def registration_problems(info, registry):
    """(osquery's failure message or None, every problem found)."""
    problems = []
    if not version_at_least("1.7.7", info.sdk_version):
        return "Incompatible extension SDK version", ["sdk_version %r" % info.sdk_version]
    for name in sorted(registry):
        if name not in KNOWN_REGISTRIES:
            return "Failed adding registry: Unknown registry: %s" % name, ["registry %r" % name]
    for item, routes in sorted(registry.get("table", {}).items()):
        problems += route_problems(item, routes)
    if problems:
        return "Failed adding registry: Invalid route info", problems
    return None, []


class Connections(threading.local):
    conn = 0


LOCAL = Connections()


class Handler(ExtensionManager.Iface):
    def __init__(self):
        self.lock = threading.Lock()
        self.registered = {}  # uuid -> (info, registry)

    def _seen(self, method, **fields):
        common.emit(OUT, dict(event="manager", method=method, conn=LOCAL.conn, **fields))

    def ping(self):
        self._seen("ping")
        return ExtensionStatus(code=0, message="pong", uuid=0)

    def call(self, registry, item, request):
        self._seen("call", registry=registry, item=item, request=dict(request))
        return ExtensionResponse(
            status=ExtensionStatus(code=1, message="Cannot call registry item: %s" % item),
            response=[],
        )

    def shutdown(self):
        self._seen("shutdown")

    def extensions(self):
        self._seen("extensions")
        with self.lock:
            return {uuid: info for uuid, (info, _) in self.registered.items()}

    def options(self):
        self._seen("options")
        return {
            "extensions_socket": InternalOptionInfo(
                value=ARGS.socket, default_value="/var/osquery/osquery.em", type="string"
            ),
            "extensions_interval": InternalOptionInfo(value="3", default_value="3", type="string"),
        }

    def registerExtension(self, info, registry):
        failure, problems = registration_problems(info, registry)
        with self.lock:
            if any(i.name == info.name for i, _ in self.registered.values()):
                failure = "Duplicate extension registered"
            if failure:
                status = ExtensionStatus(code=1, message=failure, uuid=0)
            else:
                uuid = random.randint(1, 65535)
                while uuid in self.registered:
                    uuid = random.randint(1, 65535)
                self.registered[uuid] = (info, registry)
                status = ExtensionStatus(code=0, message="OK", uuid=uuid)
        self._seen(
            "registerExtension",
            info=common.info_dict(info),
            registry={r: {i: [dict(x) for x in routes] for i, routes in items.items()}
                      for r, items in registry.items()},
            problems=problems,
            status=common.status_dict(status),
        )
        if status.code == 0:
            threading.Thread(target=run_plan, args=(status.uuid, registry), daemon=True).start()
        return status

    def deregisterExtension(self, uuid):
        self._seen("deregisterExtension", uuid=uuid)
        with self.lock:
            if self.registered.pop(uuid, None) is None:
                return ExtensionStatus(code=1, message="No extension UUID found", uuid=0)
        return ExtensionStatus(code=0, message="OK", uuid=0)

    def query(self, sql):
        self._seen("query", sql=sql)
        m = re.search(r"\bFROM\s+processes\s+WHERE\s+pid\s*=\s*(\d+)", sql, re.I)
        if not m:
            return ExtensionResponse(
                status=ExtensionStatus(code=1, message="py_manager: unsupported SQL"), response=[]
            )
        return ExtensionResponse(status=ExtensionStatus(code=0, message="OK"), response=proc_rows(m.group(1)))

    def getQueryColumns(self, sql):
        self._seen("getQueryColumns", sql=sql)
        return ExtensionResponse(
            status=ExtensionStatus(code=1, message="py_manager: no SQL engine"), response=[]
        )


def proc_rows(pid):
    """A processes row (pid, name, parent, threads) read from /proc, as strings."""
    try:
        with open("/proc/%s/status" % pid) as f:
            fields = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:
        return []
    return [
        {"pid": pid, "name": fields["Name"], "parent": fields["PPid"], "threads": fields["Threads"].strip()}
    ]


# ---------------------------------------------------------------------------- acting as the core


def context_json(routes, where):
    """The `context` osquery sends with generate, for constraints `where`.

    See docs/extensions.md#the-context-json.
    """
    columns = [r for r in routes if r.get("id") == "column"]
    constraints = [
        {
            "name": c["name"],
            "list": [{"op": op, "expr": expr} for op, expr in where.get(c["name"], [])],
            "affinity": c["type"],
        }
        for c in sorted(columns, key=lambda c: c["name"])
    ]
    used = [c["name"] for c in columns]
    bitset = sum(1 << i for i in range(min(len(columns), 64)))
    return json.dumps(
        {"constraints": constraints, "colsUsed": used, "colsUsedBitset": bitset},
        separators=(",", ":"),
    )


def with_extension(path, fn):
    """One call over a fresh connection, closed right after, as osquery's core does."""
    transport, client = common.open_client(Extension, path, timeout_s=10)
    try:
        return fn(client)
    finally:
        transport.close()


def run_step(path, routes, step):
    op = step["op"]
    if op == "sleep":  # lets the extension's watcher run meanwhile
        time.sleep(step["seconds"])
        return {"slept": step["seconds"]}
    if op == "shutdown":
        with_extension(path, lambda c: c.shutdown())
        return {"replied": True}
    # osquery probes the path with a ping before a call.
    probe = with_extension(path, lambda c: c.ping())
    if op == "ping":
        return common.status_dict(probe)
    if op == "generate":
        table = step["table"]
        request = {"action": "generate", "context": context_json(routes[table], step.get("where", {}))}
        reply = with_extension(path, lambda c: c.call("table", table, request))
        return dict(common.response_dict(reply), request=request)
    if op == "call":
        reply = with_extension(path, lambda c: c.call(step["registry"], step["item"], step["request"]))
        return common.response_dict(reply)
    raise ValueError("unknown plan op %r" % op)


def run_plan(uuid, registry):
    path = "%s.%d" % (ARGS.socket, uuid)
    deadline = time.time() + ARGS.timeout
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.02)
    with open(ARGS.plan) as f:
        plan = json.load(f)
    for index, step in enumerate(plan):
        try:
            result = run_step(path, registry.get("table", {}), step)
            common.emit(OUT, {"event": "step", "index": index, "step": step, "result": result})
        except Exception as e:
            common.emit(OUT, {"event": "step", "index": index, "step": step, "error": repr(e)})
    common.emit(OUT, {"event": "done", "socket_exists": os.path.exists(path)})


class ThreadedServer(TServer.TThreadedServer):
    """TThreadedServer that numbers its connections so every call can say which it came on."""

    count = 0
    count_lock = threading.Lock()

    def handle(self, client):
        with self.count_lock:
            ThreadedServer.count += 1
            LOCAL.conn = ThreadedServer.count
        common.emit(OUT, {"event": "connection", "conn": LOCAL.conn})
        super().handle(client)


class ListeningSocket(TSocket.TServerSocket):
    def listen(self):
        super().listen()
        common.emit(OUT, {"event": "listening"})


def main():
    server = ThreadedServer(
        ExtensionManager.Processor(Handler()),
        ListeningSocket(unix_socket=ARGS.socket),
        TTransport.TBufferedTransportFactory(),
        TBinaryProtocol.TBinaryProtocolFactory(),
        daemon=True,
    )
    server.serve()


if __name__ == "__main__":
    main()
