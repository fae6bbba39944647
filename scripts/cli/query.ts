/** The `runs` and `search` commands: read the index, print for people (or JSON). */
import { nearest } from '../../core/nearest.js';
import { UsageError } from '../../core/result.js';
import { formatSummary, latestRuns, markAbortedRuns, runSources, runsIndex } from '../../pipelines/runs.js';
import { searchBody, searchRecords, type SearchParams } from '../../pipelines/search.js';
import { cql2Filter } from '../../pipelines/cql2-query.js';
import { checkSourceId, connect, esDown, indexMissing, number, type Target, type Values } from './args.js';

/** Runs `body` on a connected target and closes it; a connection lost midway is the same sentence as at the start. */
async function withTarget<T>(values: Values, body: (target: Target) => Promise<T>): Promise<T> {
  const target = await connect(values);
  try {
    return await body(target);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError') throw esDown(target.url, err);
    throw err;
  } finally {
    await target.client.close();
  }
}

export async function runsCommand(values: Values): Promise<number> {
  const source = values.source === undefined ? undefined : checkSourceId(values.source as string, '--source');
  const size = number(values, 'limit', 1, 1000) ?? 20;
  return withTarget(values, async (target) => {
    const where = `${runsIndex(target.alias)} at ${target.url}`;
    // a run left "running" by a process that died is shown as what it is
    await markAbortedRuns(target.client, target.alias);
    const known = await runSources(target.client, target.alias);
    if (known.length === 0) {
      if (source !== undefined) throw new UsageError(`no runs recorded yet in ${where}, so none of source "${source}"`, '--source');
      process.stdout.write(`no runs recorded yet in ${where}: "harvester harvest" records one per source\n`);
      return 0;
    }
    if (source !== undefined && !known.some((k) => k.source === source)) {
      const ids = known.map((k) => k.source);
      const near = nearest(source, ids);
      throw new UsageError(
        `no runs of source "${source}"${near ? ` (did you mean ${near}?)` : ''}; sources with runs: ${ids.join(', ')}`,
        '--source',
      );
    }
    const runs = await latestRuns(target.client, target.alias, { source, size });
    process.stdout.write(formatSummary(runs, { started: true }) + '\n');
    return 0;
  });
}

/** --bbox W,S,E,N as four numbers (their ranges are checked by pipelines/search.ts, which names the bad one). */
export function parseBbox(text: string): [number, number, number, number] {
  const parts = text.split(',');
  const numbers = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 4 || numbers.some((n) => !Number.isFinite(n)))
    throw new UsageError(`--bbox must be four numbers W,S,E,N in degrees, e.g. -5.5,47,-1,49 (got "${text}")`, '--bbox');
  return numbers as [number, number, number, number];
}

export async function searchCommand(values: Values, words: string[] = []): Promise<number> {
  if (words.length > 0 && values.q !== undefined)
    throw new UsageError(`give the text once: as words ("${words.join(' ')}") or as --q, not both`, '--q');
  const sources = (values.source as string[] | undefined)?.map((s) => checkSourceId(s, '--source'));
  const size = number(values, 'size', 1, 1000) ?? 10;
  const page = number(values, 'page', 1, 10_000) ?? 1;
  if (!Number.isInteger(size) || !Number.isInteger(page)) throw new UsageError('--size and --page must be whole numbers');
  const offset = (page - 1) * size;
  // Elasticsearch pages no further than its result window (index.max_result_window, 10,000 by default)
  if (offset + size > 10_000)
    throw new UsageError(`--page ${page} of --size ${size} goes past the 10,000th record: narrow the search instead`, '--page');
  const params: SearchParams = {
    q: words.length > 0 ? words.join(' ') : (values.q as string | undefined),
    bbox: values.bbox === undefined ? undefined : parseBbox(String(values.bbox)),
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    theme: values.theme as string | undefined,
    keyword: values.keyword as string[] | undefined,
    type: values.type as SearchParams['type'],
    sort: values.sort as SearchParams['sort'],
    source: sources,
    size,
    offset,
  };
  try {
    if (values.filter !== undefined) params.where = [cql2Filter(String(values.filter))];
    searchBody(params); // every parameter checked before Elasticsearch is asked (a UsageError naming the bad one)
  } catch (err) {
    // pipelines/search.ts names its parameters ("bbox west ..."); here they are options ("--bbox west ...")
    const p = err instanceof UsageError ? err.param : undefined;
    if (p && err instanceof UsageError && err.message.startsWith(p)) throw new UsageError(`--${err.message}`, `--${p}`);
    throw err;
  }
  return withTarget(values, async (target) => {
    let res;
    try {
      res = await searchRecords(target.client, target.alias, params);
    } catch (err) {
      if (!indexMissing(err)) throw err;
      throw new UsageError(
        `no index or alias "${target.alias}" at ${target.url}: harvest into it first, or give the alias a harvest used (--alias, $HUB_INDEX)`,
        '--alias',
      );
    }
    if (values.json) {
      for (const hit of res.hits) process.stdout.write(JSON.stringify(hit.record) + '\n');
      return 0;
    }
    if (res.fuzzy) process.stdout.write('nothing matches as typed; these records match words one or two letters away\n');
    process.stdout.write(pageLine(res.total, offset, res.hits.length, size) + '\n');
    for (const hit of res.hits) {
      process.stdout.write(`- ${hit.record.identifier}  ${hit.title}\n`);
    }
    return 0;
  });
}

/** "25 records", or "showing 11-20 of 25 records; --size N / --page P for more", or why a page is empty. */
export function pageLine(total: number, offset: number, shown: number, size: number): string {
  const records = `${total} record${total === 1 ? '' : 's'}`;
  if (total === 0) return 'no records';
  if (shown === 0) return `${records}: page ${offset / size + 1} is past the last one (${Math.ceil(total / size)} page(s) of ${size})`;
  if (offset === 0 && shown === total) return records;
  return `showing ${offset + 1}-${offset + shown} of ${records}; --size N / --page P for more`;
}
