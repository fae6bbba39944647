/**
 * Distribution information (both encodings) → distributions, landing pages, pages and depictions.
 *
 * Forgiven, with a warning: transfer options written inside a distributionFormat are read as the distribution's.
 *
 * Each CI_OnlineResource of MD_Distribution/transferOptions (with the transfer options' transferSize as dcat:byteSize
 * when they hold that one resource) and MD_Distributor/distributorTransferOptions (the
 * distributors of MD_Distribution/distributor, and those of a format, MD_Format/formatDistributor: both encodings
 * allow a format to name who distributes it and how, and some catalogues write the data's links there). The contact
 * of a format distributor is not read as a party: GeoNetwork records name the format's author there (AUTODESK for
 * DXF, AFNOR for EDIGEO), not who distributes the data:
 * - function browseGraphic → depiction;
 * - function information or search, or a WWW:LINK protocol that is not a file → landingPage (GeoDCAT-AP);
 *   function completeMetadata → page; in an ncISO record, a viewer (Godiva, DChart, the NCDC Weather and Climate
 *   Toolkit...) that is neither a file nor a service endpoint → page: a web page showing the data is no distribution
 *   (DCAT-AP: a distribution is a form of the data, accessed or downloaded), nor the one landing page of the dataset
 *   at its provider (ncISO lists several, some a third party's tool);
 * - anything else → a Distribution: accessURL = linkage; downloadURL too when the function is download, the protocol
 *   names a download (WWW:DOWNLOAD..., FTP) or the URL is a data file, but never for a web page or a service endpoint
 *   that is not a data file, whatever the function says: a link protocol (WWW:LINK), HTML, a page URL (.html), an
 *   ERDDAP form, a service protocol (OGC, OPeNDAP, ArcGIS REST); in an ncISO record (THREDDS), which writes the
 *   function download on every link, only the protocol or the URL makes a download; conformsTo the OGC service type of the protocol
 *   (OGC:WMS → http://www.opengis.net/def/serviceType/ogc/wms); format from the URL's file type, else from the
 *   service type, else the record's single distribution format (MD_Format name + version).
 *
 * A dataset record whose further identificationInfo sections describe the services serving it (ncISO, the ISO of
 * THREDDS and ERDDAP: SV_ServiceIdentification OPeNDAP, WMS, WCS...) is accessed at their connect points too: one
 * Distribution each (accessURL, never a downloadURL: a service endpoint is no file).
 */
import type { Distribution, LangMap, LicenseDocument, MediaTypeOrExtent, RightsStatement } from '../../schemas/record.js';
import { unique } from '../../core/json.js';
import { EU_FILE_TYPE, fileTypeFromName, isDownloadProtocol, mediaTypeIri, protocolServiceType } from '../../core/vocab.js';
import { all, codeValue, first, namedChildren, text, textAt, type XNode } from '../../core/xml.js';
import { langText, warn, type MapCtx } from './context.js';
import { mediaType as mediaTypeNode, standard, urlIri } from '../common.js';

export interface OnlineResource {
  url: string;
  protocol?: string;
  name?: LangMap;
  description?: LangMap;
  function?: string;
  applicationProfile?: string;
  /** Bytes, from the transfer options' transferSize. */
  byteSize?: number;
  /** The formats of the resource's distributor, when it names any. */
  formats?: Format[];
}

/** An MD_Format as read. */
interface Format {
  name: string;
  version?: string;
  mediaType?: string;
}

/**
 * MD_DigitalTransferOptions/transferSize, in bytes: ISO 19115 gives it in megabytes (1 MB = 10^6 bytes, as SEMIC's
 * ISO 19139 to GeoDCAT-AP XSLT reads it: 0.213701 is dcat:byteSize 213701); undefined when absent or not a size.
 */
function transferSize(options: XNode): number | undefined {
  const mb = Number(textAt(options, 'transferSize')?.trim() || NaN);
  return Number.isFinite(mb) && mb >= 0 ? Math.round(mb * 1e6) : undefined;
}

export interface Distributions {
  distribution: Distribution[];
  landingPage: string[];
  page: string[];
  depiction: string[];
  /** Formats declared by the record (MD_Format), for reporting. */
  formats: MediaTypeOrExtent[];
}

const RE_URL = /^(?:https?|ftp|ftps|s3|file):\/\//i;

