"""What machines read from the hub's record pages, with the libraries they use: extruct (the embedded JSON-LD, as
F-UJI and dataset crawlers extract it) and signposting (the FAIR Signposting client, from the HTTP Link headers of a
HEAD request). Reads a JSON list of page URLs on stdin, prints one JSON list of results on stdout; a page that fails
is reported as {"error": "..."} so that the test says which one."""
import json
import sys
import urllib.request

import extruct
from signposting import find_signposting_http


def target(s):
    return None if s is None else str(s.target)


def main() -> None:
    out = []
    for url in json.load(sys.stdin):
        try:
            with urllib.request.urlopen(url) as res:
                body = res.read().decode("utf-8")
            jsonld = extruct.extract(body, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
            s = find_signposting_http(url)
            out.append(
                {
                    "jsonld": jsonld,
                    "citeAs": target(s.citeAs),
                    "license": target(s.license),
                    "describedBy": sorted([str(d.target), str(d.type)] for d in s.describedBy),
                    "types": sorted(str(t.target) for t in s.types),
                    "items": sorted([str(i.target), str(i.type) if i.type else None] for i in s.items),
                    "authors": sorted(str(a.target) for a in s.authors),
                }
            )
        except Exception as e:  # noqa: BLE001 (reported to the test)
            out.append({"error": f"{url}: {type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
