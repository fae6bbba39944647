/**
 * The FAIR assessment of one record under two published methodologies side by side: data.europa.eu's MQA (mqa.ts)
 * and the F-UJI metrics v0.5 (fuji.ts), each indicator not met with what to add and where in the record's own format
 * (where.ts). Pure and fast: it runs on every record of a harvest (the map stage) and of `harvester validate`.
 */
import type { HubRecord } from '../../schemas/record.js';
import { assessFuji, type FujiAssessment } from './fuji.js';
import type { LinkResults } from './links.js';
import { assessMqa, type MqaAssessment, type Rating } from './mqa.js';

export type { FujiAssessment, FujiMetric, FujiTest, TestStatus } from './fuji.js';
export type { Fix, IndicatorStatus, MqaAssessment, MqaIndicator, Rating } from './mqa.js';
export type { LinkResult, LinkResults } from './links.js';
export { mqaRating } from './mqa.js';
export { dcatGaps, type DcatGap } from './dcat-gaps.js';

export interface FairAssessment {
  mqa: MqaAssessment;
  fuji: FujiAssessment;
}

/** Both assessments; `links` (URL -> what answered), when links were checked. */
export function assessRecord(record: HubRecord, links?: LinkResults): FairAssessment {
  return { mqa: assessMqa(record, links), fuji: assessFuji(record, links) };
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
