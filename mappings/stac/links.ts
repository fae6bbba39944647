/**
 * STAC assets and links → distributions, pages, landing pages, depictions, parents. Pure.
 *
 * Hrefs are resolved against the document's base: its http(s) location, else its absolute `self` link (the STAC
 * canonical location). A relative href with no http(s) base (a catalogue read from local files without a self link) has
 * no public IRI: it is left out, with a warning for assets (data a user would have downloaded).
 */
import { mediaType as mediaTypeNode, multihashChecksum, standard, urlIri } from '../common.js';
import type { Distribution, LangMap, MediaTypeOrExtent } from '../../schemas/record.js';
import { doiIri, fileTypeFromName, mediaTypeIri, protocolServiceType } from '../../core/vocab.js';
import { arr, num, obj, str, strings, type JsonObject } from '../../core/json.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

/** An absolute IRI we publish: any scheme but file: (s3://, gs://, ftp:// are kept: they say where the data is). */
const ABSOLUTE = /^(?!file:)[a-z][a-z0-9+.-]*:/i;

/** The base against which the document's relative hrefs resolve (undefined: none usable). */
export function baseUrl(json: JsonObject, sourceUrl: string | undefined): string | undefined {
  if (sourceUrl && /^https?:\/\//i.test(sourceUrl)) return sourceUrl;
  const self = arr(json.links)
    .map(obj)
    .find((l) => l?.rel === 'self');
  const href = str(self?.href);
  return href && /^https?:\/\//i.test(href) ? href : undefined;
}

/**
 * The absolute IRI of an href (characters an IRI may not hold percent-encoded: common.ts urlIri), or undefined when it
 * is relative and there is no http(s) base (or it is malformed).
 */
export function resolveHref(href: unknown, base: string | undefined): string | undefined {
  const h = str(href)?.trim();
  if (!h) return undefined;
  if (ABSOLUTE.test(h)) return isUrl(h) ? urlIri(h) : undefined;
  if (!base) return undefined;
  try {
    return urlIri(new URL(h, base).href);
  } catch {
    return undefined;
  }
}

function isUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

export interface AssetParts {
  distribution: Distribution[];
  /** Thumbnails and overviews (foaf:depiction). */
  depiction: string[];
}

/** Roles that make an asset a picture of the data. */
const PICTURE_ROLES = ['thumbnail', 'overview'];

/**
 * Assets → distributions (downloadURL = accessURL = href, IANA media type, EU file type, title, first role as
 * function, `file:size` as byteSize) and thumbnails/overviews → depiction. A thumbnail is a depiction only; an overview
 * is both (it is a usable product). 0.x assets keyed "thumbnail" without roles count as thumbnails.
 *
 * `ofCollection`: the assets are a collection's, where an asset without href is no fault but the definition of an
 * asset its items have (STAC 0.8 and 0.9 "asset" extension, `assets` of a collection with title, type and bands
 * only; 1.0 names them `item_assets`): nothing to download, left out without a word. An item's asset needs its href.
 */
export function readAssets(
  assets: unknown,
  base: string | undefined,
  lang: string,
  warnings: SourceWarning[],
  ofCollection = false,
): AssetParts {
  const out: AssetParts = { distribution: [], depiction: [] };
  const a = obj(assets);
  if (!a) return out;
  for (const [key, value] of Object.entries(a)) {
    const asset = obj(value);
    if (!asset) {
      warnings.push(coded(`assets.${key}`, 'stac.asset.notObject'));
      continue;
    }
    if (asset.href === undefined || asset.href === null) {
      if (!ofCollection) warnings.push(coded(`assets.${key}.href`, 'stac.asset.noHref'));
      continue;
    }
    const href = resolveHref(asset.href, base);
    if (!href) {
      warnings.push(coded(`assets.${key}.href`, 'stac.asset.noIri', { href: JSON.stringify(asset.href) }));
      continue;
    }
    const roles = strings(asset.roles);
    const isThumbnail = roles.includes('thumbnail') || (roles.length === 0 && key === 'thumbnail');
    if (isThumbnail || roles.some((r) => PICTURE_ROLES.includes(r))) out.depiction.push(href);
    if (isThumbnail && !roles.includes('overview') && !roles.includes('data')) continue;
    out.distribution.push(distribution(href, asset, lang, { download: true, function: roles[0] }));
  }
  return out;
}

export interface LinkParts {
  distribution: Distribution[];
  landingPage: string[];
  page: string[];
  /** parent / collection hrefs. */
  parents: string[];
  depiction: string[];
  /** rel=license links, for a license "other" / "proprietary" / "various". */
  licenses: { href: string; title?: string }[];
  /** DOI IRIs found in cite-as links. */
  doi: string[];
  /** The document's own location (its self link), when it has one. */
  self?: string;
  /** Version extension links (RFC 5829): latest-version, predecessor-version, successor-version hrefs. */
  latestVersion: string[];
  predecessorVersion: string[];
  successorVersion: string[];
}

/** Links of OGC and web-map services that give access to the data (web-map-links extension, OGC API). */
const SERVICE_RELS = new Set(['wms', 'wmts', 'xyz', 'tilejson', 'pmtiles', '3d-tiles', 'tiles', 'map', 'coverage']);
/** Links to documents about the data (version-history: a changelog, Version extension). */
const PAGE_RELS = new Set(['about', 'describedby', 'describedBy', 'via', 'cite-as', 'documentation', 'handbook', 'version-history']);
/** The Version extension's links to other versions (RFC 5829) → the LinkParts list that keeps them. */
const VERSION_RELS = {
  'latest-version': 'latestVersion',
  'predecessor-version': 'predecessorVersion',
  'successor-version': 'successorVersion',
} as const;

/**
 * Links → landing pages (self/alternate in HTML), pages (about, describedby, via, cite-as, version-history...),
 * parents, previews, licences, other versions (latest-version, predecessor-version, successor-version: describe.ts
 * says what each is), and distributions: the `items` endpoint of an API collection, non-HTML alternates and map
 * services (protocol = the link rel). Structural links (root, child, item, next, prev, search, conformance...) are not
 * mapped.
 */
export function readLinks(links: unknown, base: string | undefined, lang: string): LinkParts {
  const out: LinkParts = {
    distribution: [],
    landingPage: [],
    page: [],
    parents: [],
    depiction: [],
    licenses: [],
    doi: [],
    latestVersion: [],
    predecessorVersion: [],
    successorVersion: [],
  };
  for (const value of arr(links)) {
    const link = obj(value);
    const rel = str(link?.rel);
    if (!link || !rel) continue;
    const href = resolveHref(link.href, base);
    if (!href) continue;
    const html = isHtml(link, href);
    if (rel === 'self') out.self ??= href;
    if (rel === 'self' || rel === 'alternate') {
      if (html) out.landingPage.push(href);
      else if (rel === 'alternate') out.distribution.push(distribution(href, link, lang, { protocol: rel }));
    } else if (rel === 'license') {
      out.licenses.push({ href, ...(str(link.title) ? { title: str(link.title)! } : {}) });
    } else if (PAGE_RELS.has(rel)) {
      out.page.push(href);
      const doi = rel === 'cite-as' ? doiIri(href) : undefined;
      if (doi) out.doi.push(doi);
    } else if (rel === 'parent' || rel === 'collection') {
      out.parents.push(href);
    } else if (rel in VERSION_RELS) {
      out[VERSION_RELS[rel as keyof typeof VERSION_RELS]].push(href);
    } else if (rel === 'preview') {
      out.depiction.push(href);
    } else if (rel === 'items') {
      out.distribution.push(distribution(href, { type: 'application/geo+json', ...link }, lang, { protocol: rel }));
    } else if (SERVICE_RELS.has(rel)) {
      const d = distribution(href, link, lang, { protocol: rel });
      const service = protocolServiceType(rel);
      out.distribution.push(service ? { ...d, conformsTo: [standard(service)] } : d);
    }
  }
  return out;
}

function isHtml(link: JsonObject, href: string): boolean {
  const type = str(link.type);
  return type ? /^text\/html\b/i.test(type) : /\.html?(?:[?#]|$)/i.test(href);
}

/** One distribution from an asset or a link (both have type, title, description). */
function distribution(
  href: string,
  source: JsonObject,
  lang: string,
  how: { download?: boolean; function?: string; protocol?: string },
): Distribution {
  const type = str(source.type);
  const mediaType = mediaTypeIri(type);
  const format = formatOf(type, href);
  const title = text(source.title, lang);
  const description = text(source.description, lang);
  const size = num(source['file:size']);
  const checksum = typeof source['file:checksum'] === 'string' ? multihashChecksum(source['file:checksum']) : undefined;
  return {
    '@type': 'dcat:Distribution',
    accessURL: href,
    ...(how.download ? { downloadURL: href } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(format ? { format } : {}),
    ...(mediaType ? { mediaType: mediaTypeNode(mediaType) } : {}),
    ...(how.protocol ? { protocol: how.protocol } : {}),
    ...(how.function ? { function: how.function } : {}),
    ...(size !== undefined && size >= 0 && Number.isInteger(size) ? { byteSize: size } : {}),
    ...(checksum ? { checksum } : {}),
  };
}

/** The EU file type of a media type ("image/tiff; application=geotiff" → GEOTIFF) or of the file name. */
function formatOf(type: string | undefined, href: string): MediaTypeOrExtent | undefined {
  const iri = fileTypeFromName(type) ?? fileTypeFromName(href);
  if (iri) return { '@id': iri, '@type': 'dct:MediaTypeOrExtent' };
  // a media type with parameters says more than its IANA IRI (profile=cloud-optimized...): keep it as a label
  if (type && type.includes(';')) return { '@type': 'dct:MediaTypeOrExtent', label: { '@none': type } };
  return undefined;
}

export function text(v: unknown, lang: string): LangMap | undefined {
  const s = str(v);
  return s ? { [lang]: s } : undefined;
}
