/**
 * The one rule for "the DCAT-AP 3.0.1 mandatory values a record lacks": a pure function of the record, used by
 * `harvester map` and `harvester harvest` (warnings, pipelines/map.ts), by the DCAT export (which leaves such records
 * out unless asked) and by `harvester validate`. Mandatory values are never invented: a record that lacks one says so.
 *
 * What DCAT-AP 3.0.1 requires (html_shacl_shapes.ttl, sh:minCount 1 with severity Violation) of what a record holds:
 * - dcat:Dataset and dcat:DatasetSeries: dct:title, dct:description;
 * - dcat:DataService: dct:title, dcat:endpointURL;
 * - dcat:Distribution: dcat:accessURL;
 * - dcat:CatalogRecord: dct:modified, foaf:primaryTopic;
 * - foaf:Agent: foaf:name; skos:Concept: skos:prefLabel; skos:ConceptScheme: dct:title.
 * The record's JSON Schema already requires the title, the access URL, the catalogue record's date, the agents' names
 * and the labels (a record without them fails validation or loses the value, with a warning); they are checked here as
 * well so that this function alone answers the question for any record, an old stored one included.
 */
import type { HubRecord, LangMap } from './record.js';
import { phrase, phraseText, type Phrase } from '../core/warnings.js';
import type { ParamValue, WarningCode } from '../core/texts/render.js';

export interface DcatGap {
  /** JSON path of the missing value in the record, e.g. `/description`, `/distribution/2/accessURL`. */
  path: string;
  /** The DCAT-AP property, e.g. `dct:description`. */
  property: string;
  /** The class it is mandatory for, e.g. `dcat:Dataset`. */
  class: string;
  /** One sentence: what is missing, for a warning or a report (English). */
  message: string;
  /** Which form of sentence it is (dcatap.*, core/texts), with its values, so that a report says it in French too. */
  code?: WarningCode;
  params?: Record<string, ParamValue>;
}

/** The codes of the sentences that name the resource's kind. */
const TITLE = { dataset: 'dcatap.title.dataset', series: 'dcatap.title.series', service: 'dcatap.title.service' } as const;
const DESCRIPTION = { dataset: 'dcatap.description.dataset', series: 'dcatap.description.series' } as const;

function hasText(map: LangMap | undefined): boolean {
  return map !== undefined && Object.values(map).some((v) => typeof v === 'string' && v.trim() !== '');
}

function nonEmpty(list: unknown[] | undefined): boolean {
  return Array.isArray(list) && list.length > 0;
}

/** The resource's DCAT-AP class: dcat:DataService, dcat:DatasetSeries or dcat:Dataset. */
function classOf(record: HubRecord): string {
  const t = record['@type'][0];
  return t === 'dcat:DataService' || t === 'dcat:DatasetSeries' ? t : 'dcat:Dataset';
}

/**
 * The DCAT-AP 3.0.1 mandatory values the record lacks, each with its path and a message; `[]` when it has them all.
 * Pure, never throws.
 */
export function dcatGaps(record: HubRecord): DcatGap[] {
  const gaps: DcatGap[] = [];
  const cls = classOf(record);
  const kind = cls === 'dcat:DataService' ? 'service' : cls === 'dcat:DatasetSeries' ? 'series' : 'dataset';
  const gap = (path: string, property: string, c: string, why: Phrase) =>
    gaps.push({ path, property, class: c, message: phraseText(why), code: why.code, ...(why.params ? { params: why.params } : {}) });

  if (!hasText(record.title)) gap('/title', 'dct:title', cls, phrase(TITLE[kind]));
  if (cls === 'dcat:DataService') {
    if (!nonEmpty(record.endpointURL)) {
      gap('/endpointURL', 'dcat:endpointURL', cls, phrase('dcatap.endpointURL'));
    }
  } else if (!hasText(record.description)) {
    gap('/description', 'dct:description', cls, phrase(DESCRIPTION[kind === 'series' ? 'series' : 'dataset'], { class: cls }));
  }
  record.distribution?.forEach((d, i) => {
    if (!d.accessURL) gap(`/distribution/${i}/accessURL`, 'dcat:accessURL', 'dcat:Distribution', phrase('dcatap.accessURL', { n: i + 1 }));
  });
  const cr = record.isPrimaryTopicOf as Partial<HubRecord['isPrimaryTopicOf']> | undefined;
  if (!cr?.modified) {
    gap('/isPrimaryTopicOf/modified', 'dct:modified', 'dcat:CatalogRecord', phrase('dcatap.modified'));
  }
  const agents: [string, { name?: LangMap } | undefined][] = [['/publisher', record.publisher]];
  for (const key of ['creator', 'rightsHolder', 'funder'] as const) record[key]?.forEach((a, i) => agents.push([`/${key}/${i}`, a]));
  record.qualifiedAttribution?.forEach((q, i) => agents.push([`/qualifiedAttribution/${i}/agent`, q.agent]));
  for (const [path, a] of agents) {
    if (a && !hasText(a.name)) gap(`${path}/name`, 'foaf:name', 'foaf:Agent', phrase('dcatap.agentName', { path }));
  }
  for (const key of ['theme', 'subject', 'resourceType'] as const) {
    record[key]?.forEach((c, i) => {
      if (!hasText(c.prefLabel))
        gap(`/${key}/${i}/prefLabel`, 'skos:prefLabel', 'skos:Concept', phrase('dcatap.conceptLabel', { concept: String(c['@id']) }));
      if (c.inScheme && !hasText(c.inScheme.title)) {
        gap(`/${key}/${i}/inScheme/title`, 'dct:title', 'skos:ConceptScheme', phrase('dcatap.schemeTitle', { concept: String(c['@id']) }));
      }
    });
  }
  return gaps;
}
