/**
 * A CSW serving an ISO dataset series that embeds its members (test/helpers/series.ts: real NKN records), harvested
 * by the pipeline into Elasticsearch: the series and each member are records of their own in the run's counts, the
 * index and the next run's removals (a member gone from the series is withdrawn like any record gone from a source).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import type { Logger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { recordIri } from '../../schemas/record.js';
import { faultyCsw, generatedRecords, type CatalogueRecord } from '../helpers/fault-csw.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { projectPath } from '../../schemas/paths.js';

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

/**
 * A CSW whose series gives its members by GetRecordById links to the same CSW, which also serves them as records of
 * their own (as GeoNetwork's series do): the first absolute, the second relative to the request (its parameter names
 * in capitals, its id percent-encoded). Before, with
 * `members.resolve` each such member was read twice in a run, once with its series and once without: counted twice
 * (7 seen, 5 new and 2 updated for 5 records), rewritten twice in every later run (4 updated of 5 unchanged), and the
 * index kept the copy that came last in the server's order (without dcat:inSeries when the series came first).
 */
async function linkedToItself(
  order: 'series first' | 'series last',
  extra: (csw: string, others: CatalogueRecord[]) => string[] = () => [],
) {
  const others = generatedRecords(4);
  const nkn = readFileSync(projectPath('test', 'fixtures', 'iso', 'nkn-challis-lidar-DS_Series.xml'), 'utf8');
  const csw = await faultyCsw({ records: [], pageCap: 2 });
  const byId = (id: string) =>
    `request=GetRecordById&amp;service=CSW&amp;version=2.0.2&amp;id=${id}&amp;outputSchema=http://www.isotc211.org/2005/gmd`;
  // parameter names in another case and the id percent-encoded (KVP parameter names are case-insensitive)
  const byIdOtherCase = (id: string) =>
    `REQUEST=GetRecordById&amp;Service=CSW&amp;Version=2.0.2&amp;Id=${id.replace(/-/g, '%2D')}&amp;outputSchema=http://www.isotc211.org/2005/gmd`;
  const xml = nkn.replace(
    /<gmd:composedOf>[\s\S]*<\/gmd:composedOf>/,
    `<gmd:composedOf><gmd:DS_DataSet><gmd:has xlink:href="${csw.url}?${byId(others[0].id)}"/><gmd:has xlink:href="csw?${byIdOtherCase(others[1].id)}"/>${extra(
      csw.url,
      others,
    )
      .map((href) => `<gmd:has xlink:href="${href}"/>`)
      .join('')}</gmd:DS_DataSet></gmd:composedOf>`,
  );
  csw.records = order === 'series first' ? [asRecord(xml), ...others] : [...others, asRecord(xml)];
  return { csw, members: [others[0].id, others[1].id] };
}

const runLinked = (alias: string, url: string, options: Record<string, unknown> = {}): Promise<RunSummary> =>
  harvestSource(
    {
      id: 'nkn',
      type: 'csw',
      url,
      deletionGrace: '0',
      options: { pageSize: 2, members: { resolve: true }, http: { retryDelayMs: 10 }, ...options },
    },
    { client, alias, log: quiet, reportDir: reports, mapWorkers: 0, full: true, batchSize: 2 },
  );
const counts = (s: RunSummary) => [s.status, s.seen, s.new, s.updated, s.unchanged, s.duplicates, s.failed];
const getIn = async (alias: string, id: string) =>
  (await client.get<{ record: HubRecord }>({ index: alias, id: `nkn:${id}` }))._source!.record;

