/**
 * A CQL2 expression (OGC 21-065r2, Common Query Language) in its JSON encoding, the one form both languages are read
 * into (pipelines/cql2.ts: `cql2-text` and `cql2-json`) and the form pipelines/cql2-query.ts turns into an index query.
 */

/** `{ "op": "and", "args": [...] }`: operators and functions alike (names lower case as the JSON encoding spells them). */
export interface Cql2Op {
  op: string;
  args: Cql2Expr[];
}
export interface Cql2Property {
  property: string;
}
export interface Cql2Timestamp {
  timestamp: string;
}
export interface Cql2Date {
  date: string;
}
/** Bounds are dates, timestamps, `".."` (open), properties or function calls. */
export interface Cql2Interval {
  interval: (string | Cql2Date | Cql2Timestamp | Cql2Property | Cql2Op)[];
}
/** [west, south, east, north] or with a third dimension [w, s, min z, e, n, max z]. */
export interface Cql2Bbox {
  bbox: number[];
}
/** A GeoJSON geometry (WKT literals of the text encoding are read into these). */
export interface Cql2Geometry {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection';
  coordinates?: unknown;
  geometries?: Cql2Geometry[];
}

export type Cql2Node = Cql2Op | Cql2Property | Cql2Timestamp | Cql2Date | Cql2Interval | Cql2Bbox | Cql2Geometry;
/** A literal (string, number, boolean), a node, or an array literal (`('a', 'b')` / `["a", "b"]`). */
export type Cql2Expr = string | number | boolean | Cql2Node | Cql2Expr[];
