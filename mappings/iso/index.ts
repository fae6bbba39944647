/**
 * ISO 19139 / 19115-2 / 19115-3 record → normalised HubRecord (DCAT-AP 3 / GeoDCAT-AP reading).
 *
 * One shared model: every section (parties, keywords, extents, constraints, distributions, quality) is read by
 * shared helpers that work on local names, since 19139 (gmd), its profiles (che...) and 19115-3 (mdb, mri, cit...)
 * mostly share them; the few differences are the `Dialect` of each flavour below (where the record identifier,
 * languages, scope, date stamp, parent and lineage live).
 *
 * Choices (documented where GeoDCAT-AP leaves room):
 * - publisher: the first resource party with role publisher; else the first distributor (MD_Distributor contact or
 *   role distributor): the body that makes the data available; else none (never guessed from owner/custodian);
 * - creator: roles author, originator, creator, coAuthor, principalInvestigator; rightsHolder: owner, rightsHolder;
 * - contactPoint: resource parties with role pointOfContact; else every party under identificationInfo/
 *   pointOfContact; else the metadata contacts;
 * - qualifiedAttribution: every resource party (citation, pointOfContact, distributor, maintenance contact) with its
 *   role; metadata contacts (about the record, not the resource) are not attributions;
 * - keywords: Anchor or known vocabulary → theme Concept; other keywords → keyword;
 * - a record without title fails (RecordError 'map'); without any identifier gets a stable sha256-derived one.
 */
import { createHash } from 'node:crypto';
import type {
  Agent,
  Attribution,
  CatalogRecord,
  Conformity,
  ContactPoint,
  DateLiteral,
  HubRecord,
  Identifier,
  LangMap,
  Location,
  PeriodOfTime,
  RecordType,
} from '../../schemas/record.js';
import { hubId, recordIri } from '../../schemas/record.js';
import { RecordError, SkipRecord } from '../../core/result.js';
import {
  crsIri,
  dateLiteral,
  doiIri,
  frequencyIri,
  languageIri,
  langKey,
  resourceTypeIri,
  scopeCode,
  serviceTypeIri,
} from '../../core/vocab.js';
import {
  all,
  attr,
  codeValue,
  first,
  href,
  namedChildren,
  ownText,
  parseXml,
  rootInfo,
  text,
  textAt,
  type XNode,
} from '../../core/xml.js';
import { firstLangText, joinLangMaps, langText, readLocales, type MapCtx } from './context.js';
import { readConstraints } from './constraints.js';
import { linkageOf, readDistributions, readOverviews } from './distribution.js';
import { extentLocations, extentPeriods } from './extent.js';
import { flavourOfRoot, STANDARD_IRI, type IsoFlavour } from './flavour.js';
import { readKeywords } from './keywords.js';
import { agentOf, attributionOf, contactPointOf, readParties, type Party } from './parties.js';

export type { IsoFlavour } from './flavour.js';

export interface IsoMapContext {
  /** Configured source id (non-empty). */
  source: string;
  /** When the record was harvested: an ISO 8601 date-time. */
  harvestedAt: string;
  /** Where the record came from (GetRecordById URL, file...). */
  sourceUrl?: string;
}

