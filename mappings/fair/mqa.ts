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
 *
 * The methodology (dimensions, indicators with their rule, label and weight, rating bands) is one table made once,
 * `MQA_INDICATORS`; a record's assessment carries only what varies from record to record: its points, each
 * indicator's points and status, and what to fix where it falls short (`assessMqa`). `mqaPoints` gives the points
 * alone, building nothing else (what the index keeps).
 */
import type { Distribution, HubRecord } from '../../schemas/record.js';
import { EU_FILE_TYPE } from '../../core/vocab.js';
import { dcatGaps, type DcatGap } from './dcat-gaps.js';
import { knownLicenseOf } from './licenses.js';
import type { LinkResults } from './links.js';
import { IANA_MEDIA_TYPE, isEuAccessRight, MACHINE_READABLE, NON_PROPRIETARY } from './vocabularies.js';
import { formatFamily, FORMAT_FAMILIES, whereIn, type Field, type FormatFamily } from './where.js';

export type MqaDimension = 'findability' | 'accessibility' | 'interoperability' | 'reusability' | 'contextuality';
export type Rating = 'excellent' | 'good' | 'sufficient' | 'bad';
export type IndicatorStatus = 'met' | 'partly' | 'not met' | 'not checked';

/** What to add to meet an indicator, and where in the record's own format. */
export interface Fix {
  add: string;
  where: string;
}

/** One indicator of a record: what varies (its label, dimension and weight are the methodology's, MQA_INDICATORS). */
export interface MqaIndicator {
  id: string;
  points: number;
  status: IndicatorStatus;
  /** When partly or not met: why, e.g. "2 of 3 distributions with one", the DCAT-AP values missing. */
  detail?: string;
  /** When partly or not met: what to add, and where in the record's own format. */
  fix?: Fix;
}

export interface MqaAssessment {
  /** Of MQA_MAX (405). */
  points: number;
  rating: Rating;
  /** Points the unchecked URL indicators could add (80 without --links, else 0). */
  notChecked: number;
  /** Points per dimension (their maximum: MQA_DIMENSIONS). */
  dimensions: Record<MqaDimension, number>;
  /** Every indicator, in the order of MQA_INDICATORS. */
  indicators: MqaIndicator[];
}

export const MQA_MAX = 405;

/** The MQA rating bands, best first: excellent 351-405, good 221-350, sufficient 121-220, bad 0-120. */
export const MQA_RATINGS: readonly { rating: Rating; min: number; max: number }[] = [
  { rating: 'excellent', min: 351, max: 405 },
  { rating: 'good', min: 221, max: 350 },
  { rating: 'sufficient', min: 121, max: 220 },
  { rating: 'bad', min: 0, max: 120 },
];

/** The MQA rating of some points (the bands of MQA_RATINGS). */
export function mqaRating(points: number): Rating {
  if (points >= 351) return 'excellent';
  if (points >= 221) return 'good';
  if (points >= 121) return 'sufficient';
  return 'bad';
}

/** The five dimensions, in the methodology's order, with their maximum. */
export const MQA_DIMENSIONS: readonly { id: MqaDimension; max: number }[] = [
  { id: 'findability', max: 100 },
  { id: 'accessibility', max: 100 },
  { id: 'interoperability', max: 110 },
  { id: 'reusability', max: 75 },
  { id: 'contextuality', max: 20 },
];

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A licence given for the whole dataset counts for each of its distributions. */
const licenseOf = (d: Distribution, r: HubRecord) => d.license ?? r.license?.[0];
const answers = (url: string | undefined, links: LinkResults) => (url ? links?.get(url)?.ok === true : false);
/** An EU file-type IRI (with a code after the authority's namespace). */
const isFileType = (iri: string | undefined) => !!iri && iri.length > EU_FILE_TYPE.length && iri.startsWith(EU_FILE_TYPE);
const NON_PROPRIETARY_IRIS = new Set([...NON_PROPRIETARY].map((c) => EU_FILE_TYPE + c));
const MACHINE_READABLE_IRIS = new Set([...MACHINE_READABLE].map((c) => EU_FILE_TYPE + c));

