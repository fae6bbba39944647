/**
 * data.europa.eu's Metadata Quality Assessment (MQA) of one record, as its published methodology scores a dataset
 * (https://data.europa.eu/mqa/methodology): 405 points in five dimensions, four rating bands.
 *
 * Read on the DCAT-AP record the hub makes of the source record. How the per-distribution indicators become a
 * dataset's points (the methodology scores a catalogue's population of distributions):
 * - interoperability: the best distribution's points ("identical content with several distributions");
 * - the other distribution indicators (access URL answers, download URL present / answers, licence, rights, byte
 *   size): the share of the record's distributions that meet it, times the weight (a record without a distribution
 *   gets none of them);
 * - a licence or rights statement given for the whole dataset counts for each of its distributions (the DCAT-AP export
 *   writes them there);
 * - the two URL checks only when links were checked (--links): otherwise they are "not checked", 0 points, not failed.
 */
import type { Distribution, HubRecord } from '../../schemas/record.js';
import { knownLicense } from '../../core/vocab.js';
import { dcatGaps } from './dcat-gaps.js';
import type { LinkResults } from './links.js';
import { fileTypeCode, IANA_MEDIA_TYPE, isEuAccessRight, MACHINE_READABLE, NON_PROPRIETARY } from './vocabularies.js';
import { formatFamily, whereIn, type Field, type FormatFamily } from './where.js';

export type MqaDimension = 'findability' | 'accessibility' | 'interoperability' | 'reusability' | 'contextuality';
export type Rating = 'excellent' | 'good' | 'sufficient' | 'bad';
export type IndicatorStatus = 'met' | 'partly' | 'not met' | 'not checked';

/** What to add to meet an indicator, and where in the record's own format. */
export interface Fix {
  add: string;
  where: string;
}

export interface MqaIndicator {
  id: string;
  dimension: MqaDimension;
  label: string;
  weight: number;
  points: number;
  status: IndicatorStatus;
  /** e.g. "2 of 3 distributions". */
  detail?: string;
  fix?: Fix;
}

export interface MqaAssessment {
  methodology: 'data.europa.eu MQA';
  points: number;
  max: 405;
  rating: Rating;
  /** Points the unchecked URL indicators could add (80 without --links, else 0). */
  notChecked: number;
  dimensions: Record<MqaDimension, { points: number; max: number }>;
  indicators: MqaIndicator[];
}

/** The MQA rating bands: excellent 351-405, good 221-350, sufficient 121-220, bad 0-120. */
export function mqaRating(points: number): Rating {
  if (points >= 351) return 'excellent';
  if (points >= 221) return 'good';
  if (points >= 121) return 'sufficient';
  return 'bad';
}

const round2 = (n: number) => Math.round(n * 100) / 100;

interface Spec {
  id: string;
  dimension: MqaDimension;
  label: string;
  weight: number;
  field: Field;
  add: string;
}

