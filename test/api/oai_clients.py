"""Real OAI-PMH clients against the hub's /oai, for test/api/oai-clients.test.ts. Prints one JSON document.

  oai_clients.py walk sickle|scythe URL ListRecords|ListIdentifiers PREFIX [--set S] [--from F] [--until U]
      every item of the list, through every resumptionToken: identifier, deleted, datestamp, setSpecs, and for
      ListRecords with oai_dc the dc:identifier values in order and the root element's local name
  oai_clients.py dataverse URL [--set S]
      harvests oai_dc the way a Dataverse harvesting client does (ListIdentifiers, then GetRecord for each) and
      imports each record with the rules of Dataverse's generic importer: root element local name "dc"; the first
      dc:identifier containing "doi" or "hdl" is the global identifier candidate (none: a live Handle lookup of
      every identifier would follow, counted as refused); it must be doi:/hdl:/perma: or a doi.org, dx.doi.org or
      hdl.handle.net resolver URL with an authority and an identifier, else "Failed to find a global identifier"
  oai_clients.py datacite URL PREFIX OUTDIR [--set S]
      Sickle walks ListRecords PREFIX (oai_datacite or datacite), of one set if given, through every resumptionToken
      and writes each live record's metadata element (the DataCite <resource>) as its own XML file in OUTDIR; prints
      per item the identifier, deleted, setSpecs, the file and the values read back (identifier and its type, titles,
      creator names, geoLocationBox, geoLocationPoint, geoLocationPolygon, Collected dates, rightsURIs, descriptions,
      related identifiers, funding references); and the completeListSize of each page's resumptionToken
  oai_clients.py formats URL IDENTIFIER
      Sickle's ListMetadataFormats for one item: the metadataPrefixes, or the OAI-PMH error code
  oai_clients.py error URL VERB [ARG=VALUE ...]
      one request through Sickle; the OAI-PMH error code it raised, or "none"
"""

import json
import sys

from lxml import etree

OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DC = "http://purl.org/dc/elements/1.1/"


def options(argv):
    out = {}
    i = 0
    while i < len(argv):
        if argv[i].startswith("--"):
            out[argv[i][2:]] = argv[i + 1]
            i += 2
        else:
            i += 1
    return out


def local(tag):
    return tag.split("}")[-1]


def metadata_root(record_xml):
    """The root element of a record's metadata (lxml element of the <record>)."""
    md = record_xml.find("{http://www.openarchives.org/OAI/2.0/}metadata")
    if md is None:
        return None
    children = [c for c in md if isinstance(c.tag, str)]
    return children[0] if children else None


def walk(client, url, verb, prefix, opts):
    args = {"metadataPrefix": prefix}
    if "set" in opts:
        args["set"] = opts["set"]
    if "from" in opts:
        args["from"] = opts["from"]
    if "until" in opts:
        args["until"] = opts["until"]
    items = []
    if client == "sickle":
        from sickle import Sickle
        from sickle.oaiexceptions import NoRecordsMatch

        s = Sickle(url, max_retries=0, timeout=120)
        try:
            it = s.ListRecords(ignore_deleted=False, **args) if verb == "ListRecords" else s.ListIdentifiers(ignore_deleted=False, **args)
            for item in it:
                items.append(describe(item, verb))
        except NoRecordsMatch:
            pass
    else:
        from oaipmh_scythe import Scythe
        from oaipmh_scythe.exceptions import NoRecordsMatch

        kwargs = {"metadata_prefix": prefix, "set_": opts.get("set"), "from_": opts.get("from"), "until": opts.get("until")}
        with Scythe(url) as s:
            try:
                it = s.list_records(**kwargs) if verb == "ListRecords" else s.list_identifiers(**kwargs)
                for item in it:
                    items.append(describe(item, verb))
            except NoRecordsMatch:
                pass
    return {"count": len(items), "items": items}