/**
 * How an indicator is decided:
 * - `record`: met or not by the record;
 * - `share`: the share of its distributions that meet it (`what`: how the detail names them); `links`: only when links
 *   were checked, else not checked;
 * - `best`: met by the best distribution for interoperability (the one whose `best` indicators weigh most, the first
 *   of equals);
 * - `dcat`: the DCAT-AP mandatory values are all there (the DCAT-AP export's rule, dcat-gaps.ts).
 */
type Rule =
  | { on: 'record'; met: (r: HubRecord) => boolean }
  | { on: 'share'; met: (d: Distribution, r: HubRecord, links: LinkResults) => boolean; what: string; links?: true }
  | { on: 'best'; met: (d: Distribution) => boolean }
  | { on: 'dcat' };

export interface MqaIndicatorDef {
  id: string;
  dimension: MqaDimension;
  label: string;
  weight: number;
  /** Where its value goes in the record's own format, and what to add when it is not met. */
  field: Field;
  add: string;
  rule: Rule;
}

/** The 23 indicators of the methodology, in its order: what the report's methodology block states once. */
export const MQA_INDICATORS: readonly MqaIndicatorDef[] = [
  {
    id: 'keyword',
    dimension: 'findability',
    label: 'Keywords',
    weight: 30,
    field: 'keyword',
    add: 'keywords',
    rule: { on: 'record', met: (r) => hasAny(r.keyword) },
  },
  {
    id: 'theme',
    dimension: 'findability',
    label: 'Categories (themes)',
    weight: 30,
    field: 'theme',
    add: 'a theme from a thesaurus (e.g. an INSPIRE theme)',
    rule: { on: 'record', met: (r) => !!r.theme?.length },
  },
  {
    id: 'spatial',
    dimension: 'findability',
    label: 'Geo search (spatial)',
    weight: 20,
    field: 'spatial',
    add: 'a bounding box',
    rule: { on: 'record', met: (r) => !!r.spatial?.length },
  },
  {
    id: 'temporal',
    dimension: 'findability',
    label: 'Time based search (temporal)',
    weight: 20,
    field: 'temporal',
    add: 'a temporal extent',
    rule: { on: 'record', met: (r) => !!r.temporal?.length },
  },
  {
    id: 'accessUrlAnswers',
    dimension: 'accessibility',
    label: 'Access URL accessibility',
    weight: 50,
    field: 'accessURL',
    add: 'an access URL that answers (HTTP 2xx/3xx)',
    rule: { on: 'share', met: (d, _, links) => answers(d.accessURL, links), what: 'answer', links: true },
  },
  {
    id: 'downloadUrl',
    dimension: 'accessibility',
    label: 'Download URL',
    weight: 20,
    field: 'downloadURL',
    add: 'a download URL on each distribution',
    rule: { on: 'share', met: (d) => !!d.downloadURL, what: 'with one' },
  },
  {
    id: 'downloadUrlAnswers',
    dimension: 'accessibility',
    label: 'Download URL accessibility',
    weight: 30,
    field: 'downloadURL',
    add: 'download URLs that answer (HTTP 2xx/3xx)',
    rule: { on: 'share', met: (d, _, links) => answers(d.downloadURL, links), what: 'answer', links: true },
  },
  {
    id: 'format',
    dimension: 'interoperability',
    label: 'Format',
    weight: 20,
    field: 'format',
    add: 'a file format',
    rule: { on: 'best', met: (d) => !!d.format },
  },
  {
    id: 'mediaType',
    dimension: 'interoperability',
    label: 'Media type',
    weight: 10,
    field: 'mediaType',
    add: 'a media type (IANA)',
    rule: { on: 'best', met: (d) => !!d.mediaType },
  },
  {
    id: 'formatVocabulary',
    dimension: 'interoperability',
    label: 'Format / media type from vocabulary',
    weight: 10,
    field: 'format',
    add: 'a format the EU file-type list or IANA knows',
    rule: { on: 'best', met: (d) => isFileType(d.format?.['@id']) || !!d.mediaType?.['@id'].startsWith(IANA_MEDIA_TYPE) },
  },
  {
    id: 'nonProprietary',
    dimension: 'interoperability',
    label: 'Non-proprietary',
    weight: 20,
    field: 'format',
    add: 'a non-proprietary format (e.g. CSV, NetCDF, GeoJSON, GeoPackage, TIFF)',
    rule: { on: 'best', met: (d) => NON_PROPRIETARY_IRIS.has(d.format?.['@id'] ?? '') },
  },
  {
    id: 'machineReadable',
    dimension: 'interoperability',
    label: 'Machine readable',
    weight: 20,
    field: 'format',
    add: 'a machine-readable format',
    rule: { on: 'best', met: (d) => MACHINE_READABLE_IRIS.has(d.format?.['@id'] ?? '') },
  },
  {
    id: 'dcatApConformance',
    dimension: 'interoperability',
    label: 'DCAT-AP conformance',
    weight: 30,
    field: 'description',
    add: 'the DCAT-AP mandatory values',
    rule: { on: 'dcat' },
  },
  {
    id: 'license',
    dimension: 'reusability',
    label: 'Licence information',
    weight: 20,
    field: 'license',
    add: 'a licence',
    rule: { on: 'share', met: (d, r) => !!licenseOf(d, r), what: 'with one' },
  },
  {
    id: 'licenseVocabulary',
    dimension: 'reusability',
    label: 'Licence vocabulary',
    weight: 10,
    field: 'license',
    add: 'a known licence by its URL (e.g. Etalab 2.0, CC BY 4.0)',
    rule: { on: 'share', met: (d, r) => !!knownLicenseOf(licenseOf(d, r)?.['@id']), what: 'with a known one' },
  },
  {
    id: 'accessRights',
    dimension: 'reusability',
    label: 'Access restrictions',
    weight: 10,
    field: 'accessRights',
    add: 'access rights',
    rule: { on: 'record', met: (r) => !!r.accessRights },
  },
  {
    id: 'accessRightsVocabulary',
    dimension: 'reusability',
    label: 'Access restrictions vocabulary',
    weight: 5,
    field: 'accessRights',
    add: 'access rights from a vocabulary (INSPIRE LimitationsOnPublicAccess, EU access-right)',
    rule: { on: 'record', met: (r) => isEuAccessRight(r.accessRights?.['@id']) },
  },
  {
    id: 'contactPoint',
    dimension: 'reusability',
    label: 'Contact point',
    weight: 20,
    field: 'contactPoint',
    add: 'a contact point',
    rule: { on: 'record', met: (r) => !!r.contactPoint?.length },
  },
  {
    id: 'publisher',
    dimension: 'reusability',
    label: 'Publisher',
    weight: 10,
    field: 'publisher',
    add: 'a publisher',
    rule: { on: 'record', met: (r) => !!r.publisher },
  },
  {
    id: 'rights',
    dimension: 'contextuality',
    label: 'Rights',
    weight: 5,
    field: 'rights',
    add: 'a rights statement (use limitations)',
    rule: { on: 'share', met: (d, r) => !!(d.rights ?? r.rights?.length), what: 'with one' },
  },
  {
    id: 'byteSize',
    dimension: 'contextuality',
    label: 'File size',
    weight: 5,
    field: 'byteSize',
    add: 'the size of each file',
    rule: { on: 'share', met: (d) => d.byteSize !== undefined, what: 'with one' },
  },
  {
    id: 'issued',
    dimension: 'contextuality',
    label: 'Date of issue',
    weight: 5,
    field: 'issued',
    add: 'a publication date',
    rule: { on: 'record', met: (r) => !!r.issued },
  },
  {
    id: 'modified',
    dimension: 'contextuality',
    label: 'Modification date',
    weight: 5,
    field: 'modified',
    add: 'a revision date',
    rule: { on: 'record', met: (r) => !!r.modified },
  },
];

