/**
 * Every record of every real fixture, of every family (ISO 19139 / 19115-2 / 19115-3 records and CSW pages, STAC
 * catalogues, collections and items, OZCAR pivot feeds), read as `harvester map` reads files: each maps, validates
 * against the JSON Schema and expands with jsonld (local loader only) to the DCAT-AP IRIs its fields stand for.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { expandRecord } from '../../schemas/jsonld.js';
import type { HubRecord } from '../../schemas/record.js';
import { validateRecord } from '../../schemas/validate.js';
import { sharedFixture } from '../../schemas/paths.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const GSP = 'http://www.opengis.net/ont/geosparql#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

type Node = Record<string, unknown[]>;
const files = (dir: string, ext: string) =>
  readdirSync(sharedFixture(dir))
    .filter((f) => f.endsWith(ext))
    .map((f) => sharedFixture(dir, f));

const FILES = [
  ...files('iso19139', '.xml'),
  ...files('iso19115-3', '.xml'),
  sharedFixture('csw', 'pycsw-apiso-GetRecords-all.xml'),
  sharedFixture('csw', 'owslib-inspire-getrecords-response.xml'),
  sharedFixture('csw', 'owslib-csw_dov_getrecordbyid.xml'),
  ...files('stac', '.json').filter((f) => !f.endsWith('catalog.json')),
  ...files('ozcar', '.json'),
];

async function recordsOf(file: string): Promise<HubRecord[]> {
  const out: HubRecord[] = [];
  for await (const item of itemsFromFile(file, 'fx')) {
    if (item.kind === 'notice') continue;
    assert.is(item.kind, 'record', `${file}: ${item.kind === 'failure' ? item.failure.error : ''}`);
    if (item.kind !== 'record') continue;
    const result = mapRecord(item.raw, { harvestedAt: '2026-11-25T12:00:00Z' });
    assert.ok(result.ok, `${item.raw.location}: ${result.ok ? '' : `${result.stage}: ${result.error}`}`);
    if (result.ok) out.push(result.record);
  }
  return out;
}

function main(expanded: Node[], iri: string): Node {
  const node = expanded.find((n) => (n['@id'] as unknown) === iri);
  assert.ok(node, `no node ${iri}`);
  return node;
}

let total = 0;
for (const file of FILES) {
  test(`${file.split('/').slice(-2).join('/')}: maps, validates and expands to DCAT-AP`, async () => {
    const records = await recordsOf(file);
    assert.ok(records.length > 0);
    for (const record of records) {
      total++;
      assert.equal(validateRecord(record), [], record.identifier);
      const expanded = (await expandRecord(record)) as unknown as Node[];
      const node = main(expanded, record['@id']);
      const types = node['@type'] as unknown as string[];
      assert.ok(
        types.some((t) => [`${DCAT}Dataset`, `${DCAT}DataService`, `${DCAT}DatasetSeries`].includes(t)),
        String(types),
      );
      const titles = node[`${DCT}title`] as { '@value': string; '@language'?: string }[];
      assert.equal(titles.map((t) => t['@value']).sort(), Object.values(record.title).sort());
      for (const t of titles) if (t['@language']) assert.ok(t['@language'] in record.title);
      assert.is((node[`${DCT}identifier`][0] as { '@value': string })['@value'], record.identifier);
      const bboxes = record.spatial?.filter((l) => l.bbox) ?? [];
      if (bboxes.length) {
        const places = node[`${DCT}spatial`] as Node[];
        const literals = places.flatMap((p) => (p[`${DCAT}bbox`] ?? []) as { '@type': string; '@value': string }[]);
        assert.equal(literals.map((l) => l['@value']).sort(), bboxes.map((l) => l.bbox!['@value']).sort());
        assert.ok(literals.every((l) => l['@type'] === `${GSP}wktLiteral`));
      }
      const starts = record.temporal?.filter((p) => p.startDate) ?? [];
      if (starts.length) {
        const periods = node[`${DCT}temporal`] as Node[];
        const values = periods.flatMap((p) => (p[`${DCAT}startDate`] ?? []) as { '@type': string }[]);
        assert.is(values.length, starts.length);
        assert.ok(values.every((v) => v['@type'].startsWith(XSD)));
      }
      for (const d of (node[`${DCAT}distribution`] ?? []) as Node[]) {
        const access = d[`${DCAT}accessURL`] as { '@id': string }[];
        assert.ok(access?.[0]?.['@id'], 'a distribution has an accessURL IRI');
      }
      // isPrimaryTopicOf is the reverse of foaf:primaryTopic: the catalog record points at the resource
      const reverse = (node as unknown as { '@reverse'?: Node })['@reverse'];
      const catalogRecords = (reverse?.['http://xmlns.com/foaf/0.1/primaryTopic'] ?? []) as Node[];
      assert.is(catalogRecords.length, 1, 'one dcat:CatalogRecord with foaf:primaryTopic the resource');
      assert.ok((catalogRecords[0]['@type'] as unknown as string[]).includes(`${DCAT}CatalogRecord`));
    }
  });
}

test('every family was exercised', () => {
  assert.ok(total >= 50, `${total} records`);
});

test.run();
