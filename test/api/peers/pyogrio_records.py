"""A recent GDAL (the one pyogrio's wheels carry, from PyPI) reading an OGC API through its OAPIF driver, as Python
GIS scripts (geopandas) and recent QGIS do. Usage: pyogrio_records.py ROOT COMMAND [LAYER] [JSON OPTIONS]

  version                      GDAL's version
  layers                       the layers, as [name, ...]
  summary LAYER                the layer's feature count and title, as GDAL reports them without reading the features
  read LAYER {"where": ..., "bbox": [w, s, e, n], "page_size": n}
                               every feature GDAL reads, as [{"id": ..., "geometry": "Polygon" | ... | null}, ...]

Prints one JSON value on stdout; GDAL's errors raise (a non-zero exit with the message on stderr)."""
import json
import struct
import sys

import pyogrio
from pyogrio import raw

WKB_TYPES = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon"}


def geometry_type(wkb) -> "str | None":
    if wkb is None:
        return None
    order = "<" if wkb[0] == 1 else ">"
    return WKB_TYPES.get(struct.unpack(order + "I", bytes(wkb[1:5]))[0] % 1000, "other")


def main() -> None:
    root, command = sys.argv[1], sys.argv[2]
    url = f"OAPIF:{root}"
    if command == "version":
        out = pyogrio.__gdal_version_string__
    elif command == "layers":
        out = [str(name) for name, _ in pyogrio.list_layers(url)]
    elif command == "summary":
        info = pyogrio.read_info(url, layer=sys.argv[3])
        out = {"count": info["features"], "title": (info.get("layer_metadata") or {}).get("TITLE", "")}
    elif command == "read":
        options = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
        open_options = {"PAGE_SIZE": str(options["page_size"])} if "page_size" in options else {}
        _, _, geometries, fields = raw.read(
            url,
            layer=sys.argv[3],
            columns=["id"],
            where=options.get("where"),
            bbox=tuple(options["bbox"]) if "bbox" in options else None,
            **open_options,
        )
        out = [{"id": str(i), "geometry": geometry_type(g)} for i, g in zip(fields[0], geometries)]
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
