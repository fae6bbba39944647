"""pystac-client's item search against a STAC API: reads a JSON list of searches ({bbox, datetime}) on stdin, prints
one JSON list with the ids of the items each finds (every page followed)."""
import json
import sys

from pystac_client import Client


def main() -> None:
    client = Client.open(sys.argv[1])
    out = []
    for s in json.load(sys.stdin):
        search = client.search(bbox=s.get("bbox"), datetime=s.get("datetime"), limit=7)
        out.append(sorted(item.id for item in search.items()))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
