/** The `runs` and `search` commands: read the index, print for people (or JSON). */
import { UsageError } from '../../core/result.js';
import { formatSummary, latestRuns } from '../../pipelines/runs.js';
import { searchRecords } from '../../pipelines/search.js';
import { esTarget, number, type Values } from './args.js';

export async function runsCommand(values: Values): Promise<number> {
  const target = esTarget(values);
  const runs = await latestRuns(target.client, target.alias, {
    source: values.source as string | undefined,
    size: number(values, 'limit', 1, 1000) ?? 20,
  });
  if (runs.length === 0) process.stdout.write('no runs recorded yet\n');
  else process.stdout.write(formatSummary(runs) + '\n');
  await target.client.close();
  return 0;
}

export async function searchCommand(values: Values): Promise<number> {
  const target = esTarget(values);
  let bbox: [number, number, number, number] | undefined;
  if (values.bbox) {
    const parts = String(values.bbox).split(',').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new UsageError('--bbox must be W,S,E,N in degrees');
    bbox = parts as [number, number, number, number];
  }
  const res = await searchRecords(target.client, target.alias, {
    q: values.q as string | undefined,
    bbox,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    theme: values.theme as string | undefined,
    source: values.source as string | undefined,
    size: number(values, 'size', 1, 10_000) ?? 10,
  });
  if (values.json) for (const hit of res.hits) process.stdout.write(JSON.stringify(hit.record) + '\n');
  else {
    process.stdout.write(`${res.total} records\n`);
    for (const hit of res.hits) {
      const title = Object.values(hit.record.title)[0] ?? '';
      process.stdout.write(`- ${hit.record.identifier}  ${title}\n`);
    }
  }
  await target.client.close();
  return 0;
}
