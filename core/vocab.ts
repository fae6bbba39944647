/**
 * Shared controlled vocabularies and small literal builders used by every crosswalk (ISO, STAC, OZCAR).
 *
 * Pure functions, no I/O. Every function returns `undefined` (never throws) when it does not recognise its input,
 * so that callers can fall back to a label. Signatures are stable: other crosswalks import them.
 *
 * Authorities used (GeoDCAT-AP 2/3 recommendations):
 * - languages: EU language authority http://publications.europa.eu/resource/authority/language/{ISO 639-2/T upper}
 * - roles, topic categories, resource types, service types: INSPIRE metadata code lists
 *   http://inspire.ec.europa.eu/metadata-codelist/{List}/{code}
 * - file types: EU file-type authority http://publications.europa.eu/resource/authority/file-type/{CODE}
 * - frequencies: EU frequency authority http://publications.europa.eu/resource/authority/frequency/{CODE}
 * - access rights: EU access-right authority (PUBLIC, RESTRICTED, NON_PUBLIC)
 * - licences: the licence's canonical IRI (Creative Commons, Open Data Commons, Etalab, ...), see LICENSES below
 * - OGC service types: http://www.opengis.net/def/serviceType/ogc/{wms|wfs|...}
 */
import type { DateLiteral, WktLiteral } from './literals.js';

// ---------------------------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------------------------

export const EU_LANGUAGE = 'http://publications.europa.eu/resource/authority/language/';

/**
 * ISO 639-1 (2 letters) → ISO 639-2/T (3 letters) as used by the EU language authority, for the languages a
 * land-surface hub meets (EU official languages, EFTA, regional and major world languages).
 */
const ISO1_TO_3: Record<string, string> = {
  ar: 'ara',
  bg: 'bul',
  br: 'bre',
  bs: 'bos',
  ca: 'cat',
  co: 'cos',
  cs: 'ces',
  cy: 'cym',
  da: 'dan',
  de: 'deu',
  el: 'ell',
  en: 'eng',
  eo: 'epo',
  es: 'spa',
  et: 'est',
  eu: 'eus',
  fa: 'fas',
  fi: 'fin',
  fo: 'fao',
  fr: 'fra',
  fy: 'fry',
  ga: 'gle',
  gd: 'gla',
  gl: 'glg',
  he: 'heb',
  hi: 'hin',
  hr: 'hrv',
  hu: 'hun',
  hy: 'hye',
  id: 'ind',
  is: 'isl',
  it: 'ita',
  ja: 'jpn',
  ka: 'kat',
  kk: 'kaz',
  ko: 'kor',
  la: 'lat',
  lb: 'ltz',
  lt: 'lit',
  lv: 'lav',
  mk: 'mkd',
  ms: 'msa',
  mt: 'mlt',
  nb: 'nob',
  nl: 'nld',
  nn: 'nno',
  no: 'nor',
  oc: 'oci',
  pl: 'pol',
  pt: 'por',
  rm: 'roh',
  ro: 'ron',
  ru: 'rus',
  se: 'sme',
  sk: 'slk',
  sl: 'slv',
  sq: 'sqi',
  sr: 'srp',
  sv: 'swe',
  sw: 'swa',
  th: 'tha',
  tr: 'tur',
  uk: 'ukr',
  ur: 'urd',
  vi: 'vie',
  zh: 'zho',
};
/** ISO 639-2/B codes that differ from /T. */
const ISO2B_TO_T: Record<string, string> = {
  alb: 'sqi',
  arm: 'hye',
  baq: 'eus',
  bur: 'mya',
  chi: 'zho',
  cze: 'ces',
  dut: 'nld',
  fre: 'fra',
  geo: 'kat',
  ger: 'deu',
  gre: 'ell',
  ice: 'isl',
  mac: 'mkd',
  may: 'msa',
  mao: 'mri',
  per: 'fas',
  rum: 'ron',
  slo: 'slk',
  tib: 'bod',
  wel: 'cym',
};
const ISO3_TO_1: Record<string, string> = Object.fromEntries(Object.entries(ISO1_TO_3).map(([a, b]) => [b, a]));
/** English names seen in free-text language fields ("English", "French; Français"). */
const NAME_TO_3: Record<string, string> = {
  english: 'eng',
  french: 'fra',
  français: 'fra',
  francais: 'fra',
  german: 'deu',
  deutsch: 'deu',
  italian: 'ita',
  italiano: 'ita',
  spanish: 'spa',
  español: 'spa',
  dutch: 'nld',
  nederlands: 'nld',
  greek: 'ell',
  portuguese: 'por',
  polish: 'pol',
  czech: 'ces',
  swedish: 'swe',
  danish: 'dan',
  finnish: 'fin',
  romansh: 'roh',
  catalan: 'cat',
};

