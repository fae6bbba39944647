/**
 * DCAT -> HubRecord crosswalk: `dcatToRecord(body, ctx)`. Pure.
 *
 * The body is a resource description (the DCAT harvester's: an expanded JSON-LD node, core/rdf.ts), or an RDF/XML
 * document holding one record (a CSW record in GeoNetwork's DCAT output schema), described here the same way.
 * dcat:Dataset, dcat:DatasetSeries and dcat:DataService all become the one record, typed accordingly.
 *
 * It is the DCAT-AP view of the record (schemas/jsonld.ts) read back: predicates are named through the record's own
 * context (compact.ts), so that a record exported as DCAT-AP and harvested again comes back as it was, as far as
 * DCAT-AP carries it (test/mappings/dcat-roundtrip.test.ts says what does not come back). Before that, what real
 * catalogues write otherwise is moved to the DCAT-AP properties (aliases.ts), and each field group is read leniently
 * (values.ts): an IRI written as a literal, an e-mail without mailto:, a language code, a date without its zone.
 *
 * The identifier is the resource's dct:identifier, else its IRI (core/dcat.ts); a record without a title is a
 * RecordError (DCAT-AP requires one).
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import { DCAT_RECORD, describeRecord, recordIdentifier, recordKind, recordSubjects, DESCRIBE } from '../../core/dcat.js';
import { sha256 } from '../../core/hash.js';
import { contentHash, isObject, unique } from '../../core/json.js';
import { parseRdfSync, RdfGraph, type RdfNode } from '../../core/rdf.js';
import { RecordError } from '../../core/result.js';
import type { HubRecord, RecordType } from '../../schemas/record.js';
import {
  assignValues,
  catalogRecord,
  DATASET,
  legalResources,
  recordHead,
  resolutionInMeters,
  standards,
  webPages,
  xsdDuration,
} from '../common.js';
import { agent, agents, attributions, contacts, creators } from './agents.js';
import { applyAliases } from './aliases.js';
import { withTerms, type TermNode } from './compact.js';
import {
  concepts,
  conformity,
  frequency,
  languageIris,
  languages,
  licenses,
  otherIdentifiers,
  provenance,
  rightsStatements,
  variables,
} from './concepts.js';
import { distributions } from './distribution.js';
import { periods, places } from './extent.js';
import { date, iris, iriTail, isIri, langMap, langMapMulti, nodes, numbers, texts } from './values.js';
import { doiIri, langKey } from '../../core/vocab.js';
import type { LangMap, LangMapMulti } from '../../schemas/record.js';

export interface DcatContext {
  /** Source id (configured name). */
  source: string;
  /** ISO dateTime of the harvest run. */
  harvestedAt: string;
  /** Where the record came from (its IRI, the page, the CSW request). */
  sourceUrl?: string;
}

export interface DcatMapped {
  record: HubRecord;
  warnings: SourceWarning[];
}

const FOAF_PRIMARY_TOPIC = 'http://xmlns.com/foaf/0.1/primaryTopic';

const TYPES: Record<'dataset' | 'series' | 'service', RecordType> = {
  dataset: DATASET,
  series: ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'],
  service: ['dcat:DataService', 'schema:WebAPI'],
};

/**
 * The one record of an RDF/XML document (a CSW record): the dataset, series or service a catalog record is about,
 * else the first; a lone catalog record is taken as its catalog record even when its foaf:primaryTopic names the
 * resource by another IRI (GeoNetwork does).
 */
export function describeRdfXml(xml: string, baseIri: string | undefined, warnings: SourceWarning[]): RdfNode {
  const graph = new RdfGraph(parseRdfSync(xml, 'rdfxml', baseIri));
  const subjects = recordSubjects(graph);
  if (subjects.length === 0) throw new RecordError('map', 'no dcat:Dataset, dcat:DatasetSeries nor dcat:DataService in the document');
  const subject = subjects.find((s) => graph.pointingAt(s).some((t) => t.p === FOAF_PRIMARY_TOPIC)) ?? subjects[0];
  if (subjects.length > 1) warnings.push(coded('/', 'dcat.document.manyResources', { count: subjects.length, subject }));
  const node = describeRecord(graph, subject);
  const records = graph.ofType(DCAT_RECORD);
  if (!node['@reverse'] && records.length === 1 && subjects.length === 1) {
    node['@reverse'] = { [FOAF_PRIMARY_TOPIC]: [graph.describe(records[0], { ...DESCRIBE, reverse: [] })] };
  }
  return node;
}

/** Keywords with the words of the themes known by a label only (DCAT-AP wants theme IRIs). */
function withKeywords(keyword: LangMapMulti | undefined, more: LangMap[]): LangMapMulti | undefined {
  if (more.length === 0) return keyword;
  const out: LangMapMulti = { ...(keyword ?? {}) };
  for (const m of more) {
    for (const [lang, word] of Object.entries(m)) {
      const words = (out[lang] ??= []);
      if (!words.includes(word)) words.push(word);
    }
  }
  return out;
}

