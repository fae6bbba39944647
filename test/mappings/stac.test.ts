/**
 * The STAC crosswalk on EVERY file of /work/shared/fixtures/stac (stac-spec 1.1 examples), each record checked against
 * the values the file holds (read from the file in the test), and validated against schemas/record.schema.json. Then
 * the older forms and the broken cases, on copies of the same files altered in the test.
 */
import { licenseFromText } from '../../core/vocab.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stacToRecord, stacKind, type StacContext } from '../../mappings/stac/index.js';
import { RecordError, SkipRecord } from '../../core/result.js';
import { hubId, recordIri, type HubRecord } from '../../schemas/record.js';
import { validateRecord } from '../../schemas/validate.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { warningLine } from '../../core/warnings.js';

type J = Record<string, any>;
const DIR = sharedFixture('stac');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const read = (f: string): J => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const broken = (f: string): J => JSON.parse(readFileSync(projectPath('test', 'fixtures', 'stac', 'broken', f), 'utf8'));
const clone = <T>(x: T): T => structuredClone(x);
const SOURCE = 'stac-examples';
const HARVESTED = '2026-11-25T10:00:00Z';
const ctx = (f: string, more: Partial<StacContext> = {}): StacContext => ({
  source: SOURCE,
  harvestedAt: HARVESTED,
  sourceUrl: `https://example.org/stac/${f}`,
  ...more,
});

/** Maps and checks the record is valid against the shared schema. */
function map(json: unknown, c: StacContext): { record: HubRecord; warnings: string[] } {
  const out = stacToRecord(json, c);
  assert.equal(validateRecord(out.record), [], 'the record is valid');
  // each warning as `field: message` (the STAC field it is about first)
  return { record: out.record, warnings: out.warnings.map(warningLine) };
}

