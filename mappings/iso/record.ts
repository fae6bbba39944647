/**
 * One ISO record (its MD_Metadata / MI_Metadata node) → HubRecord, section by section: each step reads one part of
 * the standard and returns its part of the record (metadata: context and catalogue record; identification: identity,
 * type, citation dates, languages, resolution, maintenance, relations, service; parties; keywords; extents;
 * constraints; distribution; quality and reference systems; 19115-2 acquisition); `assemble` puts the parts together
 * in the record's order.
 */
import type { CatalogRecord, ContactPoint, DateLiteral, HubRecord } from '../../schemas/record.js';
import { sha256 } from '../../core/hash.js';
import { dateLiteral, languageIri, langKey } from '../../core/vocab.js';
import type { XNode } from '../../core/xml.js';
import { assignValues, catalogRecord, frequency, languages, recordHead, webPages } from '../common.js';
import { readAcquisition } from './acquisition.js';
import { readConstraints, type Constraints } from './constraints.js';
import { readLocales, type MapCtx } from './context.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { readResourceDistribution } from './distribution.js';
import { readExtents } from './extent.js';
import { STANDARD_IRI, type IsoFlavour } from './flavour.js';
import {
  identificationOf,
  readCitationDates,
  readIdentity,
  readMaintenance,
  readRelations,
  readResolution,
  readResourceLanguages,
  readResourceType,
  readService,
  type CitationDates,
  type Identity,
  type ServiceParts,
} from './identification.js';
import { readKeywords, type Keywords } from './keywords.js';
import { readResourceAgents, type ResourceAgents } from './parties.js';
import { readQuality } from './quality.js';

export interface IsoRecordSource {
  source: string;
  sourceUrl?: string;
  harvestedAt: DateLiteral;
  /** The record's XML text: its sha256 is the content hash (and the identifier of a record without any). */
  xml: string;
}

/** MD_Metadata: the metadata language and locales every text is read with, and the warnings list. */
function metadataContext(md: XNode, flavour: IsoFlavour, dialect: Dialect, source: string): MapCtx {
  const mainCode = dialect.metadataLanguage(md);
  const ctx: MapCtx = {
    flavour,
    source,
    main: langKey(mainCode),
    ...(mainCode ? { mainCode } : {}),
    locales: readLocales(dialect.locales(md)),
    warnings: [],
  };
  if (mainCode && ctx.main === '@none') ctx.warnings.push(`metadata language "${mainCode}" not recognised: texts keyed "@none"`);
  return ctx;
}

/** MD_Metadata about the record itself: its identifier, date stamp, language and standard, and where it came from. */
function metadataRecord(
  ctx: MapCtx,
  md: XNode,
  dialect: Dialect,
  s: IsoRecordSource,
  identifier: string,
  contentHash: string,
  contactPoint: ContactPoint[],
): CatalogRecord {
  const stamp = dialect.dateStamp(md);
  const modified = dateLiteral(stamp);
  if (stamp && !modified) ctx.warnings.push(`metadata date stamp "${stamp}" is not a date: ignored`);
  return catalogRecord({
    identifier,
    modified,
    language: languageIri(ctx.mainCode),
    conformsTo: STANDARD_IRI[ctx.flavour],
    contactPoint,
    sourceId: s.source,
    sourceFormat: ctx.flavour,
    sourceUrl: s.sourceUrl,
    harvestedAt: s.harvestedAt,
    contentHash,
  });
}

/**
 * Maps one ISO record. The steps run in this order because their warnings come in it; RecordError('map') without
 * identificationInfo or without a title.
 */
