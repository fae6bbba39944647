/**
 * End to end: a real pycsw loaded with the ISO 19139 fixtures (pages of 7), harvested into the real Elasticsearch
 * node, then found by place, theme, time and text; a second harvest changes nothing; a failing source removes
 * nothing; records a source no longer has are removed only within the allowed ratio.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { mapRecord } from '../../pipelines/map.js';
import { searchRecords } from '../../pipelines/search.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { deleteIndices, esClient, pycsw, tempIndexName, xmlFiles, type PycswServer } from '../helpers/services.js';
import { boxes, inBox } from '../helpers/extents.js';

const files = xmlFiles(sharedFixture('iso19139'));
const alias = tempIndexName('harvest');
let client: Client;
let csw: PycswServer;
let first: RunSummary;

/** What the crosswalk makes of each fixture file, to compute expected answers independently of the index. */
const mapped: HubRecord[] = files.flatMap((f) => {
  const r = mapRecord({ source: 'fx', body: readFileSync(f, 'utf8'), location: f }, { harvestedAt: new Date().toISOString() });
  return r.ok ? [r.record] : [];
});
const ids = (hits: { record: HubRecord }[]) => hits.map((h) => h.record.isPrimaryTopicOf.identifier).sort();

const source = (url: string): SourceConfig => ({ id: 'pycsw-fx', type: 'csw', url, options: { pageSize: 10 } });

test.before(async () => {
  client = await esClient();
  csw = await pycsw({ recordsFiles: files, maxRecords: 7 });
  first = await harvestSource(source(csw.url), { client, alias, log: silentLogger });
});

test.after(async () => {
  await csw?.stop();
  await deleteIndices(client, `${alias}*`);
});

test('every record pycsw holds is harvested and indexed, none lost', async () => {
  assert.is(first.status, 'ok', JSON.stringify(first.failures));
  assert.is(first.seen, csw.loaded);
  assert.is(first.failed, 0);
  assert.is(first.indexed, csw.loaded);
  assert.is(first.new, csw.loaded);
  const count = await client.count({ index: alias });
  assert.is(count.count, csw.loaded);
  // pycsw caps pages at 7 whatever we ask: the harvest followed nextRecord over several pages
  assert.ok(csw.loaded > 7 * 3);
  // the gmi:MI_Metadata and che:CHE_MD_Metadata records OWSLib drops are here
  const roots = files.map((f) => readFileSync(f, 'utf8')).filter((x) => /<gmi:MI_Metadata|<che:CHE_MD_Metadata/.test(x));
  assert.ok(roots.length >= 2);
  const che = await searchRecords(client, alias, { q: 'Gewässerschutzkarte' });
  assert.is(che.total, 1);
});

test('found by place: the index answers what the bounding boxes say', async () => {
  for (const box of [
    [-5.5, 46.5, -1, 49.5], // Brittany
    [21.5, 39.7, 21.53, 39.72], // a corner of Thessaly
    [150, -10, 170, 10], // the western Pacific
  ] as [number, number, number, number][]) {
    const expected = mapped.filter((r) => boxes(r).some((b) => inBox(b, box))).map((r) => r.isPrimaryTopicOf.identifier);
    const res = await searchRecords(client, alias, { bbox: box, size: 100 });
    assert.equal(ids(res.hits), [...new Set(expected)].sort(), `bbox ${box}`);
    assert.ok(res.total > 0, `bbox ${box} finds something`);
  }
});

test('found by theme: the INSPIRE theme Elevation', async () => {
  const theme = 'http://inspire.ec.europa.eu/theme/el';
  const expected = mapped.filter((r) => r.theme?.some((t) => t['@id'] === theme)).map((r) => r.isPrimaryTopicOf.identifier);
  assert.ok(expected.length >= 5);
  const res = await searchRecords(client, alias, { theme, size: 100 });
  assert.equal(ids(res.hits), [...new Set(expected)].sort());
});

test('found by time: records whose period overlaps 2009', async () => {
  const res = await searchRecords(client, alias, { from: '2009', to: '2009', size: 100 });
  const got = ids(res.hits);
  // Aerial photos of 2009-10-09, the DTMs of 2009-10-07, the Irish survey of June 2009, the PRISM series 1895-2011,
  // the Canadian record open since 1950; not the Sentinel-2 scene of 2020 nor the ortho photos of 1997-1999
  for (const id of [
    '366f6257-19eb-4f20-ba78-0698ac4aae77',
    'a2744b0c-becd-426a-95a8-46e9850ccc6d',
    'ie.marine.data:dataset.1135',
    '31dc90a6-1945-489c-b31d-957ab36f8315',
  ])
    assert.ok(got.includes(id), `${id} in ${got}`);
  assert.not.ok(got.includes('S2B_MSIL2A_20200902T090559_N0214_R050_T34SFG_20200902T113910.SAFE'));
  assert.not.ok(got.includes('de53e931-778a-4792-94ad-9fe507aca483'));
});