/** [w, s, e, n] of a WKT box POLYGON((w s,e s,e n,w n,w s)). */
function wktBox(wkt: string): number[] {
  const pts = [...wkt.matchAll(/(-?[\d.]+(?:e-?\d+)?) (-?[\d.]+(?:e-?\d+)?)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return [pts[0][0], pts[0][1], pts[2][0], pts[2][1]];
}
const box2d = (b: number[]): number[] => (b.length === 6 ? [b[0], b[1], b[3], b[4]] : b);
const names = (agents: { name: Record<string, string> }[] | undefined) => (agents ?? []).map((a) => a.name['@none']);
const iana = (t: string) => 'https://www.iana.org/assignments/media-types/' + t.split(';')[0].trim();

// ---------------------------------------------------------------------------------------------------------------
// Every fixture file

test('every fixture file is a collection, an item or a catalog, and maps (or is skipped) accordingly', () => {
  assert.ok(FILES.length >= 10, `the fixture folder has its files (${FILES.length})`);
  for (const f of FILES) {
    const json = read(f);
    const kind = stacKind(json);
    if (json.type === 'Catalog') {
      assert.is(kind, 'stac-catalog');
      assert.throws(
        () => stacToRecord(json, ctx(f)),
        (e: unknown) => e instanceof SkipRecord,
        `${f}: a catalog is skipped`,
      );
      continue;
    }
    assert.is(kind, json.type === 'Collection' ? 'stac-collection' : 'stac-item', f);
    const { record } = map(json, ctx(f));
    const id = json.type === 'Collection' || !json.collection ? json.id : `${json.collection}/${json.id}`;
    assert.is(record.identifier, hubId(SOURCE, id), `${f}: identifier`);
    assert.is(record['@id'], recordIri(SOURCE, id), `${f}: @id`);
    assert.is(record.isPrimaryTopicOf.identifier, id);
    assert.is(record.isPrimaryTopicOf.sourceFormat, json.type === 'Collection' ? 'stac-collection' : 'stac-item');
    const spec = json.type === 'Collection' ? 'collection-spec/json-schema/collection.json' : 'item-spec/json-schema/item.json';
    assert.equal(record.isPrimaryTopicOf.conformsTo, {
      '@id': `https://schemas.stacspec.org/v${json.stac_version}/${spec}`,
      '@type': 'dct:Standard',
    });
    assert.is(record.isPrimaryTopicOf.sourceUrl, `https://example.org/stac/${f}`);
    assert.is(record.isPrimaryTopicOf.harvestedAt['@value'], HARVESTED);
    assert.match(record.isPrimaryTopicOf.contentHash, /^[0-9a-f]{64}$/);
    const title = json.type === 'Collection' ? json.title : json.properties.title;
    assert.is(record.title['@none'], title ?? json.id, `${f}: title`);
    const description = json.type === 'Collection' ? json.description : json.properties.description;
    assert.is(record.description?.['@none'], description?.trim(), `${f}: description (trimmed)`);
  }
});

for (const f of FILES.filter((f) => read(f).type === 'Collection')) {
  test(`collection ${f}: extent, licence, providers, summaries, assets`, () => {
    const json = read(f);
    const { record } = map(json, ctx(f));
    // every bbox, the first being the overall box
    const bboxes: number[][] = json.extent.spatial.bbox;
    assert.is(record.spatial!.length, bboxes.length);
    bboxes.forEach((b, i) => assert.equal(wktBox(record.spatial![i].bbox!['@value']), box2d(b), `bbox ${i}`));
    // every interval, null ends open
    const intervals: (string | null)[][] = json.extent.temporal.interval;
    assert.is(record.temporal!.length, intervals.length);
    intervals.forEach(([start, end], i) => {
      assert.is(record.temporal![i].startDate?.['@value'], start ?? undefined, `interval ${i} start`);
      assert.is(record.temporal![i].endDate?.['@value'], end ?? undefined, `interval ${i} end`);
    });
    assert.equal(record.keyword?.['@none'] ?? [], json.keywords ?? []);
    // licence: an SPDX id, else the license links
    const licenseLinks = json.links.filter((l: J) => l.rel === 'license');
    if (json.license === 'other') {
      assert.equal(
        record.license!.map((l) => l['@id']),
        licenseLinks.map((l: J) => l.href),
      );
      assert.equal(
        record.license!.map((l) => l.label?.['@none']),
        licenseLinks.map((l: J) => l.title),
      );
    } else {
      // a licence vocab.ts knows gets its canonical IRI (the same as from ISO and OZCAR), else the SPDX page
      assert.equal(
        record.license!.map((l) => l['@id']),
        [licenseFromText(json.license) ?? `https://spdx.org/licenses/${json.license}`],
      );
    }
    // providers by role, every role in the attributions, url as homepage
    const providers: J[] = json.providers ?? [];
    const withRole = (r: string) => providers.filter((p) => p.roles.includes(r)).map((p) => p.name);
    assert.equal(names(record.creator), withRole('producer'));
    assert.equal(names(record.rightsHolder), withRole('licensor'));
    assert.is(record.publisher?.name['@none'], withRole('host')[0]);
    assert.is(
      record.qualifiedAttribution?.length ?? 0,
      providers.reduce((n, p) => n + p.roles.length, 0),
    );
    for (const p of providers) {
      const attributed = record.qualifiedAttribution!.filter((a) => a.agent.name['@none'] === p.name);
      assert.equal(
        attributed.map((a) => a.agent.homepage),
        p.roles.map(() => p.url),
        `${p.name}: homepage`,
      );
    }
    // summaries: arrays, ranges and JSON Schema forms
    const values = (s: J | undefined): unknown[] =>
      s === undefined
        ? []
        : Array.isArray(s)
          ? s
          : 'const' in s
            ? [s.const]
            : s.oneOf
              ? s.oneOf.map((o: J) => o.const)
              : [s.minimum, s.maximum];
    const sum = json.summaries ?? {};
    assert.equal(record.platform ?? [], [...new Set([...values(sum.platform), ...values(sum.constellation)])]);
    assert.equal(record.instrument ?? [], values(sum.instruments));
    const gsd = [...new Set([...values(sum.gsd), ...(sum.bands ?? []).map((b: J) => b.gsd).filter((x: unknown) => x !== undefined)])];
    assert.equal(record.gsd ?? [], gsd);
    // DCAT-AP allows one resolution: the finest gsd, as a decimal (gsd keeps them all)
    assert.is(record.spatialResolutionInMeters, gsd.length ? String(Math.min(...(gsd as number[]))) : undefined);
    assert.equal(
      (record.variableMeasured ?? []).map((v) => v.name['@none']),
      (sum.bands ?? []).map((b: J) => b.name ?? b.title),
    );
    // assets → distributions with IANA media types
    const assets = Object.values<J>(json.assets ?? {});
    assert.equal(
      (record.distribution ?? [])
        .filter((d) => d.downloadURL)
        .map((d) => [d.accessURL, d.mediaType?.['@id'], d.title?.['@none'], d.function]),
      assets.map((a) => [a.href, iana(a.type), a.title, a.roles[0]]),
    );
  });
}

test('collection.json: bands of the eo summaries, wavelengths in the descriptions', () => {
  const json = read('collection-only_collection.json');
  const { record } = map(json, ctx('collection-only_collection.json'));
  for (const band of json.summaries.bands as J[]) {
    const v = record.variableMeasured!.find((x) => x.name['@none'] === band.name)!;
    assert.ok(v, band.name);
    assert.ok(v.description!['@none'].includes(`centre wavelength ${band['eo:center_wavelength']} µm`), band.name);
    if (band['eo:common_name']) assert.ok(v.description!['@none'].includes(`common name ${band['eo:common_name']}`));
  }
});

for (const f of FILES.filter((f) => read(f).type === 'Feature')) {
  test(`item ${f}: geometry, datetime, assets, links, facets`, () => {
    const json = read(f);
    const { record, warnings } = map(json, ctx(f));
    const p = json.properties;
    // geometry → bbox (the item's bbox) + GeoJSON literal
    assert.equal(wktBox(record.spatial![0].bbox!['@value']), box2d(json.bbox));
    assert.equal(JSON.parse(record.spatial![0].geometry!['@value']), json.geometry);
    assert.is(record.spatial![0].geometry!['@type'], 'gsp:geoJSONLiteral');
    // datetime, else start_datetime / end_datetime
    const t = record.temporal![0];
    assert.is(t.startDate!['@value'], p.start_datetime ?? p.datetime);
    assert.is(t.endDate!['@value'], p.end_datetime ?? p.datetime);
    // isPartOf its collection's record
    if (json.collection) assert.equal(record.isPartOf, [recordIri(SOURCE, json.collection)]);
    else
      assert.ok(
        warnings.some((w) => w.includes('no collection')),
        'a collectionless item is said',
      );
    // thumbnails are depictions, not distributions; other assets are downloads with their media type
    const assets = Object.entries<J>(json.assets);
    const thumbs = assets.filter(([, a]) => a.roles?.includes('thumbnail')).map(([, a]) => a.href);
    assert.equal(record.depiction ?? [], thumbs);
    const downloads = assets.filter(([, a]) => !a.roles?.includes('thumbnail'));
    assert.equal(
      record.distribution!.filter((d) => d.downloadURL).map((d) => [d.downloadURL, d.mediaType?.['@id'], d.title?.['@none']]),
      downloads.map(([, a]) => [a.href, a.type ? iana(a.type) : undefined, a.title]),
    );
    // alternate HTML link → landing page
    const html = json.links.filter((l: J) => l.rel === 'alternate' && l.type === 'text/html').map((l: J) => l.href);
    assert.equal(
      (record.landingPage ?? []).map((p) => p['@id']),
      html,
    );
    // facets
    assert.equal(record.platform ?? [], [p.platform, p.constellation].filter(Boolean));
    assert.equal(record.instrument ?? [], p.instruments ?? []);
    assert.equal(record.gsd ?? [], p.gsd !== undefined ? [p.gsd] : []);
    assert.equal(record.keyword?.['@none'] ?? [], [...(p.keywords ?? []), ...(p.mission ? [p.mission] : [])]);
    // STAC created/updated date the metadata: the catalogue record
    // the item's own date, else (DCAT-AP requires one) when the hub wrote its entry: the harvest time
    assert.is(record.isPrimaryTopicOf.modified['@value'], p.updated ?? p.created ?? record.isPrimaryTopicOf.harvestedAt['@value']);
  });
}

test('extended-item: sci:doi → otherIdentifier (https://doi.org IRI), bands of the assets → variables (once each)', () => {
  const json = read('extended-item.json');
  const { record } = map(json, ctx('extended-item.json'));
  assert.equal(record.otherIdentifier, [
    { '@type': 'adms:Identifier', notation: `https://doi.org/${json.properties['sci:doi']}`, schemaAgency: 'DOI' },
  ]);
  const bandNames = [...new Set(Object.values(json.assets as Record<string, J>).flatMap((a) => (a.bands ?? []).map((b: J) => b.name)))];
  assert.equal(
    record.variableMeasured!.map((v) => v.name['@none']),
    bandNames,
  );
  const blue = json.assets.analytic.bands.find((b: J) => b['eo:common_name'] === 'blue');
  const v = record.variableMeasured!.find((x) => x.name['@none'] === blue.name)!;
  assert.ok(v.description!['@none'].includes(`centre wavelength ${blue['eo:center_wavelength']} µm`));
});

test('collectionless-item: licence "other" → its license link; providers in properties', () => {
  const json = read('collectionless-item.json');
  const { record } = map(json, ctx('collectionless-item.json'));
  const link = json.links.find((l: J) => l.rel === 'license');
  assert.equal(record.license, [{ '@id': link.href, '@type': 'dct:LicenseDocument', label: { '@none': link.title } }]);
  assert.equal(
    names(record.creator),
    json.properties.providers.filter((p: J) => p.roles.includes('producer')).map((p: J) => p.name),
  );
  assert.is(record.identifier, hubId(SOURCE, json.id));
  // no collection: isPartOf is its parent link (a catalog), resolved against the document location
  assert.equal(record.isPartOf, [
    new URL(json.links.find((l: J) => l.rel === 'parent').href, 'https://example.org/stac/collectionless-item.json').href,
  ]);
  // the duplicated band names of the file give one variable each
  assert.equal(
    record.variableMeasured!.map((v) => v.name['@none']),
    [...new Set(json.assets.analytic.bands.map((b: J) => b.name))],
  );
});

test('an item inherits licence and providers from the collection it was found in; a different `collection` is said', () => {
  const collection = read('extensions-collection_collection.json');
  const item = read('extensions-collection_proj-example_proj-example.json');
  const { record, warnings } = map(item, ctx('proj-example.json', { collection }));
  assert.is(record.isPrimaryTopicOf.identifier, `${collection.id}/${item.id}`, 'the collection it was found in');
  assert.equal(record.isPartOf, [recordIri(SOURCE, collection.id)]);
  assert.ok(
    warnings.some((w) => w.includes(item.collection) && w.includes(collection.id)),
    'the mismatch is reported',
  );
  const link = collection.links.find((l: J) => l.rel === 'license');
  assert.equal(
    record.license!.map((l) => l['@id']),
    [link.href],
  );
  assert.equal(
    names(record.creator),
    collection.providers.map((p: J) => p.name),
  );
  assert.equal(
    names(record.rightsHolder),
    collection.providers.map((p: J) => p.name),
  );
  // its own bands (asset bands of 1.1)
  assert.equal(
    record.variableMeasured!.map((v) => v.name['@none']),
    ['B1', 'B8'],
  );
});

test('relative hrefs resolve against the document location, or its absolute self link', () => {
  const json = read('collection.json');
  const self = json.links.find((l: J) => l.rel === 'self').href;
  const withAsset = { ...clone(json), assets: { readme: { href: './README.md', type: 'text/markdown', roles: ['metadata'] } } };
  // read from a local file: the self link is the base
  let out = map(withAsset, ctx('x', { sourceUrl: '/tmp/stac/collection.json' }));
  assert.is(out.record.distribution![0].accessURL, new URL('./README.md', self).href);
  assert.is(out.record.isPrimaryTopicOf.sourceUrl, 'file:///tmp/stac/collection.json');
  // read over http: the location is the base
  out = map(withAsset, ctx('x', { sourceUrl: 'http://127.0.0.1:9/cat/collection.json' }));
  assert.is(out.record.distribution![0].accessURL, 'http://127.0.0.1:9/cat/README.md');
  // neither: the asset has no public IRI, left out with a warning
  const noSelf = { ...withAsset, links: json.links.filter((l: J) => l.rel !== 'self') };
  out = map(noSelf, ctx('x', { sourceUrl: '/tmp/stac/collection.json' }));
  assert.is(out.record.distribution, undefined);
  assert.ok(out.warnings.some((w) => w.startsWith('assets.readme')));
});

test('the content hash is stable across key order and whitespace, and changes with the content', () => {
  const json = read('collection-only_collection-with-schemas.json');
  const reversed = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(reversed)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .reverse()
              .map(([k, v]) => [k, reversed(v)]),
          )
        : x;
  const a = map(json, ctx('a')).record.isPrimaryTopicOf.contentHash;
  assert.is(map(reversed(json), ctx('a')).record.isPrimaryTopicOf.contentHash, a);
  const changed = clone(json);
  changed.extent.temporal.interval[0][1] = '2021-04-22T11:30:13.000000Z';
  assert.is.not(map(changed, ctx('a')).record.isPrimaryTopicOf.contentHash, a);
  // not the hash of the file text (whitespace differs), but of the canonical text
  assert.is.not(
    a,
    createHash('sha256')
      .update(readFileSync(join(DIR, 'collection-only_collection-with-schemas.json')))
      .digest('hex'),
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Older forms and variants (copies of the real files altered here)

test('STAC 0.9: no type, collection `properties` with eo:gsd / eo:platform / eo:instrument, licence proprietary', () => {
  const json = clone(read('collection-only_collection.json'));
  delete json.type;
  delete json.summaries;
  json.stac_version = '0.9.0';
  json.license = 'proprietary';
  json.properties = {
    'eo:gsd': 10,
    'eo:platform': 'sentinel-2a',
    'eo:instrument': 'msi',
    'eo:bands': [{ name: 'B1', common_name: 'coastal', center_wavelength: 0.4439 }],
  };
  const { record } = map(json, ctx('s2-0.9.json'));
  assert.is(stacKind(json), 'stac-collection');
  assert.equal(record.gsd, [10]);
  assert.equal(record.platform, ['sentinel-2a']);
  assert.equal(record.instrument, ['msi']);
  assert.equal(
    record.variableMeasured!.map((v) => v.name['@none']),
    ['B1'],
  );
  assert.ok(record.variableMeasured![0].description!['@none'].includes('common name coastal'));
  const link = json.links.find((l: J) => l.rel === 'license');
  assert.equal(
    record.license!.map((l) => [l['@id'], l.label?.['@none']]),
    [[link.href, link.title]],
  );
  assert.is(record.isPrimaryTopicOf.conformsTo?.['@id'], 'https://schemas.stacspec.org/v0.9.0/collection-spec/json-schema/collection.json');
});

test('licence "various" without a link → a label and a warning; an SPDX expression → one document per licence', () => {
  const json = clone(read('extensions-collection_collection.json'));
  json.license = 'various';
  json.links = json.links.filter((l: J) => l.rel !== 'license');
  let out = map(json, ctx('x'));
  assert.equal(out.record.license, [{ '@type': 'dct:LicenseDocument', label: { '@none': 'various' } }]);
  assert.ok(out.warnings.some((w) => w.includes('various')));
  json.license = 'CC-BY-4.0 OR (ODbL-1.0 AND CC0-1.0)';
  out = map(json, ctx('x'));
  assert.equal(
    out.record.license!.map((l) => l['@id']),
    [
      'https://creativecommons.org/licenses/by/4.0/',
      'https://opendatacommons.org/licenses/odbl/1-0/',
      'https://creativecommons.org/publicdomain/zero/1.0/',
    ],
  );
  json.license = 'EUPL-1.2';
  out = map(json, ctx('x'));
  assert.equal(
    out.record.license!.map((l) => l['@id']),
    ['https://spdx.org/licenses/EUPL-1.2'],
  );
});

test('3D bboxes, several boxes (the first is the overall one), open intervals', () => {
  const json = clone(read('collection.json'));
  const [w, s, e, n] = json.extent.spatial.bbox[0];
  json.extent.spatial.bbox = [
    [w, s, -10, e, n, 1200],
    [w, s, (w + e) / 2, n],
    [(w + e) / 2, s, e, n],
  ];
  json.extent.temporal.interval = [
    [null, json.extent.temporal.interval[0][1]],
    [json.extent.temporal.interval[0][0], null],
  ];
  const { record } = map(json, ctx('x'));
  assert.equal(
    record.spatial!.map((l) => wktBox(l.bbox!['@value'])),
    [
      [w, s, e, n],
      [w, s, (w + e) / 2, n],
      [(w + e) / 2, s, e, n],
    ],
  );
  assert.equal(record.temporal, [
    { '@type': 'dct:PeriodOfTime', endDate: { '@value': json.extent.temporal.interval[0][1], '@type': 'xsd:dateTime' } },
    { '@type': 'dct:PeriodOfTime', startDate: { '@value': json.extent.temporal.interval[1][0], '@type': 'xsd:dateTime' } },
  ]);
});

test('a box across the antimeridian (west > east) is kept as given', () => {
  const json = clone(read('collection.json'));
  json.extent.spatial.bbox = [[172.9, -20, -170.5, 1.4]];
  const { record } = map(json, ctx('x'));
  assert.equal(wktBox(record.spatial![0].bbox!['@value']), [172.9, -20, -170.5, 1.4]);
});

test('sci:citation, sci:publications, processing:level, sat:orbit_state, cite-as, preview', () => {
  const json = clone(read('extended-item.json'));
  Object.assign(json.properties, {
    'processing:level': 'L2A',
    'sci:citation': 'Remote Data, Inc. (2020). Cool Sat scene 20201211_223832_CS2.',
    'sci:publications': [{ doi: '10.1000/xyz123', citation: 'A paper' }],
    'sat:orbit_state': 'descending',
  });
  json.links.push(
    { rel: 'cite-as', href: 'https://doi.org/10.5061/dryad.s2v81.2/27.2' },
    { rel: 'preview', href: 'https://example.org/preview.png', type: 'image/png' },
  );
  const { record } = map(json, ctx('x'));
  assert.equal(record.processingLevel, ['L2A']);
  assert.is(record.bibliographicCitation, json.properties['sci:citation']);
  assert.equal(record.isReferencedBy, ['https://doi.org/10.1000/xyz123']);
  assert.is(record.relation, undefined);
  assert.ok(record.keyword!['@none'].includes('descending'));
  assert.equal(
    record.otherIdentifier!.map((i) => i.notation),
    [`https://doi.org/${json.properties['sci:doi']}`],
    'the cite-as DOI is the same one: once',
  );
  assert.ok(record.page!.some((p) => p['@id'] === 'https://doi.org/10.5061/dryad.s2v81.2/27.2'));
  assert.ok(record.depiction!.includes('https://example.org/preview.png'));
});

test('an API collection: its items link is a distribution, host → publisher', () => {
  const json = clone(read('collection-only_collection-with-schemas.json'));
  json.links.push({ rel: 'items', href: 'https://api.example.org/collections/sentinel-2/items', type: 'application/geo+json' });
  const { record } = map(json, ctx('x'));
  const items = record.distribution!.find((d) => d.protocol === 'items')!;
  assert.is(items.accessURL, 'https://api.example.org/collections/sentinel-2/items');
  assert.is(items.mediaType?.['@id'], 'https://www.iana.org/assignments/media-types/application/geo+json');
  const host = json.providers.find((p: J) => p.roles.includes('host'));
  assert.is(record.publisher!.name['@none'], host.name);
  assert.is(record.publisher!.homepage, host.url);
  const hostRole = record.qualifiedAttribution!.find((a) => a.agent.name['@none'] === host.name)!;
  assert.is(hostRole.hadRole, 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/distributor');
});

test('enrichment from the items: granuleCount, the items box and interval when they differ', () => {
  const json = read('collection.json');
  const [w, s, e, n] = json.extent.spatial.bbox[0];
  const [start] = json.extent.temporal.interval[0];
  const { record, warnings } = map(
    json,
    ctx('x', { enrichment: { itemCount: 3, itemBbox: [w, s, e + 1, n], itemInterval: [start, null] } }),
  );
  assert.is(record.granuleCount, 3);
  assert.is(record.spatial!.length, 2);
  assert.equal(wktBox(record.spatial![1].bbox!['@value']), [w, s, e + 1, n]);
  assert.is(record.spatial![1].prefLabel!.en, 'extent of the items');
  assert.ok(warnings.some((x) => x.includes('beyond')));
  assert.equal(record.temporal![1], { '@type': 'dct:PeriodOfTime', startDate: { '@value': start, '@type': 'xsd:dateTime' } });
  // the same box and interval as declared add nothing
  const same = map(
    json,
    ctx('x', { enrichment: { itemCount: 0, itemBbox: [w, s, e, n], itemInterval: json.extent.temporal.interval[0] } }),
  ).record;
  assert.is(same.spatial!.length, 1);
  assert.is(same.temporal!.length, 1);
  assert.is(same.granuleCount, 0);
  assert.throws(() => stacToRecord(json, ctx('x', { enrichment: { itemCount: -1 } })), /enrichment\.itemCount/);
});

// ---------------------------------------------------------------------------------------------------------------
// Broken

const recordError = (path: string) => (e: unknown) => e instanceof RecordError && !(e instanceof SkipRecord) && e.message.startsWith(path);

test('a malformed collection extent is left out with a warning naming its JSON path and value; the record is kept', () => {
  const bad = map(broken('bad-extent/collection.json'), ctx('bad'));
  assert.ok(
    bad.warnings.some((w) => w.startsWith('extent.spatial.bbox[0]: ')),
    bad.warnings.join('\n'),
  );
  assert.is(bad.record.spatial, undefined);
  const json = read('collection.json');
  const good = map(json, ctx('x')).record;
  // [alter, the warning's start, what the record keeps of its extent]
  const cases: [(j: J) => void, string, { spatial: number; temporal: number }][] = [
    [(j) => delete j.extent, 'extent: missing (required by STAC): no spatial nor temporal extent', { spatial: 0, temporal: 0 }],
    [
      (j) => (j.extent.spatial = {}),
      'extent.spatial.bbox: expected a non-empty array of boxes, got nothing: no spatial extent',
      { spatial: 0, temporal: 1 },
    ],
    [
      (j) => (j.extent.spatial.bbox[0][1] = '1.34'),
      'extent.spatial.bbox[0][1]: expected a number, got "1.34": the box is left out',
      { spatial: 0, temporal: 1 },
    ],
    [
      (j) => (j.extent.spatial.bbox = [j.extent.spatial.bbox[0], [0, 95, 1, 96]]),
      'extent.spatial.bbox[1]: latitude out of [-90, 90]: [0,95,1,96]: the box is left out',
      { spatial: 1, temporal: 1 },
    ],
    [
      (j) => (j.extent.spatial.bbox[0] = [10, 5, 20, 1]),
      'extent.spatial.bbox[0]: south 5 is north of north 1: the box is left out',
      { spatial: 0, temporal: 1 },
    ],
    [
      (j) => (j.extent.temporal.interval[0] = [j.extent.temporal.interval[0][1], j.extent.temporal.interval[0][0]]),
      `extent.temporal.interval[0]: start ${json.extent.temporal.interval[0][1]} is after end ${json.extent.temporal.interval[0][0]}: the interval is left out`,
      { spatial: 1, temporal: 0 },
    ],
    [
      (j) => (j.extent.temporal.interval[0][0] = '11/12/2020'),
      'extent.temporal.interval[0][0]: expected an RFC 3339 date-time, got "11/12/2020": the interval is left out',
      { spatial: 1, temporal: 0 },
    ],
    [
      (j) => (j.extent.temporal = { interval: [] }),
      'extent.temporal.interval: expected a non-empty array of [start, end], got []: no temporal extent',
      { spatial: 1, temporal: 0 },
    ],
  ];
  for (const [alter, warning, kept] of cases) {
    const j = clone(json);
    alter(j);
    const { record, warnings } = map(j, ctx('x'));
    assert.ok(warnings.includes(warning), `${warning}\nnot in\n${warnings.join('\n')}`);
    assert.is(record.spatial?.length ?? 0, kept.spatial, warning);
    assert.is(record.temporal?.length ?? 0, kept.temporal, warning);
    // the rest of the record is the record of the good file
    assert.equal(record.title, good.title);
    assert.equal(record.distribution, good.distribution);
    if (kept.spatial) assert.equal(record.spatial, good.spatial);
    if (kept.temporal) assert.equal(record.temporal, good.temporal);
  }
});

test('an item with geometry null is valid STAC: no spatial, a warning', () => {
  const item = broken('nogeom/item-null-geometry.json');
  const { record, warnings } = map(item, ctx('nogeom'));
  assert.is(record.spatial, undefined);
  assert.ok(warnings.some((w) => w.startsWith('geometry: null')));
  assert.is(record.temporal![0].startDate!['@value'], item.properties.datetime);
});

test('not a STAC record: a RecordError; a catalog: a SkipRecord; bad item parts name their path', () => {
  assert.throws(
    () => stacToRecord([1, 2], ctx('x')),
    (e: unknown) => e instanceof RecordError && !(e instanceof SkipRecord),
  );
  assert.throws(() => stacToRecord({ type: 'FeatureCollection', features: [] }, ctx('x')), /not a STAC Collection, Item or Catalog/);
  assert.throws(
    () => stacToRecord(read('catalog.json'), ctx('x')),
    (e: unknown) => e instanceof SkipRecord,
  );
  const item = read('core-item.json');
  assert.throws(() => stacToRecord({ ...item, id: '' }, ctx('x')), recordError('id:'));
  const good = map(item, ctx('x')).record;
  // a malformed bbox: the geometry's box stands for it
  const badBox = map({ ...item, bbox: [1, 2, 3] }, ctx('x'));
  assert.ok(badBox.warnings.includes(`bbox: expected 4 or 6 numbers, got 3: the geometry's box stands for it`), badBox.warnings.join('\n'));
  assert.equal(badBox.record.spatial![0].geometry, good.spatial![0].geometry);
  // a malformed end: the datetime, when there is one, stands for the period (core-item's is null)
  const datetime = '2020-12-11T22:38:32.200Z';
  const badEnd = map({ ...item, properties: { ...item.properties, datetime, end_datetime: 'soon' } }, ctx('x'));
  assert.ok(
    badEnd.warnings.includes('properties.end_datetime: expected an RFC 3339 date-time, got "soon": the datetime stands for the period'),
    badEnd.warnings.join('\n'),
  );
  assert.equal(badEnd.record.temporal![0].startDate!['@value'], datetime);
  assert.equal(badEnd.record.temporal![0].endDate!['@value'], datetime);
  const noDatetime = map({ ...item, properties: { ...item.properties, end_datetime: 'soon' } }, ctx('x'));
  assert.ok(noDatetime.warnings.includes('properties.end_datetime: expected an RFC 3339 date-time, got "soon": no temporal extent'));
  assert.is(noDatetime.record.temporal, undefined);
  // reversed, and no datetime: no temporal extent, the rest kept
  const props = {
    ...item.properties,
    datetime: null,
    start_datetime: item.properties.end_datetime,
    end_datetime: item.properties.start_datetime,
  };
  const reversed = map({ ...item, properties: props }, ctx('x'));
  assert.ok(
    reversed.warnings.includes(
      `properties.start_datetime: ${item.properties.end_datetime} is after properties.end_datetime ${item.properties.start_datetime}: no temporal extent`,
    ),
    reversed.warnings.join('\n'),
  );
  assert.is(reversed.record.temporal, undefined);
  assert.equal(reversed.record.spatial, good.spatial);
  // not a geometry: left out, the bbox stays
  const badGeometry = map({ ...item, geometry: { coordinates: [1, 2] } }, ctx('x'));
  assert.ok(
    badGeometry.warnings.some((w) => w.startsWith('geometry: expected a GeoJSON geometry or null, got {"coordinates":[1,2]}: left out')),
  );
  assert.is(badGeometry.record.spatial![0].geometry, undefined);
  assert.equal(badGeometry.record.spatial![0].bbox, good.spatial![0].bbox);
  const noTime = map({ ...item, properties: { ...item.properties, start_datetime: undefined, end_datetime: undefined } }, ctx('x'));
  assert.is(noTime.record.temporal, undefined);
  assert.ok(noTime.warnings.some((w) => w.startsWith('properties.datetime')));
  assert.throws(() => stacToRecord(item, { ...ctx('x'), harvestedAt: 'yesterday' }), /harvestedAt/);
});

/** A real STAC document of an older version (test/fixtures/stac/versions, see its README). */
const older = (f: string): J => JSON.parse(readFileSync(projectPath('test', 'fixtures', 'stac', 'versions', f), 'utf8'));

test('pystac 0.9.0 Envisat item written latitude first: the record is kept without spatial extent, not failed', () => {
  // bbox [64.3, 114.6, 71.2, 128.6] and a polygon of the same positions: the box of the geometry reached the WKT writer
  // and the whole record failed ("cannot be written as WKT")
  const { record: r, warnings } = map(older('pystac-0.9.0-sar-envisat.json'), ctx('envisat.json'));
  assert.is(r.spatial, undefined);
  assert.ok(
    warnings.includes(
      'geometry: latitude out of [-90, 90]: [64.302468,114.587673,71.179088,128.611298]: the positions are not longitude, latitude (CRS84): no spatial extent',
    ),
    warnings.join('\n'),
  );
  // the rest is kept: its start_datetime and end_datetime
  assert.equal(r.temporal, [
    {
      '@type': 'dct:PeriodOfTime',
      startDate: { '@value': '2009-05-20T02:40:01.042784Z', '@type': 'xsd:dateTime' },
      endDate: { '@value': '2009-05-20T02:41:31.483865Z', '@type': 'xsd:dateTime' },
    },
  ]);
});

test("STAC 0.6 to 0.9 collections: assets without href define the items' assets; bare extents of 0.6 are no fault", () => {
  // 0.8.1 "asset" extension: 14 asset definitions; each was warned 'assets.B1.href: undefined has no public IRI'
  const landsat = map(older('pystac-0.8.1-asset-landsat8-collection.json'), ctx('landsat.json'));
  assert.equal(landsat.warnings, []);
  assert.is(landsat.record.distribution, undefined);
  assert.equal(landsat.record.platform, ['landsat-8']);
  // a 0.6.0 collection: extent.spatial [w,s,e,n] and extent.temporal [start, end] are its version's forms
  const s2 = map(older('pystac-0.6.0-sentinel-s2-l1c-collection.json'), ctx('s2.json'));
  assert.equal(s2.warnings, []);
  assert.equal(wktBox(s2.record.spatial![0].bbox!['@value']), [-180, -90, 180, 90]);
  assert.is(s2.record.temporal?.[0].startDate?.['@value'], '2015-06-27T10:25:31.456000+00:00');
  // an item's asset without href is a fault of the item
  const item = older('pystac-0.9.0-sar-envisat.json');
  const noHref = map({ ...item, assets: { product: { type: 'application/gzip' } } }, ctx('x'));
  assert.ok(noHref.warnings.includes('assets.product.href: missing (required by STAC): asset left out'), noHref.warnings.join('\n'));
});

test("STAC scientific extension: a cite-as link to a publication's DOI is a publication about the data (isReferencedBy), not an identifier of the data", () => {
  // 1.0.0-beta.2 example: cite-as links to the data's DOI and to the paper's (sci:publications); both were identifiers
  const { record: r } = map(older('pystac-1.0.0-beta.2-scientific-collection.json'), ctx('sci.json'));
  assert.equal(r.otherIdentifier, [{ '@type': 'adms:Identifier', notation: 'https://doi.org/10.5061/dryad.s2v81.2', schemaAgency: 'DOI' }]);
  assert.equal(r.isReferencedBy, ['https://doi.org/10.1038/sdata.2017.78']);
  assert.is(r.relation, undefined);
});

test.run();
