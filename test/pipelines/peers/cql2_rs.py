"""cql2-rs (PyPI `cql2`, Development Seed's Rust implementation of OGC 21-065r2) reading CQL2 text filters, to
cross-check the hub's own parser (pipelines/cql2.ts) against an implementation written by others from the same
standard (test/pipelines/cql2-peer.test.ts). Usage: cql2_rs.py [--parse-only]

Reads a JSON array of cql2-text filters on stdin; prints one JSON array on stdout with, for each filter, either
{"json": <cql2-rs's to_json()>} or {"error": "<ParseError or ValidationError: message>"}. One process for the batch.

A filter is read when cql2.parse_text() takes it AND its JSON form passes the standard's JSON Schema (Expr.validate()):
cql2-rs's text reader alone also takes what is no filter, such as `foo`, `1 + 2` or `a LIKE b`. With --parse-only,
validate() is not called: it compiles the schema at each call and takes 20 to 150 ms a filter, so the test asks for it
only where it can change the verdict. validate() may also exhaust the memory on a filter that is invalid two levels
deep or more (cql2-rs 0.6.0: `a = 1 AND (b = 2 OR T_AFTER(a, TIMESTAMP('2020-01-01T12:0:00Z')))` takes more than
2 GiB), so the process is held to 2 GiB of address space: such a filter aborts it (with "memory allocation ... failed"
on stderr) rather than the machine."""
import json
import resource
import sys

import cql2


def read(text: str, validate: bool) -> dict:
    try:
        expr = cql2.parse_text(text)
        doc = expr.to_json()
    except Exception as err:  # noqa: BLE001 - ParseError, or whatever else cql2-rs raises: reported to the test
        return {"error": f"{type(err).__name__}: {err}"}
    if validate:
        try:
            expr.validate()
        except Exception as err:  # noqa: BLE001 - ValidationError: reported to the test
            return {"error": f"{type(err).__name__}: {err}"}
    try:
        json.dumps(doc, allow_nan=False)
    except ValueError:
        return {"error": "the JSON form holds a number JSON cannot write (inf or nan)"}
    return {"json": doc}


def main() -> None:
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30 if hard == resource.RLIM_INFINITY else min(2 << 30, hard), hard))
    validate = "--parse-only" not in sys.argv[1:]
    filters = json.load(sys.stdin)
    print(json.dumps([read(text, validate) for text in filters]))


if __name__ == "__main__":
    main()
