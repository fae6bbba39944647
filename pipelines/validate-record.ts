/**
 * One raw record -> its validation report (before the batched checks of a chunk: XML schemas, links): crosswalk,
 * validation, warnings with their place, DCAT-AP gaps, Theia categories, FAIR assessment. Pure and CPU-bound: it runs
 * in the mapping workers of pipelines/map-pool.ts (or in the calling thread). Never throws.
 */
import type { RawRecord } from '../harvesters/types.js';
import type { HubRecord } from '../schemas/record.js';
import { assessRecord, dcatGaps } from '../mappings/fair/index.js';
import { codeOf, type Phrase, type SourceWarning } from '../core/warnings.js';
import { mapRecords } from './map.js';
import type { RecordResult } from '../core/result.js';
import type { RecordReport } from './report/types.js';
import { theiaCategoryWarnings, type TheiaThesaurus } from './theia.js';

/** A record's report, with what the batched checks need: the record (links) and its XML (schemas). */
export interface ValidatedRecord {
  report: RecordReport;
  record?: HubRecord;
  xml?: string;
}

/** A thesaurus as plain data, to cross to a worker thread. */
export interface ThesaurusData {
  origin: string;
  said: Phrase;
  known: string[];
  narrower: [string, string[]][];
}

export function thesaurusData(t: TheiaThesaurus): ThesaurusData {
  return { origin: t.origin, said: t.said, known: [...t.known], narrower: [...t.narrower].map(([k, v]) => [k, [...v]]) };
}

export function thesaurusFromData(d: ThesaurusData): TheiaThesaurus {
  return { origin: d.origin, said: d.said, known: new Set(d.known), narrower: new Map(d.narrower) };
}

/**
 * The reports of raw records, in their order; `{ skipped }` for a STAC catalog (not a record; anything else the harvest
 * would skip is an error of its own: the feed has a record the hub would not take). Mapped stage by
 * stage over the batch (pipelines/map.ts mapRecords), then each assessed.
 */
export function validateRaws(
  raws: readonly RawRecord[],
  harvestedAt: string,
  thesaurus: TheiaThesaurus,
): (ValidatedRecord | { skipped: string })[] {
  const results = mapRecords(raws, { harvestedAt });
  return results.map((result, i) => reportOf(raws[i], result, thesaurus));
}

function reportOf(raw: RawRecord, result: RecordResult<HubRecord>, thesaurus: TheiaThesaurus): ValidatedRecord | { skipped: string } {
  if (!result.ok) {
    // a STAC catalog is not a dataset (its collections and items are); anything else skipped is a record the harvest
    // would leave out (XML in another namespace, a document of no format it knows): the data centre must hear of it
    if (result.skipped && raw.format === 'stac-catalog') return { skipped: `${result.location ?? raw.location}: ${result.error}` };
    const message = result.skipped ? `${result.error}: the harvest would skip it` : result.error;
    return {
      report: {
        id: result.id ?? raw.id ?? raw.location,
        location: raw.location,
        ...(raw.format ? { format: raw.format } : {}),
        status: 'error',
        errors: [{ stage: result.stage, message, ...codeOf('error.', message) }],
        warnings: [],
        dcatGaps: [],
      },
    };
  }
  const record = result.record;
  // the DCAT-AP gaps the map stage warns of are listed apart (dcatGaps), with their property
  const warnings: SourceWarning[] = (result.warnings ?? []).filter((w) => !w.message.startsWith('DCAT-AP: '));
  if (raw.format === 'ozcar-dataset') warnings.push(...theiaCategoryWarnings(raw.body, thesaurus));
  const title = Object.values(record.title)[0];
  const gaps = dcatGaps(record);
  return {
    record,
    ...(typeof raw.body === 'string' && raw.format?.startsWith('iso') ? { xml: raw.body } : {}),
    report: {
      id: record.isPrimaryTopicOf.identifier,
      ...(title ? { title } : {}),
      location: raw.location,
      format: record.isPrimaryTopicOf.sourceFormat,
      status: 'ok',
      errors: [],
      warnings,
      dcatGaps: gaps,
      fair: assessRecord(record, undefined, gaps),
    },
  };
}