test('member links that are GetRecordById of the harvested CSW, no constraint: not fetched, each member one record named by its series (whatever the order)', async () => {
  for (const order of ['series first', 'series last'] as const) {
    const alias = tempIndexName('harvest-series');
    // besides: a GetRecordById of the same CSW without an id (fetched, answered 404) and one on another host (refused)
    const noId = (url: string) => `${url}?request=GetRecordById&amp;service=CSW&amp;version=2.0.2`;
    const elsewhere = (others: CatalogueRecord[]) => `http://127.0.0.2:9/csw?request=GetRecordById&amp;id=${others[2].id}`;
    const { csw, members } = await linkedToItself(order, (url, others) => [noId(url), elsewhere(others)]);
    try {
      const first = await runLinked(alias, csw.url);
      assert.equal(counts(first), ['ok', 5, 5, 0, 0, 0, 0], `${order}: ${JSON.stringify(first)}`);
      // only the link without an id is fetched
      assert.equal(
        csw.requests.filter((r) => r.op === 'GetRecordById').map((r) => r.id),
        [undefined],
      );
      // each member is the CSW's record of its own, and the series names the two its links ask this CSW for by id
      assert.is((await getIn(alias, members[0])).inSeries, undefined);
      const series = await getIn(alias, SERIES_ID);
      assert.equal(series.seriesMember, [recordIri('nkn', members[0]), recordIri('nkn', members[1])], order);
      assert.equal(series['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
      const said = first.notices.filter((n) => n.message.includes('member link(s) not fetched'));
      assert.is(said.length, 1, JSON.stringify(first.notices));
      assert.match(
        said[0].message,
        /2 member link\(s\) not fetched, the first http:\/\/127\.0\.0\.1:\d+\/csw\?request=GetRecordById&service=CSW&version=2\.0\.2&id=.*no constraint.*names it by that identifier/,
      );
      // the other two links are reported as before: each could not be used and stays a link (the crosswalk's warning
      // about the members given by reference only counts them: iso-series, csw-series-links)
      const unused = first.notices.filter((n) => n.level === 'warn' && n.message.includes('could not be used')).map((n) => n.message);
      assert.is(unused.length, 2, unused.join('\n'));
      assert.ok(unused[0].includes('request=GetRecordById&service=CSW&version=2.0.2 could not be used'), unused[0]);
      assert.match(unused[1], /http:\/\/127\.0\.0\.2:9\/csw\?request=GetRecordById&id=.* could not be used \(.*refused/);
      const again = await runLinked(alias, csw.url);
      assert.equal(counts(again), ['ok', 5, 0, 0, 5, 0, 0], `${order}: ${JSON.stringify(again)}`);
    } finally {
      await csw.close();
    }
  }
});

test('member links to the harvested CSW under a constraint that excludes the members: fetched, each a member of its series, not lost', async () => {
  const alias = tempIndexName('harvest-series');
  const { csw, members } = await linkedToItself('series last');
  // the server applies the constraint: only the series matches
  csw.matches = (r, req) => req.constraint === undefined || r.id === SERIES_ID;
  try {
    const options = { constraint: { cql: "type = 'series'" } };
    const first = await runLinked(alias, csw.url, options);
    assert.equal(counts(first), ['ok', 3, 3, 0, 0, 0, 0], JSON.stringify(first));
    assert.equal(
      csw.requests.filter((r) => r.op === 'GetRecordById').map((r) => r.id),
      members,
    );
    const series = await getIn(alias, SERIES_ID);
    assert.equal(series.seriesMember, [recordIri('nkn', members[0]), recordIri('nkn', members[1])]);
    for (const id of members) assert.equal((await getIn(alias, id)).inSeries, [series['@id']]);
    const again = await runLinked(alias, csw.url, options);
    assert.equal(counts(again), ['ok', 3, 0, 0, 3, 0, 0], JSON.stringify(again));
  } finally {
    await csw.close();
  }
});

test('member links to the harvested CSW under a constraint the members match too: each read once, with its series when the series comes first', async () => {
  for (const order of ['series first', 'series last'] as const) {
    const alias = tempIndexName('harvest-series');
    const { csw, members } = await linkedToItself(order);
    try {
      const first = await runLinked(alias, csw.url, { constraint: { cql: "title like '%'" } });
      assert.equal(counts(first), ['ok', 5, 5, 0, 0, 0, 0], `${order}: ${JSON.stringify(first)}`);
      const byId = csw.requests.filter((r) => r.op === 'GetRecordById').map((r) => r.id);
      const series = await getIn(alias, SERIES_ID);
      const said = (text: string) => first.notices.filter((n) => n.message.includes(text));
      if (order === 'series first') {
        // fetched with the series; their copies in the later pages not yielded again
        assert.equal(byId, members);
        assert.equal(series.seriesMember, [recordIri('nkn', members[0]), recordIri('nkn', members[1])]);
        for (const id of members) assert.equal((await getIn(alias, id)).inSeries, [series['@id']]);
        assert.match(said('already been read as members')[0]?.message ?? '', /^2 record\(s\) of the GetRecords answers/);
      } else {
        // already read as records of their own: not fetched again, named by the series all the same
        assert.equal(byId, []);
        assert.equal(series.seriesMember, [recordIri('nkn', members[0]), recordIri('nkn', members[1])]);
        assert.is((await getIn(alias, members[0])).inSeries, undefined);
        assert.match(said('not fetched')[0]?.message ?? '', /already read in this harvest/);
      }
    } finally {
      await csw.close();
    }
  }
});

test.run();
