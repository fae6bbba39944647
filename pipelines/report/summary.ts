/** The summary at the top of every report: counts, the MQA score distribution and rating counts, F-UJI average. */
import type { Rating } from '../../mappings/fair/index.js';
import type { RecordReport, ReportSummary } from './types.js';

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The band of 50 points a score falls in: "0-49" ... "350-399", "400-405". */
export function band(points: number): string {
  const lo = Math.min(400, Math.floor(points / 50) * 50);
  return lo === 400 ? '400-405' : `${lo}-${lo + 49}`;
}

export function summarize(records: RecordReport[], failUnder?: number): ReportSummary {
  const assessed = records.filter((r) => r.fair);
  const mqa = assessed.map((r) => r.fair!.mqa.points);
  const ratings: Record<Rating, number> = { excellent: 0, good: 0, sufficient: 0, bad: 0 };
  const distribution: Record<string, number> = {};
  for (let lo = 0; lo <= 400; lo += 50) distribution[lo === 400 ? '400-405' : `${lo}-${lo + 49}`] = 0;
  for (const r of assessed) {
    ratings[r.fair!.mqa.rating]++;
    distribution[band(r.fair!.mqa.points)]++;
  }
  const fuji = assessed.map((r) => r.fair!.fuji.points);
  return {
    records: records.length,
    ok: records.filter((r) => r.status === 'ok').length,
    withErrors: records.filter((r) => r.status === 'error').length,
    withWarnings: records.filter((r) => r.status === 'warnings').length,
    belowFailUnder: failUnder === undefined ? 0 : assessed.filter((r) => r.fair!.mqa.points < failUnder).length,
    mqa: {
      average: mqa.length ? round1(mqa.reduce((a, b) => a + b, 0) / mqa.length) : 0,
      min: mqa.length ? Math.min(...mqa) : 0,
      max: mqa.length ? Math.max(...mqa) : 0,
      ratings,
      distribution,
      notChecked: assessed[0]?.fair!.mqa.notChecked ?? 0,
    },
    fuji: { average: fuji.length ? round1(fuji.reduce((a, b) => a + b, 0) / fuji.length) : 0, max: assessed[0]?.fair!.fuji.max ?? 25 },
  };
}