test('found by text, accents and case folded', async () => {
  const bzh = await searchRecords(client, alias, { q: 'cadastre bretagne' });
  assert.is(bzh.hits[0]?.record.isPrimaryTopicOf.identifier, '955c3e47-411e-4969-b61b-3556d1b9f879');
  const che = await searchRecords(client, alias, { q: 'GEWASSERSCHUTZKARTE' });
  assert.is(che.total, 1);
});

test('a second harvest changes nothing', async () => {
  // (a full one: every record asked for again; an incremental one asks only for what changed, test/pipelines/incremental)
  const second = await harvestSource(source(csw.url), { client, alias, log: silentLogger, full: true });
  assert.is(second.status, 'ok');
  assert.is(second.mode, 'full');
  assert.is(second.seen, first.seen);
  assert.is(second.mapped, 0, 'unchanged raw records are not mapped again');
  assert.is(second.new, 0);
  assert.is(second.updated, 0);
  assert.is(second.unchanged, first.indexed);
  assert.is(second.deleted, 0);
  assert.is((await client.count({ index: alias })).count, csw.loaded);
});

test('a source that fails removes nothing already indexed', async () => {
  const failed = await harvestSource(source('http://127.0.0.1:9/csw'), { client, alias, log: silentLogger });
  assert.is(failed.status, 'failed');
  assert.match(failed.error ?? '', /127\.0\.0\.1:9/);
  assert.match(failed.deletion ?? '', /nothing removed/);
  assert.is((await client.count({ index: alias })).count, csw.loaded);
});

test('a run that does not see the whole source (maxRecords, incremental) removes nothing', async () => {
  for (const options of [{ pageSize: 10, maxRecords: 5 }, { modifiedSince: '2030-01-01' }]) {
    const run = await harvestSource({ ...source(csw.url), options }, { client, alias, log: silentLogger, full: true });
    // an incremental run that saw all it asked for is ok; it removes nothing all the same
    assert.is(run.status, 'modifiedSince' in options ? 'ok' : 'partial', JSON.stringify(options));
    assert.is(run.deleted, 0);
    assert.match(run.deletion ?? '', /did not see the whole source/);
    assert.is((await client.count({ index: alias })).count, csw.loaded);
  }
});

test('records the source no longer has are removed, but never more than the allowed share', async () => {
  const before = csw.loaded;
  // the same source now serves all but 1 or 2 of its records (within the default 10%): those go, with a warning
  const fewer = await pycsw({ recordsFiles: files.slice(2), maxRecords: 7 });
  try {
    const gone = before - fewer.loaded;
    assert.ok(gone >= 1 && gone <= 2);
    const run = await harvestSource(source(fewer.url), { client, alias, log: silentLogger, full: true });
    assert.is(run.status, 'ok');
    assert.is(run.withdrawn, gone, 'withdrawn for the grace period');
    assert.is(run.deleted, gone);
    assert.is(run.stale, gone);
    // withdrawn, not removed: the warning says so, and when they go for good
    const purge = [6, 7, 8].map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10));
    const warning = (day: string) =>
      `withdrew ${gone} of ${before} records (${Math.round((gone / before) * 100)}%) that the source no longer has: purged from ${day} unless they come back`;
    assert.ok(
      run.notices.some((n) => n.level === 'warn' && purge.some((day) => n.message === warning(day))),
      JSON.stringify(run.notices),
    );
    assert.is((await client.count({ index: alias })).count, fewer.loaded);
  } finally {
    await fewer.stop();
  }
  // then it serves only 3 records: removing most of the catalogue is refused, and the run is suspect
  const few = await pycsw({ recordsFiles: files.slice(-3), maxRecords: 7 });
  try {
    const remaining = (await client.count({ index: alias })).count;
    const run = await harvestSource(source(few.url), { client, alias, log: silentLogger, full: true });
    assert.is(run.status, 'suspect');
    assert.is(run.deleted, 0);
    assert.is(run.stale, remaining - 3);
    assert.match(run.deletion ?? '', /kept, the run is suspect/);
    assert.is((await client.count({ index: alias })).count, remaining);
  } finally {
    await few.stop();
  }
});

test.run();