/** Where the online resources of a distribution are, in each encoding. */
const ONLINE_AT = {
  transfer: [
    'gmd:distributionInfo/*/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage',
    'mdb:distributionInfo/*/mrd:transferOptions/*/mrd:onLine/*/cit:linkage',
  ],
  distributor: [
    'gmd:distributionInfo/*/gmd:distributor/*/gmd:distributorTransferOptions/*/gmd:onLine/*/gmd:linkage',
    'mdb:distributionInfo/*/mrd:distributor/*/mrd:distributorTransferOptions/*/mrd:onLine/*/cit:linkage',
  ],
  formatDistributor: [
    'gmd:distributionInfo/*/gmd:distributionFormat/*/gmd:formatDistributor/*/gmd:distributorTransferOptions/*/gmd:onLine/*/gmd:linkage',
    'mdb:distributionInfo/*/mrd:distributionFormat/*/mrd:formatDistributor/*/mrd:distributorTransferOptions/*/mrd:onLine/*/cit:linkage',
  ],
  misplaced: [
    'gmd:distributionInfo/*/gmd:distributionFormat/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage',
    'mdb:distributionInfo/*/mrd:distributionFormat/mrd:transferOptions/*/mrd:onLine/*/cit:linkage',
  ],
  service: [
    'gmd:identificationInfo/srv:SV_ServiceIdentification/srv:containsOperations/*/srv:connectPoint/*/gmd:linkage',
    'mdb:identificationInfo/srv:SV_ServiceIdentification/srv:containsOperations/*/srv:connectPoint/*/cit:linkage',
  ],
} as const;

const MISPLACED_AT = [
  'gmd:distributionInfo/*/gmd:distributionFormat/gmd:transferOptions',
  'mdb:distributionInfo/*/mrd:distributionFormat/mrd:transferOptions',
] as const;

/** A CI_OnlineResource (19139: linkage/URL; 19115-3: linkage/CharacterString); `at`: where it is, for warnings. */
export function readOnlineResource(ctx: MapCtx, node: XNode, at: readonly [string, string]): OnlineResource | undefined {
  // geocat.ch: a multilingual URL (che:PT_FreeURL/URLGroup/LocalisedURL).
  const url = textAt(node, 'linkage') ?? textAt(node, 'linkage', 'PT_FreeURL', 'URLGroup', 'LocalisedURL');
  if (!url) return undefined;
  const iri = RE_URL.test(url) ? urlIri(url) : undefined;
  if (!iri) {
    warn(ctx, at, 'iso.online.notUrl', { url: url.slice(0, 80) });
    return undefined;
  }
  const r: OnlineResource = { url: iri };
  const protocol = textAt(node, 'protocol');
  if (protocol) r.protocol = protocol;
  const name = langText(ctx, first(node, 'name'));
  if (name) r.name = name;
  const description = langText(ctx, first(node, 'description'));
  if (description) r.description = description;
  const fn = codeValue(first(node, 'function'));
  if (fn) r.function = fn;
  const ap = textAt(node, 'applicationProfile');
  if (ap) r.applicationProfile = ap;
  return r;
}

/** MD_Format (19139 name/version; 19115-3 formatSpecificationCitation title/edition) → format. */
function readFormat(node: XNode): Format | undefined {
  const name = textAt(node, 'name') ?? textAt(node, 'formatSpecificationCitation', '*', 'title');
  if (!name || /^(n\/?a|unknown|none|-)$/i.test(name)) return undefined;
  const version = textAt(node, 'version') ?? textAt(node, 'formatSpecificationCitation', '*', 'edition');
  const mime = (first(node, 'name', 'MimeFileType') ? name : undefined) ?? textAt(node, 'medium', '*', 'name');
  return {
    name,
    ...(version && !/^(unknown|n\/?a|-|none)$/i.test(version) ? { version } : {}),
    ...(mime && mediaTypeIri(mime) ? { mediaType: mime } : {}),
  };
}

function formatOf(f: Format): MediaTypeOrExtent {
  const iri = fileTypeFromName(f.name);
  return {
    ...(iri ? { '@id': iri } : {}),
    '@type': 'dct:MediaTypeOrExtent',
    label: { '@none': f.version ? `${f.name} ${f.version}` : f.name },
  };
}

const SERVICE_FILE_TYPE: Record<string, string> = {
  wms: 'WMS_SRVC',
  wfs: 'WFS_SRVC',
  wcs: 'WCS_SRVC',
  wmts: 'WMTS_SRVC',
};