const SPECS: Spec[] = [
  { id: 'keyword', dimension: 'findability', label: 'Keywords', weight: 30, field: 'keyword', add: 'keywords' },
  {
    id: 'theme',
    dimension: 'findability',
    label: 'Categories (themes)',
    weight: 30,
    field: 'theme',
    add: 'a theme from a thesaurus (e.g. an INSPIRE theme)',
  },
  { id: 'spatial', dimension: 'findability', label: 'Geo search (spatial)', weight: 20, field: 'spatial', add: 'a bounding box' },
  {
    id: 'temporal',
    dimension: 'findability',
    label: 'Time based search (temporal)',
    weight: 20,
    field: 'temporal',
    add: 'a temporal extent',
  },
  {
    id: 'accessUrlAnswers',
    dimension: 'accessibility',
    label: 'Access URL accessibility',
    weight: 50,
    field: 'accessURL',
    add: 'an access URL that answers (HTTP 2xx/3xx)',
  },
  {
    id: 'downloadUrl',
    dimension: 'accessibility',
    label: 'Download URL',
    weight: 20,
    field: 'downloadURL',
    add: 'a download URL on each distribution',
  },
  {
    id: 'downloadUrlAnswers',
    dimension: 'accessibility',
    label: 'Download URL accessibility',
    weight: 30,
    field: 'downloadURL',
    add: 'download URLs that answer (HTTP 2xx/3xx)',
  },
  { id: 'format', dimension: 'interoperability', label: 'Format', weight: 20, field: 'format', add: 'a file format' },
  { id: 'mediaType', dimension: 'interoperability', label: 'Media type', weight: 10, field: 'mediaType', add: 'a media type (IANA)' },
  {
    id: 'formatVocabulary',
    dimension: 'interoperability',
    label: 'Format / media type from vocabulary',
    weight: 10,
    field: 'format',
    add: 'a format the EU file-type list or IANA knows',
  },
  {
    id: 'nonProprietary',
    dimension: 'interoperability',
    label: 'Non-proprietary',
    weight: 20,
    field: 'format',
    add: 'a non-proprietary format (e.g. CSV, NetCDF, GeoJSON, GeoPackage, TIFF)',
  },
  {
    id: 'machineReadable',
    dimension: 'interoperability',
    label: 'Machine readable',
    weight: 20,
    field: 'format',
    add: 'a machine-readable format',
  },
  {
    id: 'dcatApConformance',
    dimension: 'interoperability',
    label: 'DCAT-AP conformance',
    weight: 30,
    field: 'description',
    add: 'the DCAT-AP mandatory values',
  },
  { id: 'license', dimension: 'reusability', label: 'Licence information', weight: 20, field: 'license', add: 'a licence' },
  {
    id: 'licenseVocabulary',
    dimension: 'reusability',
    label: 'Licence vocabulary',
    weight: 10,
    field: 'license',
    add: 'a known licence by its URL (e.g. Etalab 2.0, CC BY 4.0)',
  },
  { id: 'accessRights', dimension: 'reusability', label: 'Access restrictions', weight: 10, field: 'accessRights', add: 'access rights' },
  {
    id: 'accessRightsVocabulary',
    dimension: 'reusability',
    label: 'Access restrictions vocabulary',
    weight: 5,
    field: 'accessRights',
    add: 'access rights from a vocabulary (INSPIRE LimitationsOnPublicAccess, EU access-right)',
  },
  { id: 'contactPoint', dimension: 'reusability', label: 'Contact point', weight: 20, field: 'contactPoint', add: 'a contact point' },
  { id: 'publisher', dimension: 'reusability', label: 'Publisher', weight: 10, field: 'publisher', add: 'a publisher' },
  { id: 'rights', dimension: 'contextuality', label: 'Rights', weight: 5, field: 'rights', add: 'a rights statement (use limitations)' },
  { id: 'byteSize', dimension: 'contextuality', label: 'File size', weight: 5, field: 'byteSize', add: 'the size of each file' },
  { id: 'issued', dimension: 'contextuality', label: 'Date of issue', weight: 5, field: 'issued', add: 'a publication date' },
  { id: 'modified', dimension: 'contextuality', label: 'Modification date', weight: 5, field: 'modified', add: 'a revision date' },
];

const DIMENSION_MAX: Record<MqaDimension, number> = {
  findability: 100,
  accessibility: 100,
  interoperability: 110,
  reusability: 75,
  contextuality: 20,
};

/** Interoperability points of one distribution, indicator by indicator. */
function interop(d: Distribution): Record<string, boolean> {
  const code = fileTypeCode(d.format?.['@id']);
  return {
    format: !!d.format,
    mediaType: !!d.mediaType,
    formatVocabulary: !!code || !!d.mediaType?.['@id'].startsWith(IANA_MEDIA_TYPE),
    nonProprietary: !!code && NON_PROPRIETARY.has(code),
    machineReadable: !!code && MACHINE_READABLE.has(code),
  };
}

