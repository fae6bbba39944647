"""OWSLib's OGC API - Records client (owslib.ogcapi.records.Records) against the hub: reads a plan (a JSON list of
calls) on stdin, runs each with OWSLib, and prints one JSON list of their results on stdout. A call that raises is
reported as {"error": "..."} so that the test says which one failed."""
import json
import sys

from owslib.ogcapi.records import Records


def main() -> None:
    url = sys.argv[1]
    plan = json.load(sys.stdin)
    client = Records(url)
    out = []
    for call in plan:
        op = call["op"]
        try:
            if op == "records":
                out.append(client.records())
            elif op == "api":
                out.append(client.api())
            elif op == "conformance":
                out.append(client.conformance())
            elif op == "collection":
                out.append(client.collection(call["collection"]))
            elif op == "items":
                out.append(client.collection_items(call["collection"], **call.get("kwargs", {})))
            elif op == "item":
                out.append(client.collection_item(call["collection"], call["id"]))
            elif op == "queryables":
                out.append(client.collection_queryables(call["collection"]))
            else:
                out.append({"error": f"unknown op {op}"})
        except Exception as err:  # noqa: BLE001 - the test reports it
            out.append({"error": f"{type(err).__name__}: {err}"})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
