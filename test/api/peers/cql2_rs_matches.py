"""cql2-rs (PyPI `cql2`, Development Seed's Rust implementation of OGC 21-065r2) evaluating CQL2 text filters on
items, as another implementation's answer to what the hub's filter finds (test/api/ogc-records-temporal.test.ts).
Usage: cql2_rs_matches.py

Reads {"filters": [text...], "items": [GeoJSON feature...]} on stdin; prints one JSON array on stdout with, for each
filter, {"ids": the ids of the items it matches (Expr.matches), "unevaluated": the ids of the items on which it
raises (cql2-rs: "Could not reduce expression to boolean" where an item lacks the property)}, or {"error": "<message>"}
when the filter is not read. One process for the batch."""
import json
import sys

import cql2


def matches(text: str, items: list) -> object:
    try:
        expr = cql2.parse_text(text)
    except Exception as err:  # noqa: BLE001 - whatever cql2-rs raises: reported to the test
        return {"error": f"{type(err).__name__}: {err}"}
    ids, unevaluated = [], []
    for item in items:
        try:
            if expr.matches(item):
                ids.append(item["id"])
        except Exception:  # noqa: BLE001 - reported by id to the test
            unevaluated.append(item["id"])
    return {"ids": ids, "unevaluated": unevaluated}


def main() -> None:
    plan = json.load(sys.stdin)
    print(json.dumps([matches(text, plan["items"]) for text in plan["filters"]]))


if __name__ == "__main__":
    main()
