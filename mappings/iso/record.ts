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
import { readLocales, warn, type MapCtx } from './context.js';
import type { SourceWarning } from '../../core/warnings.js';
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
import { memberId, seriesMembers, type AggregateMembers, type SeriesPosition } from './series.js';
import { readDcat3, type Dcat3Parts } from './dcat3.js';
import type { MemberRecord } from '../../core/formats.js';
import { recordIri } from '../../schemas/record.js';

export interface IsoRecordSource {
  source: string;
  sourceUrl?: string;
  harvestedAt: DateLiteral;
  /** The record's XML text: its sha256 is the content hash (and the identifier of a record without any). */
  xml: string;
  /** A member split from a dataset series: where it sits in it (series.ts). */
  series?: SeriesPosition;
  /** A dataset series' aggregate document: its members (series.ts). */
  aggregate?: AggregateMembers;
  /** Members the series gives by reference that its harvester names as records of this source (series.ts). */
  memberRecords?: readonly MemberRecord[];
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
  if (mainCode && ctx.main === '@none')
    warn(ctx, ['gmd:language', 'mdb:defaultLocale/*/lan:PT_Locale/lan:language'], 'iso.metadataLanguage.unknown', { value: mainCode });
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
  if (stamp && !modified) warn(ctx, ['gmd:dateStamp', 'mdb:dateInfo/*/cit:date'], 'iso.dateStamp.invalid', { value: stamp });
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
export function mapIsoRecord(md: XNode, flavour: IsoFlavour, s: IsoRecordSource): { record: HubRecord; warnings: SourceWarning[] } {
  const dialect = DIALECTS[flavour];
  const ctx = metadataContext(md, flavour, dialect, s.source);
  const ident = identificationOf(md);
  const contentHash = sha256(s.xml);
  const identity = readIdentity(ctx, dialect, md, ident, contentHash, s.series ? memberId(undefined, s.series) : undefined);
  const kind = readResourceType(ctx, dialect, md, ident);
  const series = readSeries(ctx, s, identity, kind);
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
  const dcat3 = readDcat3(ctx, ident, identity.title, quality.conformity);
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
    dcat3,
    service,
    accrualPeriodicity,
    acquisition,
    series,
    isPrimaryTopicOf,
  });
  return { record, warnings: ctx.warnings };
}

/**
 * A member's series (dcat:inSeries) and a series' members (dcat:seriesMember), with their warnings naming the series
 * and the member (series.ts). A series that names members is typed dcat:DatasetSeries whatever its hierarchy level.
 */
function readSeries(
  ctx: MapCtx,
  s: IsoRecordSource,
  identity: Identity,
  kind: ReturnType<typeof readResourceType>,
): Pick<HubRecord, 'inSeries' | 'seriesMember'> {
  if (s.series) {
    const where = { position: s.series.position, of: s.series.of, series: `${ctx.flavour === 'iso19115-3' ? 'mda' : 'gmd'}:DS_Series` };
    if (!s.series.id) {
      warn(
        ctx,
        ['gmd:DS_Series/gmd:seriesMetadata', 'mda:DS_Series/mda:has'],
        ctx.flavour === 'iso19115-3' ? 'iso.series.memberOfUnnamed3' : 'iso.series.memberOfUnnamed',
        { ...where, id: identity.id },
      );
      return {};
    }
    if (!identity.fileId)
      warn(ctx, FILE_ID_AT_MEMBER, 'iso.fileIdentifier.fromSeries', { ...where, seriesId: s.series.id, id: identity.id });
    return { inSeries: [recordIri(s.source, s.series.id)] };
  }
  if (s.aggregate) {
    const { seriesMember, warnings } = seriesMembers(s.source, identity.fileId, s.aggregate, s.memberRecords);
    ctx.warnings.push(...warnings);
    if (seriesMember.length > 0) kind.type = ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'];
    return { seriesMember };
  }
  return {};
}

const FILE_ID_AT_MEMBER: readonly [string, string] = ['gmd:fileIdentifier', 'mdb:metadataIdentifier/*/mcc:code'];

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
  dcat3: Dcat3Parts;
  service: ServiceParts;
  accrualPeriodicity: string | undefined;
  acquisition: ReturnType<typeof readAcquisition>;
  series: Pick<HubRecord, 'inSeries' | 'seriesMember'>;
  isPrimaryTopicOf: CatalogRecord;
}

/**
 * The record from its sections, in the record's order (recordHash hashes the record's text: a field moved would
 * rewrite every ISO record once), without the empty values.
 */
function assemble(source: string, parts: Sections): HubRecord {
  const { identity, kind, agents, keywords, extents, dates, language, constraints, distribution } = parts;
  const { quality, resolution, relations, dcat3, service, accrualPeriodicity, acquisition, series, isPrimaryTopicOf } = parts;
  return assignValues(recordHead(source, identity.id, kind.type, identity.title), {
    otherIdentifier: identity.otherIdentifier,
    description: identity.description,
    alternative: dcat3.alternative,
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
    applicableLegislation: dcat3.applicableLegislation,
    spatialResolutionInMeters: resolution.spatialResolutionInMeters,
    spatialResolutionAsText: resolution.spatialResolutionAsText,
    temporalResolution: dcat3.temporalResolution,
    accrualPeriodicity: accrualPeriodicity ? frequency(accrualPeriodicity) : undefined,
    depiction: distribution.depiction,
    landingPage: webPages(distribution.landingPage),
    page: webPages(distribution.page),
    isPartOf: relations.isPartOf,
    inSeries: series.inSeries,
    seriesMember: series.seriesMember,
    relation: relations.relation,
    isReferencedBy: dcat3.isReferencedBy,
    version: dates.version,
    previousVersion: relations.previousVersion,
    servesDataset: service.servesDataset,
    endpointURL: service.endpointURL,
    endpointDescription: service.endpointDescription,
    platform: acquisition.platform,
    instrument: acquisition.instrument,
    processingLevel: acquisition.processingLevel,
    isPrimaryTopicOf,
  });
}