/** The connect points of the services of a dataset described in the record's other identificationInfo sections (ncISO). */
function servingConnectPoints(md: XNode, ident: XNode | undefined): XNode[] {
  if (ident === undefined || first(ident, 'containsOperations') !== undefined || first(ident, 'serviceType') !== undefined) return [];
  const out: XNode[] = [];
  for (const info of all(md, 'identificationInfo')) {
    for (const [name, node] of namedChildren(info)) {
      if (node === ident || !name.endsWith('ServiceIdentification')) continue;
      out.push(...all(node, 'containsOperations', '*', 'connectPoint', '*'));
    }
  }
  return out;
}

/**
 * Whether the record was written by ncISO (THREDDS's NcML to ISO stylesheet UnidataDD2MI.xsl, which says so in the
 * metadata maintenance note): ncISO gives every online resource the function download, its OPeNDAP HTML form, its
 * THREDDS catalogue page and its viewers alike, so there the function says nothing and only the protocol or the URL
 * makes a resource a download.
 */
function isNcIso(md: XNode): boolean {
  return all(md, 'metadataMaintenance', '*', 'maintenanceNote').some((n) => /\bNcML\b|UnidataDD2MI|\bncISO\b/i.test(text(n) ?? ''));
}

/**
 * A protocol naming a data service that is not an OGC one (those have a service type): OPeNDAP (DODS), THREDDS's
 * NetCDF Subset Service, ERDDAP's griddap and tabledap, ArcGIS REST. Its endpoint answers queries, it is no file.
 */
function isServiceProtocol(protocol: string | undefined): boolean {
  return (
    protocol !== undefined && !/download/i.test(protocol) && /OPeNDAP|\bDODS\b|NCSS|ERDDAP|THREDDS|\bESRI\b|ArcGIS|\bREST\b/i.test(protocol)
  );
}

/**
 * A resource that is plainly a web page: a URL whose path ends in a page (.html, .htm, .xhtml, .shtml: an OPeNDAP
 * form, a THREDDS catalog.html, a viewer) or names an ERDDAP form (/erddap/griddap/ID.graph, .subset), whatever its
 * protocol; else, unless its protocol names a download, a link protocol (WWW:LINK, HTTP link: "a web address", where
 * a file would be WWW:DOWNLOAD) or a protocol or application profile naming HTML or a web browser.
 */
