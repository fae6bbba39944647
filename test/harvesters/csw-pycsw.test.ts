/**
 * harvestCsw against a REAL pycsw 2.6.2 loaded with the ISO 19139 fixtures, server.maxrecords 7 (pages of 7).
 * Every loaded record must come back, including the gmi:MI_Metadata and che:CHE_MD_Metadata ones OWSLib drops.
 *
 * Throughput: `CSW_BENCH=2000 npx tsx test/harvesters/csw-pycsw.test.ts` also loads that many generated records
 * (copies of the fixtures under new identifiers) into a pycsw with pages of 100 and prints records/s.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { harvestCsw, type CswHarvestOptions } from '../../harvesters/csw/index.js';
import { splitCswResponse, splitRecords } from '../../harvesters/csw/records.js';
import { fetchText } from '../../harvesters/http.js';
import type { Notice, RawRecord } from '../../harvesters/types.js';
import { sharedFixture } from '../../schemas/paths.js';
import { mapRecords } from '../../pipelines/map.js';
import { pycsw, xmlFiles, type PycswServer } from '../helpers/services.js';

const files = xmlFiles(sharedFixture('iso19139'));
let server: PycswServer;
/** What was loaded, read from the files themselves: id, root element name, dateStamp. */
let loaded: { file: string; id: string; root: string; dateStamp: string }[];

test.before(async () => {
  server = await pycsw({ recordsFiles: files, maxRecords: 7 });
  const refused = new Set(server.refused.map((r) => basename(r.file)));
  loaded = files
    .filter((f) => !refused.has(basename(f)))
    .map((f) => {
      const text = readFileSync(f, 'utf8');
      const r = splitRecords(text).records[0];
      const dateStamp = /<[\w]+:dateStamp\b[^>]*>\s*<gco:(?:Date|DateTime)>([^<]+)</.exec(text)![1];
      return { file: f, id: r.id!, root: r.name, dateStamp };
    });
});

test.after(async () => {
  await server?.stop();
});

async function harvest(opts: Partial<CswHarvestOptions> = {}) {
  const records: RawRecord[] = [];
  const notices: Notice[] = [];
  const t0 = performance.now();
  for await (const item of harvestCsw({ source: 'pycsw', url: server.url, ...opts })) {
    if (item.kind === 'record') records.push(item.raw);
    else if (item.kind === 'notice') notices.push(item.notice);
  }
  return { records, notices, ms: performance.now() - t0, summary: notices[notices.length - 1] };
}

const rootName = (r: RawRecord) => /^<([^\s>]+)/.exec(r.body as string)![1];
const countBy = (xs: string[]) => Object.fromEntries([...new Set(xs)].sort().map((x) => [x, xs.filter((y) => y === x).length]));

test('pycsw loaded the fixtures (one duplicate identifier refused)', () => {
  assert.is(server.loaded, loaded.length);
  assert.is(server.loaded, files.length - server.refused.length);
  assert.ok(
    server.refused.every((r) => /UNIQUE constraint failed/.test(r.reason)),
    JSON.stringify(server.refused),
  );
});

test('GET: every loaded record, in pages of 7, distinct ids, gmi and CHE records included', async () => {
  const { records, notices, summary } = await harvest();
  assert.is(summary.data?.matched, server.loaded);
  assert.is(records.length, server.loaded);
  assert.is(new Set(records.map((r) => r.id)).size, records.length);
  assert.equal(new Set(records.map((r) => r.id)), new Set(loaded.map((l) => l.id)));
  assert.equal(countBy(records.map(rootName)), countBy(loaded.map((l) => l.root)));
  assert.ok(records.some((r) => rootName(r) === 'gmi:MI_Metadata') && records.some((r) => rootName(r) === 'che:CHE_MD_Metadata'));
  assert.ok(records.every((r) => r.format === 'iso19139'));
  // Pages of 7 (asked 100, capped by the server): ceil(n / 7) pages, each of 7 but the last.
  const pages = Math.ceil(server.loaded / 7);
  assert.is(summary.data?.pages, pages);
  const perPage = countBy(records.map((r) => /page (\d+) /.exec(r.location)![1]));
  assert.equal(Object.values(perPage), [...Array(pages - 1).fill(7), server.loaded - 7 * (pages - 1)]);
  assert.is(summary.data?.stop, 'nextRecord 0: last page');
  assert.not.ok(
    notices.some((n) => n.level === 'warn'),
    JSON.stringify(notices),
  );
});

test("each record's url is a GetRecordById request that the server answers with that record", async () => {
  const { records } = await harvest({ maxRecords: 3 });
  for (const r of records) {
    const page = splitCswResponse((await fetchText(r.url!)).text);
    assert.is(page.kind, 'GetRecordByIdResponse');
    assert.equal(
      page.records.map((x) => x.id),
      [r.id],
    );
  }
});

test('POST: the same records', async () => {
  const { records, summary } = await harvest({ method: 'POST' });
  assert.is(summary.data?.method, 'POST');
  assert.equal(new Set(records.map((r) => r.id)), new Set(loaded.map((l) => l.id)));
});

test('CSW 3.0 (GET, and POST): the same records', async () => {
  for (const method of ['GET', 'POST'] as const) {
    const { records } = await harvest({ version: '3.0.0', method });
    assert.equal(new Set(records.map((r) => r.id)), new Set(loaded.map((l) => l.id)), method);
  }
});

