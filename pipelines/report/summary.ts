/**
 * The summary at the top of every report: counts, the MQA score distribution and rating counts, F-UJI average. Counted
 * record by record as the reports come (`SummaryTally`), so that nothing but a few numbers per record is kept: a
 * catalogue of any size is summed in constant memory, apart from the two point lists the averages are summed from.
 */
import { FUJI_MAX, type Rating } from '../../mappings/fair/index.js';
import type { RecordReport, ReportSummary } from './types.js';

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The band of 50 points a score falls in: "0-49" ... "350-399", "400-405". */
/**
 * The sources a report names, said in a line a person reads: up to five as they are; beyond, the local files counted by
 * folder ("2700 files in /data/iso"), the URLs as they are, and past five groups, "and N more" (the JSON report keeps
 * them all). In English unless `lang` is "fr" (the HTML report in French).
 */
export function sourcesLine(sources: readonly string[], lang: 'fr' | 'en' = 'en'): string {
  const fr = lang === 'fr';
  const what = (n: number) => `${n} source${n === 1 ? '' : 's'}${fr ? '\u202f:' : ':'}`;
  const files = (n: number, folder: string) =>
    fr ? `${n} fichier${n === 1 ? '' : 's'} dans ${folder}` : `${n} file${n === 1 ? '' : 's'} in ${folder}`;
  if (sources.length <= 5) return `${what(sources.length)} ${sources.join(', ')}`;
  const groups = new Map<string, number>();
  for (const s of sources) {
    const slash = s.lastIndexOf('/');
    const folder = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || slash < 0 ? undefined : s.slice(0, slash) || '/';
    const key = folder === undefined ? `=${s}` : `/${folder}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const said = [...groups].map(([k, n]) => (k.startsWith('=') ? k.slice(1) : files(n, k.slice(1))));
  const more = said.length > 5 ? (fr ? `, et ${said.length - 5} de plus` : `, and ${said.length - 5} more`) : '';
  return `${what(sources.length)} ${said.slice(0, 5).join(', ')}${more}`;
}

export function band(points: number): string {
  const lo = Math.min(400, Math.floor(points / 50) * 50);
  return lo === 400 ? '400-405' : `${lo}-${lo + 49}`;
}

/** The summary's figures, counted one record at a time (in any order). */
export class SummaryTally {
  private records = 0;
  private ok = 0;
  private withErrors = 0;
  private withWarnings = 0;
  private belowFailUnder = 0;
  private assessed = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly ratings: Record<Rating, number> = { excellent: 0, good: 0, sufficient: 0, bad: 0 };
  private readonly distribution: Record<string, number> = {};
  /** Of the assessed record that comes first in the report (the summary names its figures). */
  private first?: { notChecked: number };

  /** `failUnder`: the --fail-under points, counted in `belowFailUnder`. */
  constructor(private readonly failUnder?: number) {
    for (let lo = 0; lo <= 400; lo += 50) this.distribution[lo === 400 ? '400-405' : `${lo}-${lo + 49}`] = 0;
  }

  /** Counts a record; `firstSoFar`: it comes before every assessed record counted until now, in the report's order. */
  add(r: RecordReport, firstSoFar: boolean): void {
    this.records++;
    if (r.status === 'ok') this.ok++;
    else if (r.status === 'error') this.withErrors++;
    else this.withWarnings++;
    if (!r.fair) return;
    const points = r.fair.mqa.points;
    this.assessed++;
    if (points < this.min) this.min = points;
    if (points > this.max) this.max = points;
    this.ratings[r.fair.mqa.rating]++;
    this.distribution[band(points)]++;
    if (this.failUnder !== undefined && points < this.failUnder) this.belowFailUnder++;
    if (firstSoFar || !this.first) this.first = { notChecked: r.fair.mqa.notChecked };
  }

  /**
   * The summary, once every record is counted. `mqa` and `fuji`: the assessed records' points in the report's order
   * (worst first): the averages are summed in that order, so that a report says the same to the last digit whichever
   * order the records came in.
   */
  summary(mqa: Iterable<number>, fuji: Iterable<number>): ReportSummary {
    const n = this.assessed;
    return {
      records: this.records,
      ok: this.ok,
      withErrors: this.withErrors,
      withWarnings: this.withWarnings,
      belowFailUnder: this.belowFailUnder,
      mqa: {
        average: n ? round1(sum(mqa) / n) : 0,
        min: n ? this.min : 0,
        max: n ? this.max : 0,
        ratings: { ...this.ratings },
        distribution: { ...this.distribution },
        notChecked: this.first?.notChecked ?? 0,
      },
      fuji: { average: n ? round1(sum(fuji) / n) : 0, max: FUJI_MAX },
    };
  }
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
