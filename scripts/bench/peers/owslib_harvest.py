"""Peer for scripts/bench/harvest.ts: OWSLib harvesting a CSW endpoint page by page (esn=full, gmd), as a harvester
built on OWSLib would, keeping what OWSLib parses. It indexes nothing.

Usage: python owslib_harvest.py URL PAGE_SIZE   prints one JSON line {returned, kept, seconds, rate}
"""
import json
import warnings

warnings.simplefilter("ignore")
import sys
import time

from owslib.csw import CatalogueServiceWeb


def main() -> None:
    url, page = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    csw = CatalogueServiceWeb(url, timeout=120)
    position, returned, kept = 1, 0, 0
    while True:
        csw.getrecords2(esn='full', outputschema='http://www.isotc211.org/2005/gmd', startposition=position, maxrecords=page)
        n = int(csw.results.get('returned', 0))
        returned += n
        kept += len(csw.records)
        nxt = int(csw.results.get('nextrecord', 0) or 0)
        if n == 0 or nxt == 0 or nxt <= position or nxt > int(csw.results.get('matches', 0)):
            break
        position = nxt
    elapsed = time.perf_counter() - start
    print(json.dumps({'returned': returned, 'kept': kept, 'seconds': elapsed, 'rate': returned / elapsed}))


if __name__ == '__main__':
    main()
