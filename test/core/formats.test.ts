/**
 * The one format detection (core/formats.ts) on real documents, and the edge cases the three former detections
 * disagreed on. The mapping stage (pipelines/map.ts detectFormat), the STAC harvesters and crosswalk (stacKind) and
 * `harvester map` (pipelines/files.ts) all answer from it: the last tests check that they agree.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeJson, jsonKind, recordFormat, stacKind, xmlRecordFormat, isoFlavour } from '../../core/formats.js';
import { rootInfo } from '../../core/xml.js';
import { stacKind as crosswalkStacKind } from '../../mappings/stac/index.js';
import { detectFormat } from '../../pipelines/map.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { splitRecords } from '../../harvesters/csw/records.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const xml = (...p: string[]) => readFileSync(sharedFixture(...p), 'utf8');
const json = (...p: string[]) => JSON.parse(readFileSync(sharedFixture(...p), 'utf8')) as Record<string, unknown>;
const files = (dir: string) => readdirSync(sharedFixture(dir)).filter((f) => /\.(xml|json)$/.test(f));

test('ISO 19139 and 19115-2 records: iso19139 (flavours told apart); ISO 19115-3: iso19115-3', () => {
  const seen: Record<string, string[]> = {};
  for (const f of files('iso19139')) {
    const text = xml('iso19139', f);
    assert.is(xmlRecordFormat(text), 'iso19139', f);
    (seen[isoFlavour(rootInfo(text), text)!] ??= []).push(f);
  }
  assert.ok(
    seen['iso19115-2']?.includes('owslib-iso_mi.xml') && seen['iso19115-2'].includes('pycsw-apiso-iso_19115-2_Sentinel-2-scene.xml'),
    JSON.stringify(seen),
  );
  assert.ok(seen['iso19139'].includes('owslib-iso_che.xml')); // a profile root (che:CHE_MD_Metadata) holding gmd content
  for (const f of files('iso19115-3')) assert.is(xmlRecordFormat(xml('iso19115-3', f)), 'iso19115-3', f);
});

test('a 19115-3 profile record naming the gmd namespace in a link is 19115-3; a gmd:DS_Series is an ISO record', () => {
  const own = (f: string) => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');
  const che = own('geocat-grundwasservorkommen-19115-3.che.xml');
  assert.is(isoFlavour(rootInfo(che), che), 'iso19115-3');
  assert.is(xmlRecordFormat(che), 'iso19115-3');
  const series = own('nkn-challis-lidar-DS_Series.xml'); // its seriesMetadata is a gmi:MI_Metadata
  assert.is(isoFlavour(rootInfo(series), series), 'iso19115-2');
  assert.is(xmlRecordFormat(series), 'iso19139');
});

test('CSW responses: not a record themselves; each record split from them is labelled like a bare one', () => {
  for (const f of files('csw')) assert.is(xmlRecordFormat(xml('csw', f)), undefined, f);
  const page = splitRecords(xml('csw', 'pycsw-apiso-GetRecords-all.xml'));
  assert.is(page.records.length, 5);
  for (const r of page.records) assert.is(recordFormat(r.xml), r.format, r.id);
  assert.is(xmlRecordFormat('<html><body>login</body></html>'), undefined);
  assert.is(xmlRecordFormat('not xml at all'), undefined);
});

test('STAC catalog, collections and items, and API pages', () => {
  const expected: Record<string, string> = {
    'catalog.json': 'stac-catalog',
    'collection.json': 'stac-collection',
    'collection-only_collection.json': 'stac-collection',
    'collection-only_collection-with-schemas.json': 'stac-collection',
    'extensions-collection_collection.json': 'stac-collection',
    'core-item.json': 'stac-item',
    'simple-item.json': 'stac-item',
    'extended-item.json': 'stac-item',
    'collectionless-item.json': 'stac-item',
    'extensions-collection_proj-example_proj-example.json': 'stac-item',
  };
  assert.equal(files('stac').sort(), Object.keys(expected).sort());
  for (const [f, kind] of Object.entries(expected)) {
    assert.is(stacKind(json('stac', f)), kind, f);
    assert.is(jsonKind(json('stac', f)), kind, f);
    assert.is(recordFormat(json('stac', f)), kind, f);
  }
  const item = json('stac', 'core-item.json');
  assert.is(jsonKind({ type: 'FeatureCollection', features: [item, item], links: [] }), 'stac-items');
  assert.is(jsonKind({ type: 'FeatureCollection', features: [] }), 'stac-items');
  assert.is(jsonKind({ collections: [json('stac', 'collection.json')], links: [] }), 'stac-collections');
  assert.is(recordFormat({ collections: [] }), undefined); // a page is not a record
  // before 1.0.0-rc.1: no type; an extent makes a collection
  assert.is(stacKind({ stac_version: '0.9.0', id: 'c', extent: {}, license: 'x' }), 'stac-collection');
  assert.is(stacKind({ stac_version: '0.9.0', id: 'c', links: [] }), 'stac-catalog');
});

test('OZCAR pivot files (the invalid ones too: the harvester says what is wrong) and one dataset of them', () => {
  for (const f of files('ozcar')) assert.is(jsonKind(json('ozcar', f)), 'ozcar-pivot', f);
  // the official importer's invalid examples: whole files (the harvester says what is wrong), and parts of one
  const invalid: Record<string, string | undefined> = {
    'CATC_en_invalidFormat.json': 'ozcar-pivot', // "versions" instead of "version": still a pivot file, refused with a hint
    'CATC_en_wrong_category.json': 'ozcar-pivot',
    'dataset_missingDatasetTitle.json': 'ozcar-dataset',
    'observation_WrongDatatype.json': undefined, // one observation alone
    'producer_badUrl.json': undefined, // one producer alone
  };
  for (const [f, kind] of Object.entries(invalid)) assert.is(jsonKind(json('ozcar', 'invalid', f)), kind, f);
  const dataset = (json('ozcar', 'TOUR_en.json').datasets as unknown[])[0] as Record<string, unknown>;
  assert.is(jsonKind(dataset), 'ozcar-dataset');
  assert.is(recordFormat(dataset), 'ozcar-dataset');
});

test('edge cases: a GeoJSON Feature without stac_version is not STAC; a Catalog with an extent is a catalog; package.json is nothing we know', () => {
  const feature = { type: 'Feature', id: 'f', geometry: { type: 'Point', coordinates: [0, 0] }, properties: {} };
  for (const detect of [stacKind, jsonKind, crosswalkStacKind, recordFormat, detectFormat])
    assert.is(detect(feature), undefined, detect.name);
  assert.is(jsonKind({ type: 'FeatureCollection', features: [feature] }), undefined);
  const catalog = { ...json('stac', 'catalog.json'), extent: { spatial: { bbox: [[0, 0, 1, 1]] } } };
  for (const detect of [stacKind, jsonKind, crosswalkStacKind, recordFormat, detectFormat])
    assert.is(detect(catalog), 'stac-catalog', detect.name);
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8'));
  assert.is(jsonKind(pkg), undefined);
  assert.is(detectFormat(pkg), undefined);
  assert.match(
    describeJson(pkg),
    /^a JSON object with keys name, version, description, type, license, engines, \.\.\., not a document this harvester reads \(expected ISO 19139, 19115-2 or 19115-3 XML, a CSW response or csw:Record \(Dublin Core\), a STAC catalog, collection, item or API page, or an OZCAR pivot file\)$/,
  );
  assert.match(describeJson(feature), /^a GeoJSON Feature without stac_version \(not a STAC item\), not a document/);
  assert.match(describeJson([1]), /^a JSON array, not a document/);
  // gdalinfo -json output (pystac's tests) has a "metadata" key: no OZCAR dataset ("give the pivot file that holds it")
  const gdalinfo = JSON.parse(readFileSync(projectPath('test', 'fixtures', 'stac', 'other', 'pystac-gdalinfo.json'), 'utf8'));
  assert.is(jsonKind(gdalinfo), undefined);
  assert.match(describeJson(gdalinfo), /^a JSON object with keys description, driverShortName, .*not a document this harvester reads/);
});

test('harvester map reads files by the same detection: package.json says what was expected, a bare Feature too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'formats-'));
  const read = async (file: string) => {
    try {
      for await (const _ of itemsFromFile(file, 'fx')) void _;
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.is(
    await read(projectPath('package.json')),
    `${projectPath('package.json')}: ${describeJson(JSON.parse(readFileSync(projectPath('package.json'), 'utf8')))}`,
  );
  assert.not.match(await read(projectPath('package.json')), /pivot format version/);
  writeFileSync(join(dir, 'feature.json'), JSON.stringify({ type: 'Feature', geometry: null, properties: {} }));
  assert.match(await read(join(dir, 'feature.json')), /a GeoJSON Feature without stac_version/);
  const dataset = (json('ozcar', 'TOUR_en.json').datasets as unknown[])[0];
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify(dataset));
  assert.match(await read(join(dir, 'dataset.json')), /one OZCAR dataset on its own/);
  // a collection file is one record, labelled by the same detection
  const items: string[] = [];
  for await (const item of itemsFromFile(sharedFixture('stac', 'collection.json'), 'fx'))
    if (item.kind === 'record') items.push(item.raw.format!);
  assert.equal(items, ['stac-collection']);
});

test.run();