/** A language map with some non-empty list (keywords). */
function hasAny(map: Record<string, string[]> = {}): boolean {
  for (const k in map) if (map[k].length > 0) return true;
  return false;
}

const N = MQA_INDICATORS.length;
const BEST = MQA_INDICATORS.map((d, i) => (d.rule.on === 'best' ? i : -1)).filter((i) => i >= 0);
const DIMENSION_OF = MQA_INDICATORS.map((d) => MQA_DIMENSIONS.findIndex((x) => x.id === d.dimension));

/** What decides each indicator of a record: its distributions that meet it (of `n`), or 1 / 0; -1: not checked. */
interface Counts {
  /** Per indicator, in MQA_INDICATORS' order. */
  met: number[];
  /** The record's distributions. */
  n: number;
  gaps: readonly DcatGap[];
}

function countMet(record: HubRecord, links: LinkResults, gaps: readonly DcatGap[]): Counts {
  const dists = record.distribution ?? [];
  const met = new Array<number>(N);
  // the best distribution for interoperability
  let best: Distribution | undefined;
  let bestPoints = -1;
  for (let j = 0; j < dists.length; j++) {
    let p = 0;
    for (let b = 0; b < BEST.length; b++) {
      const def = MQA_INDICATORS[BEST[b]];
      if ((def.rule as { met: (d: Distribution) => boolean }).met(dists[j])) p += def.weight;
    }
    if (p > bestPoints) [best, bestPoints] = [dists[j], p];
  }
  for (let i = 0; i < N; i++) {
    const rule = MQA_INDICATORS[i].rule;
    switch (rule.on) {
      case 'record':
        met[i] = rule.met(record) ? 1 : 0;
        break;
      case 'best':
        met[i] = best && rule.met(best) ? 1 : 0;
        break;
      case 'dcat':
        met[i] = gaps.length ? 0 : 1;
        break;
      case 'share': {
        if (rule.links && !links) {
          met[i] = -1;
          break;
        }
        let k = 0;
        for (let j = 0; j < dists.length; j++) if (rule.met(dists[j], record, links)) k++;
        met[i] = k;
      }
    }
  }
  return { met, n: dists.length, gaps };
}