/** ISO 639-2/T 3-letter code (lower case) of a language code or name: "fr", "fre", "fra", "fr-FR", "FR_fr", "French". */
export function iso639_3(code: string | undefined): string | undefined {
  if (!code) return undefined;
  let c = code.trim().toLowerCase();
  if (!c) return undefined;
  // An IRI of the EU authority or of id.loc.gov: keep its last segment.
  if (c.includes('/')) c = c.slice(c.lastIndexOf('/') + 1);
  // Locale forms: fr-FR, fr_CH, "fre; FR" (GeoNetwork), "eng;usa".
  const m = /^([a-z]{2,3})(?:[-_;: ,.].*)?$/.exec(c);
  if (m) {
    const base = m[1];
    if (base.length === 2) return ISO1_TO_3[base];
    return ISO2B_TO_T[base] ?? base;
  }
  return NAME_TO_3[c.split(/[;,(]/)[0].trim()];
}

/** EU language authority IRI, e.g. "fre" → http://publications.europa.eu/resource/authority/language/FRA. */
export function languageIri(code: string | undefined): string | undefined {
  const c3 = iso639_3(code);
  return c3 && /^[a-z]{3}$/.test(c3) ? EU_LANGUAGE + c3.toUpperCase() : undefined;
}

/** Key of a JSON-LD language map: 2-letter code when one exists ("ger" → "de"), else the 3-letter code, else "@none". */
export function langKey(code: string | undefined): string {
  const c3 = iso639_3(code);
  if (!c3 || !/^[a-z]{3}$/.test(c3)) return '@none';
  return ISO3_TO_1[c3] ?? c3;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates, geometry, identifiers
// ---------------------------------------------------------------------------------------------------------------

const RE_YEAR = /^-?\d{4}$/;
const RE_YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const RE_DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:?\d{2})?$/;
const RE_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const RE_COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function validYmd(y: string, m: string, d: string): boolean {
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = new Date(Date.UTC(Number(y), mm, 0)).getUTCDate();
  return dd <= days;
}

/**
 * Typed literal of a date string: "2020" → xsd:gYear, "2020-05" → xsd:gYearMonth, "2020-05-31" → xsd:date,
 * "2020-05-31T10:00:00Z" → xsd:dateTime ("T00:00:00" kept as a dateTime, a space separator becomes "T",
 * "+0100" becomes "+01:00", missing seconds become ":00"). `undefined` when unparseable or impossible (2020-02-30).
 */
export function dateLiteral(value: string | undefined | null): DateLiteral | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (RE_YEAR.test(v)) return { '@value': v, '@type': 'xsd:gYear' };
  if (RE_YEAR_MONTH.test(v)) return { '@value': v, '@type': 'xsd:gYearMonth' };
  let m = RE_DATE.exec(v);
  if (m) {
    if (!validYmd(m[1], m[2], m[3])) return undefined;
    return { '@value': `${m[1]}-${m[2]}-${m[3]}`, '@type': 'xsd:date' };
  }
  m = RE_COMPACT_DATE.exec(v);
  if (m) {
    if (!validYmd(m[1], m[2], m[3])) return undefined;
    return { '@value': `${m[1]}-${m[2]}-${m[3]}`, '@type': 'xsd:date' };
  }
  m = RE_DATETIME.exec(v);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, tz] = m;
    if (!validYmd(y, mo, d) || Number(h) > 24 || Number(mi) > 59 || Number(s ?? 0) > 60) return undefined;
    const zone = tz ? (tz === 'Z' ? 'Z' : tz.length === 5 ? `${tz.slice(0, 3)}:${tz.slice(3)}` : tz) : '';
    return { '@value': `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone}`, '@type': 'xsd:dateTime' };
  }
  return undefined;
}

