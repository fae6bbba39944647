/**
 * What a formatter reads of a record, and nothing more, for the spool (pipelines/report/spool.ts): the FAIR
 * assessment is most of a record's report (97% of its JSON for ISO records: every indicator, every F-UJI metric and
 * its tests' statuses, the fixes), while the text, HTML and JUnit reports show only the indicators and metrics to fix
 * (their labels, names and weights they take from the methodologies, mappings/fair). Writing and reading back only
 * those makes the spool several times smaller for them. The JSON report keeps everything.
 */
import type { FujiMetric, MqaIndicator } from '../../mappings/fair/index.js';
import type { RecordReport } from './types.js';

/** A record's report whose FAIR assessment keeps the indicators and metrics asked for, the metrics without their tests. */
export function trimFair(
  r: RecordReport,
  keep: { indicator: (i: MqaIndicator) => boolean; metric: (m: FujiMetric) => boolean },
): RecordReport {
  if (!r.fair) return r;
  const { mqa, fuji } = r.fair;
  return {
    ...r,
    fair: {
      mqa: { ...mqa, indicators: mqa.indicators.filter(keep.indicator) },
      fuji: { ...fuji, metrics: fuji.metrics.filter(keep.metric).map((m) => ({ ...m, tests: [] })) },
    },
  };
}
