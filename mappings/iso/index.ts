/**
 * ISO 19139 / 19115-2 / 19115-3 record → normalised HubRecord (DCAT-AP 3 / GeoDCAT-AP reading).
 *
 * One shared model: every section (identification, parties, keywords, extents, constraints, distributions, quality,
 * acquisition) is read by shared helpers that work on local names, since 19139 (gmd), its profiles (che...) and
 * 19115-3 (mdb, mri, cit...) mostly share them; the few differences are the `Dialect` of each flavour (dialect.ts:
 * where the record identifier, languages, scope, date stamp, parent and lineage live). record.ts maps one record
 * section by section; this file finds the record in the document.
 *
 * Choices (documented where GeoDCAT-AP leaves room):
 * - publisher: the first resource party with role publisher; else the first distributor (MD_Distributor contact or
 *   role distributor): the body that makes the data available; else none (never guessed from owner/custodian);
 * - creator: roles author, originator, creator, coAuthor, principalInvestigator; rightsHolder: owner, rightsHolder;
 * - contactPoint: resource parties with role pointOfContact; else every party under identificationInfo/
 *   pointOfContact; else the metadata contacts (the best contact the source gives);
 * - the catalogue record's contactPoint (GeoDCAT-AP): the metadata contacts (gmd:contact, about the record);
 * - qualifiedAttribution: every resource party (citation, pointOfContact, distributor, maintenance contact) with its
 *   role; metadata contacts (about the record, not the resource) are not attributions;
 * - keywords: Anchor or known vocabulary → theme Concept; other keywords → keyword;
 * - a record without title fails (RecordError 'map'); without any identifier gets a stable sha256-derived one.
 */
import type { DateLiteral, HubRecord } from '../../schemas/record.js';
import { RecordError, SkipRecord } from '../../core/result.js';
import { dateLiteral } from '../../core/vocab.js';
import { all, namedChildren, parseXml, rootInfo, type XNode } from '../../core/xml.js';
import { isIsoAggregateRoot, type MemberRecord } from '../../core/formats.js';
import { flavourOfRoot, type IsoFlavour } from './flavour.js';
import { mapIsoRecord, type IsoRecordSource } from './record.js';
import { aggregateMembers, type AggregateMembers, type SeriesPosition } from './series.js';
import type { SourceWarning } from '../../core/warnings.js';

export type { IsoFlavour } from './flavour.js';

export interface IsoMapContext {
  /** Configured source id (non-empty). */
  source: string;
  /** When the record was harvested: an ISO 8601 date-time. */
  harvestedAt: string;
  /** Where the record came from (GetRecordById URL, file...). */
  sourceUrl?: string;
  /** The line of its file or page where the record's text starts (parse errors then give that file's lines). Default 1. */
  firstLine?: number;
  /** A member split from an ISO dataset series: where it sits in it (series.ts; RawRecord.context.series). */
  series?: SeriesPosition;
  /**
   * A dataset series: the members it gives by reference that its harvester names as records of this source
   * (series.ts; RawRecord.context.memberRecords).
   */
  memberRecords?: readonly MemberRecord[];
}

export interface IsoMapResult {
  record: HubRecord;
  warnings: SourceWarning[];
}

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
  if (ctx.firstLine !== undefined && !(Number.isInteger(ctx.firstLine) && ctx.firstLine >= 1)) {
    throw new TypeError(`isoToRecord: ctx.firstLine, when given, must be an integer from 1, got ${JSON.stringify(ctx.firstLine)}`);
  }
  return harvested;
}

/** One ISO document parsed and its record found: the input of `parsedIsoToRecord` (the first half of isoToRecord). */
export interface ParsedIso {
  md: XNode;
  flavour: IsoFlavour;
  s: IsoRecordSource;
}

/**
 * Parses one ISO metadata record (XML text of one standalone document) and finds the record in it: what isoToRecord
 * does before its crosswalk, apart so that a batch of records can be parsed, then mapped, stage by stage
 * (pipelines/map.ts mapRecords). Throws as isoToRecord does, except for a missing title (the crosswalk's).
 */
