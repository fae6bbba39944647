/**
 * The STAC extensions' own examples (test/fixtures/stac/extensions, the stac-extensions repositories' examples/):
 * each maps, and what DCAT-AP has a home for arrives there, checked against the values the example file holds (read
 * from the file in the test). The Version extension's links no example holds (predecessor-version,
 * successor-version, version-history) are added in the test to copies of its real MERRAclim example, as its next
 * version would write them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { stacToRecord, type StacContext } from '../../mappings/stac/index.js';
import { EU_DATASET_STATUS } from '../../mappings/stac/versions.js';
import { dcElements } from '../../mappings/oai-dc.js';
import { toDataCite } from '../../mappings/datacite.js';
import { recordFeature } from '../../pipelines/ogc-records.js';
import { validateRecord } from '../../schemas/validate.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { warningLine } from '../../core/warnings.js';

type J = Record<string, any>;
const DIR = projectPath('test', 'fixtures', 'stac', 'extensions');
const read = (f: string): J => JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8'));
const HARVESTED = '2026-12-07T21:00:00Z';
const hrefOf = (json: J, rel: string): string[] => (json.links as J[]).filter((l) => l.rel === rel).map((l) => l.href as string);

function map(json: J, more: Partial<StacContext> = {}): { record: HubRecord; warnings: string[] } {
  const out = stacToRecord(json, { source: 'ext', harvestedAt: HARVESTED, sourceUrl: hrefOf(json, 'self')[0], ...more });
  assert.equal(validateRecord(out.record), [], 'the record is valid');
  return { record: out.record, warnings: out.warnings.map(warningLine) };
}

test('every example maps to a valid record', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 8, `${files.length} examples`);
  for (const f of files) {
    const json = read(f);
    const { record } = map(json);
    assert.ok(record.identifier.endsWith(json.id as string), f);
  }
});

// ------------------------------------------------------------------------------------------------------ versions

test('Version extension, a deprecated collection: version, adms:status DEPRECATED, its latest version replaces it', () => {
  const json = read('version-collection.json');
  assert.is(json.deprecated, true);
  const { record } = map(json);
  assert.is(record.version, json.version);
  assert.is(record.status?.['@id'], `${EU_DATASET_STATUS}/DEPRECATED`);
  assert.is(record.status?.inScheme?.['@id'], EU_DATASET_STATUS);
  assert.equal(record.isReplacedBy, hrefOf(json, 'latest-version'));
  assert.is(record.hasCurrentVersion, undefined);
  assert.is(record.hasVersion, undefined);
});

test('Version extension in OGC API - Records: the versions as the IANA relations STAC wrote them', () => {
  const opts = { apiUrl: 'http://hub.example/ogcapi', serverUrl: 'http://hub.example', collectionId: 'catalogue' };
  const rels = (json: J, more: Partial<StacContext> = {}) =>
    (recordFeature(map(json, more).record, opts).links as { rel: string; href: string }[])
      .filter((l) => l.rel.endsWith('-version'))
      .map((l) => [l.rel, l.href])
      .sort();
  const item = read('version-item.json');
  const collection = read('version-collection.json');
  const want = (json: J, ...names: [string, string][]) => names.flatMap(([from, to]) => hrefOf(json, from).map((h) => [to, h])).sort();
  assert.equal(
    rels(item),
    want(
      item,
      ['latest-version', 'latest-version'],
      ['predecessor-version', 'predecessor-version'],
      ['successor-version', 'successor-version'],
    ),
  );
  // in its deprecated collection its latest version is the record replacing it: a successor
  assert.equal(
    rels(item, { collection }),
    want(
      item,
      ['latest-version', 'successor-version'],
      ['predecessor-version', 'predecessor-version'],
      ['successor-version', 'successor-version'],
    ),
  );
  assert.ok(rels(collection).length > 0, 'the collection links its versions too');
});

test('Version extension, an item: its latest version is its current one, unless its collection is deprecated', () => {
  const item = read('version-item.json');
  const latest = hrefOf(item, 'latest-version');
  assert.is(latest.length, 1);
  // alone: nothing says it is superseded
  const alone = map(item).record;
  assert.is(alone.version, item.properties.version);
  assert.equal(alone.hasCurrentVersion, latest);
  assert.equal(alone.hasVersion, latest);
  assert.is(alone.isReplacedBy, undefined);
  assert.is(alone.status, undefined);
  // found in its deprecated collection: the collection's deprecation is about all the data it references
  const collection = read('version-collection.json');
  const inCollection = map(item, { collection }).record;
  assert.is(inCollection.status?.['@id'], `${EU_DATASET_STATUS}/DEPRECATED`);
  assert.equal(inCollection.isReplacedBy, latest);
  assert.is(inCollection.hasCurrentVersion, undefined);
  // its about links stay pages (one is marked deprecated: the link is still given)
  for (const href of hrefOf(item, 'about'))
    assert.ok(
      alone.page?.some((p) => p['@id'] === href),
      href,
    );
});

/** The MERRAclim collection's version 2, as the extension's best practice writes it: its predecessor linked. */
function secondVersion(): { v1: J; v2: J } {
  const v1 = read('version-collection.json');
  const v2 = structuredClone(v1);
  const v2href = hrefOf(v1, 'latest-version')[0];
  v2.version = '2';
  delete v2.deprecated;
  v2.links = [
    ...(v1.links as J[]).filter((l) => l.rel !== 'self' && l.rel !== 'latest-version'),
    { rel: 'self', href: v2href },
    // the latest version names itself: no relation
    { rel: 'latest-version', href: v2href },
    { rel: 'predecessor-version', href: hrefOf(v1, 'self')[0] },
    { rel: 'version-history', href: v2href.replace(/v2\/collection\.json$/, 'CHANGELOG.md'), type: 'text/markdown' },
  ];
  return { v1, v2 };
}

