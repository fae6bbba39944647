/**
 * Crosswalk: one OZCAR pivot dataset (with its producer, from the harvester's context) → one HubRecord. Pure; throws
 * RecordError('map') when the dataset has no id or no title; everything else that cannot be used is a warning.
 *
 * Field by field (pivot → record):
 * - datasetId → identifier / @id / isPrimaryTopicOf.identifier; title, description (+ objective as a second
 *   paragraph), datasetLineage (+ observations' lineage steps) → provenance; language from the file name (CATC_en.json);
 * - contacts and producer contacts → contactPoint, creator, qualifiedAttribution (agents.ts); producer → publisher,
 *   fundings → funder;
 * - topicCategories → subject (INSPIRE TopicCategory IRIs); inspireTheme → theme (INSPIRE theme IRIs); keywords with a
 *   URI → theme concepts, every keyword → keyword; portal search criteria (climates, geologies) → keyword;
 * - dataConstraint → license, accessRights, embargoEndDate, dataPolicy, rights (rights.ts);
 * - onlineResource, documents, DOIs → distribution, landingPage, otherIdentifier, isPartOf, isReferencedBy (the
 *   publications), page (the manuals), relation (a document of another type) (links.ts);
 * - spatialExtent (GeoJSON) → spatial: bbox from every coordinate + the geometry as a GeoJSON literal;
 * - observations → temporal (union of their time extents), variableMeasured, theme (Theia categories, GCMD keywords),
 *   samplingFeature, processingLevel, dataType, instrument (observations.ts).
 */
import type { Concept, HubRecord, Location, PeriodOfTime } from '../../schemas/record.js';
import { OZCAR_PIVOT_OFFICIAL_IRI } from '../../schemas/ozcar.js';
import { RecordError } from '../../core/result.js';
import { arr, contentHash, obj, unique, type JsonObject } from '../../core/json.js';
import { dateLiteral, resourceTypeIri, wktBbox } from '../../core/vocab.js';
import { assignValues, catalogRecord, conceptsOrKeywords, DATASET, languages, recordHead, webPages } from '../common.js';
import { codeListConcept } from '../codelists.js';
import { readAgents } from './agents.js';
import { inspireThemeConcepts, keywordScheme, topicConcept } from './codes.js';
import { bboxOf, inBbox, positions } from './extent.js';
import { httpUrl, readLinks } from './links.js';
import { readObservations } from './observations.js';
import { readRights } from './rights.js';
import { fileLanguage, languageContradiction, TextReader } from './text.js';
import { coded, warningFromLine, type SourceWarning } from '../../core/warnings.js';

export interface OzcarMapContext {
  /** Source id (prefix of the record id). */
  source: string;
  /** ISO dateTime of the harvest. */
  harvestedAt: string;
  /** Where the dataset came from (the harvester's location: `<file URL>#/datasets/<i>`). */
  sourceUrl?: string;
  /** The file's `producer` object. Optional (a lone dataset can be mapped), with a warning when absent. */
  producer?: Record<string, unknown>;
  /** Pivot format version of the file. */
  version?: string;
  /** File name, e.g. CATC_en.json: gives the language of the texts. */
  fileName?: string;
  /** Language code of the texts, overriding the file name's. */
  language?: string;
  /**
   * Warnings from the harvest (forgiven problems, dropped observations), repeated in the mapping's warnings: the
   * reader's warnings with their codes, or lines `path: message` (a context written before codes).
   */
  warnings?: (SourceWarning | string)[];
  droppedObservations?: unknown[];
}

export const OZCAR_SOURCE_FORMAT = 'ozcar-dataset';

/** Producer fields the record uses: the content hash covers them (and nothing else of the producer). */
const PRODUCER_FIELDS = ['producerId', 'name', 'title', 'email', 'contacts', 'fundings', 'onlineResource'] as const;

function pick(o: JsonObject | undefined, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k];
  return out;
}

