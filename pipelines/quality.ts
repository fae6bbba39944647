/**
 * The FAIR figures of a source's records in the index (issue 11): the average MQA points (0-405) and F-UJI points, and
 * the records per MQA rating, by an Elasticsearch aggregation on quality.* (mappings/es-index.ts). What a run records
 * when it ends (its `quality`), `harvester status`, GET /status and the operators' page show.
 */
import type { Client } from '@elastic/elasticsearch';

/** The MQA ratings (data.europa.eu), best first. */
export const RATINGS = ['excellent', 'good', 'sufficient', 'bad'] as const;

/** The FAIR figures of a source's indexed records. */
export interface SourceQuality {
  /** Records of the source in the index. */
  records: number;
  /** Average MQA points (0-405), one decimal; null without records. */
  mqa: number | null;
  /** Average F-UJI points, one decimal; null without records. */
  fuji: number | null;
  /** Records per MQA rating. */
  ratings: Record<(typeof RATINGS)[number], number>;
}

/** Average MQA and F-UJI points and the rating distribution of every source's indexed records (one aggregation). */
export async function qualityBySource(
  client: Client,
  alias: string,
  opts: { source?: string; timeoutMs?: number } = {},
): Promise<Map<string, SourceQuality>> {
  const out = new Map<string, SourceQuality>();
  let res;
  try {
    res = await client.search(
      {
        index: alias,
        size: 0,
        ...(opts.source ? { query: { term: { source: opts.source } } } : {}),
        aggs: {
          sources: {
            terms: { field: 'source', size: 10_000 },
            aggs: {
              mqa: { avg: { field: 'quality.mqa' } },
              fuji: { avg: { field: 'quality.fuji' } },
              ratings: { terms: { field: 'quality.rating', size: 10 } },
            },
          },
        },
      },
      opts.timeoutMs ? { requestTimeout: opts.timeoutMs, maxRetries: 0 } : {},
    );
  } catch (err) {
    if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return out; // no records index yet
    throw err;
  }
  type Bucket = {
    key: string;
    doc_count: number;
    mqa: { value: number | null };
    fuji: { value: number | null };
    ratings: { buckets: { key: string; doc_count: number }[] };
  };
  const buckets = (res.aggregations?.sources as { buckets: Bucket[] } | undefined)?.buckets ?? [];
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  for (const b of buckets) {
    const ratings = Object.fromEntries(RATINGS.map((r) => [r, 0])) as SourceQuality['ratings'];
    for (const r of b.ratings.buckets) if (r.key in ratings) ratings[r.key as keyof typeof ratings] = r.doc_count;
    out.set(b.key, { records: b.doc_count, mqa: round(b.mqa.value), fuji: round(b.fuji.value), ratings });
  }
  return out;
}

/** The FAIR figures of one source's records; undefined when the index cannot say (it is missing or does not answer). */
export async function qualityOfSource(
  client: Client,
  alias: string,
  source: string,
  timeoutMs = 10_000,
): Promise<SourceQuality | undefined> {
  try {
    return (await qualityBySource(client, alias, { source, timeoutMs })).get(source) ?? emptyQuality();
  } catch {
    return undefined;
  }
}

function emptyQuality(): SourceQuality {
  return { records: 0, mqa: null, fuji: null, ratings: { excellent: 0, good: 0, sufficient: 0, bad: 0 } };
}

/** "312 MQA avg 201.4 (good 10, sufficient 290, bad 12), F-UJI avg 9.5", or "-" without records. */
export function formatQuality(q: SourceQuality | undefined): string {
  if (!q || q.records === 0) return '-';
  const dist = RATINGS.filter((r) => q.ratings[r] > 0)
    .map((r) => `${r} ${q.ratings[r]}`)
    .join(', ');
  return `MQA avg ${q.mqa ?? '-'}/405 (${dist}), F-UJI avg ${q.fuji ?? '-'}, ${q.records} records`;
}