/** An indicator's points: its weight times the share of distributions that meet it (or 1 / 0), to the hundredth. */
function pointsOf(i: number, k: number, n: number): number {
  if (k <= 0) return 0;
  const share = MQA_INDICATORS[i].rule.on === 'share' ? k / n : 1;
  return round2(MQA_INDICATORS[i].weight * share);
}

/** The record's MQA points alone (what the index keeps): nothing else is built. `gaps`: its dcatGaps, when known. */
export function mqaPoints(record: HubRecord, links?: LinkResults, gaps?: readonly DcatGap[]): number {
  const c = countMet(record, links, gaps ?? dcatGaps(record));
  let points = 0;
  for (let i = 0; i < N; i++) points += pointsOf(i, c.met[i], c.n);
  return round2(points);
}

/**
 * The record's MQA assessment: points, rating, each indicator with its fix when not met. `gaps`: its dcatGaps, when
 * known. The indicators are shared, frozen objects (indicatorOf): read them, copy them to change them.
 */
export function assessMqa(record: HubRecord, links?: LinkResults, gaps?: readonly DcatGap[]): MqaAssessment {
  const family: FormatFamily = formatFamily(record.isPrimaryTopicOf.sourceFormat);
  const c = countMet(record, links, gaps ?? dcatGaps(record));
  const dimensions = [0, 0, 0, 0, 0];
  const indicators = new Array<MqaIndicator>(N);
  let points = 0;
  let notChecked = 0;
  for (let i = 0; i < N; i++) {
    const k = c.met[i];
    const p = pointsOf(i, k, c.n);
    points += p;
    dimensions[DIMENSION_OF[i]] += p;
    if (k < 0) notChecked += MQA_INDICATORS[i].weight;
    indicators[i] = MQA_INDICATORS[i].rule.on === 'dcat' && k === 0 ? dcatIndicator(i, family, c.gaps) : indicatorOf(i, k, c.n, family);
  }
  points = round2(points);
  return {
    points,
    rating: mqaRating(points),
    notChecked,
    dimensions: {
      findability: round2(dimensions[0]),
      accessibility: round2(dimensions[1]),
      interoperability: round2(dimensions[2]),
      reusability: round2(dimensions[3]),
      contextuality: round2(dimensions[4]),
    },
    indicators,
  };
}

