"""pyshacl on each record's own graph: the DCAT-AP 3.0.1 shapes and ranges loaded once, every record validated alone.

Usage: shacl_records.py SHAPES.ttl [SHAPES.ttl ...] < records.json
records.json: a JSON list of {"id": ..., "nt": "<N-Triples of the record's graph>"}.
Prints a JSON list, one entry per record: {"id", "conforms", "results": [{"severity", "focus", "path", "component",
"value", "message"}]}, paths and classes written with the usual prefixes (dct:, dcat:, foaf:...).
"""
import json
import sys

from pyshacl import validate
from rdflib import BNode, Graph, Namespace, URIRef

SH = Namespace('http://www.w3.org/ns/shacl#')
PREFIXES = {
    'http://purl.org/dc/terms/': 'dct:',
    'http://www.w3.org/ns/dcat#': 'dcat:',
    'http://xmlns.com/foaf/0.1/': 'foaf:',
    'http://www.w3.org/2006/vcard/ns#': 'vcard:',
    'http://www.w3.org/2004/02/skos/core#': 'skos:',
    'http://www.w3.org/ns/adms#': 'adms:',
    'http://www.w3.org/ns/prov#': 'prov:',
}


def short(term, graph):
    if term is None:
        return None
    if isinstance(term, BNode):
        # a path such as [ sh:inversePath dcat:inSeries ]
        inverse = graph.value(term, SH.inversePath)
        return '^' + short(inverse, graph) if inverse is not None else '_:blank'
    text = str(term)
    if isinstance(term, URIRef):
        for ns, prefix in PREFIXES.items():
            if text.startswith(ns):
                return prefix + text[len(ns):]
    return text


def main():
    shapes = Graph()
    for f in sys.argv[1:]:
        shapes.parse(f, format='turtle')
    out = []
    for rec in json.load(sys.stdin):
        data = Graph().parse(data=rec['nt'], format='nt')
        conforms, report, _ = validate(data, shacl_graph=shapes)
        results = []
        for r in report.subjects(SH.resultSeverity, None):
            results.append({
                'severity': short(report.value(r, SH.resultSeverity), report).split('#')[-1],
                'focus': str(report.value(r, SH.focusNode)),
                'path': short(report.value(r, SH.resultPath), report),
                'component': short(report.value(r, SH.sourceConstraintComponent), report).split('#')[-1],
                'value': str(report.value(r, SH.value)) if report.value(r, SH.value) is not None else None,
                'message': str(report.value(r, SH.resultMessage)),
            })
        out.append({'id': rec['id'], 'conforms': bool(conforms), 'results': results})
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
