/**
 * A CSW record in Dublin Core (csw:Record of CSW 2.0.2, http://www.opengis.net/cat/csw/2.0.2, or of CSW 3.0,
 * http://www.opengis.net/cat/csw/3.0: the same elements, only the namespace differs) → HubRecord. What a CSW serves
 * when it offers no ISO schema (harvesters/csw/capabilities.ts). Pure, no I/O. Field groups below; the vocabularies and
 * builders are the other crosswalks' (core/vocab.ts, mappings/common.ts), the box and period rules are extent.ts's.
 *
 * Rules (docs/sources.md "csw:Record (Dublin Core)"):
 * - identifier: dc:identifier (the first); without one, a stable `sha256-` one from the record's text, with a warning;
 *   a record without dc:title fails;
 * - description: dct:abstract, else dc:description;
 * - dc:subject: a keyword; with a `scheme` attribute, a theme concept when the scheme is a concept scheme IRI and the
 *   value an IRI, an ISO topic category when the scheme is ISO's MD_TopicCategoryCode list, else a keyword;
 * - dc:type: DCMI type or ISO scope: "service" makes a dcat:DataService, "series" a dcat:DatasetSeries, anything else a
 *   dataset; the type is kept as resourceType when it is a DCMI type IRI or an ISO scope;
 * - dates: dct:modified → modified, dct:created → created, dct:issued → issued, else dc:date → issued (DC's date "of an
 *   event in the lifecycle": the publication is the one a catalogue gives);
 * - dc:creator → creator, dc:publisher → publisher (the first), dc:contributor → qualifiedAttribution (role
 *   contributor): names only (organisations: DC does not say people from bodies);
 * - dc:language → language (ISO 639 codes);
 * - rights: dct:license → license (a known licence's IRI, else its text or URL); dct:accessRights → accessRights (the EU
 *   authority when recognised); dc:rights → rights, and license when it names a known licence;
 * - dct:references → a distribution per link (accessURL; its `scheme` is the protocol, the OGC service type its
 *   conformsTo, a download protocol makes it the downloadURL); a thumbnail scheme → depiction; one dc:format that is a
 *   media type → the mediaType of a single distribution, otherwise its format label;
 * - dc:source and dc:relation → relation (an http(s) IRI as it is, another identifier as the record of this source);
 * - ows:BoundingBox, ows:WGS84BoundingBox, dct:spatial, dct:temporal → spatial, temporal (extent.ts).
 */
import type { HubRecord, LangMap, RecordType } from '../../schemas/record.js';
import { RecordError, SkipRecord } from '../../core/result.js';
import { sha256 } from '../../core/hash.js';
import { dateLiteral, languageIri, langKey } from '../../core/vocab.js';
import { namedChildren, parseXml, type XNode } from '../../core/xml.js';
import { coded, type SourceWarning } from '../../core/warnings.js';
import { assignValues, catalogRecord, DATASET, languages, recordHead } from '../common.js';
import { readDcExtents } from './extent.js';
import { readDcAgents, readDcRights, readDcLinks, readDcSubjects, readDcType, texts, type DcCtx } from './fields.js';

export const CSW202_NS = 'http://www.opengis.net/cat/csw/2.0.2';
export const CSW30_NS = 'http://www.opengis.net/cat/csw/3.0';

export interface DcMapContext {
  source: string;
  harvestedAt: string;
  sourceUrl?: string;
}

/** Whether an XML root is a CSW Dublin Core record (csw:Record of CSW 2.0.2 or 3.0, or undeclared). */
export function isCswRecordRoot(localName: string, namespaceUri: string | undefined): boolean {
  return localName === 'Record' && (namespaceUri === CSW202_NS || namespaceUri === CSW30_NS || namespaceUri === undefined);
}

/** Maps one csw:Record (its XML text). Throws RecordError('parse') for bad XML, SkipRecord for another root, RecordError('map') without a title. */
export function cswRecordToRecord(xml: string, ctx: DcMapContext): { record: HubRecord; warnings: SourceWarning[] } {
  const harvestedAt = dateLiteral(ctx.harvestedAt);
  if (!harvestedAt || harvestedAt['@type'] !== 'xsd:dateTime')
    throw new TypeError('cswRecordToRecord: ctx.harvestedAt must be a date-time');
  const doc = parseXml(xml);
  let rec: XNode = doc.root;
  if (!isCswRecordRoot(doc.rootName, doc.info.namespaceUri)) {
    // a GetRecordById answer wrapping the one record
    const inner = namedChildren(doc.root).filter(([n]) => n === 'Record');
    if (inner.length !== 1) throw new SkipRecord('map', `not a csw:Record: root element <${doc.rootName}>`);
    rec = inner[0][1];
  }
  const lang = texts(rec, 'language')[0]?.text;
  const ctxDc: DcCtx = { source: ctx.source, main: langKey(lang), warnings: [] };
  const text = (v: string | undefined): LangMap | undefined => (v ? { [ctxDc.main]: v } : undefined);

  const contentHash = sha256(xml);
  let id = texts(rec, 'identifier')[0]?.text;
  if (!id) {
    id = 'sha256-' + contentHash.slice(0, 32);
    ctxDc.warnings.push(coded('dc:identifier', 'dc.identifier.derived', { id }));
  }
  const title = text(texts(rec, 'title')[0]?.text);
  if (!title) throw new RecordError('map', `record ${id} has no title (dc:title)`);
  const description = text(texts(rec, 'abstract')[0]?.text ?? texts(rec, 'description')[0]?.text);

  const kind = readDcType(ctxDc, rec);
  const subjects = readDcSubjects(ctxDc, rec);
  const agents = readDcAgents(ctxDc, rec);
  const rights = readDcRights(ctxDc, rec);
  const links = readDcLinks(ctxDc, rec);
  const extents = readDcExtents(ctxDc, rec);
  const date = (name: string) => {
    const v = texts(rec, name)[0]?.text;
    const d = dateLiteral(v);
    if (v && !d) ctxDc.warnings.push(coded(`dc:${name}`, 'dc.date.invalid', { value: v }));
    return d;
  };
  const modified = date('modified');
  const language = texts(rec, 'language')
    .map((v) => languageIri(v.text))
    .filter((l): l is string => !!l);
  const type: RecordType = kind.type ?? DATASET;
  const record = assignValues(recordHead(ctx.source, id, type, title), {
    description,
    keyword: subjects.keyword,
    theme: subjects.theme,
    resourceType: kind.resourceType,
    spatial: extents.spatial,
    temporal: extents.temporal,
    issued: date('issued') ?? date('date'),
    modified,
    created: date('created'),
    language: languages([...new Set(language)]),
    publisher: agents.publisher,
    creator: agents.creator,
    qualifiedAttribution: agents.qualifiedAttribution,
    distribution: links.distribution,
    license: rights.license,
    accessRights: rights.accessRights,
    rights: rights.rights,
    depiction: links.depiction,
    relation: links.relation,
    isPrimaryTopicOf: catalogRecord({
      identifier: id,
      modified,
      language: languageIri(lang),
      conformsTo: doc.info.namespaceUri === CSW30_NS ? CSW30_NS : CSW202_NS,
      sourceId: ctx.source,
      sourceFormat: 'csw-record',
      sourceUrl: ctx.sourceUrl,
      harvestedAt,
      contentHash,
    }),
  });
  return { record, warnings: ctxDc.warnings };
}