/** Number formatting for WKT: plain decimal, no exponent for ordinary coordinates, "-0" → "0". */
function num(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/**
 * WKT bounding box `POLYGON((w s,e s,e n,w n,w s))` (CRS84, lon lat), typed gsp:wktLiteral. A west > east box
 * (antimeridian) is written as given. Longitudes of 0..360 or shifted by a turn (ocean and climate data: "0, 360",
 * "-280, 80", "200, 260") are read as what they say: a box spanning a whole turn or more is the whole world (-180, 180),
 * a box wholly east of 180 is the same box 360° west. `undefined` when a number is missing or out of range (|lon| >
 * 180 otherwise, |lat| > 90) or when south > north.
 */
export function wktBbox(w: number, s: number, e: number, n: number): WktLiteral | undefined {
  if (![w, s, e, n].every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  if ((Math.abs(w) > 180 || Math.abs(e) > 180) && Math.abs(w) <= 360 && Math.abs(e) <= 360) {
    if (e - w >= 360) [w, e] = [-180, 180];
    else if (w > 180 && e > 180) [w, e] = [w - 360, e - 360];
  }
  if (Math.abs(w) > 180 || Math.abs(e) > 180 || Math.abs(s) > 90 || Math.abs(n) > 90 || s > n) return undefined;
  const [W, S, E, N] = [num(w), num(s), num(e), num(n)];
  return { '@value': `POLYGON((${W} ${S},${E} ${S},${E} ${N},${W} ${N},${W} ${S}))`, '@type': 'gsp:wktLiteral' };
}

const RE_DOI = /(?:^|doi:\s*|doi\.org\/|dx\.doi\.org\/|\/doi\/)?(10\.\d{4,9}\/[^\s"<>]+)/i;

/**
 * DOI IRI (https://doi.org/10.xxxx/...) from "10.1234/abc", "doi:10.1234/abc", "https://dx.doi.org/10.1234/abc"...
 * The DOI suffix is kept as given (DOIs are case-insensitive; we do not fold). `undefined` when no DOI is found.
 */
export function doiIri(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  // Only accept a DOI as the whole value, possibly prefixed (doi:, a doi.org URL): not a DOI cited inside prose.
  if (!/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/|info:doi\/)?10\.\d{4,9}\//i.test(t)) return undefined;
  const m = RE_DOI.exec(t);
  if (!m) return undefined;
  const doi = m[1].replace(/[.,;]+$/, '');
  return 'https://doi.org/' + doi;
}

/** OGC CRS IRI of an EPSG code: "EPSG:2154", "urn:ogc:def:crs:EPSG::4326", "http://www.opengis.net/def/crs/EPSG/0/4326", "2154" with codeSpace EPSG. */
export function crsIri(code: string | undefined, codeSpace?: string): string | undefined {
  if (!code) return undefined;
  const c = code.trim();
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\//i.test(c)) return c.replace(/^https:/i, 'http:');
  if (/^(?:CRS:?84|urn:ogc:def:crs:OGC:(?:1\.3|):CRS84)$/i.test(c) || /WGS ?84 \(CRS84\)/i.test(c)) {
    return 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
  }
  let m = /(?:EPSG|epsg)(?::{1,2}|\/0\/|\/|\s+)(?:[\d.]*:)?(\d{3,6})\b/.exec(c);
  if (m) return 'http://www.opengis.net/def/crs/EPSG/0/' + m[1];
  m = /^\d{3,6}$/.exec(c);
  if (m && (!codeSpace || /epsg/i.test(codeSpace))) return codeSpace ? 'http://www.opengis.net/def/crs/EPSG/0/' + c : undefined;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// INSPIRE code lists
// ---------------------------------------------------------------------------------------------------------------

export const INSPIRE_CODELIST = 'http://inspire.ec.europa.eu/metadata-codelist/';

const ROLES = new Set([
  'resourceProvider',
  'custodian',
  'owner',
  'user',
  'distributor',
  'originator',
  'pointOfContact',
  'principalInvestigator',
  'processor',
  'publisher',
  'author',
  // ISO 19115-1 additions (not in the INSPIRE list, same namespace pattern kept for uniformity)
  'sponsor',
  'coAuthor',
  'collaborator',
  'editor',
  'mediator',
  'rightsHolder',
  'contributor',
  'funder',
  'stakeholder',
]);

/** Normalises an ISO role code ("pointOfContact", "PointOfContact", "point of contact") to its camelCase code. */
export function roleCode(role: string | undefined): string | undefined {
  if (!role) return undefined;
  const key = role
    .trim()
    .replace(/^.*[#/]/, '')
    .replace(/[\s_-]+(.)/g, (_, c: string) => c.toUpperCase());
  if (!key) return undefined;
  const lower = key.charAt(0).toLowerCase() + key.slice(1);
  for (const r of ROLES) if (r.toLowerCase() === lower.toLowerCase()) return r;
  return /^[A-Za-z]+$/.test(lower) ? lower : undefined;
}

/** INSPIRE ResponsiblePartyRole IRI of an ISO CI_RoleCode, e.g. "owner" → .../ResponsiblePartyRole/owner. */
export function roleIri(role: string | undefined): string | undefined {
  const r = roleCode(role);
  return r ? INSPIRE_CODELIST + 'ResponsiblePartyRole/' + r : undefined;
}

const TOPICS = new Set([
  'farming',
  'biota',
  'boundaries',
  'climatologyMeteorologyAtmosphere',
  'economy',
  'elevation',
  'environment',
  'geoscientificInformation',
  'health',
  'imageryBaseMapsEarthCover',
  'intelligenceMilitary',
  'inlandWaters',
  'location',
  'oceans',
  'planningCadastre',
  'society',
  'structure',
  'transportation',
  'utilitiesCommunication',
  'extraTerrestrial',
  'disaster',
]);

/** INSPIRE TopicCategory IRI of an ISO MD_TopicCategoryCode ("inlandWaters"); undefined for unknown codes. */
export function topicCategoryIri(code: string | undefined): string | undefined {
  if (!code) return undefined;
  // geocat.ch writes sub-categories as "environment_EnvironmentalProtection": the ISO code is the part before "_".
  const c = code
    .trim()
    .replace(/^.*[#/]/, '')
    .split('_')[0]
    .toLowerCase();
  for (const t of TOPICS) if (t.toLowerCase() === c) return INSPIRE_CODELIST + 'TopicCategory/' + t;
  return undefined;
}

const RESOURCE_TYPES = new Set([
  'attribute',
  'attributeType',
  'collectionHardware',
  'collectionSession',
  'dataset',
  'series',
  'nonGeographicDataset',
  'dimensionGroup',
  'feature',
  'featureType',
  'propertyType',
  'fieldSession',
  'software',
  'service',
  'model',
  'tile',
  'metadata',
  'initiative',
  'sample',
  'document',
  'repository',
  'aggregate',
  'product',
  'collection',
  'coverage',
  'application',
  'sensor',
  'sensorSeries',
  'platform',
  'platformSeries',
  'productionSeries',
  'otherAggregate',
  'transferAggregate',
  'document',
]);

/** Normalised ISO MD_ScopeCode ("Dataset" → "dataset"), or undefined when not a scope code. */
export function scopeCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const c = code.trim().replace(/^.*[#/]/, '');
  for (const t of RESOURCE_TYPES) if (t.toLowerCase() === c.toLowerCase()) return t;
  return undefined;
}

/** INSPIRE ResourceType IRI of an ISO MD_ScopeCode (dataset, series, service, ...). */
export function resourceTypeIri(code: string | undefined): string | undefined {
  const c = scopeCode(code);
  return c ? INSPIRE_CODELIST + 'ResourceType/' + c : undefined;
}

const SERVICE_TYPES: Record<string, string> = {
  discovery: 'discovery',
  view: 'view',
  download: 'download',
  transformation: 'transformation',
  invoke: 'invoke',
  other: 'other',
  // OGC / legacy names used in srv:serviceType
  csw: 'discovery',
  'ogc:csw': 'discovery',
  wms: 'view',
  'ogc:wms': 'view',
  wmts: 'view',
  'ogc:wmts': 'view',
  wfs: 'download',
  'ogc:wfs': 'download',
  wcs: 'download',
  'ogc:wcs': 'download',
  atom: 'download',
  'ogc:sos': 'download',
  sos: 'download',
  'ogc api - features': 'download',
  wps: 'invoke',
  'ogc:wps': 'invoke',
};

/** INSPIRE SpatialDataServiceType IRI of a srv:serviceType ("view", "WMS", "OGC:WFS", "download"...). */
export function serviceTypeIri(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const t = SERVICE_TYPES[type.trim().toLowerCase()];
  return t ? INSPIRE_CODELIST + 'SpatialDataServiceType/' + t : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Protocols, file types, media types
// ---------------------------------------------------------------------------------------------------------------

/** Base of the OGC service type IRIs (`…/wms`, `…/wfs`, `…/api/features`). */
export const OGC_SERVICE = 'http://www.opengis.net/def/serviceType/ogc/';
/** Protocol → OGC service type. Matched on the protocol string upper-cased with separators removed. */
const PROTOCOL_SERVICE: Array<[RegExp, string]> = [
  [/\bWMTS\b/, 'wmts'],
  [/\bWMS\b|GETMAP|WMS-C/, 'wms'],
  [/\bWFS\b|GETFEATURE/, 'wfs'],
  [/\bWCS\b|GETCOVERAGE/, 'wcs'],
  [/\bCSW\b|GETRECORDS/, 'csw'],
  [/\bSOS\b/, 'sos'],
  [/\bWPS\b/, 'wps'],
  [/OGCAPI[-_:]?FEATURES|OGC API - FEATURES/, 'api/features'],
];

/**
 * OGC service type IRI from an online resource protocol ("OGC:WMS", "OGC:WMS-1.3.0-http-get-map",
 * "OGC Web Map Service", "WWW:DOWNLOAD-1.0-http--download" → undefined). Optionally looks at the URL query too
 * (`service=WMS`).
 */
export function protocolServiceType(protocol: string | undefined, url?: string): string | undefined {
  const p = (protocol ?? '')
    .toUpperCase()
    .replace(/WEB MAP TILE SERVICE/g, 'WMTS')
    .replace(/WEB MAP SERVICE/g, 'WMS')
    .replace(/WEB FEATURE SERVICE/g, 'WFS')
    .replace(/WEB COVERAGE SERVICE/g, 'WCS')
    .replace(/CATALOGU?E? SERVICE/g, 'CSW');
  for (const [re, t] of PROTOCOL_SERVICE) if (re.test(p)) return OGC_SERVICE + t;
  if (!protocol && url) {
    const m = /[?&]service=(WMS|WFS|WCS|WMTS|CSW|SOS|WPS)\b/i.exec(url);
    if (m) return OGC_SERVICE + m[1].toLowerCase();
  }
  return undefined;
}

/** true when the protocol names a file download (WWW:DOWNLOAD..., download, FTP, "file"). */
export function isDownloadProtocol(protocol: string | undefined): boolean {
  if (!protocol) return false;
  return /DOWNLOAD|^FTP|^file$|FILE[-_]DOWNLOAD|^HTTP:?DOWNLOAD/i.test(protocol.trim());
}

export const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';

/** Lower-cased names, extensions and MIME types → EU file-type code. */
const FILE_TYPES: Record<string, string> = {
  geotiff: 'GEOTIFF',
  geotif: 'GEOTIFF',
  'image/geotiff': 'GEOTIFF',
  'image/tiff; application=geotiff': 'GEOTIFF',
  cog: 'GEOTIFF',
  'cloud optimized geotiff': 'GEOTIFF',
  tiff: 'TIFF',
  tif: 'TIFF',
  'image/tiff': 'TIFF',
  shapefile: 'SHP',
  shp: 'SHP',
  'esri shapefile': 'SHP',
  shape: 'SHP',
  'x-shapefile': 'SHP',
  'application/x-shapefile': 'SHP',
  'esri shape': 'SHP',
  'shape esri': 'SHP',
  gml: 'GML',
  'application/gml+xml': 'GML',
  kml: 'KML',
  'application/vnd.google-earth.kml+xml': 'KML',
  kmz: 'KMZ',
  'application/vnd.google-earth.kmz': 'KMZ',
  geojson: 'GEOJSON',
  'application/geo+json': 'GEOJSON',
  json: 'JSON',
  'application/json': 'JSON',
  'json-ld': 'JSON_LD',
  jsonld: 'JSON_LD',
  'application/ld+json': 'JSON_LD',
  csv: 'CSV',
  'text/csv': 'CSV',
  tsv: 'TSV',
  'text/tab-separated-values': 'TSV',
  xml: 'XML',
  'application/xml': 'XML',
  'text/xml': 'XML',
  rdf: 'RDF_XML',
  'rdf/xml': 'RDF_XML',
  'application/rdf+xml': 'RDF_XML',
  turtle: 'RDF_TURTLE',
  ttl: 'RDF_TURTLE',
  'text/turtle': 'RDF_TURTLE',
  pdf: 'PDF',
  'application/pdf': 'PDF',
  html: 'HTML',
  htm: 'HTML',
  'text/html': 'HTML',
  txt: 'TXT',
  'text/plain': 'TXT',
  zip: 'ZIP',
  'application/zip': 'ZIP',
  gzip: 'GZIP',
  gz: 'GZIP',
  'application/gzip': 'GZIP',
  tar: 'TAR',
  'tar.gz': 'TAR_GZ',
  tgz: 'TAR_GZ',
  '7z': '7Z',
  rar: 'RAR',
  netcdf: 'NETCDF',
  nc: 'NETCDF',
  'netcdf-4': 'NETCDF',
  netcdf4: 'NETCDF',
  'application/x-netcdf': 'NETCDF',
  'application/netcdf': 'NETCDF',
  hdf: 'HDF',
  hdf5: 'HDF',
  h5: 'HDF',
  'hdf-eos': 'HDF',
  grib: 'GRIB',
  grib2: 'GRIB',
  las: 'LAS',
  laz: 'LAZ',
  copc: 'LAZ',
  gpkg: 'GPKG',
  geopackage: 'GPKG',
  'application/geopackage+sqlite3': 'GPKG',
  'file geodatabase': 'GDB',
  gdb: 'GDB',
  'esri file geodatabase': 'GDB',
  dxf: 'DXF',
  dwg: 'DWG',
  dbf: 'DBF',
  ecw: 'ECW',
  jp2: 'JPEG2000',
  jpeg2000: 'JPEG2000',
  'image/jp2': 'JPEG2000',
  jpeg: 'JPEG',
  jpg: 'JPEG',
  'image/jpeg': 'JPEG',
  png: 'PNG',
  'image/png': 'PNG',
  gif: 'GIF',
  'image/gif': 'GIF',
  svg: 'SVG',
  'image/svg+xml': 'SVG',
  xls: 'XLS',
  'application/vnd.ms-excel': 'XLS',
  xlsx: 'XLSX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  ods: 'ODS',
  doc: 'DOC',
  docx: 'DOCX',
  odt: 'ODT',
  sql: 'SQL',
  parquet: 'PARQUET',
  geoparquet: 'PARQUET',
  'application/vnd.apache.parquet': 'PARQUET',
  zarr: 'ZARR',
  mrsid: 'MRSID',
  sid: 'MRSID',
  'ascii grid': 'GRID_ASCII',
  asc: 'GRID_ASCII',
  'esri grid': 'GRID',
  atom: 'ATOM',
  'application/atom+xml': 'ATOM',
  rss: 'RSS',
  wms: 'WMS_SRVC',
  wfs: 'WFS_SRVC',
  wcs: 'WCS_SRVC',
  wmts: 'WMTS_SRVC',
};

/**
 * EU file-type IRI of a format name, file name, extension or media type: "GeoTIFF", "ESRI Shapefile",
 * "data.csv", "image/tiff; application=geotiff", "NetCDF-4". `undefined` when unknown, and for URLs ending in a web page
 * extension (.html, .php, .aspx, .jsp: a page, not a data format).
 */
export function fileTypeFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.trim().toLowerCase();
  if (!n) return undefined;
  const direct = FILE_TYPES[n] ?? FILE_TYPES[n.replace(/\s*\(.*\)\s*$/, '')] ?? FILE_TYPES[n.replace(/\s+v?[\d.]+$/, '')];
  if (direct) return EU_FILE_TYPE + direct;
  if (n.includes('geotiff') || n.includes('application=geotiff') || n.includes('cloud-optimized')) return EU_FILE_TYPE + 'GEOTIFF';
  if (n.includes('shapefile')) return EU_FILE_TYPE + 'SHP';
  // A file name or URL: its extension.
  const path = n.replace(/[?#].*$/, '');
  const m = /\.([a-z0-9]+(?:\.gz)?)$/.exec(path);
  if (m && FILE_TYPES[m[1]] && !/^(html?|php|aspx?|jsp)$/.test(m[1])) return EU_FILE_TYPE + FILE_TYPES[m[1]];
  return undefined;
}

const RE_MEDIA_TYPE = /^(application|audio|font|image|model|multipart|text|video|message)\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** IANA media type IRI: "image/tiff; application=geotiff" → https://www.iana.org/assignments/media-types/image/tiff. */
export function mediaTypeIri(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const base = type.split(';')[0].trim().toLowerCase();
  return RE_MEDIA_TYPE.test(base) ? 'https://www.iana.org/assignments/media-types/' + base : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Licences and access rights
// ---------------------------------------------------------------------------------------------------------------

/** One known licence: its IRI, a label, and the patterns that recognise it in text or URLs. */
interface KnownLicense {
  iri: string;
  label: string;
  spdx?: string;
  match: RegExp[];
}

const CC = 'https://creativecommons.org/';
function cc(code: 'by' | 'by-sa' | 'by-nc' | 'by-nd' | 'by-nc-sa' | 'by-nc-nd', v: '4.0' | '3.0' | '2.0'): KnownLicense {
  const words = code
    .split('-')
    .slice(1)
    .map((w) => `[-_ ]?${w}`)
    .join('');
  return {
    iri: `${CC}licenses/${code}/${v}/`,
    label: `CC ${code.toUpperCase()} ${v}`,
    spdx: `CC-${code.toUpperCase()}-${v}`,
    match: [
      new RegExp(`creativecommons\\.org/licen[cs]es/${code}/${v.replace('.', '\\.')}`, 'i'),
      new RegExp(
        `\\b(?:cc|creative\\s*commons)[-_ ]*(?:attribution[-_ ]*)?\\(?by${words}\\)?[-_ ]*v?${v.replace('.', '\\.')}(?:[^0-9.]|$)`,
        'i',
      ),
    ],
  };
}

/**
 * Known licences, most specific first. IRIs are the licences' canonical URLs (those the licensors publish and that
 * DCAT-AP catalogues use); text patterns accept SPDX ids, URLs and usual names in English and French.
 */
const LICENSES: KnownLicense[] = [
  {
    iri: `${CC}publicdomain/zero/1.0/`,
    label: 'CC0 1.0',
    spdx: 'CC0-1.0',
    match: [/creativecommons\.org\/publicdomain\/zero\//i, /\bCC[-_ ]?0\b|\bCC[-_ ]?zero\b|public domain dedication/i],
  },
  { iri: `${CC}publicdomain/mark/1.0/`, label: 'Public Domain Mark 1.0', match: [/creativecommons\.org\/publicdomain\/mark\//i] },
  cc('by-nc-sa', '4.0'),
  cc('by-nc-nd', '4.0'),
  cc('by-nc', '4.0'),
  cc('by-nd', '4.0'),
  cc('by-sa', '4.0'),
  cc('by', '4.0'),
  cc('by-nc-sa', '3.0'),
  cc('by-nc-nd', '3.0'),
  cc('by-nc', '3.0'),
  cc('by-nd', '3.0'),
  cc('by-sa', '3.0'),
  cc('by', '3.0'),
  cc('by-sa', '2.0'),
  cc('by', '2.0'),
  {
    iri: 'https://opendatacommons.org/licenses/odbl/1-0/',
    label: 'ODbL 1.0',
    spdx: 'ODbL-1.0',
    match: [/opendatacommons\.org\/licenses\/odbl/i, /\bODbL\b|open database licen[cs]e/i],
  },
  {
    iri: 'https://opendatacommons.org/licenses/by/1-0/',
    label: 'ODC-By 1.0',
    spdx: 'ODC-By-1.0',
    match: [/opendatacommons\.org\/licenses\/by\//i, /\bODC[-_ ]?BY\b|open data commons attribution/i],
  },
  {
    iri: 'https://opendatacommons.org/licenses/pddl/1-0/',
    label: 'PDDL 1.0',
    spdx: 'PDDL-1.0',
    match: [/opendatacommons\.org\/licenses\/pddl/i, /\bPDDL\b|public domain dedication and licen[cs]e/i],
  },
  {
    iri: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    label: 'Licence Ouverte / Open Licence 2.0 (Etalab)',
    spdx: 'etalab-2.0',
    match: [
      /etalab[-_ ]?2\.0|licence[-_ ]ouverte[^0-9]{0,40}(?:v(?:ersion)?\s*)?2(?:\.0)?\b|open licen[cs]e[^0-9]{0,20}2\.0|ETALAB-Licence-Ouverte-v2/i,
    ],
  },
  {
    iri: 'https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf',
    label: 'Licence Ouverte / Open Licence 1.0 (Etalab)',
    match: [/Licence_Ouverte\.pdf|licence[-_ ]ouverte|open licen[cs]e.{0,10}etalab|\betalab\b/i],
  },
  {
    // Canada's (open.canada.ca, Canada's HNAP records: "Open Government Licence - Canada (http://open.canada.ca/...)")
    iri: 'https://open.canada.ca/en/open-government-licence-canada',
    label: 'Open Government Licence – Canada',
    spdx: 'OGL-Canada-2.0',
    match: [
      /open\.canada\.ca\/(?:en\/open-government-licence-canada|fr\/licence-du-gouvernement-ouvert-canada)/i,
      /open government licen[cs]e\s*[-–—:(]?\s*canada|licence du gouvernement ouvert\s*[-–—:(]?\s*canada/i,
    ],
  },
  {
    iri: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    label: 'Open Government Licence v3.0',
    spdx: 'OGL-UK-3.0',
    // not another government's licence of the same name (Canada's provinces: "Open Government Licence – Alberta"...)
    match: [
      /open-government-licence\/version\/3|open government licen[cs]e(?!\s*[-–—:(]\s*(?!UK\b|United Kingdom|OGL|v(?:ersion)?\s*\d)\p{L})/iu,
    ],
  },
  {
    iri: 'https://www.govdata.de/dl-de/by-2-0',
    label: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
    spdx: 'DL-DE-BY-2.0',
    match: [/dl-de\/by-2-0|dl-de-by-2\.0|Datenlizenz Deutschland.{0,5}Namensnennung/i],
  },
  {
    iri: 'https://www.govdata.de/dl-de/zero-2-0',
    label: 'Datenlizenz Deutschland – Zero – Version 2.0',
    spdx: 'DL-DE-ZERO-2.0',
    match: [/dl-de\/zero-2-0|dl-de-zero-2\.0|Datenlizenz Deutschland.{0,5}Zero/i],
  },
  { iri: 'https://opensource.org/licenses/MIT', label: 'MIT', spdx: 'MIT', match: [/^MIT$/] },
  {
    iri: 'https://www.apache.org/licenses/LICENSE-2.0',
    label: 'Apache 2.0',
    spdx: 'Apache-2.0',
    match: [/apache[-_ ]licen[cs]e[-_ ,]*(?:version\s*)?2\.0|^Apache-2\.0$/i],
  },
];

/** Matches any text that could name one of LICENSES (a superset of their patterns). */
const RE_ANY_LICENSE =
  /creativecommons|creative\s*commons|\bcc[-_ ]|\bcc0\b|odbl|open database|\bodc\b|pddl|public domain|etalab|licence[-_ ]ouverte|Licence_Ouverte|open licen|government licen|government-licence|gouvernement ouvert|open\.canada\.ca|dl-de|datenlizenz|^MIT$|apache/i;

const SPDX_INDEX = new Map(LICENSES.filter((l) => l.spdx).map((l) => [l.spdx!.toLowerCase(), l]));

/**
 * IRI of a known licence named by an SPDX id ("CC-BY-4.0"), a URL (creativecommons.org, opendatacommons.org, ...),
 * or text that names it ("Licence Ouverte version 2.0", "CC BY 4.0", "Creative Commons Attribution 4.0"). `undefined`
 * when no known licence is recognised (the caller then keeps the text as a LicenseDocument label).
 */
export function licenseFromText(text: string | undefined): string | undefined {
  const known = knownLicense(text);
  return known?.iri;
}

/** The recognised licence with its label; see licenseFromText. */
export function knownLicense(text: string | undefined): { iri: string; label: string; spdx?: string } | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (!t) return undefined;
  const bySpdx = SPDX_INDEX.get(t.toLowerCase());
  if (bySpdx) return { iri: bySpdx.iri, label: bySpdx.label, ...(bySpdx.spdx ? { spdx: bySpdx.spdx } : {}) };
  // Quick rejection: most constraint texts name no licence (one scan instead of one per licence pattern).
  if (!RE_ANY_LICENSE.test(t)) return undefined;
  // "Creative Commons Attribution 4.0 International" and "Attribution-ShareAlike 4.0".
  const normalised = t
    .replace(/creative\s*commons\s+attribution[-\s]*/i, 'CC BY ')
    .replace(/\bnon[-\s]?commercial\b/gi, 'NC')
    .replace(/\bshare[-\s]?alike\b/gi, 'SA')
    .replace(/\bno[-\s]?deriv\w*/gi, 'ND')
    .replace(/\b(BY|NC|SA|ND)\s*[-\s]\s*(?=NC|SA|ND)/g, '$1-');
  for (const l of LICENSES) {
    if (l.match.some((re) => re.test(t) || re.test(normalised))) return { iri: l.iri, label: l.label, ...(l.spdx ? { spdx: l.spdx } : {}) };
  }
  return undefined;
}

/** true when a URL is a licence page we know (used to tell a licence Anchor from another link). */
export function isLicenseUrl(url: string | undefined): boolean {
  if (!url) return false;
  return (
    /creativecommons\.org\/(licen[cs]es|publicdomain)|opendatacommons\.org\/licenses|etalab|spdx\.org\/licenses|\/licen[cs]es?\/|open-government-licence|dl-de\//i.test(
      url,
    ) || /publications\.europa\.eu\/resource\/authority\/licence\//i.test(url)
  );
}

export const EU_ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';

/**
 * EU access-right IRI (PUBLIC, RESTRICTED, NON_PUBLIC) from an INSPIRE LimitationsOnPublicAccess IRI, an ISO
 * MD_RestrictionCode, or text: "no limitations", "noLimitations", "Pas de restriction d'accès public" → PUBLIC;
 * INSPIRE Art. 13 limitations (INSPIRE_Directive_Article13_1a...), "restricted", "license", "otherRestrictions" with
 * nothing else → undefined (not evident); "confidential", "secret", "private" → NON_PUBLIC. `undefined` when not
 * evident.
 */
export function accessRightsFromText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (!t) return undefined;
  if (
    /LimitationsOnPublicAccess\/noLimitations|\bno ?limitations?\b|\bnoLimitations\b|\bunrestricted\b|aucune? (?:restriction|limitation)|pas de (?:restriction|limitation)|keine (?:Beschränkung|Einschränkung)|nessuna limitazione|open access|libre (?:accès|acces)|accès libre|public access|^public$|^unclassified$/i.test(
      t,
    )
  ) {
    return EU_ACCESS_RIGHT + 'PUBLIC';
  }
  if (
    /LimitationsOnPublicAccess\/INSPIRE_Directive_Article13|Article\s*13|\brestricted\b|^restricted$|\blimited access\b|accès restreint|\bembargo/i.test(
      t,
    )
  ) {
    return EU_ACCESS_RIGHT + 'RESTRICTED';
  }
  if (
    /\b(?:confidential|secret|topSecret|sensitiveButUnclassified|forOfficialUseOnly|private|non[-_ ]?public|protected|privacy)\b|confidentiel/i.test(
      t,
    )
  ) {
    return EU_ACCESS_RIGHT + 'NON_PUBLIC';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Frequencies
// ---------------------------------------------------------------------------------------------------------------

export const EU_FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';

const FREQUENCIES: Record<string, string> = {
  continual: 'CONT',
  continuous: 'CONT',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  fortnightly: 'BIWEEKLY',
  biweekly: 'BIWEEKLY',
  semimonthly: 'MONTHLY_2',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  biannually: 'ANNUAL_2',
  semiannual: 'ANNUAL_2',
  annually: 'ANNUAL',
  annual: 'ANNUAL',
  yearly: 'ANNUAL',
  biennially: 'BIENNIAL',
  biennial: 'BIENNIAL',
  asneeded: 'IRREG',
  irregular: 'IRREG',
  notplanned: 'NEVER',
  never: 'NEVER',
  unknown: 'UNKNOWN',
  hourly: 'HOURLY',
  // 'periodic' (ISO 19115-1) has no EU equivalent: OTHER
  periodic: 'OTHER',
};

/** EU frequency IRI of an ISO MD_MaintenanceFrequencyCode ("asNeeded" → IRREG) or a STAC/OZCAR word ("monthly"). */
export function frequencyIri(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const c = code
    .trim()
    .replace(/^.*[#/]/, '')
    .replace(/[\s_-]/g, '')
    .toLowerCase();
  const f = FREQUENCIES[c];
  return f ? EU_FREQUENCY + f : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Known thesauri (keyword → theme)
// ---------------------------------------------------------------------------------------------------------------

export const INSPIRE_THEME_SCHEME = 'http://inspire.ec.europa.eu/theme';
export const GEMET_SCHEME = 'http://www.eionet.europa.eu/gemet/';
export const GCMD_SCHEME = 'https://gcmd.earthdata.nasa.gov/kms/concepts/';

/** A recognised controlled vocabulary: its scheme IRI. */
export interface KnownScheme {
  iri: string;
  /** Short name for the operator: "inspire-theme", "gemet", "gcmd", "inspire-pds" ... */
  name: string;
}

/**
 * Recognises a keyword thesaurus by its title or its IRI: "GEMET - INSPIRE themes, version 1.0" (in any language:
 * "GEMET - INSPIRE-Themen", "GEMET - Thèmes INSPIRE"...), "GEMET" (concepts), "GCMD Science Keywords", "NASA/Global
 * Change Master Directory", "Spatial scope", "INSPIRE priority data set", the INSPIRE registry IRIs.
 */
export function knownScheme(title: string | undefined, iri?: string): KnownScheme | undefined {
  const i = iri ?? '';
  const t = (title ?? '').toLowerCase();
  if (/inspire\.ec\.europa\.eu\/theme\b/i.test(i) || (/inspire/.test(t) && /th[eè]m|themen|temi|tema/.test(t) && !/priority/.test(t))) {
    return { iri: INSPIRE_THEME_SCHEME, name: 'inspire-theme' };
  }
  if (/inspire\.ec\.europa\.eu\/metadata-codelist\/PriorityDataset/i.test(i) || /priority data ?set/.test(t)) {
    return { iri: 'http://inspire.ec.europa.eu/metadata-codelist/PriorityDataset', name: 'inspire-pds' };
  }
  if (/inspire\.ec\.europa\.eu\/metadata-codelist\/SpatialScope/i.test(i) || /spatial scope|champ géographique/.test(t)) {
    return { iri: 'http://inspire.ec.europa.eu/metadata-codelist/SpatialScope', name: 'inspire-spatial-scope' };
  }
  if (
    /inspire\.ec\.europa\.eu\/metadata-codelist\/SpatialDataServiceCategory/i.test(i) ||
    /classification of spatial data services|iso 19119/i.test(t)
  ) {
    return { iri: 'http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceCategory', name: 'inspire-service-category' };
  }
  if (/eionet\.europa\.eu\/gemet/i.test(i) || /\bgemet\b/.test(t)) {
    return { iri: GEMET_SCHEME, name: 'gemet' };
  }
  if (/gcmd|earthdata\.nasa\.gov\/kms/i.test(i) || /\bgcmd\b|global change master directory|nasa\/gcmd|earth science keywords/.test(t)) {
    return { iri: GCMD_SCHEME, name: 'gcmd' };
  }
  return undefined;
}

/**
 * The INSPIRE themes (http://inspire.ec.europa.eu/theme/{code}) by code, with their labels in English and French as the
 * INSPIRE registry gives them: for keywords given without an Anchor, and to show a theme in the reader's language when
 * its record names it in the other one.
 */
const INSPIRE_THEME_LABELS: Record<string, { en: string; fr: string }> = {
  rs: { en: 'Coordinate reference systems', fr: 'Référentiels de coordonnées' },
  gg: { en: 'Geographical grid systems', fr: 'Systèmes de maillage géographique' },
  gn: { en: 'Geographical names', fr: 'Dénominations géographiques' },
  au: { en: 'Administrative units', fr: 'Unités administratives' },
  ad: { en: 'Addresses', fr: 'Adresses' },
  cp: { en: 'Cadastral parcels', fr: 'Parcelles cadastrales' },
  tn: { en: 'Transport networks', fr: 'Réseaux de transport' },
  hy: { en: 'Hydrography', fr: 'Hydrographie' },
  ps: { en: 'Protected sites', fr: 'Sites protégés' },
  el: { en: 'Elevation', fr: 'Altitude' },
  lc: { en: 'Land cover', fr: 'Occupation des terres' },
  oi: { en: 'Orthoimagery', fr: 'Ortho-imagerie' },
  ge: { en: 'Geology', fr: 'Géologie' },
  su: { en: 'Statistical units', fr: 'Unités statistiques' },
  bu: { en: 'Buildings', fr: 'Bâtiments' },
  so: { en: 'Soil', fr: 'Sols' },
  lu: { en: 'Land use', fr: 'Usage des sols' },
  hh: { en: 'Human health and safety', fr: 'Santé et sécurité des personnes' },
  us: { en: 'Utility and governmental services', fr: "Services d'utilité publique et services publics" },
  ef: { en: 'Environmental monitoring facilities', fr: 'Installations de suivi environnemental' },
  pf: { en: 'Production and industrial facilities', fr: 'Lieux de production et sites industriels' },
  af: { en: 'Agricultural and aquaculture facilities', fr: 'Installations agricoles et aquacoles' },
  pd: { en: 'Population distribution — demography', fr: 'Répartition de la population — démographie' },
  am: {
    en: 'Area management/restriction/regulation zones and reporting units',
    fr: 'Zones de gestion, de restriction ou de réglementation et unités de déclaration',
  },
  nz: { en: 'Natural risk zones', fr: 'Zones à risque naturel' },
  ac: { en: 'Atmospheric conditions', fr: 'Conditions atmosphériques' },
  mf: { en: 'Meteorological geographical features', fr: 'Caractéristiques géographiques météorologiques' },
  of: { en: 'Oceanographic geographical features', fr: 'Caractéristiques géographiques océanographiques' },
  sr: { en: 'Sea regions', fr: 'Régions maritimes' },
  br: { en: 'Bio-geographical regions', fr: 'Régions biogéographiques' },
  hb: { en: 'Habitats and biotopes', fr: 'Habitats et biotopes' },
  sd: { en: 'Species distribution', fr: 'Répartition des espèces' },
  er: { en: 'Energy resources', fr: "Sources d'énergie" },
  mr: { en: 'Mineral resources', fr: 'Ressources minérales' },
};

/** Other spellings of the theme labels met in catalogues (lower-cased): dashes, French variants, German. */
const INSPIRE_THEME_VARIANTS: Record<string, string> = {
  'population distribution - demography': 'pd',
  'population distribution – demography': 'pd',
  'population distribution': 'pd',
  ortho_imagerie: 'oi',
  koordinatenreferenzsysteme: 'rs',
  'geografische gittersysteme': 'gg',
  'geografische bezeichnungen': 'gn',
  verwaltungseinheiten: 'au',
  adressen: 'ad',
  flurstücke: 'cp',
  'flurstücke/grundstücke (katasterparzellen)': 'cp',
  verkehrsnetze: 'tn',
  gewässernetz: 'hy',
  schutzgebiete: 'ps',
  höhe: 'el',
  bodenbedeckung: 'lc',
  orthofotografie: 'oi',
  geologie: 'ge',
  'statistische einheiten': 'su',
  gebäude: 'bu',
  boden: 'so',
  bodennutzung: 'lu',
  'gesundheit und sicherheit': 'hh',
  'versorgungswirtschaft und staatliche dienste': 'us',
  umweltüberwachung: 'ef',
  'produktions- und industrieanlagen': 'pf',
  'landwirtschaftliche anlagen und aquakulturanlagen': 'af',
  'verteilung der bevölkerung — demografie': 'pd',
  'verteilung der bevölkerung – demografie': 'pd',
  'verteilung der bevölkerung - demografie': 'pd',
  'bewirtschaftungsgebiete/schutzgebiete/geregelte gebiete und berichterstattungseinheiten': 'am',
  'gebiete mit naturbedingten risiken': 'nz',
  'atmosphärische bedingungen': 'ac',
  'meteorologisch-geografische kennwerte': 'mf',
  'ozeanografisch-geografische kennwerte': 'of',
  meeresregionen: 'sr',
  'biogeografische regionen': 'br',
  'lebensräume und biotope': 'hb',
  'verteilung der arten': 'sd',
  energiequellen: 'er',
  'mineralische bodenschätze': 'mr',
};

/** INSPIRE theme codes by label, lower-cased: the registry's English and French labels, then the variants. */
const INSPIRE_THEMES: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(INSPIRE_THEME_LABELS).flatMap(([code, l]) => [
      [l.en.toLowerCase(), code],
      [l.fr.toLowerCase(), code],
    ]),
  ),
  ...INSPIRE_THEME_VARIANTS,
};

/** INSPIRE theme IRI (http://inspire.ec.europa.eu/theme/hy) of an English or French theme label; undefined otherwise. */
export function inspireThemeIri(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const code = INSPIRE_THEMES[label.trim().toLowerCase()];
  return code ? `${INSPIRE_THEME_SCHEME}/${code}` : undefined;
}

/**
 * A concept's labels, with the label the hub knows for its IRI in the reader's language `lang` when the record gives
 * none in it (the INSPIRE themes' English and French labels from the INSPIRE registry). The record's own labels as
 * they are otherwise, and whenever no language is asked for.
 */
export function conceptLabels(
  concept: { '@id'?: string; prefLabel?: Record<string, string> },
  lang: string | undefined,
): Record<string, string> | undefined {
  if (!lang || concept.prefLabel?.[lang] !== undefined) return concept.prefLabel;
  const m = concept['@id']?.match(/^https?:\/\/inspire\.ec\.europa\.eu\/theme\/([a-z]{2})$/);
  const known = m ? (INSPIRE_THEME_LABELS[m[1]] as Record<string, string> | undefined)?.[lang] : undefined;
  return known === undefined ? concept.prefLabel : { ...concept.prefLabel, [lang]: known };
}

/** SPDX id of a known licence named by its IRI, SPDX id or text (see knownLicense); undefined when it has none. */
export function licenseSpdx(text: string | undefined): string | undefined {
  const known = knownLicense(text);
  return known ? LICENSES.find((l) => l.iri === known.iri)?.spdx : undefined;
}
