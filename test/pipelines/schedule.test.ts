/** Scheduled harvests and source definitions: cron expressions checked up front, a scheduled run really harvests. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../pipelines/log.js';
import { latestRuns } from '../../pipelines/runs.js';
import { checkSchedules, scheduleSources } from '../../pipelines/schedule.js';
import { loadSources, validateSource, type SourceConfig } from '../../pipelines/sources.js';
import { sharedFixture } from '../../schemas/paths.js';
import { UsageError } from '../../core/result.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

test('source definitions: every problem named at once', () => {
  assert.throws(
    () => validateSource({ id: 'Bad Id', type: 'ftp', url: '', schedule: 'every day', extra: 1 }),
    (err: Error) =>
      err instanceof UsageError &&
      /id: must be/.test(err.message) &&
      /type: must be one of/.test(err.message) &&
      /url: must be/.test(err.message) &&
      /schedule: must be a cron expression/.test(err.message) &&
      /extra: unknown field/.test(err.message),
  );
  assert.throws(() => validateSource({ id: 'x', type: 'csw', url: '/local/path' }), /needs an http\(s\) url/);
  const ok = validateSource({ id: 'tour', type: 'ozcar', url: '/data/TOUR_en.json', schedule: '0 2 * * *' });
  assert.is(ok.id, 'tour');
});

test('a sources file: relative paths resolved against it, duplicate ids refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sources-'));
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify({ sources: [{ id: 'a', type: 'ozcar', url: 'feeds/a.json' }] }));
  assert.is(loadSources(file)[0].url, join(dir, 'feeds', 'a.json'));
  writeFileSync(
    file,
    JSON.stringify({
      sources: [
        { id: 'a', type: 'ozcar', url: 'a.json' },
        { id: 'a', type: 'ozcar', url: 'b.json' },
      ],
    }),
  );
  assert.throws(() => loadSources(file), /used twice/);
  writeFileSync(file, '{ not json');
  assert.throws(() => loadSources(file), /cannot read sources file/);
});

test('invalid cron expressions are refused before anything is scheduled', () => {
  const bad = { id: 'x', type: 'ozcar', url: '/x.json', schedule: '61 * * * *' } as SourceConfig;
  assert.throws(() => checkSchedules([bad]), /x: "61 \* \* \* \*"/);
  assert.is(checkSchedules([{ ...bad, schedule: undefined }]).length, 0);
});

test('a scheduled source is harvested at its time, and its run recorded', async () => {
  const client = await esClient();
  const alias = tempIndexName('schedule');
  const source: SourceConfig = { id: 'tour', type: 'ozcar', url: sharedFixture('ozcar', 'TOUR_en.json'), schedule: '* * * * * *' };
  const scheduler = scheduleSources([source], { client, alias }, silentLogger);
  try {
    assert.ok(scheduler.next()[0].next instanceof Date);
    const deadline = Date.now() + 20_000;
    while ((await latestRuns(client, alias)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  } finally {
    await scheduler.stop();
  }
  const runs = await latestRuns(client, alias);
  assert.ok(runs.length >= 1);
  assert.is(runs[0].source, 'tour');
  assert.is(runs[0].status, 'ok');
  assert.is((await client.count({ index: alias })).count, 1); // TOUR_en.json holds one dataset
  await deleteIndices(client, `${alias}*`);
});

test.run();
