/**
 * The OGC web service a distribution gives access to, typed (WMS, WMTS, WFS, WCS, CSW, SOS, WPS, OGC API - Features):
 * from the service type IRI it conforms to, else the protocol the source names, else the `service=` of its URL. With
 * the service's base URL (its request parameters dropped: what a QGIS connection takes), its GetCapabilities request,
 * the layer it names, and the `OGC:...` protocol name catalogues (GeoNetwork, pycsw) and their clients (QGIS
 * MetaSearch) use for it. Pure: the record page (api/pages) and the OGC API - Records links read it.
 */
import type { Distribution } from '../schemas/record.js';

/** OGC web service types (what QGIS's "Add layer" dialogs take). */
export type ServiceType = 'WMS' | 'WMTS' | 'WFS' | 'WCS' | 'CSW' | 'SOS' | 'WPS' | 'OGC API - Features';

export interface ServiceLink {
  type: ServiceType;
  /** The service's base URL, without its OGC request parameters: what a QGIS connection takes. */
  url: string;
  /** The GetCapabilities request of the service. */
  capabilities: string;
  /** The layer (feature type, coverage) the distribution names, when it names one. */
  layer?: string;
}

/** The protocol names of the OGC web services as ISO 19139 catalogues write them (GeoNetwork, pycsw, QGIS MetaSearch). */
export const OGC_PROTOCOL: Partial<Record<ServiceType, string>> = {
  WMS: 'OGC:WMS',
  WMTS: 'OGC:WMTS',
  WFS: 'OGC:WFS',
  WCS: 'OGC:WCS',
  CSW: 'OGC:CSW',
  SOS: 'OGC:SOS',
  WPS: 'OGC:WPS',
};

const SERVICE_BY_IRI: Record<string, ServiceType> = {
  wms: 'WMS',
  wmts: 'WMTS',
  wfs: 'WFS',
  wcs: 'WCS',
  csw: 'CSW',
  sos: 'SOS',
  wps: 'WPS',
  features: 'OGC API - Features',
};

/** OGC request parameters that belong to one request, not to the service (dropped from the base URL). */
const REQUEST_PARAMS = new Set([
  'service',
  'request',
  'version',
  'acceptversions',
  'layers',
  'layer',
  'typename',
  'typenames',
  'coverage',
  'coverageid',
  'styles',
  'bbox',
  'width',
  'height',
  'format',
  'crs',
  'srs',
  'transparent',
  'tilematrixset',
  'tilematrix',
  'tilerow',
  'tilecol',
  'outputformat',
  'maxfeatures',
  'count',
]);

function serviceType(d: Distribution): ServiceType | undefined {
  for (const { '@id': iri } of d.conformsTo ?? []) {
    const m = /opengis\.net\/def\/serviceType\/ogc\/(?:api\/)?([a-z]+)/i.exec(iri);
    if (m && SERVICE_BY_IRI[m[1].toLowerCase()]) return SERVICE_BY_IRI[m[1].toLowerCase()];
  }
  const p = (d.protocol ?? '').toUpperCase();
  if (/WMTS|WEB MAP TILE/.test(p)) return 'WMTS';
  if (/\bWMS\b|WEB MAP SERVICE|GETMAP/.test(p)) return 'WMS';
  if (/\bWFS\b|WEB FEATURE|GETFEATURE/.test(p)) return 'WFS';
  if (/\bWCS\b|WEB COVERAGE/.test(p)) return 'WCS';
  if (!d.protocol) {
    const m = /[?&]service=(WMS|WMTS|WFS|WCS|CSW)\b/i.exec(d.accessURL);
    if (m) return m[1].toUpperCase() as ServiceType;
  }
  return undefined;
}

/** The OGC web service a distribution gives access to, typed; undefined for a file or a web page. */
export function serviceLink(d: Distribution, layerName?: string): ServiceLink | undefined {
  const type = serviceType(d);
  if (!type) return undefined;
  let u: URL;
  try {
    u = new URL(d.accessURL);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(u.protocol)) return undefined;
  // the layer the URL names, else the name the source gives the resource when it can be a layer name: INSPIRE puts the
  // layer's name there, some catalogues a sentence ("Service de visualisation WMS"), which no service would take
  let layer: string | undefined;
  for (const [k, v] of u.searchParams) {
    if (!layer && ['layers', 'layer', 'typename', 'typenames', 'coverageid'].includes(k.toLowerCase()) && v) layer = v.split(',')[0];
  }
  const named = layerName?.trim();
  if (!layer && named && !/\s/.test(named)) layer = named;
  const base = new URL(u.href);
  for (const k of [...base.searchParams.keys()]) if (REQUEST_PARAMS.has(k.toLowerCase())) base.searchParams.delete(k);
  const url = base.href.replace(/\?$/, '');
  let capabilities: string;
  if (type === 'OGC API - Features') capabilities = url;
  else if (type === 'WMTS' && /\/WMTSCapabilities\.xml$/i.test(u.pathname)) capabilities = u.href;
  else {
    const c = new URL(url);
    c.searchParams.set('SERVICE', type);
    c.searchParams.set('REQUEST', 'GetCapabilities');
    capabilities = c.href;
  }
  return { type, url, capabilities, ...(layer ? { layer } : {}) };
}