def describe(item, verb):
    header = item.header if verb == "ListRecords" else item
    out = {
        "identifier": header.identifier,
        "deleted": bool(header.deleted),
        "datestamp": header.datestamp,
        "sets": list(header.setSpecs),
    }
    if verb == "ListRecords" and not header.deleted:
        root = metadata_root(item.xml)
        out["root"] = local(root.tag) if root is not None else None
        out["dcIdentifiers"] = [e.text for e in root.iter("{%s}identifier" % DC)] if root is not None else []
    return out


GLOBAL_PREFIXES = ("doi:", "hdl:", "perma:")
RESOLVERS = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "https://hdl.handle.net/", "http://hdl.handle.net/")


def dataverse_global_id(identifiers):
    """Dataverse's rule: the first identifier holding doi or hdl, in a form it can reassign as a global id."""
    candidate = next((i for i in identifiers if "doi" in i.lower() or "hdl" in i.lower()), None)
    if candidate is None:
        return None, "no dc:identifier holds doi or hdl (a live Handle lookup of each identifier would follow)"
    if candidate.startswith(GLOBAL_PREFIXES):
        rest = candidate.split(":", 1)[1]
    elif candidate.startswith(RESOLVERS):
        rest = candidate.split("/", 3)[3]
    else:
        return None, "Failed to find a global identifier in the OAI_DC XML record (%s)" % candidate
    authority, _, ident = rest.partition("/")
    if not authority or not ident:
        return None, "Failed to find a global identifier in the OAI_DC XML record (%s)" % candidate
    return candidate, None


def dataverse(url, opts):
    from sickle import Sickle

    s = Sickle(url, max_retries=0, timeout=120)
    args = {"metadataPrefix": "oai_dc"}
    if "set" in opts:
        args["set"] = opts["set"]
    imported, refused, deleted = [], [], []
    for header in s.ListIdentifiers(ignore_deleted=False, **args):
        if header.deleted:
            deleted.append(header.identifier)
            continue
        rec = s.GetRecord(identifier=header.identifier, metadataPrefix="oai_dc")
        root = metadata_root(rec.xml)
        if root is None or local(root.tag) != "dc":
            refused.append({"identifier": header.identifier, "why": "metadata root is not dc"})
            continue
        ids = [e.text or "" for e in root.iter("{%s}identifier" % DC)]
        gid, why = dataverse_global_id(ids)
        if gid is None:
            refused.append({"identifier": header.identifier, "why": why})
        else:
            imported.append({"identifier": header.identifier, "globalId": gid})
    return {"imported": imported, "refused": refused, "deleted": deleted}


DATACITE = "http://datacite.org/schema/kernel-4"