function isWebPage(r: OnlineResource, isLinkProtocol: boolean): boolean {
  const path = r.url.replace(/[?#].*$/, '').toLowerCase();
  if (/\.(?:x?html?|shtml)$/.test(path) || /\/erddap\/(?:griddap|tabledap)\/[^/]+\.(?:graph|subset)$/.test(path)) return true;
  if (isDownloadProtocol(r.protocol)) return false;
  // a bare HTTP(S) names the transport, not what is at the address
  return (
    (isLinkProtocol && !/^https?$/i.test(r.protocol ?? '')) ||
    /\bhtml\b/i.test(r.protocol ?? '') ||
    /web ?browser|\bhtml\b/i.test(r.applicationProfile ?? '')
  );
}

/**
 * A viewer in an ncISO record: a web page (or application) that shows the data. UnidataDD2MI.xsl writes every THREDDS
 * "viewer" property (Godiva, IDV, DChart...) as a link named after it, described "This URL provides a viewer for this
 * dataset.", with the function download; and its NCDC Weather and Climate Toolkit link "Viewer Information" ("a view
 * of an OPeNDAP resource") with the presentation-form code mapDigital as function. (Elsewhere a viewer is left to the
 * function and protocol rules: GeoDCAT-AP's reference XSLT makes a WWW:LINK of function browsing a landing page.)
 */
function isNcIsoViewer(r: OnlineResource): boolean {
  if (r.function === 'mapDigital') return true;
  const said = `${Object.values(r.name ?? {}).join(' ')} ${Object.values(r.description ?? {}).join(' ')}`;
  return /\bviewer\b|\bview of\b/i.test(said);
}

/** Reads the distribution sections of a record; `ident`: its (first) identification, whose serving services are read too. */
export function readDistributions(ctx: MapCtx, md: XNode, ident?: XNode): Distributions {
  const out: Distributions = { distribution: [], landingPage: [], page: [], depiction: [], formats: [] };
  const resources: OnlineResource[] = [];
  /** The resources that are service connect points (no download). */
  const endpoints = new Set<OnlineResource>();
  const formatList: Format[] = [];
  for (const dist of all(md, 'distributionInfo', '*')) {
    for (const f of [...all(dist, 'distributionFormat', '*'), ...all(dist, 'distributor', '*', 'distributorFormat', '*')]) {
      const fmt = readFormat(f);
      if (fmt && !formatList.some((x) => x.name === fmt.name && x.version === fmt.version)) formatList.push(fmt);
    }
    // the transfer options, each with the formats of its distributor (MD_Distributor/distributorFormat, or the
    // MD_Format whose formatDistributor it is): its resources are in those, rather than in any of the record's
    const options: Array<{ node: XNode; at: readonly [string, string]; formats?: Format[] }> = all(dist, 'transferOptions', '*').map(
      (node) => ({ node, at: ONLINE_AT.transfer }),
    );
    // transfer options written inside a distributionFormat (AODN's GeoNetwork records): the distribution's, misplaced
    const misplaced = all(dist, 'distributionFormat', 'transferOptions', '*');
    if (misplaced.length > 0) {
      warn(ctx, MISPLACED_AT, 'iso.transferOptions.misplaced');
      for (const node of misplaced) options.push({ node, at: ONLINE_AT.misplaced });
    }
    for (const distributor of all(dist, 'distributor', '*')) {
      const formats = all(distributor, 'distributorFormat', '*').flatMap((f) => readFormat(f) ?? []);
      for (const node of all(distributor, 'distributorTransferOptions', '*')) options.push({ node, at: ONLINE_AT.distributor, formats });
    }
    for (const f of all(dist, 'distributionFormat', '*')) {
      const formats = [readFormat(f) ?? []].flat();
      for (const node of all(f, 'formatDistributor', '*', 'distributorTransferOptions', '*')) {
        options.push({ node, at: ONLINE_AT.formatDistributor, formats });
      }
    }
    for (const { node: option, at, formats } of options) {
      const onLines = all(option, 'onLine', '*');
      // the size of the transfer options is the size of its resource when it has one (not of each of several)
      const byteSize = onLines.length === 1 ? transferSize(option) : undefined;
      for (const ol of onLines) {
        const r = readOnlineResource(ctx, ol, at);
        if (r && byteSize !== undefined) r.byteSize = byteSize;
        if (r && formats?.length) r.formats = formats;
        if (r && !resources.some((x) => x.url === r.url && x.protocol === r.protocol)) resources.push(r);
      }
    }
  }
  for (const cp of servingConnectPoints(md, ident)) {
    const r = readOnlineResource(ctx, cp, ONLINE_AT.service);
    if (r && !resources.some((x) => x.url === r.url && x.protocol === r.protocol)) {
      resources.push(r);
      endpoints.add(r);
    }
  }
  const ncIso = isNcIso(md);
  out.formats = formatList.map(formatOf);

  for (const r of resources) {
    const fn = r.function;
    const serviceType = protocolServiceType(r.protocol, r.url);
    const fileType = fileTypeFromName(r.url);
    const isFile = fileType !== undefined && !fileType.endsWith('/HTML');
    if (fn === 'browseGraphic') {
      if (!out.depiction.includes(r.url)) out.depiction.push(r.url);
      continue;
    }
    if (fn === 'completeMetadata') {
      if (!out.page.includes(r.url)) out.page.push(r.url);
      continue;
    }
    // an ncISO viewer is a page, unless it is a file or a service endpoint (then the data is at its address)
    if (ncIso && !serviceType && !isFile && !endpoints.has(r) && !isServiceProtocol(r.protocol) && isNcIsoViewer(r)) {
      if (!out.page.includes(r.url)) out.page.push(r.url);
      continue;
    }
    const isLinkProtocol =
      r.protocol !== undefined && /^WWW:LINK|^HTTP:?LINK|^WWW-?LINK|^https?$/i.test(r.protocol) && !/download/i.test(r.protocol);
    if (!serviceType && !isFile && (fn === 'information' || fn === 'search' || (isLinkProtocol && fn !== 'download'))) {
      if (!out.landingPage.includes(r.url)) out.landingPage.push(r.url);
      continue;
    }
    // A web page or a service endpoint is no file, whatever the function says (ncISO writes download on every link).
    const notFile =
      serviceType !== undefined || endpoints.has(r) || (!isFile && (isServiceProtocol(r.protocol) || isWebPage(r, isLinkProtocol)));
    const download = !notFile && ((fn === 'download' && !ncIso) || isDownloadProtocol(r.protocol) || isFile);
    // the formats of its distributor, else the record's
    const formatsOf = r.formats ?? formatList;
    const singleFormat = formatsOf.length === 1 ? formatsOf[0] : undefined;
    let format: MediaTypeOrExtent | undefined;
    let mediaType: string | undefined;
    const single = singleFormat ? fileTypeFromName(singleFormat.name) : undefined;
    // The record's single declared format wins when the URL agrees with it or is more generic (.tif vs GeoTIFF).
    if (
      singleFormat &&
      !serviceType &&
      (!fileType || single === fileType || (fileType === EU_FILE_TYPE + 'TIFF' && single === EU_FILE_TYPE + 'GEOTIFF'))
    ) {
      format = formatOf(singleFormat);
      if (singleFormat.mediaType) mediaType = mediaTypeIri(singleFormat.mediaType);
    } else if (fileType) format = { '@id': fileType, '@type': 'dct:MediaTypeOrExtent' };
    else if (serviceType) {
      const code = SERVICE_FILE_TYPE[serviceType.slice(serviceType.lastIndexOf('/') + 1)];
      if (code) format = { '@id': EU_FILE_TYPE + code, '@type': 'dct:MediaTypeOrExtent' };
    } else if (singleFormat) {
      format = formatOf(singleFormat);
      if (singleFormat.mediaType) mediaType = mediaTypeIri(singleFormat.mediaType);
    } else {
      // Several formats: the one the resource names (in its name, description or protocol), if any.
      const hay =
        `${Object.values(r.name ?? {}).join(' ')} ${Object.values(r.description ?? {}).join(' ')} ${r.protocol ?? ''}`.toLowerCase();
      const named = formatsOf.find((f) => f.name.length > 2 && hay.includes(f.name.toLowerCase()));
      if (named) format = formatOf(named);
    }
    const d: Distribution = {
      '@type': 'dcat:Distribution',
      accessURL: r.url,
      ...(download ? { downloadURL: r.url } : {}),
      ...(r.name ? { title: r.name } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(format ? { format } : {}),
      ...(mediaType ? { mediaType: mediaTypeNode(mediaType) } : {}),
      ...(r.byteSize !== undefined ? { byteSize: r.byteSize } : {}),
      ...(serviceType ? { conformsTo: [standard(serviceType)] } : {}),
      ...(r.protocol ? { protocol: r.protocol } : {}),
      ...(fn ? { function: fn } : {}),
    };
    out.distribution.push(d);
  }
  return out;
}

/**
 * Graphic overviews (MD_BrowseGraphic fileName, or 19115-3 linkage) that are absolute URLs. A bare file name
 * ("CADW_Whs_s.png", as UK GEMINI records write them) names a file of the publisher's no one can reach: a warning.
 */
export function readOverviews(ctx: MapCtx, ident: XNode): string[] {
  const out: string[] = [];
  for (const g of all(ident, 'graphicOverview', '*')) {
    const text = textAt(g, 'fileName') ?? textAt(g, 'linkage', '*', 'linkage');
    const url = text && /^https?:\/\//i.test(text) ? urlIri(text) : undefined;
    if (text && !url) {
      warn(
        ctx,
        ['gmd:identificationInfo/*/gmd:graphicOverview/*/gmd:fileName', 'mdb:identificationInfo/*/mri:graphicOverview/*/mcc:fileName'],
        'iso.overview.notUrl',
        { url: text.slice(0, 80) },
      );
    }
    if (url && !out.includes(url)) out.push(url);
  }
  return out;
}

/** Text helper re-exported for service connect points. */
export function linkageOf(node: XNode): string | undefined {
  const url = text(first(node, 'linkage'));
  return url && RE_URL.test(url) ? urlIri(url) : undefined;
}

/**
 * The distribution of the resource: its distributions, each under the resource's first licence and rights statement,
 * its overviews and browse graphics (depiction), landing pages and pages.
 */
export function readResourceDistribution(
  ctx: MapCtx,
  md: XNode,
  ident: XNode,
  constraints: { license: LicenseDocument[]; rights: RightsStatement[] },
): Pick<Distributions, 'distribution' | 'depiction' | 'landingPage' | 'page'> {
  const dist = readDistributions(ctx, md, ident);
  for (const d of dist.distribution) {
    if (constraints.license[0]) d.license = constraints.license[0];
    if (constraints.rights[0]) d.rights = constraints.rights[0];
  }
  return {
    distribution: dist.distribution,
    depiction: unique([...readOverviews(ctx, ident), ...dist.depiction]),
    landingPage: dist.landingPage,
    page: dist.page,
  };
}
