/** The typed JSON-LD literals of the normalised record (dates, WKT and GeoJSON geometries), shared by every floor. */

export type DateType = 'xsd:date' | 'xsd:dateTime' | 'xsd:gYear' | 'xsd:gYearMonth';
export interface DateLiteral {
  '@value': string;
  '@type': DateType;
}
export interface WktLiteral {
  '@value': string;
  '@type': 'gsp:wktLiteral';
}
export interface GeoJsonLiteral {
  '@value': string;
  '@type': 'gsp:geoJSONLiteral';
}
