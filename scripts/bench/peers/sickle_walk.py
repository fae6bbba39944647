"""Sickle walks an OAI-PMH list to its end (or to the error that stops it): prints {count, seconds, error}."""
import json
import sys
import time

from sickle import Sickle

url, prefix = sys.argv[1], sys.argv[2]
verb = sys.argv[3] if len(sys.argv) > 3 else "ListRecords"
s = Sickle(url, max_retries=0, timeout=600)
count = 0
error = None
t0 = time.perf_counter()
try:
    it = s.ListRecords(metadataPrefix=prefix, ignore_deleted=False) if verb == "ListRecords" else s.ListIdentifiers(metadataPrefix=prefix, ignore_deleted=False)
    for _ in it:
        count += 1
except Exception as e:  # what stops the walk: pycsw refuses its own resumption requests
    error = "%s: %s" % (type(e).__name__, str(e)[:200])
print(json.dumps({"count": count, "seconds": time.perf_counter() - t0, "error": error}))
