"""rdflib and pyshacl on the hub's DCAT-AP output, for the DCAT tests. Prints one JSON document.

  rdf_check.py parse FILE FORMAT          triples, the catalogue's datasets and services, its catalog records
  rdf_check.py walk URL [ACCEPT]          follows hydra:next from URL to the end the way data.gouv.fr's harvester does
                                          (serialisation chosen from each answer's Content-Type); per page the
                                          datasets and services the catalogue links, and hydra:totalItems
  rdf_check.py shacl FILE FORMAT SHAPES   pyshacl with SHAPES (the official base and range shapes): the violations
"""

import json
import sys

import rdflib
from rdflib.namespace import RDF

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")

FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


def catalogue(g):
    cats = list(g.subjects(RDF.type, DCAT.Catalog))
    items = []
    for c in cats:
        items += [str(o) for o in g.objects(c, DCAT.dataset)]
        items += [str(o) for o in g.objects(c, DCAT.service)]
    records = [str(o) for c in cats for o in g.objects(c, DCAT.record)]
    return {"catalogues": [str(c) for c in cats], "items": items, "records": len(records)}


def parse(path, fmt):
    g = rdflib.Graph()
    g.parse(path, format=fmt)
    out = catalogue(g)
    out["triples"] = len(g)
    return out


def walk(url, accept):
    import requests

    pages = []
    seen = set()
    while url and url not in seen and len(pages) < 10000:
        seen.add(url)
        r = requests.get(url, headers={"Accept": accept} if accept else {}, timeout=120)
        r.raise_for_status()
        ctype = r.headers["Content-Type"].split(";")[0].strip()
        g = rdflib.Graph()
        g.parse(data=r.content, format=FORMATS[ctype], publicID=url)
        view = next(iter(g.subjects(RDF.type, HYDRA.PartialCollectionView)), None)
        total = next(iter(g.objects(None, HYDRA.totalItems)), None)
        nxt = g.value(view, HYDRA.next) if view is not None else None
        page = catalogue(g)
        page.update({"url": url, "contentType": ctype, "totalItems": int(total) if total is not None else None, "triples": len(g)})
        page["first"] = str(g.value(view, HYDRA.first)) if view is not None else None
        page["last"] = str(g.value(view, HYDRA.last)) if view is not None else None
        page["previous"] = str(g.value(view, HYDRA.previous)) if view is not None and g.value(view, HYDRA.previous) else None
        pages.append(page)
        url = str(nxt) if nxt is not None else None
    return {"pages": pages}


def shacl(path, fmt, shapes):
    import pyshacl

    data = rdflib.Graph()
    data.parse(path, format=fmt)
    sg = rdflib.Graph()
    sg.parse(shapes, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=sg, inference="none", abort_on_first=False)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        violations.append(
            {
                "focus": str(results.value(r, SH.focusNode)),
                "path": str(results.value(r, SH.resultPath)),
                "message": str(results.value(r, SH.resultMessage)),
                "severity": str(results.value(r, SH.resultSeverity)),
            }
        )
    return {"conforms": bool(conforms), "triples": len(data), "violations": violations}


def main():
    cmd = sys.argv[1]
    if cmd == "parse":
        out = parse(sys.argv[2], sys.argv[3])
    elif cmd == "walk":
        out = walk(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    elif cmd == "shacl":
        out = shacl(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit("unknown command " + cmd)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
