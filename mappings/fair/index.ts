/**
 * The FAIR assessment of one record under two published methodologies side by side: data.europa.eu's MQA (mqa.ts)
 * and the F-UJI metrics v0.5 (fuji.ts), each indicator not met with what to add and where in the record's own format
 * (where.ts). Pure and fast: it runs on every record of `harvester validate`, and its scores on every record of a
 * harvest (the map stage).
 *
 * The methodologies are tables made once (MQA_INDICATORS, FUJI_METRICS); `METHODOLOGIES` is what a report states of
 * them once (labels, names, weights, points), and a record's assessment carries only what varies from record to record.
 */
import type { HubRecord } from '../../schemas/record.js';
import type { DcatGap } from './dcat-gaps.js';
import { assessFuji, FUJI_MAX, FUJI_METRICS, fujiPoints, type FujiAssessment, type FujiMetricDef } from './fuji.js';
import type { LinkResults } from './links.js';
import {
  assessMqa,
  MQA_DIMENSIONS,
  MQA_INDICATORS,
  MQA_MAX,
  MQA_RATINGS,
  mqaPoints,
  mqaRating,
  type MqaAssessment,
  type MqaDimension,
  type MqaIndicatorDef,
  type Rating,
} from './mqa.js';

export type { FujiAssessment, FujiMetric, FujiMetricDef, FujiTest, FujiTestDef, TestStatus } from './fuji.js';
export type { Fix, IndicatorStatus, MqaAssessment, MqaDimension, MqaIndicator, MqaIndicatorDef, Rating } from './mqa.js';
export type { LinkResult, LinkResults } from './links.js';
export { FUJI_MAX, FUJI_METRICS } from './fuji.js';
export { MQA_DIMENSIONS, MQA_INDICATORS, MQA_MAX, MQA_RATINGS, mqaRating } from './mqa.js';
export { dcatGaps, type DcatGap } from './dcat-gaps.js';
export { fairJson } from './json.js';

export interface FairAssessment {
  mqa: MqaAssessment;
  fuji: FujiAssessment;
}

/** Both assessments; `links` (URL -> what answered), when links were checked; `gaps`: the record's dcatGaps, when known. */
export function assessRecord(record: HubRecord, links?: LinkResults, gaps?: readonly DcatGap[]): FairAssessment {
  return { mqa: assessMqa(record, links, gaps), fuji: assessFuji(record, links) };
}

/** The few figures the index keeps of an assessment (a facet by rating, averages per source). */
export interface FairSummary {
  mqa: number;
  rating: Rating;
  fuji: number;
}

export function fairSummary(a: FairAssessment): FairSummary {
  return { mqa: a.mqa.points, rating: a.mqa.rating, fuji: a.fuji.points };
}

/** The figures the index keeps, computed without any of the assessment's detail: what a harvest pays per record. */
export function fairScores(record: HubRecord, links?: LinkResults): FairSummary {
  const mqa = mqaPoints(record, links);
  return { mqa, rating: mqaRating(mqa), fuji: fujiPoints(record, links) };
}

/** The methodologies as a report states them once (schemas/validation-report.schema.json, `methodologies`). */
export interface Methodologies {
  mqa: {
    name: 'data.europa.eu MQA';
    url: string;
    max: number;
    ratings: { rating: Rating; min: number; max: number }[];
    dimensions: { id: MqaDimension; max: number }[];
    indicators: { id: string; dimension: MqaDimension; label: string; weight: number }[];
  };
  fuji: {
    name: 'F-UJI metrics v0.5';
    url: string;
    max: number;
    metrics: {
      id: string;
      name: string;
      principle: string;
      max: number;
      scoring: 'cumulative' | 'alternative';
      tests: { id: string; name: string; points: number }[];
    }[];
  };
}

export const METHODOLOGIES: Methodologies = deepFreeze({
  mqa: {
    name: 'data.europa.eu MQA',
    url: 'https://data.europa.eu/mqa/methodology',
    max: MQA_MAX,
    ratings: MQA_RATINGS.map((r) => ({ ...r })),
    dimensions: MQA_DIMENSIONS.map((d) => ({ ...d })),
    indicators: MQA_INDICATORS.map(({ id, dimension, label, weight }) => ({ id, dimension, label, weight })),
  },
  fuji: {
    name: 'F-UJI metrics v0.5',
    url: 'https://doi.org/10.5281/zenodo.4081213',
    max: FUJI_MAX,
    metrics: FUJI_METRICS.map(({ id, name, principle, max, scoring, tests }) => ({
      id,
      name,
      principle,
      max,
      scoring,
      tests: tests.map((t) => ({ id: t.id, name: t.name, points: t.points })),
    })),
  },
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const INDICATOR_BY_ID = new Map(MQA_INDICATORS.map((d) => [d.id, d]));
const METRIC_BY_ID = new Map(FUJI_METRICS.map((d) => [d.id, d]));

/** An MQA indicator's definition (label, dimension, weight) by its id. */
export function mqaIndicator(id: string): MqaIndicatorDef {
  const d = INDICATOR_BY_ID.get(id);
  if (!d) throw new Error(`no MQA indicator "${id}"`);
  return d;
}

/** An F-UJI metric's definition (name, principle, max, tests) by its id. */
export function fujiMetric(id: string): FujiMetricDef {
  const d = METRIC_BY_ID.get(id);
  if (!d) throw new Error(`no F-UJI metric "${id}"`);
  return d;
}
