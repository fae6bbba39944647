/**
 * The controlled lists the two methodologies check against, as data, with their sources.
 *
 * - MQA non-proprietary and machine-readable formats: data.europa.eu's MQA vocabularies `edp-non-proprietary-format.rdf`
 *   and `edp-machine-readable-format.rdf` (European Data Portal, edp-vocabularies; EU Publications Office file-type
 *   codes; reuse under the Commission's reuse policy, CC BY 4.0), as copied in the public ckan-mqa project.
 * - F-UJI file formats (FsF-R1.3-02D): `fuji_server/data/{science,open,longterm}_formats.json` of F-UJI
 *   (pangaea-data-publisher/fuji, MIT), the media types relevant to land-surface data.
 */
import { EU_ACCESS_RIGHT, EU_FILE_TYPE } from '../../core/vocab.js';

export const IANA_MEDIA_TYPE = 'https://www.iana.org/assignments/media-types/';

/** EU file-type codes the MQA counts as non-proprietary. */
export const NON_PROPRIETARY = new Set(
  'BMP CSV DBF ETSI_XML GEOJSON GPKG GZIP HTML ICS JPEG2000 JSON JSON_LD KML KMZ NETCDF ODS PNG RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG RDF_TURTLE RDF_XML RSS RTF TAR TIFF TSV TXT WMS_SRVC XML ZIP'.split(
    ' ',
  ),
);

/** EU file-type codes the MQA counts as machine-readable (the data formats of the list; office and media types too). */
export const MACHINE_READABLE = new Set(
  (
    '7Z ARC ARCINFO_COV ARC_GZ ATOM BIN BMP BZIP2 CSV DBF DGN DMP DOC DOCX DTD_XML DWG DXF E00 ECW GDB GEOJSON GEOTIFF GIF GML GMZ ' +
    'GPKG GRID GRID_ASCII GTFS GZIP HDF HDT HTML HTML5 ICS JPEG JPEG2000 JSON JSON_LD KML KMZ LAS LAZ MAP_PRVW MAP_SRVC MDB MIF_MID ' +
    'MRSID MXD N3 NETCDF OCTET ODB ODC ODF ODG ODP ODS ODT OWL PDF PDFA1A PDFA1B PDFA2A PDFA2B PDFA3 PNG PPT PPTX PS PSD QGS RAR RDF ' +
    'RDFA RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG RDF_TRIX RDF_TURTLE RDF_XML REST RSS RTF SCHEMA_XML SDMX SHP SKOS_XML SPARQLQ ' +
    'SPARQLQRES SQL SVG TAB TAB_RSTR TAR TAR_GZ TAR_XZ TIFF TSV TXT WCS_SRVC WFS_SRVC WMS_SRVC WMTS_SRVC WORLD XHTML XLS XLSB XLSM ' +
    'XLSX XML XSLT XYZ XZ YAML ZIP'
  ).split(' '),
);

/** The EU file-type code of a format IRI, or undefined. */
export function fileTypeCode(iri: string | undefined): string | undefined {
  return iri?.startsWith(EU_FILE_TYPE) ? iri.slice(EU_FILE_TYPE.length) : undefined;
}

export function isEuAccessRight(iri: string | undefined): boolean {
  return !!iri?.startsWith(EU_ACCESS_RIGHT);
}

/** COAR access rights (used by repositories; F-UJI reads them as machine-readable access levels). */
export const COAR_ACCESS_RIGHTS = 'http://purl.org/coar/access_right/';

/** Media types of F-UJI's scientific, open and long-term format lists that land-surface data use. */
export const FUJI_FORMATS = new Set([
  // science_formats.json / open_formats.json
  'application/netcdf',
  'application/x-netcdf',
  'application/x-hdf5',
  'application/x-hdf',
  'application/x-h5',
  'application/geo+json',
  'application/wmo-grib2',
  'application/x-grib',
  'application/dbf',
  'application/dbase',
  'application/fits',
  'application/x-cdf',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
  // longterm_formats.json
  'application/pdf',
  'image/tiff',
  'image/png',
  'image/jpeg',
  'image/jp2',
  'image/gif',
  'image/bmp',
  'image/svg+xml',
]);

/** The media type F-UJI would read for an EU file-type code, for records that give a format but no media type. */
export const FILE_TYPE_MEDIA: Record<string, string> = {
  NETCDF: 'application/x-netcdf',
  HDF: 'application/x-hdf5',
  GEOJSON: 'application/geo+json',
  GRIB: 'application/x-grib',
  DBF: 'application/dbf',
  XLS: 'application/vnd.ms-excel',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
  PDF: 'application/pdf',
  GEOTIFF: 'image/tiff',
  TIFF: 'image/tiff',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  JPEG2000: 'image/jp2',
  GIF: 'image/gif',
  BMP: 'image/bmp',
  SVG: 'image/svg+xml',
  CSV: 'text/csv',
  JSON: 'application/json',
  XML: 'application/xml',
  ZIP: 'application/zip',
};

/** Concept schemes F-UJI's linked-vocabulary lists know (FsF-I2-01M), as IRI prefixes of the themes records carry. */
export const KNOWN_VOCABULARIES = [
  'http://inspire.ec.europa.eu/',
  'https://inspire.ec.europa.eu/',
  'http://www.eionet.europa.eu/gemet/',
  'https://www.eionet.europa.eu/gemet/',
  'https://gcmd.earthdata.nasa.gov/kms/',
  'http://publications.europa.eu/resource/authority/',
  'http://data.europa.eu/',
  'https://w3id.org/ozcar-theia/',
  'http://vocab.nerc.ac.uk/',
  'https://vocab.nerc.ac.uk/',
  'http://www.opengis.net/def/',
  'http://purl.obolibrary.org/obo/',
];
