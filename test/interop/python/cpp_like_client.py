#!/usr/bin/python3
"""A client that talks to a manager the way osquery's C++ SDK does (docs/extensions.md#who-calls-whom): every
operation opens a FRESH connection (TSocket + TBufferedTransport + TBinaryProtocol, strict
header, seqid 0), makes one call and closes it; operations run one at a time.

Usage: cpp_like_client.py --gen DIR --socket PATH --ops JSON
where JSON is a list such as [{"method": "ping"}, {"method": "query", "sql": "..."},
{"method": "call", "registry": "table", "item": "t", "request": {...}}]. Prints one JSON
object per operation: {"method": ..., "result": ...} or {"method": ..., "error": ...}.
"""

import argparse
import json
import os
import sys

import interop_common as common


def parse_args():
    p = argparse.ArgumentParser(description="C++-SDK-like interop client")
    p.add_argument("--gen", default=os.environ.get("OSQ_INTEROP_GEN"))
    p.add_argument("--socket", required=True)
    p.add_argument("--ops", required=True)
    return p.parse_args()


ARGS = parse_args()
common.use_generated(ARGS.gen)

from osquery.extensions import ExtensionManager  # noqa: E402


def run(client, op):
    """One call; the reply converted to plain JSON values."""
    method = op["method"]
    if method == "ping":
        return common.status_dict(client.ping())
    if method == "extensions":
        return {str(uuid): common.info_dict(info) for uuid, info in client.extensions().items()}
    if method == "options":
        return {
            name: {"value": o.value, "default_value": o.default_value, "type": o.type}
            for name, o in client.options().items()
        }
    if method == "query":
        return common.response_dict(client.query(op["sql"]))
    if method == "getQueryColumns":
        return common.response_dict(client.getQueryColumns(op["sql"]))
    if method == "call":
        return common.response_dict(client.call(op["registry"], op["item"], op["request"]))
    raise ValueError("unknown method %r" % method)


def main():
    for op in json.loads(ARGS.ops):
        transport, client = common.open_client(ExtensionManager, ARGS.socket, timeout_s=30)
        try:
            out = {"method": op["method"], "result": run(client, op)}
        except Exception as e:
            out = {"method": op["method"], "error": repr(e)}
        finally:
            transport.close()
        common.emit(sys.stdout, out)


if __name__ == "__main__":
    main()
