"""Peer for scripts/bench/validate.ts: OWSLib's ISO parser (owslib.iso.MD_Metadata, lxml) on every *.xml file of a
folder, as a whole process (start-up, imports and file reads included), each file read and parsed once.

Usage: python owslib_files.py FOLDER   prints one JSON line {records, failed}
"""
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")

from owslib.etree import etree  # noqa: E402
from owslib.iso import MD_Metadata  # noqa: E402


def main() -> None:
    folder = sys.argv[1]
    done = failed = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.xml'):
            continue
        with open(os.path.join(folder, name), 'rb') as fh:
            blob = fh.read()
        try:
            MD_Metadata(etree.fromstring(blob))
            done += 1
        except Exception:  # noqa: BLE001 - a peer failure is counted, not fatal
            failed += 1
    print(json.dumps({'records': done, 'failed': failed}))


if __name__ == '__main__':
    main()
