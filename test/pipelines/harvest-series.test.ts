/**
 * A CSW serving an ISO dataset series that embeds its members (test/helpers/series.ts: real NKN records), harvested
 * by the pipeline into Elasticsearch: the series and each member are records of their own in the run's counts, the
 * index and the next run's removals (a member gone from the series is withdrawn like any record gone from a source).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import type { Logger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { recordIri } from '../../schemas/record.js';
import { faultyCsw, generatedRecords, type CatalogueRecord } from '../helpers/fault-csw.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-series-'));
test.after(async () => {
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-harvest-series-*');
});

const quiet: Logger = {
  json: true,
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  progress: () => ({ update() {}, stop() {} }),
};
const run = (alias: string, url: string): Promise<RunSummary> =>
  harvestSource(
    { id: 'nkn', type: 'csw', url, deletionGrace: '0', options: { pageSize: 25, http: { retryDelayMs: 10 } } },
    {
      client,
      alias,
      log: quiet,
      reportDir: reports,
      mapWorkers: 0,
      full: true,
    },
  );

/** The series as a record of the catalogue: its element alone (no XML declaration, no comment before it). */
const asRecord = (xml: string): CatalogueRecord => ({ id: SERIES_ID, xml: xml.slice(xml.indexOf('<gmd:DS_Series')) });

test('a CSW record that is a series of 2 embedded members: 3 records seen, indexed, linked; a member dropped later is removed', async () => {
  const alias = tempIndexName('harvest-series');
  const others = generatedRecords(5);
  const { xml } = embeddedSeries();
  const csw = await faultyCsw({ records: [...others, asRecord(xml)], pageCap: 25 });
  try {
    const first = await run(alias, csw.url);
    assert.equal([first.status, first.seen, first.indexed, first.new, first.failed], ['ok', 8, 8, 8, 0], first.error);
    const get = async (id: string) => (await client.get<{ record: HubRecord }>({ index: alias, id: `nkn:${id}` }))._source!.record;
    const series = await get(SERIES_ID);
    const derived = `${SERIES_ID}/member-2`;
    assert.equal(series.seriesMember, [recordIri('nkn', MEMBER_ID), recordIri('nkn', derived)]);
    assert.equal((await get(MEMBER_ID)).inSeries, [series['@id']]);
    assert.equal((await get(derived)).inSeries, [series['@id']]);

    // the series now embeds its first member only: the second one's record goes, as any record gone from the source
    csw.records = [
      ...others,
      asRecord(xml.replace(/<gmd:has><gmd:MD_Metadata(?![\s\S]*<gmd:has><gmd:MD_Metadata)[\s\S]*?<\/gmd:has>/, '')),
    ];
    const second = await run(alias, csw.url);
    assert.equal([second.status, second.seen, second.deleted, second.failed], ['ok', 7, 1, 0], second.error ?? second.deletion);
    assert.not.ok(await client.exists({ index: alias, id: `nkn:${derived}` }));
    assert.equal((await get(SERIES_ID)).seriesMember, [recordIri('nkn', MEMBER_ID)]);
  } finally {
    await csw.close();
  }
});

test.run();