export function ozcarToRecord(dataset: Record<string, unknown>, ctx: OzcarMapContext): { record: HubRecord; warnings: SourceWarning[] } {
  // the harvest's warnings (harvesters/ozcar/check.ts), or lines `path: message`
  const warnings: SourceWarning[] = (ctx.warnings ?? []).map((w) => (typeof w === 'string' ? warningFromLine(w) : w));
  const t = new TextReader();
  const id = t.text(dataset.datasetId);
  if (!id) throw new RecordError('map', 'OZCAR dataset without datasetId');
  const metadata = obj(dataset.metadata);
  if (!metadata) throw new RecordError('map', `OZCAR dataset ${id}: no metadata object`);
  const title = t.text(metadata.title);
  if (!title) throw new RecordError('map', `OZCAR dataset ${id}: no title (/metadata/title)`);
  const harvestedAt = dateLiteral(ctx.harvestedAt);
  if (harvestedAt?.['@type'] !== 'xsd:dateTime')
    throw new RecordError('map', `harvestedAt must be an ISO dateTime, got ${JSON.stringify(ctx.harvestedAt)}`);
  const producer = ctx.producer;
  if (!producer) warnings.push(coded('/producer', 'ozcar.producer.missing'));

  const sourceUrl = ctx.sourceUrl && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(ctx.sourceUrl) ? ctx.sourceUrl : undefined;
  if (ctx.sourceUrl && !sourceUrl) warnings.push(coded('/', 'ozcar.address.notIri', { address: JSON.stringify(ctx.sourceUrl) }));
  const { key: lang, iri: langIri } = fileLanguage(ctx.fileName, ctx.language);
  if (lang === '@none') warnings.push(coded('(file name)', 'ozcar.language.unknown', { file: JSON.stringify(ctx.fileName ?? null) }));

  // Texts
  const description = [t.text(metadata.description), t.text(metadata.objective)].filter(Boolean).join('\n\n');
  // the name is the only word on the language (fileLanguage): a text plainly in the other language is said, not fixed;
  // said of the whole dataset ("/"), the file named in the message (the format has no place for a language)
  const contradiction = ctx.language ? undefined : languageContradiction(ctx.fileName, lang, `${title}\n${description}`);
  if (contradiction) warnings.push(contradiction);

  // Observations
  const observations = arr(dataset.observations);
  const facts = readObservations(observations, lang, t);
  if (facts.period.unreadable)
    warnings.push(coded('/observations/*/temporalExtent', 'ozcar.observation.period', { count: facts.period.unreadable }));

  // Space
  const spatialExtent = obj(metadata.spatialExtent);
  const ps = positions(spatialExtent?.geometry ?? spatialExtent);
  const box = bboxOf(ps);
  const bbox = box && wktBbox(box.west, box.south, box.east, box.north);
  const spatial: Location[] = [];
  if (bbox) {
    spatial.push({
      '@type': 'dct:Location',
      bbox,
      geometry: { '@value': JSON.stringify(spatialExtent!.geometry), '@type': 'gsp:geoJSONLiteral' },
    });
    const outside = facts.stationPositions.filter((p) => !inBbox(p, box)).length;
    if (outside)
      warnings.push(coded('/observations/*/featureOfInterest/samplingFeature/geometry', 'ozcar.station.outside', { count: outside }));
  } else {
    warnings.push(coded('/metadata/spatialExtent', 'ozcar.spatial.unusable'));
  }

  const temporal: PeriodOfTime[] =
    facts.period.start || facts.period.end
      ? [
          {
            '@type': 'dct:PeriodOfTime',
            ...(facts.period.start ? { startDate: facts.period.start } : {}),
            ...(facts.period.end ? { endDate: facts.period.end } : {}),
          },
        ]
      : [];

  // Themes, subjects, keywords
  const keywordConcepts: Concept[] = [];
  const keywordLabels: string[] = [];
  for (const k of arr(metadata.keywords)) {
    const kw = obj(k);
    const label = t.text(kw?.keyword);
    if (!label) continue;
    keywordLabels.push(label);
    const uri = httpUrl(t.text(kw?.uri));
    if (uri) {
      const scheme = keywordScheme(uri);
      keywordConcepts.push({ '@id': uri, '@type': 'skos:Concept', prefLabel: { [lang]: label }, ...(scheme ? { inScheme: scheme } : {}) });
    }
  }
  const criteria = obj(metadata.portalSearchCriteria) ?? {};
  for (const c of [...arr(criteria.climates), ...arr(criteria.geologies)]) {
    const label = t.text(c);
    if (label) keywordLabels.push(label);
  }
  const inspireLabel = t.text(metadata.inspireTheme);
  const inspire = inspireLabel ? inspireThemeConcepts(inspireLabel) : [];
  if (inspireLabel && !inspire.length)
    warnings.push(coded('/metadata/inspireTheme', 'ozcar.inspireTheme.unknown', { value: inspireLabel }));
  // DCAT-AP themes and subjects are concept IRIs: a term known by its label only is a keyword
  const themes = conceptsOrKeywords(
    unique([...inspire, ...keywordConcepts, ...facts.themes], (c) => c['@id'] ?? JSON.stringify(c.prefLabel)),
  );
  const subjects = conceptsOrKeywords(
    unique(
      arr(metadata.topicCategories).flatMap((c) => {
        const label = t.text(c);
        return label ? [topicConcept(label, lang)] : [];
      }),
      (c) => c['@id'] ?? JSON.stringify(c.prefLabel),
    ),
  );
  const theme = themes.concepts;
  const subject = subjects.concepts;
  for (const label of [...themes.keywords, ...subjects.keywords]) keywordLabels.push(...Object.values(label));
  const keywords = unique(keywordLabels, (k) => k.toLowerCase());

  // Provenance
  const provenance = unique([t.text(metadata.datasetLineage), ...facts.lineage].filter((l): l is string => !!l)).map((l) => ({
    '@type': 'dct:ProvenanceStatement' as const,
    label: { [lang]: l },
  }));

  const agents = readAgents(t, metadata, producer, warnings);
  const links = readLinks(t, metadata, producer, lang, warnings);
  const rights = readRights(t, metadata, lang, ctx.harvestedAt, warnings);
  if (t.repaired) warnings.push(coded('/', 'ozcar.text.repaired', { count: t.repaired }));

  const hash = contentHash({ dataset, producer: pick(producer, PRODUCER_FIELDS), version: ctx.version ?? null });
  const resourceType = codeListConcept(resourceTypeIri('dataset')!);

  const record: HubRecord = assignValues(recordHead(ctx.source, id, DATASET, { [lang]: title }, links.otherIdentifier), {
    description: description ? { [lang]: description } : undefined,
    keyword: keywords.length ? { [lang]: keywords } : undefined,
    theme,
    subject,
    resourceType: resourceType ? [resourceType] : undefined,
    spatial,
    temporal,
    language: langIri ? languages([langIri]) : undefined,
    publisher: agents.publisher,
    creator: agents.creator,
    contactPoint: agents.contactPoint,
    qualifiedAttribution: agents.qualifiedAttribution,
    funder: agents.funder,
    distribution: links.distribution,
    license: rights.license,
    accessRights: rights.accessRights,
    rights: rights.rights,
    provenance,
    landingPage: webPages(links.landingPage),
    page: webPages(links.page),
    isPartOf: links.isPartOf,
    isReferencedBy: links.isReferencedBy,
    relation: links.relation,
    variableMeasured: facts.variables,
    instrument: facts.instruments,
    processingLevel: facts.processingLevels,
    dataType: facts.dataTypes,
    samplingFeature: facts.samplingFeatures,
    embargoEndDate: rights.embargoEndDate,
    dataPolicy: rights.dataPolicy ? { '@none': rights.dataPolicy } : undefined,
    isPrimaryTopicOf: catalogRecord({
      identifier: id,
      language: langIri,
      conformsTo: OZCAR_PIVOT_OFFICIAL_IRI,
      sourceId: ctx.source,
      sourceFormat: OZCAR_SOURCE_FORMAT,
      sourceUrl,
      harvestedAt,
      contentHash: hash,
    }),
  });
  return { record, warnings };
}
