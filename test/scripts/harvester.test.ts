/** The `harvester` command line, run as a user runs it (the installed bin, linked as npm links it), on the real fixtures. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandRecord } from '../../schemas/jsonld.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { harvesterBin } from '../helpers/bin.js';

// the package's bin, reached through a symbolic link as in node_modules/.bin (its temporary folder removed at the end)
const bin = harvesterBin();
test.after(() => bin.cleanup());
const DCAT = 'http://www.w3.org/ns/dcat#';

function harvester(...args: string[]) {
  return bin.run(...args);
}

function run(env: Record<string, string>, ...args: string[]) {
  return bin.runWith({ env }, ...args);
}

test('map: every ISO 19139 fixture gives one JSON-LD line with its context inline, exit 0', async () => {
  const dir = sharedFixture('iso19139');
  const files = readdirSync(dir).map((f) => join(dir, f));
  const r = harvester('map', '--source', 'fx', ...files);
  assert.is(r.code, 0, r.err);
  assert.is(r.lines.length, files.length);
  for (const doc of r.lines) {
    assert.type(doc['@context'], 'object');
    assert.ok(doc.identifier.startsWith('fx:'));
  }
  // each line expands without network to DCAT-AP IRIs
  const expanded = (await expandRecord(r.lines[0])) as Record<string, unknown>[];
  const types = expanded[0]['@type'] as string[];
  assert.ok(
    types.some((t) => t.startsWith(DCAT)),
    JSON.stringify(types),
  );
  assert.ok(expanded[0]['http://purl.org/dc/terms/title']);
});

test('map: a CSW GetRecords page gives one line per record of the page', () => {
  const r = harvester('map', sharedFixture('csw', 'pycsw-apiso-GetRecords-all.xml'));
  assert.is(r.code, 0, r.err);
  assert.is(r.lines.length, 5); // numberOfRecordsReturned="5"
  assert.is(new Set(r.lines.map((l) => l.identifier)).size, 5);
});

test('map: ISO 19115-3 records', () => {
  const dir = sharedFixture('iso19115-3');
  const files = readdirSync(dir).map((f) => join(dir, f));
  const r = harvester('map', ...files);
  assert.is(r.code, 0, r.err);
  assert.is(r.lines.length, files.length);
});

test('map: a broken record is reported on stderr with file, id and stage; the good ones still come out; exit 1', () => {
  const broken = projectPath('test', 'fixtures', 'cli', 'broken-record.xml');
  const good = sharedFixture('iso19139', 'owslib-csw_geobretagne_mdmetadata.xml');
  const r = harvester('map', broken, good);
  assert.is(r.code, 1);
  assert.is(r.lines.length, 1);
  // failures only: warnings and notices have "warning" / "notice" where a failure has its stage
  const errLines = r.err.split('\n').filter((l) => l.includes('\t') && !/^[^\t]*\t[^\t]*\t(warning|notice)\t/.test(l));
  assert.is(errLines.length, 1, r.err);
  assert.ok(errLines[0].startsWith(broken), errLines[0]);
  assert.match(errLines[0], /\tparse\t/);
});

test('map: STAC files: a catalogue walked from its root, a collection, an item, an API page of items', () => {
  const catalog = harvester('map', projectPath('samples', 'stac', 'catalog.json'));
  assert.is(catalog.code, 0, catalog.err);
  // the sample tree: three collections (two share the id sentinel-2), the proj example item and the collectionless item
  assert.equal(catalog.lines.map((l) => l.isPrimaryTopicOf.sourceFormat).sort(), [
    'stac-collection',
    'stac-collection',
    'stac-collection',
    'stac-item',
    'stac-item',
  ]);
  const single = harvester('map', sharedFixture('stac', 'collection.json'), sharedFixture('stac', 'core-item.json'));
  assert.is(single.code, 0, single.err);
  assert.equal(
    single.lines.map((l) => l.identifier),
    ['file:simple-collection', 'file:simple-collection/20201211_223832_CS2'],
  );
  const dir = join(bin.dir, 'map');
  mkdirSync(dir);
  const item = JSON.parse(readFileSync(sharedFixture('stac', 'extended-item.json'), 'utf8'));
  const page = { type: 'FeatureCollection', features: [1, 2, 3].map((i) => ({ ...item, id: `${item.id}-${i}` })), links: [] };
  writeFileSync(join(dir, 'page.json'), JSON.stringify(page));
  const api = harvester('map', join(dir, 'page.json'));
  assert.is(api.code, 0, api.err);
  assert.is(api.lines.length, 3);
});

test('map: OZCAR pivot files, one record per dataset; a broken feed is reported and exits 1', () => {
  const cryo = harvester('map', sharedFixture('ozcar', 'CRYO_en.json'));
  assert.is(cryo.code, 0, cryo.err);
  const json = JSON.parse(readFileSync(sharedFixture('ozcar', 'CRYO_en.json'), 'utf8'));
  assert.equal(
    cryo.lines.map((l) => l.isPrimaryTopicOf.identifier),
    json.datasets.map((d: { datasetId: string }) => d.datasetId),
  );
  const broken = harvester(
    'map',
    sharedFixture('ozcar', 'invalid', 'CATC_en_invalidJsonFile.json'),
    sharedFixture('ozcar', 'TOUR_en.json'),
  );
  assert.is(broken.code, 1);
  assert.is(broken.lines.length, 1); // TOUR still mapped
  assert.match(broken.err, /CATC_en_invalidJsonFile\.json/);
});

test('map: usage errors exit 2, --help exits 0', () => {
  assert.is(harvester('map').code, 2);
  assert.is(harvester('nonsense').code, 2);
  const help = harvester('map', '--help');
  assert.is(help.code, 0);
  assert.match(help.out, /NDJSON/);
  assert.is(harvester('--help').code, 0);
  assert.is(harvester('harvest', '--help').code, 0);
});

test('harvest runs in the one process the bin starts, with the bounded heap (no relaunch); HUB_HEAP_MB is checked', () => {
  // nothing answers on port 9: the command fails after logging its process (debug level, JSON lines: not a terminal)
  const args = ['harvest', '--url', 'http://127.0.0.1:9/csw', '--type', 'csw', '--id', 't', '--es', 'http://127.0.0.1:9'];
  const lines = (r: ReturnType<typeof run>) =>
    r.err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { pid?: number; heapLimitMb?: number; level: string; msg: string });
  const r = run({ LOG_LEVEL: 'debug', HUB_HEAP_MB: '' }, ...args);
  assert.is(r.code, 1);
  const proc = lines(r).find((l) => l.pid !== undefined);
  assert.ok(proc, r.err);
  assert.is(proc.pid, r.pid); // sh exec'd node: the process we started is the harvester itself
  // old space 256 MB plus the young generation (8 MB semi-spaces)
  assert.ok(proc.heapLimitMb! >= 256 && proc.heapLimitMb! < 300, `heap limit ${proc.heapLimitMb} MB`);
  assert.match(r.err, /Elasticsearch does not answer at http:\/\/127\.0\.0\.1:9/);

  const bigger = lines(run({ LOG_LEVEL: 'debug', HUB_HEAP_MB: '512' }, ...args)).find((l) => l.pid !== undefined);
  assert.ok(bigger!.heapLimitMb! >= 512 && bigger!.heapLimitMb! < 560, `heap limit ${bigger!.heapLimitMb} MB`);

  const bad = run({ HUB_HEAP_MB: 'lots' }, ...args);
  assert.is(bad.code, 2);
  assert.match(bad.err, /HUB_HEAP_MB must be a whole number/);
});

test.run();