export interface IsoMapResult {
  record: HubRecord;
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Flavour differences
// ---------------------------------------------------------------------------------------------------------------

interface Dialect {
  fileIdentifier(md: XNode): string | undefined;
  metadataLanguage(md: XNode): string | undefined;
  locales(md: XNode): XNode[];
  scopes(md: XNode): string[];
  dateStamp(md: XNode): string | undefined;
  parent(md: XNode): string | undefined;
  lineage(md: XNode): XNode[];
  resourceLanguages(ident: XNode): string[];
}

const codes = (nodes: XNode[]): string[] => nodes.map(codeValue).filter((c): c is string => !!c);

const DIALECT_19139: Dialect = {
  fileIdentifier: (md) => textAt(md, 'fileIdentifier'),
  metadataLanguage: (md) => codeValue(first(md, 'language')),
  locales: (md) => all(md, 'locale', '*'),
  scopes: (md) => codes(all(md, 'hierarchyLevel')),
  dateStamp: (md) => textAt(md, 'dateStamp'),
  parent: (md) => textAt(md, 'parentIdentifier') ?? attr(first(md, 'parentIdentifier'), 'uuidref'),
  lineage: (md) => all(md, 'dataQualityInfo', '*', 'lineage', '*', 'statement'),
  resourceLanguages: (ident) => codes(all(ident, 'language')),
};

const DIALECT_19115_3: Dialect = {
  fileIdentifier: (md) => textAt(md, 'metadataIdentifier', '*', 'code'),
  metadataLanguage: (md) => codeValue(first(md, 'defaultLocale', '*', 'language')),
  locales: (md) => [...all(md, 'defaultLocale', '*'), ...all(md, 'otherLocale', '*')],
  scopes: (md) => codes(all(md, 'metadataScope', '*', 'resourceScope')),
  dateStamp: (md) => {
    // The latest revision date of the record, else its creation date.
    let best: string | undefined;
    let creation: string | undefined;
    for (const d of all(md, 'dateInfo', '*')) {
      const type = codeValue(first(d, 'dateType'));
      const value = textAt(d, 'date');
      if (!value) continue;
      if (type === 'revision' || type === 'lastUpdate' || type === 'lastRevision') {
        if (!best || value > best) best = value;
      } else if (type === 'creation') creation ??= value;
    }
    return best ?? creation;
  },
  parent: (md) => {
    const pm = first(md, 'parentMetadata');
    return attr(pm, 'uuidref') ?? textAt(pm, '*', 'identifier', '*', 'code');
  },
  lineage: (md) => [
    ...all(md, 'resourceLineage', '*', 'statement'),
    ...all(md, 'dataQualityInfo', '*', 'lineage', '*', 'statement'),
  ],
  resourceLanguages: (ident) => [
    ...codes(all(ident, 'defaultLocale', '*', 'language')),
    ...codes(all(ident, 'otherLocale', '*', 'language')),
  ],
};

const DIALECTS: Record<IsoFlavour, Dialect> = {
  iso19139: DIALECT_19139,
  'iso19115-2': DIALECT_19139,
  'iso19115-3': DIALECT_19115_3,
};

// ---------------------------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------------------------

const WRAPPERS = /^(GetRecordByIdResponse|GetRecordsResponse|SearchResults|metadata|record)$/;

/**
 * Flavour of one ISO record given as XML text (reads only the root start tag), or undefined when the document
 * is not an ISO 19139 / 19115-2 / 19115-3 record (csw:Record, an HTML page...). Never throws.
 */
export function detectIsoFlavour(xml: string): IsoFlavour | undefined {
  try {
    return flavourOfRoot(rootInfo(xml), xml);
  } catch {
    return undefined;
  }
}

function validateContext(ctx: IsoMapContext): DateLiteral {
  if (!ctx || typeof ctx.source !== 'string' || ctx.source.trim() === '') {
    throw new TypeError('isoToRecord: ctx.source must be a non-empty string (the configured source id)');
  }
  const harvested = dateLiteral(ctx.harvestedAt);
  if (!harvested || harvested['@type'] !== 'xsd:dateTime') {
    throw new TypeError(`isoToRecord: ctx.harvestedAt must be an ISO 8601 date-time, got ${JSON.stringify(ctx.harvestedAt)}`);
  }
  if (ctx.sourceUrl !== undefined && (typeof ctx.sourceUrl !== 'string' || ctx.sourceUrl === '')) {
    throw new TypeError('isoToRecord: ctx.sourceUrl, when given, must be a non-empty string');
  }
  return harvested;
}

/**
 * Maps one ISO metadata record (XML text of one standalone document) to a HubRecord.
 * Throws RecordError('parse') for malformed or unsafe XML, SkipRecord('map') when the document is not an ISO
 * record, RecordError('map') when a required element (title) is missing; TypeError for a bad ctx (caller bug).
 */
export function isoToRecord(xml: string, ctx: IsoMapContext): IsoMapResult {
  const harvestedAt = validateContext(ctx);
  const doc = parseXml(xml);
  let md: XNode = doc.root;
  let flavour = flavourOfRoot(doc.info, xml);
  if (!flavour && WRAPPERS.test(doc.rootName)) {
    // A response wrapping exactly one record (GetRecordById): map the record.
    const inner = namedChildren(doc.root).filter(([n]) => /(?:^|_)M[DI]_Metadata$/.test(n));
    if (inner.length === 1) {
      md = inner[0]![1];
      flavour = flavourOfRoot({ localName: inner[0]![0], namespaces: doc.info.namespaces }, xml);
    } else if (inner.length > 1) {
      throw new RecordError('map', `<${doc.rootName}> holds ${inner.length} records: split it into one document per record first`);
    }
  }
  if (!flavour) {
    const name = doc.info.prefix ? `${doc.info.prefix}:${doc.rootName}` : doc.rootName;
    throw new SkipRecord('map', `not an ISO 19139/19115 metadata record: root element <${name}>${doc.info.namespaceUri ? ` in namespace ${doc.info.namespaceUri}` : ''}`);
  }
  return mapRecord(md, flavour, xml, ctx, harvestedAt);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------------------------

const CREATOR_ROLES = new Set(['author', 'originator', 'creator', 'coAuthor', 'principalInvestigator']);
const RIGHTS_HOLDER_ROLES = new Set(['owner', 'rightsHolder']);
const FUNDER_ROLES = new Set(['funder', 'sponsor']);

function typeOf(scope: string | undefined): RecordType {
  if (scope === 'service') return ['dcat:DataService', 'schema:WebAPI'];
  if (scope === 'series') return ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'];
  return ['dcat:Dataset', 'schema:Dataset'];
}

function uniq<T>(list: T[], key: (x: T) => string = (x) => JSON.stringify(x)): T[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Resource identifiers (MD_Identifier / RS_Identifier); DOIs normalised to https://doi.org/... with agency "doi". */
function readIdentifiers(citation: XNode | undefined): { ids: Identifier[]; codes: string[] } {
  const ids: Identifier[] = [];
  const codesOut: string[] = [];
  for (const id of all(citation, 'identifier', '*')) {
    const codeProp = first(id, 'code');
    const code = text(codeProp);
    const link = href(codeProp);
    if (!code && !link) continue;
    // Not an identifier: some catalogues put whole documents (JSON-LD...) in code.
    if (code && (code.length > 500 || code.startsWith('{'))) continue;
    const codeSpace = textAt(id, 'codeSpace') ?? textAt(id, 'authority', '*', 'title');
    const doi = doiIri(link) ?? doiIri(code) ?? (codeSpace && /doi/i.test(codeSpace) && code ? doiIri('doi:' + code.replace(/^doi:/i, '')) : undefined);
    if (doi) ids.push({ '@type': 'adms:Identifier', notation: doi, schemaAgency: 'doi' });
    else ids.push({ '@type': 'adms:Identifier', notation: code ?? link!, ...(codeSpace ? { schemaAgency: codeSpace } : {}) });
    codesOut.push(code ?? link!);
  }
  return { ids: uniq(ids, (i) => i.notation), codes: codesOut };
}

interface CitationDates {
  created?: DateLiteral;
  issued?: DateLiteral;
  modified?: DateLiteral;
}

function readDates(ctx: MapCtx, citation: XNode | undefined): CitationDates {
  const out: CitationDates = {};
  for (const d of all(citation, 'date', '*')) {
    const raw = textAt(d, 'date');
    const lit = dateLiteral(raw);
    const type = codeValue(first(d, 'dateType'));
    if (!lit) {
      if (raw) ctx.warnings.push(`citation date "${raw}" (${type ?? 'no type'}) is not a date: ignored`);
      continue;
    }
    if (type === 'creation') {
      if (!out.created || lit['@value'] < out.created['@value']) out.created = lit;
    } else if (type === 'publication') {
      if (!out.issued || lit['@value'] < out.issued['@value']) out.issued = lit;
    } else if (type === 'revision' || type === 'lastUpdate' || type === 'lastRevision') {
      if (!out.modified || lit['@value'] > out.modified['@value']) out.modified = lit;
    }
  }
  return out;
}

/** Spatial resolution: distances in metres, and equivalent scales as "1:25000". */
function readResolution(ident: XNode, ctx: MapCtx): { metres: number[]; text: string[] } {
  const metres: number[] = [];
  const txt: string[] = [];
  for (const res of all(ident, 'spatialResolution', '*')) {
    const denom = textAt(res, 'equivalentScale', '*', 'denominator');
    if (denom) {
      const n = Number(denom);
      if (Number.isFinite(n) && n > 0) txt.push(`1:${n}`);
      else ctx.warnings.push(`equivalent scale "${denom}" is not a number: ignored`);
    }
    for (const dist of all(res, 'distance')) {
      const valueNode = first(dist, 'Distance') ?? first(dist, 'Measure') ?? dist;
      const v = Number(ownText(valueNode) ?? text(dist));
      const uom = (attr(valueNode, 'uom') ?? 'm').trim();
      if (!Number.isFinite(v) || v <= 0) continue;
      const factor = METRE_FACTORS[uom.toLowerCase().replace(/^.*[#/]/, '')];
      if (factor !== undefined) metres.push(Number((v * factor).toPrecision(12)));
      else txt.push(`${v} ${uom}`);
    }
  }
  return { metres: [...new Set(metres)], text: [...new Set(txt)] };
}

const METRE_FACTORS: Record<string, number> = {
  m: 1, metre: 1, meter: 1, metres: 1, meters: 1, 'epsg::9001': 1, '9001': 1, km: 1000, kilometre: 1000, kilometer: 1000,
  cm: 0.01, mm: 0.001, dm: 0.1, ft: 0.3048, foot: 0.3048, feet: 0.3048, 'us-ft': 1200 / 3937, mi: 1609.344,
};

/** INSPIRE conformity (DQ_DomainConsistency / DQ_ConformanceResult). */
function readConformity(ctx: MapCtx, md: XNode): Conformity[] {
  const out: Conformity[] = [];
  for (const result of all(md, 'dataQualityInfo', '*', 'report', '*', 'result', 'DQ_ConformanceResult')) {
    const spec = first(result, 'specification', '*');
    const titleProp = first(spec, 'title');
    const title = langText(ctx, titleProp);
    const specIri = href(titleProp) ?? href(first(result, 'specification'));
    let issued: DateLiteral | undefined;
    for (const d of all(spec, 'date', '*')) issued ??= dateLiteral(textAt(d, 'date'));
    if (!title && !specIri) continue;
    const passText = textAt(result, 'pass');
    const pass = passText === 'true' || passText === '1' ? true : passText === 'false' || passText === '0' ? false : undefined;
    const explanation = langText(ctx, first(result, 'explanation'));
    out.push({
      '@type': 'hub:ConformityResult',
      specification: {
        ...(specIri && /^https?:\/\//.test(specIri) ? { '@id': specIri } : {}),
        ...(title ? { title } : {}),
        ...(issued ? { issued } : {}),
      },
      ...(pass !== undefined ? { pass } : {}),
      ...(explanation ? { explanation } : {}),
    });
  }
  return out;
}

/** 19115-2 / 19115-3 acquisition: platforms and instruments (identifier code, else type, else description). */
function readAcquisition(md: XNode): { platform: string[]; instrument: string[] } {
  const platform: string[] = [];
  const instrument: string[] = [];
  const idOf = (n: XNode): string | undefined => {
    const id = first(n, 'identifier');
    return (id !== undefined ? ownText(id) ?? textAt(id, '*', 'code') ?? text(id) : undefined) ?? textAt(n, 'type') ?? textAt(n, 'description');
  };
  for (const acq of all(md, 'acquisitionInformation', '*')) {
    for (const p of all(acq, 'platform', '*')) {
      const v = idOf(p);
      if (v && !platform.includes(v)) platform.push(v);
      for (const i of all(p, 'instrument', '*')) {
        const iv = idOf(i);
        if (iv && !instrument.includes(iv)) instrument.push(iv);
      }
    }
    for (const i of all(acq, 'instrument', '*')) {
      const iv = idOf(i);
      if (iv && !instrument.includes(iv)) instrument.push(iv);
    }
  }
  return { platform, instrument };
}

function readProcessingLevels(md: XNode, ident: XNode): string[] {
  const out: string[] = [];
  for (const n of [
    ...all(ident, 'processingLevel', '*', 'code'),
    ...all(md, 'contentInfo', '*', 'processingLevelCode', '*', 'code'),
  ]) {
    const v = text(n);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Stable IRI of a referenced record: a URL as is, else the hub IRI of that identifier in the same source. */
function refIri(source: string, ref: string): string {
  return /^https?:\/\//i.test(ref) ? ref : recordIri(source, ref);
}

function mapRecord(md: XNode, flavour: IsoFlavour, xml: string, c: IsoMapContext, harvestedAt: DateLiteral): IsoMapResult {
  const dialect = DIALECTS[flavour];
  const mainCode = dialect.metadataLanguage(md);
  const ctx: MapCtx = {
    flavour,
    source: c.source,
    main: langKey(mainCode),
    ...(mainCode ? { mainCode } : {}),
    locales: readLocales(dialect.locales(md)),
    warnings: [],
  };
  if (mainCode && ctx.main === '@none') ctx.warnings.push(`metadata language "${mainCode}" not recognised: texts keyed "@none"`);

  const identEntries = namedChildren(first(md, 'identificationInfo'));
  const [identName, ident] = identEntries[0] ?? ['', undefined];
  if (ident === undefined) throw new RecordError('map', 'no identificationInfo: not a usable ISO record');
  const isService = identName.endsWith('ServiceIdentification');
  const citation = first(ident, 'citation', '*');

  // --- identity -------------------------------------------------------------------------------------------------
  const contentHash = sha256(xml);
  const fileId = dialect.fileIdentifier(md);
  const { ids: otherIdentifier, codes: resourceCodes } = readIdentifiers(citation);
  let id = fileId;
  if (!id && resourceCodes[0]) {
    id = resourceCodes[0];
    ctx.warnings.push(`no fileIdentifier: the record identifier is the resource identifier "${id}"`);
  }
  if (!id) {
    id = 'sha256-' + contentHash.slice(0, 32);
    ctx.warnings.push(`no fileIdentifier nor resource identifier: derived stable identifier "${id}" from the sha256 of the content`);
  }

  const title = langText(ctx, first(citation, 'title')) ?? firstLangText(ctx, all(citation, 'alternateTitle'));
  if (!title) throw new RecordError('map', `record ${id} has no title (identificationInfo/citation/title)`);
  const description = langText(ctx, first(ident, 'abstract'));

  // --- type -----------------------------------------------------------------------------------------------------
  const scopes = dialect.scopes(md).map((s) => scopeCode(s) ?? s);
  const scope = isService ? 'service' : scopes[0] ?? 'dataset';
  const resourceType: string[] = [];
  for (const s of isService ? ['service'] : scopes.length ? scopes : ['dataset']) {
    const iri = resourceTypeIri(s);
    if (iri && !resourceType.includes(iri)) resourceType.push(iri);
    else if (!iri) ctx.warnings.push(`unknown hierarchy level "${s}"`);
  }
  const serviceType = isService ? textAt(ident, 'serviceType') : undefined;
  const stIri = serviceTypeIri(serviceType);
  if (stIri) resourceType.push(stIri);

  // --- parties --------------------------------------------------------------------------------------------------
  const resourceParties: Party[] = [];
  const pocParties: Party[] = [];
  const citedParties: Party[] = [];
  for (const n of all(citation, 'citedResponsibleParty', '*')) citedParties.push(...readParties(ctx, n));
  resourceParties.push(...citedParties);
  for (const n of all(ident, 'pointOfContact', '*')) {
    const ps = readParties(ctx, n);
    pocParties.push(...ps);
    resourceParties.push(...ps);
  }
  for (const n of all(ident, 'resourceMaintenance', '*', 'contact', '*')) resourceParties.push(...readParties(ctx, n));
  const distributorParties: Party[] = [];
  for (const n of all(md, 'distributionInfo', '*', 'distributor', '*', 'distributorContact', '*')) {
    distributorParties.push(...readParties(ctx, n, 'distributor'));
  }
  resourceParties.push(...distributorParties);
  const metadataParties = all(md, 'contact', '*').flatMap((n) => readParties(ctx, n));

  const publisherParty =
    resourceParties.find((p) => p.role === 'publisher') ??
    distributorParties[0] ??
    resourceParties.find((p) => p.role === 'distributor');
  const publisher: Agent | undefined = publisherParty ? agentOf(ctx, publisherParty) : undefined;
  const creator = uniq(resourceParties.filter((p) => p.role && CREATOR_ROLES.has(p.role)).map((p) => agentOf(ctx, p)).filter((a): a is Agent => !!a));
  const rightsHolder = uniq(resourceParties.filter((p) => p.role && RIGHTS_HOLDER_ROLES.has(p.role)).map((p) => agentOf(ctx, p)).filter((a): a is Agent => !!a));
  const funder = uniq(resourceParties.filter((p) => p.role && FUNDER_ROLES.has(p.role)).map((p) => agentOf(ctx, p)).filter((a): a is Agent => !!a));
  let contactParties = [...citedParties, ...pocParties].filter((p) => p.role === 'pointOfContact');
  if (contactParties.length === 0) contactParties = pocParties;
  if (contactParties.length === 0) contactParties = metadataParties;
  const contactPoint = uniq(contactParties.map((p) => contactPointOf(ctx, p)).filter((x): x is ContactPoint => !!x));
  const qualifiedAttribution = uniq(resourceParties.map((p) => attributionOf(ctx, p)).filter((x): x is Attribution => !!x));

  // --- keywords, extents ----------------------------------------------------------------------------------------
  const kw = readKeywords(ctx, ident);
  const spatial: Location[] = [];
  const temporal: PeriodOfTime[] = [];
  for (const ext of all(ident, 'extent', '*')) {
    spatial.push(...extentLocations(ctx, ext));
    temporal.push(...extentPeriods(ctx, ext));
  }

  // --- dates, languages -----------------------------------------------------------------------------------------
  const dates = readDates(ctx, citation);
  const language = uniq(dialect.resourceLanguages(ident).map((l) => {
    const iri = languageIri(l);
    if (!iri) ctx.warnings.push(`resource language "${l}" not recognised`);
    return iri;
  }).filter((x): x is string => !!x));

  // --- constraints, distributions -------------------------------------------------------------------------------
  const cons = readConstraints(ctx, ident);
  const dist = readDistributions(ctx, md);
  for (const d of dist.distribution) {
    if (cons.license[0]) d.license = cons.license[0];
    if (cons.rights[0]) d.rights = cons.rights[0];
  }
  const depiction = uniq([...readOverviews(ident), ...dist.depiction]);

  // --- quality, lineage, reference systems ----------------------------------------------------------------------
  const provenanceLabel = joinLangMaps(dialect.lineage(md).map((s) => langText(ctx, s)).filter((x): x is LangMap => !!x));
  const conformity = readConformity(ctx, md);
  const conformsTo: string[] = [];
  for (const rs of all(md, 'referenceSystemInfo', '*', 'referenceSystemIdentifier', '*')) {
    const codeProp = first(rs, 'code');
    const iri = crsIri(href(codeProp)) ?? crsIri(text(codeProp), textAt(rs, 'codeSpace'));
    if (iri && !conformsTo.includes(iri)) conformsTo.push(iri);
  }
  for (const cf of conformity) {
    const sid = cf.specification['@id'];
    if (cf.pass === true && sid && !conformsTo.includes(sid)) conformsTo.push(sid);
  }
  const resolution = readResolution(ident, ctx);

  // --- relations ------------------------------------------------------------------------------------------------
  const isPartOf: string[] = [];
  const parent = dialect.parent(md);
  if (parent) isPartOf.push(refIri(c.source, parent));
  const relation: string[] = [];
  for (const agg of [...all(ident, 'aggregationInfo', '*'), ...all(ident, 'associatedResource', '*')]) {
    const type = codeValue(first(agg, 'associationType'));
    const ref =
      attr(first(agg, 'metadataReference'), 'uuidref') ??
      href(first(agg, 'metadataReference')) ??
      textAt(agg, 'aggregateDataSetIdentifier', '*', 'code') ??
      textAt(agg, 'name', '*', 'identifier', '*', 'code') ??
      attr(first(agg, 'aggregateDataSetName'), 'uuidref');
    if (!ref) continue;
    const iri = refIri(c.source, ref);
    if (type === 'largerWorkCitation') {
      if (!isPartOf.includes(iri)) isPartOf.push(iri);
    } else if (!relation.includes(iri)) relation.push(iri);
  }

  // --- services -------------------------------------------------------------------------------------------------
  const servesDataset: string[] = [];
  const endpointURL: string[] = [];
  const endpointDescription: string[] = [];
  if (isService) {
    for (const op of all(ident, 'operatesOn')) {
      const uuid = attr(op, 'uuidref');
      const link = attr(op, 'href');
      const iri = uuid ? recordIri(c.source, uuid) : link && /^https?:\/\//i.test(link) ? link : undefined;
      if (iri && !servesDataset.includes(iri)) servesDataset.push(iri);
    }
    for (const cp of all(ident, 'containsOperations', '*', 'connectPoint', '*')) {
      const url = linkageOf(cp);
      if (!url) continue;
      if (/request=GetCapabilities/i.test(url)) {
        if (!endpointDescription.includes(url)) endpointDescription.push(url);
        const base = url.replace(/\?.*$/, '');
        if (!endpointURL.includes(base)) endpointURL.push(base);
      } else if (!endpointURL.includes(url)) endpointURL.push(url);
    }
    if (endpointURL.length === 0) {
      for (const d of dist.distribution) {
        if (!d.conformsTo) continue;
        if (/request=GetCapabilities/i.test(d.accessURL)) {
          if (!endpointDescription.includes(d.accessURL)) endpointDescription.push(d.accessURL);
        }
        const base = d.accessURL.replace(/\?.*$/, '');
        if (!endpointURL.includes(base)) endpointURL.push(base);
      }
    }
    // last resort: a service record's online resources point at the service, whatever protocol they name (or none)
    if (endpointURL.length === 0) {
      for (const d of dist.distribution) if (!endpointURL.includes(d.accessURL)) endpointURL.push(d.accessURL);
      if (endpointURL.length) ctx.warnings.push('service without connect point: its online resources are taken as endpoints');
    }
  }

  // --- other ----------------------------------------------------------------------------------------------------
  const freqCode = codeValue(first(ident, 'resourceMaintenance', '*', 'maintenanceAndUpdateFrequency'));
  const accrualPeriodicity = frequencyIri(freqCode);
  if (freqCode && !accrualPeriodicity) ctx.warnings.push(`maintenance frequency "${freqCode}" not recognised`);
  const version = textAt(citation, 'edition');
  const acq = readAcquisition(md);
  const processingLevel = readProcessingLevels(md, ident);

  const stamp = dialect.dateStamp(md);
  const modifiedStamp = dateLiteral(stamp);
  if (stamp && !modifiedStamp) ctx.warnings.push(`metadata date stamp "${stamp}" is not a date: ignored`);
  const mdLanguage = languageIri(mainCode);
  const catalogRecord: CatalogRecord = {
    '@type': 'dcat:CatalogRecord',
    identifier: fileId ?? id,
    ...(modifiedStamp ? { modified: modifiedStamp } : {}),
    ...(mdLanguage ? { language: [mdLanguage] } : {}),
    conformsTo: STANDARD_IRI[flavour],
    sourceId: c.source,
    sourceFormat: flavour,
    ...(c.sourceUrl ? { sourceUrl: c.sourceUrl } : {}),
    harvestedAt,
    contentHash,
  };

  const record = {
    '@id': recordIri(c.source, id),
    '@type': typeOf(scope),
    identifier: hubId(c.source, id),
    title,
  } as HubRecord;
  // Only non-empty values are set (never empty arrays, maps or strings).
  const put = <K extends keyof HubRecord>(key: K, value: HubRecord[K] | undefined): void => {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value as object).length === 0) return;
    record[key] = value;
  };
  put('otherIdentifier', otherIdentifier);
  put('description', description);
  put('keyword', kw.keyword);
  put('theme', kw.theme);
  put('subject', kw.subject);
  put('resourceType', resourceType);
  put('spatial', uniq(spatial, (l) => (l.bbox?.['@value'] ?? '') + '|' + (l.geometry?.['@value'] ?? '') + '|' + JSON.stringify(l.prefLabel ?? null)));
  put('temporal', uniq(temporal, (t) => `${t.startDate?.['@value']}|${t.endDate?.['@value']}`));
  put('issued', dates.issued);
  put('modified', dates.modified);
  put('created', dates.created);
  put('language', language);
  put('publisher', publisher);
  put('creator', creator);
  put('rightsHolder', rightsHolder);
  put('contactPoint', contactPoint);
  put('qualifiedAttribution', qualifiedAttribution);
  put('funder', funder);
  put('distribution', dist.distribution);
  put('license', cons.license);
  put('accessRights', cons.accessRights);
  put('rights', cons.rights);
  if (provenanceLabel) put('provenance', [{ '@type': 'dct:ProvenanceStatement', label: provenanceLabel }]);
  put('conformsTo', conformsTo);
  put('conformity', conformity);
  put('spatialResolutionInMeters', resolution.metres);
  put('spatialResolutionAsText', resolution.text);
  put('accrualPeriodicity', accrualPeriodicity);
  put('depiction', depiction);
  put('landingPage', dist.landingPage);
  put('page', dist.page);
  put('isPartOf', isPartOf);
  put('relation', relation);
  put('version', version);
  put('servesDataset', servesDataset);
  put('endpointURL', endpointURL);
  put('endpointDescription', endpointDescription);
  put('platform', acq.platform);
  put('instrument', acq.instrument);
  put('processingLevel', processingLevel);
  record.isPrimaryTopicOf = catalogRecord;
  return { record, warnings: ctx.warnings };
}
