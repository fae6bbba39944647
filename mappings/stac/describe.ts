/**
 * What collections and items share: text, keywords, licence, providers, assets and links, facets (`describe`), and
 * the record around them (`stacRecord`), so that a collection and an item differ only by what they read their own
 * way: extents, parents, the item count. Pure.
 *
 * Text has no declared language in STAC unless the language extension says so (`language.code`): the language maps
 * use "@none" otherwise. STAC `created` / `updated` are about the STAC document (common metadata), so they date the
 * catalogue record, not the data; `published` (timestamps extension) is dct:issued.
 */
import type { DateLiteral, HubRecord, LangMap, Location, PeriodOfTime } from '../../schemas/record.js';
import { dateLiteral, langKey, languageIri } from '../../core/vocab.js';
import { assignValues, compact, DATASET, doiIdentifier, languages, recordHead, resolutionInMeters, webPages } from '../common.js';
import { stacCatalogRecord } from './catalog-record.js';
import { readFacets, type Lookup } from './fields.js';
import { obj, str, strings, unique, type JsonObject } from '../../core/json.js';
import { readLicense } from './license.js';
import { baseUrl, readAssets, readLinks, text } from './links.js';
import { readProviders } from './providers.js';
import { readVersions } from './versions.js';
import type { StacContext, StacKind } from './types.js';
import type { SourceWarning } from '../../core/warnings.js';
import { coded } from '../../core/warnings.js';

export interface DescribeInput {
  /** The whole document (links, assets). */
  json: JsonObject;
  /** Where the descriptive fields live: the collection itself, or an item's properties. */
  meta: JsonObject;
  /** JSON path prefix of `meta` in messages ('' or 'properties.'). */
  metaPath: string;
  lookup: Lookup;
  /** The document's own fields only (a collection's summaries are its items'): the scientific extension reads these. */
  own?: Lookup;
  /** Base for relative hrefs (see links.ts). */
  base: string | undefined;
  /** An item's collection: its licence and providers apply when the item has none. */
  inherited?: JsonObject;
  /** The document is a collection (its assets without href define its items' assets: links.ts readAssets). */
  collection?: boolean;
}

/** The shared part of a record, with the fields the caller still needs. */
export type Shared = Omit<HubRecord, '@id' | '@type' | 'identifier' | 'isPrimaryTopicOf' | 'title'>;

export interface Described {
  title: LangMap;
  shared: Shared;
  /** Key of the language maps ('@none' unless the language extension says). */
  lang: string;
  /** EU language IRI of the metadata, when declared. */
  languageIri?: string;
  /** Date of the STAC document (updated, else created). */
  modified?: DateLiteral;
  /** parent / collection link IRIs. */
  parents: string[];
}

export function describe(input: DescribeInput, id: string, warnings: SourceWarning[]): Described {
  const { json, meta, metaPath, lookup, own, base, inherited, collection } = input;
  const language = obj(json.language) ?? obj(meta.language);
  const code = str(language?.code);
  const lang = langKey(code);
  const langIri = languageIri(code);

  const titleText = str(meta.title);
  if (!titleText) warnings.push(coded(`${metaPath}title`, 'stac.title.missing'));
  const title: LangMap = { [lang]: titleText ?? id };
  const description = text(meta.description, lang);

  const assets = readAssets(json.assets, base, lang, warnings, collection);
  const links = readLinks(json.links, base, lang);
  const facets = readFacets(lookup, json.assets, lang, warnings, own);

  // licence and providers: the document's own, else (items) the collection's
  let license = str(meta.license);
  let licenseLinks = links.licenses;
  let providers = meta.providers;
  let providersPath = `${metaPath}providers`;
  if (inherited) {
    const inheritedLinks = () => readLinks(inherited.links, baseUrl(inherited, undefined), lang).licenses;
    if (!license && !licenseLinks.length) {
      license = str(inherited.license);
      licenseLinks = inheritedLinks();
    } else if (license && /^(other|proprietary|various)$/i.test(license) && !licenseLinks.length) {
      licenseLinks = inheritedLinks();
    }
    if (!Array.isArray(providers) || providers.length === 0) {
      providers = inherited.providers;
      providersPath = 'collection.providers';
    }
  }
  const licenses = readLicense(license, licenseLinks, warnings);
  const parties = readProviders(providers, providersPath, warnings);

  const keywords = unique([...strings(meta.keywords), ...facets.keywords]);
  const issued = dateLiteral(str(meta.published));
  const modified = dateLiteral(str(meta.updated)) ?? dateLiteral(str(meta.created));
  const version = str(meta.version) ?? str(json.version);
  const versions = readVersions(meta, metaPath, inherited, links, warnings);

  const shared: Shared = compact({
    description,
    keyword: keywords.length ? { [lang]: keywords } : undefined,
    language: langIri ? languages([langIri]) : undefined,
    issued,
    version,
    ...versions,
    publisher: parties.publisher,
    creator: parties.creator,
    rightsHolder: parties.rightsHolder,
    qualifiedAttribution: parties.qualifiedAttribution,
    license: licenses,
    distribution: [...assets.distribution, ...links.distribution],
    depiction: unique([...assets.depiction, ...links.depiction]),
    landingPage: webPages(links.landingPage),
    page: webPages(links.page),
    // a cite-as link to the DOI of a publication (sci:publications; the scientific extension's examples of STAC 0.8
    // to 1.0-beta.2 add one) is about the data, not the data's identifier: it stays a publication (isReferencedBy)
    otherIdentifier: unique(
      [...facets.otherIdentifier, ...links.doi.filter((d) => !facets.isReferencedBy.includes(d)).map(doiIdentifier)],
      (i) => i.notation,
    ),
    isReferencedBy: facets.isReferencedBy,
    bibliographicCitation: facets.bibliographicCitation,
    conformsTo: facets.conformsTo,
    provenance: facets.provenance,
    platform: facets.platform,
    instrument: facets.instrument,
    gsd: facets.gsd,
    // DCAT-AP allows one resolution: the finest ground sample distance (gsd keeps them all)
    spatialResolutionInMeters: resolutionInMeters(facets.gsd).spatialResolutionInMeters,
    processingLevel: facets.processingLevel,
    variableMeasured: facets.variableMeasured,
  });
  return {
    title,
    shared,
    lang,
    ...(langIri ? { languageIri: langIri } : {}),
    ...(modified ? { modified } : {}),
    parents: unique(links.parents),
  };
}

/** What a collection or an item reads its own way. */
export interface OwnParts {
  spatial: Location[];
  temporal: PeriodOfTime[];
  isPartOf: string[];
  /** A collection's number of items walked (absent when they were not walked). */
  granuleCount?: number;
}

/**
 * The record of a collection or an item: its head, the parts they share (`describe`), its own parts, and its catalogue
 * record (id: the record's own identifier, `${collection}/${item}` for an item).
 */
export function stacRecord(
  kind: StacKind,
  json: JsonObject,
  id: string,
  ctx: StacContext,
  d: Described,
  own: OwnParts,
  warnings: SourceWarning[],
): HubRecord {
  return assignValues(assignValues(recordHead(ctx.source, id, DATASET, d.title), d.shared), {
    spatial: own.spatial,
    temporal: own.temporal,
    isPartOf: own.isPartOf,
    granuleCount: own.granuleCount,
    isPrimaryTopicOf: stacCatalogRecord(json, kind, id, ctx, { modified: d.modified, language: d.languageIri }, warnings),
  });
}
