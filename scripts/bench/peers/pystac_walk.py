"""Peer for scripts/bench/stac.ts: pystac-client walking a STAC API as a harvester built on it would: Client.open,
then for each collection its items, page by page, as pystac Items (parsed, nothing indexed).

VIA 'collection' (default): the collection's items endpoint (GET, next links), what CollectionClient.get_items() does,
    but with a page size (get_items() takes none: the server's default would be used);
VIA 'search': Client.search(collections=[id], limit=LIMIT, method='POST') (rustac answers 500 to GET /search?collections=).

Usage: python pystac_walk.py URL LIMIT [VIA]   prints one JSON line {items, seconds, rate}
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")

from pystac_client import Client, ItemSearch


def main() -> None:
    url, limit = sys.argv[1], int(sys.argv[2])
    via = sys.argv[3] if len(sys.argv) > 3 else 'collection'
    if via not in ('collection', 'search'):
        raise SystemExit(f"VIA must be 'collection' or 'search' (got {via!r})")
    start = time.perf_counter()
    client = Client.open(url)
    items = 0
    for collection in client.get_collections():
        if via == 'search':
            search = client.search(collections=[collection.id], limit=limit, method='POST')
        else:
            # as CollectionClient.get_items() builds it, plus the page size
            search = ItemSearch(url=collection._items_href(), method='GET', client=client, limit=limit)
        for _ in search.items():
            items += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({'items': items, 'seconds': elapsed, 'rate': items / elapsed}))


if __name__ == '__main__':
    main()