test('predecessor-version → dcat:previousVersion, version-history → a page, a link to itself relates nothing', () => {
  const { v1, v2 } = secondVersion();
  const { record } = map(v2);
  assert.is(record.version, '2');
  assert.equal(record.previousVersion, hrefOf(v1, 'self'));
  assert.is(record.hasCurrentVersion, undefined);
  assert.is(record.isReplacedBy, undefined);
  assert.is(record.status, undefined);
  assert.ok(record.page?.some((p) => p['@id'] === hrefOf(v2, 'version-history')[0]));
});

test('successor-version → dct:isReplacedBy, with the latest version; a deprecated that is no boolean is said', () => {
  const { v2 } = secondVersion();
  const v1 = read('version-collection.json');
  v1.deprecated = 'yes';
  v1.links.push({ rel: 'successor-version', href: hrefOf(v2, 'self')[0] });
  const { record, warnings } = map(v1);
  assert.equal(record.isReplacedBy, [...new Set([...hrefOf(v1, 'successor-version'), ...hrefOf(v1, 'latest-version')])]);
  assert.is(record.status, undefined);
  assert.ok(
    warnings.some((w) => w.startsWith('deprecated: ') && w.includes('"yes"')),
    warnings.join('\n'),
  );
});

test('the versions reach oai_dc (dc:relation) and DataCite (IsNewVersionOf, IsObsoletedBy, HasVersion)', () => {
  const { v1, v2 } = secondVersion();
  const older = map(read('version-collection.json')).record;
  const newer = map(v2).record;
  const current = map(read('version-item.json')).record;
  const relations = (r: HubRecord) => dcElements(r).flatMap((e) => (e.name === 'relation' ? [e.value] : []));
  assert.ok(relations(newer).includes(hrefOf(v1, 'self')[0]));
  assert.ok(relations(older).includes(hrefOf(v1, 'latest-version')[0]));
  const related = (r: HubRecord, type: string): string[] =>
    [...(toDataCite(r, 'openaire') ?? '').matchAll(new RegExp(`<relatedIdentifier [^>]*relationType="${type}"[^>]*>([^<]+)<`, 'g'))].map(
      (m) => m[1],
    );
  assert.equal(related(newer, 'IsNewVersionOf'), hrefOf(v1, 'self'));
  assert.equal(related(older, 'IsObsoletedBy'), hrefOf(v1, 'latest-version'));
  assert.equal(related(current, 'HasVersion'), hrefOf(read('version-item.json'), 'latest-version'));
  // each document valid against the DataCite 4.6 schema (its relationType list)
  const xsd = projectPath('schemas', 'xsd', 'datacite', 'kernel-4.6', 'metadata.xsd');
  for (const r of [older, newer, current]) {
    const lint = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input: toDataCite(r, 'openaire'), encoding: 'utf8' });
    assert.is(lint.status, 0, lint.stderr);
  }
});

// ------------------------------------------------------------------------------------------ the other extensions

const EPSG = 'http://www.opengis.net/def/crs/EPSG/0/';

test('Projection: proj:code of the item and of its assets → conformsTo, the OGC IRI of the reference system', () => {
  const json = read('projection-item.json');
  const codes = [json.properties['proj:code'], ...Object.values(json.assets as J).map((a: J) => a['proj:code'])].filter(
    (c): c is string => typeof c === 'string',
  );
  assert.ok(codes.length > 0);
  const { record } = map(json);
  assert.equal(
    record.conformsTo,
    [...new Set(codes.map((c) => EPSG + c.replace(/^EPSG:/, '')))].map((id) => ({ '@id': id, '@type': 'dct:Standard' })),
  );
});

test('Raster: the spatial resolution of each asset and band in metres → gsd, the finest dcat:spatialResolutionInMeters', () => {
  const json = read('raster-item-sentinel2.json');
  const assets = Object.values(json.assets as J) as J[];
  const given = [json.properties.gsd, ...assets.flatMap((a) => [a.gsd, a['raster:spatial_resolution']])].filter(
    (v): v is number => typeof v === 'number',
  );
  assert.ok(new Set(given).size > 1, 'the example has several resolutions');
  const { record } = map(json);
  assert.equal(
    [...(record.gsd ?? [])].sort((a, b) => a - b),
    [...new Set(given)].sort((a, b) => a - b),
  );
  assert.is(record.spatialResolutionInMeters, String(Math.min(...given)));
  assert.equal(record.conformsTo, [{ '@id': EPSG + String(json.properties['proj:code']).replace(/^EPSG:/, ''), '@type': 'dct:Standard' }]);
});

