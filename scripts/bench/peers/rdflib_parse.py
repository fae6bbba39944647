"""Peer of scripts/bench/dcat.ts: rdflib (the RDF library of CKAN's and udata's DCAT harvesters) parsing the pages of a
DCAT catalogue, and counting the datasets, series and services of each. Parse only: no mapping, no validation. Prints one JSON line."""
import json
import os
import sys
import time

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

folder, fmt = sys.argv[1], sys.argv[2]
RECORDS = [URIRef("http://www.w3.org/ns/dcat#" + c) for c in ("Dataset", "DatasetSeries", "DataService")]
files = sorted(f for f in os.listdir(folder) if f.startswith("page-"))
records = 0
t0 = time.perf_counter()
for f in files:
    g = Graph()
    g.parse(os.path.join(folder, f), format="turtle" if fmt == "turtle" else "nt")
    records += len({s for c in RECORDS for s in g.subjects(RDF.type, c)})
print(json.dumps({"records": records, "seconds": time.perf_counter() - t0}))