test('modifiedSince (apiso:Modified >= date, GET and POST): exactly the records whose dateStamp is on or after it', async () => {
  const since = '2011-01-01';
  const expected = new Set(loaded.filter((l) => l.dateStamp >= since).map((l) => l.id));
  assert.ok(expected.size > 0 && expected.size < loaded.length);
  for (const method of ['GET', 'POST'] as const) {
    const { records } = await harvest({ modifiedSince: since, method });
    assert.equal(new Set(records.map((r) => r.id)), expected, method);
  }
});

test('a Filter constraint (POST) combined with modifiedSince', async () => {
  const filter =
    '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo><ogc:PropertyName>apiso:Type</ogc:PropertyName><ogc:Literal>service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>';
  const all = await harvest({ constraint: { filter } });
  const since = await harvest({ constraint: { filter }, modifiedSince: '2011-01-01' });
  const services = loaded.filter((l) =>
    /codeListValue="service"/.test(/<[\w]+:hierarchyLevel>[\s\S]*?<\/[\w]+:hierarchyLevel>/.exec(readFileSync(l.file, 'utf8'))?.[0] ?? ''),
  );
  assert.equal(new Set(all.records.map((r) => r.id)), new Set(services.map((l) => l.id)));
  assert.equal(new Set(since.records.map((r) => r.id)), new Set(services.filter((l) => l.dateStamp >= '2011-01-01').map((l) => l.id)));
});

test('pycsw gzip fault: asked for gzip it sends a cut page (an error, never a short page); the harvester asks identity and gets all', async () => {
  const gz = await pycsw({ recordsFiles: files, maxRecords: 100, gzipLevel: 9 });
  try {
    const url = `${gz.url}?service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd:MD_Metadata&resultType=results&elementSetName=full&outputSchema=http://www.isotc211.org/2005/gmd&maxRecords=100`;
    let failed = '';
    try {
      const res = await fetchText(url, { headers: { 'accept-encoding': 'gzip' }, retries: 0 });
      splitRecords(res.text);
    } catch (err) {
      failed = (err as Error).message;
    }
    assert.ok(failed !== '', 'a gzip request to pycsw 2.6.2 must fail (wrong Content-Length)');
    if (process.env.CSW_DEBUG) console.log('  gzip:', failed.slice(0, 300));
    const records: RawRecord[] = [];
    for await (const item of harvestCsw({ source: 'gz', url: gz.url })) if (item.kind === 'record') records.push(item.raw);
    assert.is(records.length, gz.loaded);
  } finally {
    await gz.stop();
  }
});

const bench = Number(process.env.CSW_BENCH ?? 0);
if (bench > 0) {
  test(`throughput: ${bench} generated records, pages of 100`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csw-bench-'));
    try {
      const sources = loaded.map((l) => ({ text: readFileSync(l.file, 'utf8'), id: l.id }));
      for (let i = 0; i < bench; i++) {
        const s = sources[i % sources.length];
        writeFileSync(join(dir, `r${i}.xml`), s.text.split(`>${s.id}<`).join(`>${s.id}-bench-${i}<`));
      }
      const big = await pycsw({ recordsDir: dir, maxRecords: 100 });
      try {
        const runs: number[] = [];
        let count = 0;
        for (let k = 0; k < 3; k++) {
          const t0 = performance.now();
          count = 0;
          for await (const item of harvestCsw({ source: 'bench', url: big.url, pageSize: 100 })) if (item.kind === 'record') count++;
          runs.push(performance.now() - t0);
        }
        const best = Math.min(...runs);
        console.log(
          `  ${count} records (loaded ${big.loaded} in ${(big.loadMs / 1000).toFixed(1)} s); harvest runs ${runs.map((r) => r.toFixed(0)).join(', ')} ms; best ${(count / (best / 1000)).toFixed(0)} records/s`,
        );
        assert.is(count, big.loaded);
      } finally {
        await big.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('Dublin Core (outputSchema csw:Record, GET and CSW 3.0): every loaded record comes back and maps (mappings/dc)', async () => {
  for (const opts of [
    { outputSchema: 'http://www.opengis.net/cat/csw/2.0.2' },
    { version: '3.0.0', outputSchema: 'http://www.opengis.net/cat/csw/3.0' },
  ] as Partial<CswHarvestOptions>[]) {
    const { records, summary } = await harvest(opts);
    assert.is(records.length, server.loaded);
    assert.ok(records.every((r) => rootName(r).endsWith(':Record')));
    const mapped = mapRecords(records, { harvestedAt: '2026-12-07T07:00:00Z' });
    const failed = mapped.filter((m) => !m.ok);
    assert.equal(failed, []);
    // pycsw's dc:identifier is the ISO record's fileIdentifier: the same ids as the ISO harvest
    assert.equal(new Set(mapped.map((m) => m.ok && m.record.isPrimaryTopicOf.identifier)), new Set(loaded.map((l) => l.id)));
    assert.ok(mapped.every((m) => m.ok && m.record.isPrimaryTopicOf.sourceFormat === 'csw-record'));
    // boxes: pycsw writes ows:BoundingBox in EPSG 4326, latitude first; every one read as a box of the world
    assert.ok(mapped.some((m) => m.ok && m.record.spatial?.some((l) => l.bbox)));
    assert.ok(summary.data?.records === server.loaded);
  }
});

test.run();