test('Processing: processing:lineage → dct:provenance; processing:level stays the processing level', () => {
  const json = read('processing-item.json');
  const { record } = map(json);
  assert.equal(record.provenance, [{ '@type': 'dct:ProvenanceStatement', label: { '@none': json.properties['processing:lineage'] } }]);
  assert.equal(record.processingLevel, [json.properties['processing:level']]);
});

test("Scientific: a collection's own DOI is its identifier; its summaries' DOIs and papers are its items', not its own", () => {
  const collection = read('scientific-collection-summaries.json');
  const own = hrefOf(collection, 'cite-as');
  assert.ok(collection.summaries['sci:doi'].length > 0, "the summaries list the items' DOIs");
  const c = map(collection).record;
  assert.equal(
    c.otherIdentifier?.map((i) => i.notation),
    own,
  );
  assert.is(c.isReferencedBy, undefined);
  // the item: its DOI, the publications it names (the collection's DOI among them), its citation link
  const item = read('scientific-item.json');
  const i = map(item).record;
  assert.equal(
    i.otherIdentifier?.map((x) => x.notation),
    [`https://doi.org/${item.properties['sci:doi']}`],
  );
  assert.equal(
    i.isReferencedBy,
    (item.properties['sci:publications'] as J[]).map((p) => `https://doi.org/${p.doi}`),
  );
});

test('File and Timestamps: file:size → the distribution byteSize, published → dct:issued', () => {
  const files = read('file-item.json');
  const r = map(files).record;
  let checked = 0;
  for (const [key, a] of Object.entries(files.assets as Record<string, J>)) {
    // a thumbnail (by role, or keyed so without roles) is a depiction, not a distribution
    if (typeof a['file:size'] !== 'number' || key === 'thumbnail' || (a.roles as string[] | undefined)?.includes('thumbnail')) continue;
    checked++;
    const d = r.distribution?.find((x) => x.accessURL.endsWith(a.href.replace(/^\.\//, '')));
    assert.is(d?.byteSize, a['file:size'], a.href);
  }
  assert.ok(checked > 0);
  const stamps = read('timestamps-item.json');
  assert.is(map(stamps).record.issued?.['@value'], stamps.properties.published);
});

test('File: file:checksum, a multihash, is the distribution spdx:checksum when SPDX names its algorithm', () => {
  // the example's multihashes are BLAKE2b-128 (code 0xb210, "90e402" then the length 0x10): SPDX has no such algorithm
  const files = read('file-item.json');
  assert.ok(
    Object.values(files.assets as Record<string, J>).every(
      (a) => a['file:checksum'] === undefined || a['file:checksum'].startsWith('90e40210'),
    ),
  );
  assert.ok((map(files).record.distribution ?? []).every((d) => d.checksum === undefined));
  // the same assets with SHA-256, SHA-512 and MD5 multihashes (code, length, digest), the digests computed here
  const digests: Record<string, [string, string]> = {};
  const hashed = structuredClone(files);
  const codes = [
    ['1220', 'sha256'],
    ['1340', 'sha512'],
    ['d50110', 'md5'],
  ];
  // (the thumbnail is a depiction, not a distribution: left out here)
  Object.entries(hashed.assets as Record<string, J>)
    .filter(([key, a]) => a['file:checksum'] !== undefined && key !== 'thumbnail')
    .forEach(([, a], i) => {
      const [prefix, algorithm] = codes[i % codes.length];
      const digest = createHash(algorithm).update(a.href).digest('hex');
      a['file:checksum'] = prefix + digest;
      digests[a.href.replace(/^\.\//, '')] = [algorithm, digest];
    });
  const r = map(hashed).record;
  const seen = Object.entries(digests).map(([href, [algorithm, digest]]) => {
    const d = r.distribution?.find((x) => x.accessURL.endsWith(href));
    assert.equal(d?.checksum, {
      '@type': 'spdx:Checksum',
      algorithm: { '@id': `http://spdx.org/rdf/terms#checksumAlgorithm_${algorithm}`, '@type': 'spdx:ChecksumAlgorithm' },
      checksumValue: digest,
    });
    return algorithm;
  });
  assert.equal(new Set(seen), new Set(['sha256', 'sha512', 'md5']));
  assert.equal(validateRecord(r), []);
  // a multihash whose length byte does not match its digest is no checksum
  const cut = structuredClone(hashed);
  for (const a of Object.values(cut.assets as Record<string, J>))
    if (a['file:checksum']) a['file:checksum'] = a['file:checksum'].slice(0, -2);
  assert.ok((map(cut).record.distribution ?? []).every((d) => d.checksum === undefined));
});

test.run();