export function assessMqa(record: HubRecord, links?: LinkResults): MqaAssessment {
  const family: FormatFamily = formatFamily(record.isPrimaryTopicOf.sourceFormat);
  const dists = record.distribution ?? [];
  const n = dists.length;
  const licenseOf = (d: Distribution) => d.license ?? record.license?.[0];
  const answers = (url: string | undefined) => (url ? links?.get(url)?.ok === true : false);
  // the best distribution for interoperability
  const weights = Object.fromEntries(SPECS.map((s) => [s.id, s.weight]));
  let best: Record<string, boolean> | undefined;
  let bestPoints = -1;
  for (const d of dists) {
    const r = interop(d);
    const p = Object.entries(r).reduce((sum, [k, ok]) => sum + (ok ? weights[k] : 0), 0);
    if (p > bestPoints) [best, bestPoints] = [r, p];
  }
  const gaps = dcatGaps(record);

  type Verdict = { share: number; detail?: string; checked?: boolean };
  const share = (pred: (d: Distribution) => boolean, what: string): Verdict => {
    if (n === 0) return { share: 0, detail: 'no distribution' };
    const k = dists.filter(pred).length;
    return { share: k / n, detail: `${k} of ${n} distribution${n === 1 ? '' : 's'}${what ? ' ' + what : ''}` };
  };
  const yes = (b: boolean): Verdict => ({ share: b ? 1 : 0 });
  const verdicts: Record<string, () => Verdict> = {
    keyword: () => yes(Object.values(record.keyword ?? {}).some((l) => l.length > 0)),
    theme: () => yes(!!record.theme?.length),
    spatial: () => yes(!!record.spatial?.length),
    temporal: () => yes(!!record.temporal?.length),
    accessUrlAnswers: () => (links ? share((d) => answers(d.accessURL), 'answer') : { share: 0, checked: false }),
    downloadUrl: () => share((d) => !!d.downloadURL, 'with one'),
    downloadUrlAnswers: () => (links ? share((d) => answers(d.downloadURL), 'answer') : { share: 0, checked: false }),
    format: () => yes(!!best?.format),
    mediaType: () => yes(!!best?.mediaType),
    formatVocabulary: () => yes(!!best?.formatVocabulary),
    nonProprietary: () => yes(!!best?.nonProprietary),
    machineReadable: () => yes(!!best?.machineReadable),
    dcatApConformance: () => ({ share: gaps.length ? 0 : 1, ...(gaps.length ? { detail: gaps.map((g) => g.message).join('; ') } : {}) }),
    license: () => share((d) => !!licenseOf(d), 'with one'),
    licenseVocabulary: () => share((d) => !!knownLicense(licenseOf(d)?.['@id']), 'with a known one'),
    accessRights: () => yes(!!record.accessRights),
    accessRightsVocabulary: () => yes(isEuAccessRight(record.accessRights?.['@id'])),
    contactPoint: () => yes(!!record.contactPoint?.length),
    publisher: () => yes(!!record.publisher),
    rights: () => share((d) => !!(d.rights ?? record.rights?.length), 'with one'),
    byteSize: () => share((d) => d.byteSize !== undefined, 'with one'),
    issued: () => yes(!!record.issued),
    modified: () => yes(!!record.modified),
  };

  const indicators: MqaIndicator[] = SPECS.map((s) => {
    const v = verdicts[s.id]();
    const points = round2(s.weight * v.share);
    const status: IndicatorStatus = v.checked === false ? 'not checked' : points >= s.weight ? 'met' : points > 0 ? 'partly' : 'not met';
    const out: MqaIndicator = { id: s.id, dimension: s.dimension, label: s.label, weight: s.weight, points, status };
    if (v.detail) out.detail = v.detail;
    if (status === 'not met' || status === 'partly') {
      const where =
        s.id === 'dcatApConformance' && gaps.length
          ? gaps
              .map((g) =>
                whereIn(family, g.property === 'dcat:accessURL' ? 'accessURL' : g.property === 'dct:title' ? 'title' : 'description'),
              )
              .join('; ')
          : n === 0 && DISTRIBUTION_LEVEL.has(s.id)
            ? whereIn(family, 'accessURL')
            : whereIn(family, s.field);
      out.fix = { add: n === 0 && DISTRIBUTION_LEVEL.has(s.id) ? `a distribution (an access URL), then ${s.add}` : s.add, where };
    }
    return out;
  });
  const dimensions = Object.fromEntries(
    (Object.keys(DIMENSION_MAX) as MqaDimension[]).map((d) => [
      d,
      { points: round2(indicators.filter((i) => i.dimension === d).reduce((s, i) => s + i.points, 0)), max: DIMENSION_MAX[d] },
    ]),
  ) as MqaAssessment['dimensions'];
  const points = round2(indicators.reduce((s, i) => s + i.points, 0));
  return {
    methodology: 'data.europa.eu MQA',
    points,
    max: 405,
    rating: mqaRating(points),
    notChecked: indicators.filter((i) => i.status === 'not checked').reduce((s, i) => s + i.weight, 0),
    dimensions,
    indicators,
  };
}

const DISTRIBUTION_LEVEL = new Set([
  'accessUrlAnswers',
  'downloadUrl',
  'downloadUrlAnswers',
  'format',
  'mediaType',
  'formatVocabulary',
  'nonProprietary',
  'machineReadable',
  'license',
  'licenseVocabulary',
  'rights',
  'byteSize',
]);