export function mapIsoRecord(md: XNode, flavour: IsoFlavour, s: IsoRecordSource): { record: HubRecord; warnings: string[] } {
  const dialect = DIALECTS[flavour];
  const ctx = metadataContext(md, flavour, dialect, s.source);
  const ident = identificationOf(md);
  const contentHash = sha256(s.xml);
  const identity = readIdentity(ctx, dialect, md, ident, contentHash);
  const kind = readResourceType(ctx, dialect, md, ident);
  const agents = readResourceAgents(ctx, md, ident.node, ident.citation);
  const keywords = readKeywords(ctx, ident.node);
  const extents = readExtents(ctx, ident.node);
  const dates = readCitationDates(ctx, ident.citation);
  const language = readResourceLanguages(ctx, dialect, ident);
  const constraints = readConstraints(ctx, ident.node);
  const distribution = readResourceDistribution(ctx, md, ident.node, constraints);
  const quality = readQuality(ctx, dialect, md);
  const resolution = readResolution(ctx, ident);
  const relations = readRelations(ctx, dialect, md, ident);
  const service = readService(ctx, ident, distribution.distribution);
  const accrualPeriodicity = readMaintenance(ctx, ident);
  const acquisition = readAcquisition(md, ident.node);
  const isPrimaryTopicOf = metadataRecord(ctx, md, dialect, s, identity.fileId ?? identity.id, contentHash, agents.metadataContact);
  const record = assemble(s.source, {
    identity,
    kind,
    agents,
    keywords,
    extents,
    dates,
    language,
    constraints,
    distribution,
    quality,
    resolution,
    relations,
    service,
    accrualPeriodicity,
    acquisition,
    isPrimaryTopicOf,
  });
  return { record, warnings: ctx.warnings };
}

interface Sections {
  identity: Identity;
  kind: ReturnType<typeof readResourceType>;
  agents: ResourceAgents;
  keywords: Keywords;
  extents: ReturnType<typeof readExtents>;
  dates: CitationDates;
  language: string[];
  constraints: Constraints;
  distribution: ReturnType<typeof readResourceDistribution>;
  quality: ReturnType<typeof readQuality>;
  resolution: ReturnType<typeof readResolution>;
  relations: ReturnType<typeof readRelations>;
  service: ServiceParts;
  accrualPeriodicity: string | undefined;
  acquisition: ReturnType<typeof readAcquisition>;
  isPrimaryTopicOf: CatalogRecord;
}

/**
 * The record from its sections, in the record's order (recordHash hashes the record's text: a field moved would
 * rewrite every ISO record once), without the empty values.
 */
function assemble(source: string, parts: Sections): HubRecord {
  const { identity, kind, agents, keywords, extents, dates, language, constraints, distribution } = parts;
  const { quality, resolution, relations, service, accrualPeriodicity, acquisition, isPrimaryTopicOf } = parts;
  return assignValues(recordHead(source, identity.id, kind.type, identity.title), {
    otherIdentifier: identity.otherIdentifier,
    description: identity.description,
    keyword: keywords.keyword,
    theme: keywords.theme,
    subject: keywords.subject,
    resourceType: kind.resourceType,
    spatial: extents.spatial,
    temporal: extents.temporal,
    issued: dates.issued,
    modified: dates.modified,
    created: dates.created,
    language: languages(language),
    publisher: agents.publisher,
    creator: agents.creator,
    rightsHolder: agents.rightsHolder,
    contactPoint: agents.contactPoint,
    qualifiedAttribution: agents.qualifiedAttribution,
    funder: agents.funder,
    distribution: distribution.distribution,
    license: constraints.license,
    accessRights: constraints.accessRights,
    rights: constraints.rights,
    provenance: quality.provenance,
    conformsTo: quality.conformsTo,
    conformity: quality.conformity,
    spatialResolutionInMeters: resolution.spatialResolutionInMeters,
    spatialResolutionAsText: resolution.spatialResolutionAsText,
    accrualPeriodicity: accrualPeriodicity ? frequency(accrualPeriodicity) : undefined,
    depiction: distribution.depiction,
    landingPage: webPages(distribution.landingPage),
    page: webPages(distribution.page),
    isPartOf: relations.isPartOf,
    relation: relations.relation,
    version: dates.version,
    servesDataset: service.servesDataset,
    endpointURL: service.endpointURL,
    endpointDescription: service.endpointDescription,
    platform: acquisition.platform,
    instrument: acquisition.instrument,
    processingLevel: acquisition.processingLevel,
    isPrimaryTopicOf,
  });
}