/**
 * Indicator i of a record, from how many distributions meet it (`k` of `n`; 1 / 0; -1 not checked) and its format
 * family: one frozen object per distinct outcome, made the first time a record has it (a catalogue's records have
 * few), so that a record's assessment makes none. Records of more than MANY_DISTRIBUTIONS distributions get their own.
 */
function indicatorOf(i: number, k: number, n: number, family: FormatFamily): MqaIndicator {
  if (n > MANY_DISTRIBUTIONS) return makeIndicator(i, k, n, family);
  // (of the distributions, an indicator not read on them tells only whether there is one)
  const m = MQA_INDICATORS[i].rule.on === 'share' ? n : Math.min(n, 1);
  const key = ((k + 1) * (MANY_DISTRIBUTIONS + 1) + m) * FORMAT_FAMILIES.length + FORMAT_FAMILIES.indexOf(family);
  let made = MADE[i].get(key);
  if (!made) MADE[i].set(key, (made = Object.freeze(makeIndicator(i, k, m, family))));
  return made;
}
const MANY_DISTRIBUTIONS = 64;
const MADE: readonly Map<number, MqaIndicator>[] = MQA_INDICATORS.map(() => new Map());

/** What makeIndicator tells a record that falls short, per format family (one without distribution: to add one first). */
const FIXES = fixTable((d, family) => ({ add: d.add, where: whereIn(family, d.field) }));
const FIXES_NO_DISTRIBUTION = fixTable((d, family) =>
  d.rule.on === 'share' || d.rule.on === 'best'
    ? { add: `a distribution (an access URL), then ${d.add}`, where: whereIn(family, 'accessURL') }
    : { add: d.add, where: whereIn(family, d.field) },
);
function fixTable(make: (d: MqaIndicatorDef, family: FormatFamily) => Fix): Record<FormatFamily, readonly Fix[]> {
  const out = {} as Record<FormatFamily, readonly Fix[]>;
  for (const family of FORMAT_FAMILIES) out[family] = MQA_INDICATORS.map((d) => Object.freeze(make(d, family)));
  return out;
}

function makeIndicator(i: number, k: number, n: number, family: FormatFamily): MqaIndicator {
  const def = MQA_INDICATORS[i];
  const points = pointsOf(i, k, n);
  if (k < 0) return { id: def.id, points, status: 'not checked' };
  if (points >= def.weight) return { id: def.id, points, status: 'met' };
  const out: MqaIndicator = { id: def.id, points, status: points > 0 ? 'partly' : 'not met' };
  // why: how many of its distributions meet it
  if (def.rule.on === 'share') out.detail = n === 0 ? 'no distribution' : `${k} of ${n} distribution${n === 1 ? '' : 's'} ${def.rule.what}`;
  out.fix = (n === 0 ? FIXES_NO_DISTRIBUTION : FIXES)[family][i];
  return out;
}

/** The DCAT-AP conformance indicator not met: the values missing, and where each goes. */
function dcatIndicator(i: number, family: FormatFamily, gaps: readonly DcatGap[]): MqaIndicator {
  const where = gaps
    .map((g) => whereIn(family, g.property === 'dcat:accessURL' ? 'accessURL' : g.property === 'dct:title' ? 'title' : 'description'))
    .join('; ');
  return {
    id: MQA_INDICATORS[i].id,
    points: 0,
    status: 'not met',
    detail: gaps.map((g) => g.message).join('; '),
    fix: { add: MQA_INDICATORS[i].add, where },
  };
}