def datacite(url, prefix, outdir, opts):
    import os

    from sickle import Sickle

    s = Sickle(url, max_retries=0, timeout=120)
    items = []
    args = {"metadataPrefix": prefix, **({"set": opts["set"]} if "set" in opts else {})}
    records = s.ListRecords(ignore_deleted=False, **args)
    sizes = []
    for n, rec in enumerate(records):
        token = records.resumption_token
        if token is not None and (not sizes or sizes[-1] != (token.cursor, token.complete_list_size)):
            sizes.append((token.cursor, token.complete_list_size))
        out = {"identifier": rec.header.identifier, "deleted": bool(rec.header.deleted), "sets": list(rec.header.setSpecs)}
        if not rec.header.deleted:
            root = metadata_root(rec.xml)
            path = os.path.join(outdir, "%05d.xml" % n)
            with open(path, "wb") as f:
                f.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
            q = lambda name: "{%s}%s" % (DATACITE, name)
            ident = root.find(q("identifier"))
            box = root.find(".//" + q("geoLocationBox"))
            out.update(
                {
                    "file": path,
                    "root": local(root.tag),
                    "namespace": root.tag.split("}")[0][1:],
                    "identifier": rec.header.identifier,
                    "id": ident.text,
                    "idType": ident.get("identifierType"),
                    "titles": [t.text for t in root.iter(q("title")) if t.get("titleType") is None],
                    "creators": [c.text for c in root.iter(q("creatorName"))],
                    "boxes": [
                        [float(b.find(q(k)).text) for k in ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
                        for b in root.iter(q("geoLocationBox"))
                    ]
                    if box is not None
                    else [],
                    "points": [[float(p.find(q(k)).text) for k in ("pointLongitude", "pointLatitude")] for p in root.iter(q("geoLocationPoint"))],
                    "polygons": [
                        [[float(p.find(q(k)).text) for k in ("pointLongitude", "pointLatitude")] for p in g.iter(q("polygonPoint"))]
                        for g in root.iter(q("geoLocationPolygon"))
                    ],
                    "collected": [d.text for d in root.iter(q("date")) if d.get("dateType") == "Collected"],
                    "rightsURIs": [r.get("rightsURI") for r in root.iter(q("rights")) if r.get("rightsURI")],
                    "descriptions": [[d.get("descriptionType"), d.get("{http://www.w3.org/XML/1998/namespace}lang"), d.text] for d in root.iter(q("description"))],
                    "related": [
                        [r.text, r.get("relatedIdentifierType"), r.get("relationType")] for r in root.iter(q("relatedIdentifier"))
                    ],
                    "funding": [
                        {
                            "funderName": f.findtext(q("funderName")),
                            "funderIdentifier": f.findtext(q("funderIdentifier")),
                        }
                        for f in root.iter(q("fundingReference"))
                    ],
                }
            )
        items.append(out)
    return {"count": len(items), "items": items, "pages": [{"cursor": int(c), "completeListSize": int(z)} for c, z in sizes]}


def formats(url, identifier):
    from sickle import Sickle

    s = Sickle(url, max_retries=0, timeout=60)
    try:
        return {"prefixes": [f.metadataPrefix for f in s.ListMetadataFormats(identifier=identifier)]}
    except Exception as e:
        name = type(e).__name__
        return {"code": name[0].lower() + name[1:], "message": str(e)}


def error(url, verb, pairs):
    """One request: through Sickle's own call for the verb (the exception it raises names the error code), or RAW
    (a request no client sends as such, e.g. a repeated argument), read with requests."""
    import requests
    from sickle import Sickle

    if verb == "RAW":
        r = requests.get(url + "?" + "&".join(pairs), timeout=60)
        err = etree.fromstring(r.content).find("{http://www.openarchives.org/OAI/2.0/}error")
        return {"code": err.get("code") if err is not None else "none", "status": r.status_code, "message": err.text if err is not None else None}
    s = Sickle(url, max_retries=0, timeout=60)
    args = dict(p.split("=", 1) for p in pairs)
    calls = {
        "Identify": lambda: s.Identify(),
        "GetRecord": lambda: s.GetRecord(**args),
        "ListSets": lambda: next(iter(s.ListSets(**args))),
        "ListMetadataFormats": lambda: next(iter(s.ListMetadataFormats(**args))),
        "ListIdentifiers": lambda: next(iter(s.ListIdentifiers(**args))),
        "ListRecords": lambda: next(iter(s.ListRecords(**args))),
    }
    try:
        calls[verb]()
        return {"code": "none"}
    except Exception as e:  # Sickle raises one exception class per OAI-PMH error code
        name = type(e).__name__
        return {"code": name[0].lower() + name[1:], "message": str(e)}


def main():
    cmd = sys.argv[1]
    if cmd == "walk":
        client, url, verb, prefix = sys.argv[2:6]
        out = walk(client, url, verb, prefix, options(sys.argv[6:]))
    elif cmd == "dataverse":
        out = dataverse(sys.argv[2], options(sys.argv[3:]))
    elif cmd == "datacite":
        out = datacite(sys.argv[2], sys.argv[3], sys.argv[4], options(sys.argv[5:]))
    elif cmd == "formats":
        out = formats(sys.argv[2], sys.argv[3])
    elif cmd == "error":
        out = error(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit("unknown command " + cmd)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
