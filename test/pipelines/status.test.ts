/**
 * pipelines/status.ts over real runs (a fault CSW of our own, the real node): what `harvester status`, GET /status and
 * the operators' page read. A suspect run says why, as a failed run gives its error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harvestSource } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { formatStatus, sourcesStatus } from '../../pipelines/status.js';
import { faultyCsw, generatedRecords } from '../helpers/fault-csw.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-status-'));
const csw = await faultyCsw({ records: generatedRecords(40), pageCap: 20 });

test.after(async () => {
  await csw.close();
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-status-*');
});

test('a suspect last run: its status says why (the deletion guard held back the removals), in the JSON and the text', async () => {
  const alias = tempIndexName('status');
  const source: SourceConfig = { id: 'geo', type: 'csw', url: csw.url, options: { pageSize: 20, http: { retryDelayMs: 10 } } };
  const run = (full = false) => harvestSource(source, { client, alias, log: silentLogger, reportDir: reports, mapWorkers: 0, full });
  assert.is((await run()).status, 'ok');
  const ok = (await sourcesStatus(client, alias, [source]))[0];
  assert.equal([ok.lastRun?.status, ok.lastRun?.deletion], ['ok', undefined]);
  csw.records = [];
  const suspect = await run(true);
  assert.is(suspect.status, 'suspect');
  const [row] = await sourcesStatus(client, alias, [source]);
  assert.is(row.lastRun?.status, 'suspect');
  assert.is(row.lastRun?.deletion, suspect.deletion);
  assert.match(row.lastRun?.deletion ?? '', /^40 of 40 records \(100%\) are no longer in the source/);
  const text = formatStatus([row]);
  assert.ok(text.includes(`\ngeo:\n  suspect: ${suspect.deletion}`), text);
});

test.run();
