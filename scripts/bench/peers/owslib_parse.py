"""Peer for scripts/bench/map.ts: OWSLib's ISO parser (owslib.iso.MD_Metadata, lxml) on the same files, one core.

Usage: python owslib_parse.py SECONDS FILE...   prints one JSON line {records, seconds, rate, failed}
"""
import json
import warnings

warnings.simplefilter("ignore")
import sys
import time

from owslib.etree import etree
from owslib.iso import MD_Metadata


def main() -> None:
    seconds = float(sys.argv[1])
    blobs = [open(f, 'rb').read() for f in sys.argv[2:]]
    done = failed = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for blob in blobs:
            try:
                MD_Metadata(etree.fromstring(blob))
            except Exception:  # noqa: BLE001 - a peer failure is counted, not fatal
                failed += 1
            done += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({'records': done, 'seconds': elapsed, 'rate': done / elapsed, 'failed': failed}))


if __name__ == '__main__':
    main()