/** Maps a DCAT description (or an RDF/XML document of one record) to a record. Pure; throws RecordError. */
export function dcatToRecord(body: unknown, ctx: DcatContext): DcatMapped {
  if (typeof ctx.source !== 'string' || ctx.source === '') throw new RecordError('map', 'context: source is required');
  const warnings: SourceWarning[] = [];
  let node: RdfNode;
  if (typeof body === 'string') node = describeRdfXml(body, ctx.sourceUrl, warnings);
  else if (isObject(body)) node = body as RdfNode;
  else throw new RecordError('map', 'a DCAT record must be a resource description or an RDF/XML document');

  const id = recordIdentifier(node);
  if (id === undefined) throw new RecordError('map', 'no dct:identifier and no IRI: nothing stable to call the record by');
  const n: TermNode = withTerms(applyAliases(node));
  const title = langMap(n, 'title');
  if (!title) throw new RecordError('map', `${id}: no dct:title (DCAT-AP requires one)`);
  const kind = recordKind(node);
  const cr = n['@reverse']?.isPrimaryTopicOf?.[0];
  const harvestedBefore = date(cr, 'harvestedAt');
  let crModified = date(cr, 'modified');
  // the hub's view writes its harvest date as the catalog record's date when the source had none: not a source date
  if (crModified && harvestedBefore && crModified['@value'] === harvestedBefore['@value']) crModified = undefined;
  const crLanguage = languageIris(cr)[0];
  const crConformsTo = iris(cr, 'conformsTo')[0];
  // the metadata language, in which a contact named in several languages is named
  const mainLang = crLanguage ? langKey(iriTail(crLanguage).toLowerCase()) : undefined;
  const crContacts = cr ? contacts(cr, warnings, mainLang) : [];
  const themes = concepts(n, 'theme');
  const subjects = concepts(n, 'subject');
  const types = concepts(n, 'resourceType');
  const resolution = resolutionInMeters(numbers(n, 'spatialResolutionInMeters'));
  const sourceUrl = ctx.sourceUrl ?? (node['@id'] && /^https?:\/\/\S+$/i.test(node['@id']) ? node['@id'] : undefined);

  const publisher = nodes(n, 'publisher')
    .map((p) => agent(p, warnings))
    .find((a) => a !== undefined);
  const accessRights = rightsStatements(n, 'accessRights')[0];
  const record = assignValues(recordHead(ctx.source, id, TYPES[kind], title, otherIdentifiers(n)), {
    description: langMap(n, 'description'),
    alternative: langMapMulti(n, 'alternative'),
    keyword: withKeywords(langMapMulti(n, 'keyword'), [...themes.keywords, ...subjects.keywords, ...types.keywords]),
    theme: themes.concepts,
    subject: subjects.concepts,
    resourceType: types.concepts,
    spatial: places(n, warnings),
    temporal: periods(n, warnings),
    issued: date(n, 'issued'),
    modified: date(n, 'modified'),
    created: date(n, 'created'),
    language: languages(n),
    publisher,
    creator: creators(n, warnings),
    rightsHolder: agents(n, 'rightsHolder', warnings),
    contactPoint: contacts(n, warnings, mainLang),
    qualifiedAttribution: attributions(n, warnings),
    funder: agents(n, 'funder', warnings),
    distribution: distributions(n, warnings),
    license: licenses(n),
    accessRights,
    rights: rightsStatements(n, 'rights'),
    provenance: provenance(n),
    conformsTo: standards(iris(n, 'conformsTo')),
    conformity: conformity(n),
    applicableLegislation: legalResources(iris(n, 'applicableLegislation')),
    spatialResolutionInMeters: resolution.spatialResolutionInMeters,
    spatialResolutionAsText: [...new Set([...texts(n, 'spatialResolutionAsText'), ...resolution.asText])],
    temporalResolution: texts(n, 'temporalResolution')
      .map(xsdDuration)
      .find((d) => d !== undefined),
    accrualPeriodicity: frequency(n),
    depiction: iris(n, 'depiction'),
    landingPage: webPages(iris(n, 'landingPage')),
    page: webPages(iris(n, 'page')),
    isPartOf: iris(n, 'isPartOf'),
    inSeries: iris(n, 'inSeries'),
    seriesMember: iris(n, 'seriesMember'),
    relation: iris(n, 'relation'),
    isReferencedBy: unique(iris(n, 'isReferencedBy').map((iri) => doiIri(iri) ?? iri)),
    version: texts(n, 'version')[0],
    versionNotes: langMap(n, 'versionNotes'),
    hasVersion: iris(n, 'hasVersion'),
    isVersionOf: iris(n, 'isVersionOf'),
    hasCurrentVersion: iris(n, 'hasCurrentVersion'),
    previousVersion: iris(n, 'previousVersion'),
    replaces: iris(n, 'replaces'),
    isReplacedBy: iris(n, 'isReplacedBy'),
    status: concepts(n, 'status').concepts[0],
    bibliographicCitation: texts(n, 'bibliographicCitation')[0],
    servesDataset: iris(n, 'servesDataset'),
    endpointURL: iris(n, 'endpointURL'),
    endpointDescription: iris(n, 'endpointDescription'),
    variableMeasured: variables(n),
    platform: texts(n, 'platform'),
    instrument: texts(n, 'instrument'),
    processingLevel: texts(n, 'processingLevel'),
    dataType: texts(n, 'dataType'),
    samplingFeature: texts(n, 'samplingFeature'),
    gsd: numbers(n, 'gsd').filter((x) => x > 0),
    embargoEndDate: date(n, 'embargoEndDate'),
    dataPolicy: langMap(n, 'dataPolicy'),
    granuleCount: numbers(n, 'granuleCount').find((x) => Number.isInteger(x) && x >= 0),
    isPrimaryTopicOf: catalogRecord({
      identifier: id,
      ...(crModified ? { modified: crModified } : {}),
      ...(crLanguage ? { language: crLanguage } : {}),
      ...(crConformsTo ? { conformsTo: crConformsTo } : {}),
      ...(crContacts.length ? { contactPoint: crContacts } : {}),
      sourceId: ctx.source,
      sourceFormat: 'dcat',
      ...(sourceUrl && isIri(sourceUrl) ? { sourceUrl } : {}),
      harvestedAt: { '@value': ctx.harvestedAt, '@type': 'xsd:dateTime' },
      contentHash: typeof body === 'string' ? sha256(body) : contentHash(body),
    }),
  }) as HubRecord;
  return { record, warnings };
}
