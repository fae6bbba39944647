/**
 * harvestOzcar on the real pivot files (local paths, file: URLs, and over HTTP from a local node:http server), on
 * the real broken files, and on feeds composed from the real broken fragments (test/fixtures/ozcar/feeds.ts): one
 * record per dataset, a failure per bad dataset with the file, the dataset id and the JSON path, observations at fault
 * dropped with a warning, a SourceError for a file that cannot be read as a pivot file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { harvestOzcar, checkOzcarOptions, type OzcarHarvestOptions, type OzcarRecordContext } from '../../harvesters/ozcar/index.js';
import type { HarvestItem, RawRecord } from '../../harvesters/types.js';
import { SourceError, type Failure } from '../../core/result.js';
import { sharedFixture } from '../../schemas/paths.js';
import { warningLine } from '../../core/warnings.js';
import { readShared, writeFeeds, type FeedName } from '../fixtures/ozcar/feeds.js';

type Json = Record<string, any>;

interface Harvest {
  records: RawRecord[];
  failures: Failure[];
  notices: string[];
}

async function harvest(options: Partial<OzcarHarvestOptions> & { url: string }): Promise<Harvest> {
  const out: Harvest = { records: [], failures: [], notices: [] };
  for await (const item of harvestOzcar({ source: 'ozcar-test', ...options }) as AsyncGenerator<HarvestItem>) {
    if (item.kind === 'record') out.records.push(item.raw);
    else if (item.kind === 'failure') out.failures.push(item.failure);
    else out.notices.push(`${item.notice.level}: ${item.notice.message}`);
  }
  return out;
}

async function sourceError(options: Partial<OzcarHarvestOptions> & { url: string }): Promise<SourceError> {
  try {
    await harvest(options);
  } catch (err) {
    assert.instance(err, SourceError, String(err));
    return err as SourceError;
  }
  assert.unreachable(`expected a SourceError for ${options.url}`);
  throw new Error('unreachable');
}

const ctx = (r: RawRecord) => r.context as unknown as OzcarRecordContext;
const VALID_FILES = readdirSync(sharedFixture('ozcar'))
  .filter((f) => f.endsWith('.json'))
  .sort();

// --- real files -------------------------------------------------------------------------------------------------------

test('every real file: one record per dataset, in order, id = datasetId, body = the dataset, producer in context', async () => {
  for (const f of VALID_FILES) {
    const file = readShared(f);
    const h = await harvest({ url: sharedFixture('ozcar', f) });
    assert.equal(h.failures, [], f);
    assert.equal(
      h.records.map((r) => r.id),
      (file.datasets as Json[]).map((d) => d.datasetId),
      f,
    );
    h.records.forEach((r, i) => {
      assert.is(r.format, 'ozcar-dataset');
      assert.is(r.source, 'ozcar-test');
      assert.equal(r.body, file.datasets[i], `${f} dataset ${i} body`);
      assert.is(r.location, `${sharedFixture('ozcar', f)}#/datasets/${i}`);
      assert.is(r.url, `${pathToFileURL(sharedFixture('ozcar', f)).href}#/datasets/${i}`);
      assert.equal(ctx(r).producer, file.producer);
      assert.not.ok('datasets' in ctx(r).producer);
      assert.is(ctx(r).version, file.version);
      assert.is(ctx(r).fileName, f);
    });
    assert.ok(h.notices[0].includes(`${file.datasets.length} dataset(s)`), h.notices[0]);
  }
});

test('CRYO_en.json: 8 datasets, 642 observations, none dropped; forgiven problems are warnings with their paths', async () => {
  const file = readShared('CRYO_en.json');
  const h = await harvest({ url: pathToFileURL(sharedFixture('ozcar', 'CRYO_en.json')).href });
  assert.is(h.records.length, file.datasets.length);
  assert.is(
    h.records.reduce((n, r) => n + ((r.body as Json).observations as unknown[]).length, 0),
    642,
  );
  // "Quartenary soils" (outside the geology list) is reported on each dataset that has it
  (file.datasets as Json[]).forEach((ds, i) => {
    const j = (ds.metadata.portalSearchCriteria.geologies as string[]).indexOf('Quartenary soils');
    const w = ctx(h.records[i]).warnings ?? [];
    if (j >= 0)
      assert.ok(
        w.some(
          (x) =>
            warningLine(x).startsWith(`/datasets/${i}/metadata/portalSearchCriteria/geologies/${j}: "Quartenary soils"`) &&
            x.code === 'ozcar.pivot.enum',
        ),
        w.map(warningLine).join('\n'),
      );
  });
  // The empty producer acronym/idScanR are reported once, in a notice
  assert.ok(
    h.notices.some((n) => n.startsWith('warn:') && n.includes('/producer/fundings/4/acronym: must not be empty')),
    h.notices.join('\n'),
  );
});

// --- the real broken files ------------------------------------------------------------------------------------------------

test('invalid/CATC_en_invalidJsonFile.json: a SourceError naming the file, the line and column', async () => {
  const path = sharedFixture('ozcar', 'invalid', 'CATC_en_invalidJsonFile.json');
  const err = await sourceError({ url: path });
  assert.is(err.stage, 'parse');
  assert.ok(err.message.startsWith(path + ': not valid JSON'), err.message);
  assert.match(err.message, /line 2, column \d+/);
  assert.match(err.message, /starts with "\{"/);
});

test('invalid/CATC_en_invalidFormat.json: a SourceError naming /version and the misspelt "versions"', async () => {
  const path = sharedFixture('ozcar', 'invalid', 'CATC_en_invalidFormat.json');
  const err = await sourceError({ url: path });
  assert.ok(err.message.startsWith(path), err.message);
  assert.match(err.message, /\/version is required at the root \(found "versions" instead/);
});

test('invalid/CATC_en_wrong_category.json: harvested without a vocabulary; with the Theia leaves, its observation is at fault', async () => {
  const path = sharedFixture('ozcar', 'invalid', 'CATC_en_wrong_category.json');
  const file = readShared('invalid', 'CATC_en_wrong_category.json');
  const plain = await harvest({ url: path });
  assert.is(plain.records.length, 1);
  // Leaves known to be valid: the categories of the real files the Theia importer accepted.
  const leaves = [
    ...new Set(
      VALID_FILES.flatMap((f) =>
        (readShared(f).datasets as Json[]).flatMap((d) =>
          (d.observations as Json[]).flatMap((o) => o.observedProperty.theiaCategories as string[]),
        ),
      ),
    ),
  ];
  const category = file.datasets[0].observations[0].observedProperty.theiaCategories[0] as string;
  assert.not.ok(leaves.includes(category));
  const h = await harvest({ url: path, theiaCategories: leaves });
  assert.is(h.records.length, 0);
  assert.is(h.failures.length, 1);
  const f = h.failures[0];
  assert.is(f.id, file.datasets[0].datasetId);
  assert.is(f.stage, 'parse');
  assert.ok(f.error.startsWith(path + ': '), f.error);
  assert.ok(
    f.error.includes(`observation ${file.datasets[0].observations[0].observationId} at /datasets/0/observations/0 dropped`),
    f.error,
  );
  assert.ok(f.error.includes(`/datasets/0/observations/0/observedProperty/theiaCategories/0: ${category} is not a leaf category`), f.error);
  assert.is(f.location, `${path}#/datasets/0`);
  assert.equal(f.raw, file.datasets[0]);
});

// --- feeds composed from the real broken fragments -------------------------------------------------------------------------

const feeds = writeFeeds();
const feed = (name: FeedName) => feeds.paths[name];

test('a dataset without title: a failure with the file, the dataset id and /datasets/1/metadata/title; the other dataset is harvested', async () => {
  const fragment = readShared('invalid', 'dataset_missingDatasetTitle.json');
  const h = await harvest({ url: feed('untitled') });
  assert.equal(
    h.records.map((r) => r.id),
    [readShared('CATC_en.json').datasets[0].datasetId],
  );
  assert.is(h.failures.length, 1);
  const f = h.failures[0];
  assert.is(f.id, fragment.datasetId);
  assert.ok(f.error.startsWith(feed('untitled') + ': dataset ' + fragment.datasetId + ': invalid: '), f.error);
  assert.ok(f.error.includes('/datasets/1/metadata/title: is required'), f.error);
  assert.ok(f.location!.endsWith('#/datasets/1'));
});

test('an observation with a wrong data type is dropped with a warning naming it; a dataset left without observation fails', async () => {
  const wrong = readShared('invalid', 'observation_WrongDatatype.json');
  const catc = readShared('CATC_en.json').datasets[0];
  const h = await harvest({ url: feed('badObservation') });
  // First dataset: harvested with its own observations only.
  assert.equal(
    h.records.map((r) => r.id),
    [catc.datasetId],
  );
  const r = h.records[0];
  assert.equal(
    ((r.body as Json).observations as Json[]).map((o) => o.observationId),
    (catc.observations as Json[]).map((o) => o.observationId),
  );
  const at = `/datasets/0/observations/${catc.observations.length}`;
  assert.equal(ctx(r).droppedObservations, [
    {
      observationId: wrong.observationId,
      path: at,
      errors: [
        `${at}/dataType: ${JSON.stringify(wrong.dataType)} is not one of "Numeric", "Text", "Raster", "Vector", "Photo", "Video", "Audio", "Other"`,
      ],
    },
  ]);
  assert.ok(
    ctx(r).warnings!.some(
      (w) =>
        w.at === at &&
        w.message.startsWith(`observation ${wrong.observationId} at ${at} dropped: ${at}/dataType`) &&
        w.code === 'ozcar.observation.dropped',
    ),
    ctx(r).warnings!.map(warningLine).join('\n'),
  );
  assert.ok(
    h.notices.some((n) => n.startsWith('warn:') && n.includes(wrong.observationId) && n.includes(`${at}/dataType`)),
    h.notices.join('\n'),
  );
  // Second dataset: only that observation → a failure naming it.
  assert.is(h.failures.length, 1);
  const f = h.failures[0];
  assert.is(f.id, 'CATC_DAT_only-bad-observation');
  assert.ok(
    f.error.includes(
      `every observation is invalid: observation ${wrong.observationId} at /datasets/1/observations/0 dropped: /datasets/1/observations/0/dataType`,
    ),
    f.error,
  );
});

test('a producer with a bad URL: a SourceError naming /producer/onlineResource/urlDownload', async () => {
  const err = await sourceError({ url: feed('badProducer') });
  assert.ok(err.message.startsWith(feed('badProducer') + ': invalid pivot file: '), err.message);
  assert.match(err.message, /\/producer\/onlineResource\/urlDownload: "htxxxztpbd\.amma-catch\.org" is not a valid uri/);
});

test('a wrong category beside a sound dataset: the sound one is still harvested', async () => {
  const leaves = (readShared('CATC_en.json').datasets as Json[]).flatMap((d) =>
    (d.observations as Json[]).flatMap((o) => o.observedProperty.theiaCategories as string[]),
  );
  const h = await harvest({ url: feed('wrongCategory'), theiaCategories: leaves });
  assert.equal(
    h.records.map((r) => r.id),
    [readShared('CATC_en.json').datasets[0].datasetId],
  );
  assert.equal(
    h.failures.map((f) => f.id),
    [readShared('invalid', 'CATC_en_wrong_category.json').datasets[0].datasetId],
  );
});

test('a datasetId used twice: the second is a failure pointing at the first', async () => {
  const h = await harvest({ url: feed('duplicateId') });
  assert.is(h.records.length, 1);
  assert.is(h.failures.length, 1);
  assert.match(h.failures[0].error, /\/datasets\/1\/datasetId: dataset \S+ is already used by \/datasets\/0 in the same file/);
});

test('an unsupported version: a SourceError', async () => {
  const err = await sourceError({ url: feed('version2') });
  assert.match(err.message, /unsupported pivot format version "2\.0" at \/version \(this harvester reads 1\.0\)/);
});

test('a missing file, a too large file, bad options', async () => {
  const missing = await sourceError({ url: join(feeds.dir, 'nope_en.json') });
  assert.match(missing.message, /nope_en\.json: cannot read the pivot file \(ENOENT\)/);
  const big = await sourceError({ url: sharedFixture('ozcar', 'CRYO_en.json'), http: { maxBytes: 1000 } });
  assert.match(big.message, /above the cap of 1000 bytes \(http\.maxBytes\)/);
  // the old spelling `fetch` still works, with a warning naming `http`
  const old: HarvestItem[] = [];
  try {
    for await (const item of harvestOzcar({ source: 'a', url: sharedFixture('ozcar', 'CRYO_en.json'), fetch: { maxBytes: 1000 } }))
      old.push(item);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /above the cap of 1000 bytes/);
  }
  assert.equal(
    old.map((i) => i.kind === 'notice' && i.notice.message),
    ['OZCAR harvester: option fetch: deprecated spelling, write http instead'],
  );
  assert.throws(
    () => checkOzcarOptions({ source: 'a:b', url: '', pageSize: 3 }),
    /pageSize: unknown option \(known: http, theiaCategories\); source: must be .*; url: must be /,
  );
  assert.throws(() => checkOzcarOptions({ source: 'a', url: 'ftp://x/y.json' }), /url: must be http\(s\), file: or a local path/);
  assert.throws(
    () => checkOzcarOptions({ source: 'a', url: 'x.json', theiaCategories: ['atmosphere'] }),
    /theiaCategories: must be an array of category IRIs/,
  );
});

// --- over HTTP ------------------------------------------------------------------------------------------------------------------

async function serve(routes: Record<string, (res: ServerResponse) => void>) {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    route(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const fileBody = (...p: string[]) => readFileSync(sharedFixture('ozcar', ...p));
const noRetry = { retries: 0, retryDelayMs: 1 };

test('over HTTP: the same records as from the file; a composed feed keeps its failure; wrong content type, 404, bad JSON', async () => {
  const s = await serve({
    '/CRYO_en.json': (res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fileBody('CRYO_en.json')),
    '/plain/KARS_en.json': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(fileBody('KARS_en.json')),
    '/untitled_en.json': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(feed('untitled'))),
    '/html/CATC_en.json': (res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>Please log in</body></html>'),
    '/broken_en.json': (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(fileBody('invalid', 'CATC_en_invalidJsonFile.json')),
  });
  try {
    const local = await harvest({ url: sharedFixture('ozcar', 'CRYO_en.json') });
    const remote = await harvest({ url: `${s.base}/CRYO_en.json`, http: noRetry });
    assert.equal(
      remote.records.map((r) => r.body),
      local.records.map((r) => r.body),
    );
    assert.equal(
      remote.records.map((r) => r.location),
      local.records.map((_, i) => `${s.base}/CRYO_en.json#/datasets/${i}`),
    );
    assert.equal(
      remote.records.map((r) => r.url),
      remote.records.map((r) => r.location),
    );
    assert.is(ctx(remote.records[0]).fileName, 'CRYO_en.json');

    assert.is((await harvest({ url: `${s.base}/plain/KARS_en.json`, http: noRetry })).records.length, 1);

    const composed = await harvest({ url: `${s.base}/untitled_en.json`, http: noRetry });
    assert.is(composed.records.length, 1);
    assert.is(composed.failures.length, 1);
    assert.ok(composed.failures[0].error.startsWith(`${s.base}/untitled_en.json: dataset `), composed.failures[0].error);

    const html = await sourceError({ url: `${s.base}/html/CATC_en.json`, http: noRetry });
    assert.is(html.url, `${s.base}/html/CATC_en.json`);
    assert.match(html.message, /Content-Type text\/html; charset=utf-8 is not JSON .*Please log in/);

    const missing = await sourceError({ url: `${s.base}/missing_en.json`, http: noRetry });
    assert.match(missing.message, /GET http:\/\/127\.0\.0\.1:\d+\/missing_en\.json: HTTP 404/);

    const broken = await sourceError({ url: `${s.base}/broken_en.json`, http: noRetry });
    assert.ok(broken.message.startsWith(`${s.base}/broken_en.json: not valid JSON`), broken.message);
  } finally {
    await s.close();
  }
});

test.after(() => rmSync(feeds.dir, { recursive: true, force: true }));

test.run();