export function parseIso(xml: string, ctx: IsoMapContext): ParsedIso {
  const harvestedAt = validateContext(ctx);
  const doc = parseXml(xml, ctx.firstLine ? { firstLine: ctx.firstLine } : {});
  let md: XNode = doc.root;
  let flavour = flavourOfRoot(doc.info, xml);
  if (!flavour && WRAPPERS.test(doc.rootName)) {
    // A response wrapping exactly one record (GetRecordById): map the record.
    const inner = namedChildren(doc.root).filter(([n]) => /(?:^|_)M[DI]_Metadata$/.test(n));
    if (inner.length === 1) {
      md = inner[0][1];
      flavour = flavourOfRoot({ localName: inner[0][0], namespaces: doc.info.namespaces }, xml);
    } else if (inner.length > 1) {
      throw new RecordError('map', `<${doc.rootName}> holds ${inner.length} records: split it into one document per record first`);
    }
  }
  let aggregate: AggregateMembers | undefined;
  if (flavour && isIsoAggregateRoot(doc.rootName)) {
    // A dataset series (gmd:DS_Series): its record is its seriesMetadata, and it names its members (series.ts); in ISO
    // 19115-3 (mda:DS_Series) the aggregate's own record is its `has` ("in 19115 it was called seriesMetadata", mda's
    // example). A DS_DataSet's `has` is the dataset's record; a 19139 series without seriesMetadata is read from its
    // first member, as a document not split in parts
    const records = (name: string) =>
      all(doc.root, name)
        .flatMap((n) => namedChildren(n))
        .filter(([n]) => /(?:^|_)M[DI]_Metadata$/.test(n));
    const mda = flavour === 'iso19115-3' && doc.rootName !== 'DS_DataSet';
    const own = mda ? records('has') : records('seriesMetadata');
    const inner = own.length > 0 ? own : records('has');
    if (inner.length === 0) throw new SkipRecord('map', `<${doc.rootName}> holds no metadata record (${mda ? 'has' : 'seriesMetadata'})`);
    if (own.length > 0) aggregate = aggregateMembers(doc.rootName, doc.root, flavour);
    md = inner[0][1];
    flavour = flavourOfRoot({ localName: inner[0][0], namespaces: doc.info.namespaces }, xml) ?? flavour;
  }
  if (!flavour) {
    const name = doc.info.prefix ? `${doc.info.prefix}:${doc.rootName}` : doc.rootName;
    throw new SkipRecord(
      'map',
      `not an ISO 19139/19115 metadata record: root element <${name}>${doc.info.namespaceUri ? ` in namespace ${doc.info.namespaceUri}` : ''}`,
    );
  }
  return {
    md,
    flavour,
    s: {
      source: ctx.source,
      ...(ctx.sourceUrl ? { sourceUrl: ctx.sourceUrl } : {}),
      harvestedAt,
      xml,
      ...(ctx.series ? { series: ctx.series } : {}),
      ...(aggregate ? { aggregate } : {}),
      ...(aggregate && ctx.memberRecords?.length ? { memberRecords: ctx.memberRecords } : {}),
    },
  };
}

/** The crosswalk of a parsed ISO record (the second half of isoToRecord). Throws RecordError('map') without a title. */
export function parsedIsoToRecord(p: ParsedIso): IsoMapResult {
  return mapIsoRecord(p.md, p.flavour, p.s);
}

/**
 * Maps one ISO metadata record (XML text of one standalone document) to a HubRecord.
 * Throws RecordError('parse') for malformed or unsafe XML, SkipRecord('map') when the document is not an ISO
 * record, RecordError('map') when a required element (title) is missing; TypeError for a bad ctx (caller bug).
 */
export function isoToRecord(xml: string, ctx: IsoMapContext): IsoMapResult {
  return parsedIsoToRecord(parseIso(xml, ctx));
}
