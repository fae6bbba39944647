/**
 * MQA and F-UJI points of three real records (ISO 19139, STAC item, OZCAR dataset), computed by hand from the
 * methodologies and asserted exactly, indicator by indicator; then what changes with link results, and the fixes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { readdirSync, readFileSync } from 'node:fs';
import { all, parseXml } from '../../core/xml.js';
import type { RawRecord } from '../../harvesters/types.js';
import { assessRecord, fairJson, fairScores, fairSummary, FUJI_MAX, mqaRating, type LinkResult } from '../../mappings/fair/index.js';
import type { HubRecord } from '../../schemas/record.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { toIndexDoc } from '../../mappings/index-doc.js';
import { dcat3Records } from '../schemas/dcat3-records.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

async function firstRecord(...path: string[]): Promise<HubRecord> {
  for await (const item of itemsFromFile(sharedFixture(...path), 'file')) {
    if (item.kind !== 'record') continue;
    const r = mapRecord(item.raw, { harvestedAt: '2026-01-01T00:00:00Z' });
    if (r.ok) return r.record;
  }
  throw new Error('no record in ' + path.join('/'));
}

const byId = <T extends { id: string }>(list: T[]) => Object.fromEntries(list.map((x) => [x.id, x]));

test('MQA rating bands: excellent 351-405, good 221-350, sufficient 121-220, bad 0-120', () => {
  assert.equal([405, 351, 350.99, 221, 220, 121, 120.5, 0].map(mqaRating), [
    'excellent',
    'excellent',
    'good',
    'good',
    'sufficient',
    'sufficient',
    'bad',
    'bad',
  ]);
});

test('ISO 19139 (owslib-csw_iso_identifier.xml, 3 distributions: WMS, WFS, Atom): MQA 271.67 good, F-UJI 8.5', async () => {
  const a = assessRecord(await firstRecord('iso19139', 'owslib-csw_iso_identifier.xml'));
  const points = Object.fromEntries(a.mqa.indicators.map((i) => [i.id, i.points]));
  // findability: keywords, themes (GEMET INSPIRE theme), a bounding box; no temporal extent
  // accessibility: URL checks not run; 1 of 3 distributions has a download URL: 20 * 1/3
  // interoperability, best distribution (WMS_SRVC: format, EU file type, non-proprietary, machine-readable; no media
  // type) = 70, beating the Atom one (ATOM is not in the non-proprietary list: 50); DCAT-AP mandatory values all there
  // reusability: licence on 3 of 3 (PD mark, a known one), access rights PUBLIC (EU vocabulary), contact, publisher
  // contextuality: rights on 3 of 3, no byte size, no publication date, a revision date
  assert.equal(points, {
    keyword: 30,
    theme: 30,
    spatial: 20,
    temporal: 0,
    accessUrlAnswers: 0,
    downloadUrl: 6.67,
    downloadUrlAnswers: 0,
    format: 20,
    mediaType: 0,
    formatVocabulary: 10,
    nonProprietary: 20,
    machineReadable: 20,
    dcatApConformance: 30,
    license: 20,
    licenseVocabulary: 10,
    accessRights: 10,
    accessRightsVocabulary: 5,
    contactPoint: 20,
    publisher: 10,
    rights: 5,
    byteSize: 0,
    issued: 0,
    modified: 5,
  });
  assert.is(a.mqa.points, 271.67);
  assert.is(a.mqa.rating, 'good');
  assert.is(a.mqa.notChecked, 80);
  assert.equal(a.mqa.dimensions.interoperability, 100);
  const i = byId(a.mqa.indicators);
  assert.is(i.accessUrlAnswers.status, 'not checked');
  assert.is(i.downloadUrl.status, 'partly');
  assert.is(i.downloadUrl.detail, '1 of 3 distributions with one');
  assert.equal(i.temporal.fix, {
    add: 'a temporal extent',
    where: 'gmd:identificationInfo/*/gmd:extent/*/gmd:temporalElement/*/gmd:extent/gml:TimePeriod',
  });
  assert.is(i.accessUrlAnswers.fix, undefined, 'not checked is not a failure');

  const m = byId(a.fuji.metrics);
  const fuji = Object.fromEntries(a.fuji.metrics.map((x) => [x.id, x.points]));
  // F1-01D: both identifiers are UUIDs (0.5); F2-01M: no creator nor publication date; F3-01M: format and URL;
  // A1-01M: machine-readable access rights; I2: GEMET; R1-01MD: a resource type, no size nor variables; R1.1: a licence
  // not registered at SPDX (Public Domain Mark); R1.2: parties and dates, prov:qualifiedAttribution; R1.3-01M: ISO;
  // R1.3-02D: WMS, WFS and Atom are no research format
  assert.equal(fuji, {
    'FsF-F1-01D': 0.5,
    'FsF-F1-02D': 0,
    'FsF-F2-01M': 0,
    'FsF-F3-01M': 1,
    'FsF-F4-01M': 0,
    'FsF-A1-01M': 1,
    'FsF-A1-02M': 0,
    'FsF-A1-03D': 0,
    'FsF-A2-01M': 0,
    'FsF-I1-01M': 0,
    'FsF-I2-01M': 1,
    'FsF-I3-01M': 0,
    'FsF-R1-01MD': 1,
    'FsF-R1.1-01M': 1,
    'FsF-R1.2-01M': 2,
    'FsF-R1.3-01M': 1,
    'FsF-R1.3-02D': 0,
  });
  assert.is(a.fuji.points, 8.5);
  assert.is(FUJI_MAX, 25);
  assert.is(m['FsF-F4-01M'].status, 'not assessed');
  assert.is(m['FsF-A1-02M'].status, 'not assessed', 'read from a local file: no landing page to judge');
  assert.is(m['FsF-A1-03D'].status, 'not assessed', 'links not checked');
  assert.is(m['FsF-F2-01M'].status, 'fail');
  assert.match(m['FsF-F2-01M'].fix!.add, /creator, publication_date/);
  assert.match(m['FsF-F2-01M'].fix!.where, /gmd:citedResponsibleParty with gmd:role "author"/);
});

test('STAC item (core-item.json): MQA 200 sufficient (best distribution: the JSON asset, 80 + DCAT-AP 30), F-UJI 5', async () => {
  const a = assessRecord(await firstRecord('stac', 'core-item.json'));
  const points = Object.fromEntries(a.mqa.indicators.map((i) => [i.id, i.points]));
  assert.equal(points, {
    keyword: 30,
    theme: 0,
    spatial: 20,
    temporal: 20,
    accessUrlAnswers: 0,
    downloadUrl: 20,
    downloadUrlAnswers: 0,
    format: 20,
    mediaType: 10,
    formatVocabulary: 10,
    nonProprietary: 20,
    machineReadable: 20,
    dcatApConformance: 30,
    license: 0,
    licenseVocabulary: 0,
    accessRights: 0,
    accessRightsVocabulary: 0,
    contactPoint: 0,
    publisher: 0,
    rights: 0,
    byteSize: 0,
    issued: 0,
    modified: 0,
  });
  assert.is(a.mqa.points, 200);
  assert.is(a.mqa.rating, 'sufficient');
  const fix = byId(a.mqa.indicators).license.fix!;
  assert.equal(fix, { add: 'a licence', where: 'license (an SPDX id such as CC-BY-4.0)' });
  const fuji = Object.fromEntries(a.fuji.metrics.map((x) => [x.id, x.points]));
  // F3-01M: assets with type and href; A1-02M: an http landing page (rel alternate); I3: its collection (isPartOf);
  // R1-01MD: content links; R1.3-02D: GeoTIFF (image/tiff is a long-term format)
  assert.equal(fuji, {
    'FsF-F1-01D': 0,
    'FsF-F1-02D': 0,
    'FsF-F2-01M': 0,
    'FsF-F3-01M': 1,
    'FsF-F4-01M': 0,
    'FsF-A1-01M': 0,
    'FsF-A1-02M': 1,
    'FsF-A1-03D': 0,
    'FsF-A2-01M': 0,
    'FsF-I1-01M': 0,
    'FsF-I2-01M': 0,
    'FsF-I3-01M': 1,
    'FsF-R1-01MD': 1,
    'FsF-R1.1-01M': 0,
    'FsF-R1.2-01M': 0,
    'FsF-R1.3-01M': 0,
    'FsF-R1.3-02D': 1,
  });
  assert.is(a.fuji.points, 5);
});

test('OZCAR dataset (TOUR_en.json): MQA 205 sufficient, F-UJI 9', async () => {
  const a = assessRecord(await firstRecord('ozcar', 'TOUR_en.json'));
  const points = Object.fromEntries(a.mqa.indicators.map((i) => [i.id, i.points]));
  // one distribution (urlDownload, read as an access URL) without format; licence CC BY-SA 4.0 and rights for the
  // dataset count for it; access rights "to define" (no vocabulary); no dates of the data
  assert.equal(points, {
    keyword: 30,
    theme: 30,
    spatial: 20,
    temporal: 20,
    accessUrlAnswers: 0,
    downloadUrl: 0,
    downloadUrlAnswers: 0,
    format: 0,
    mediaType: 0,
    formatVocabulary: 0,
    nonProprietary: 0,
    machineReadable: 0,
    dcatApConformance: 30,
    license: 20,
    licenseVocabulary: 10,
    accessRights: 10,
    accessRightsVocabulary: 0,
    contactPoint: 20,
    publisher: 10,
    rights: 5,
    byteSize: 0,
    issued: 0,
    modified: 0,
  });
  assert.is(a.mqa.points, 205);
  assert.equal(byId(a.mqa.indicators).format.fix, { add: 'a file format', where: '(no file format field in this format)' });
  assert.equal(byId(a.mqa.indicators).downloadUrl.fix, {
    add: 'a download URL on each distribution',
    where: '/metadata/onlineResource/urlDownload',
  });
  const fuji = Object.fromEntries(a.fuji.metrics.map((x) => [x.id, x.points]));
  assert.equal(fuji, {
    'FsF-F1-01D': 0,
    'FsF-F1-02D': 0,
    'FsF-F2-01M': 0,
    'FsF-F3-01M': 0.5,
    'FsF-F4-01M': 0,
    'FsF-A1-01M': 0.5,
    'FsF-A1-02M': 1,
    'FsF-A1-03D': 0,
    'FsF-A2-01M': 0,
    'FsF-I1-01M': 0,
    'FsF-I2-01M': 1,
    'FsF-I3-01M': 0,
    'FsF-R1-01MD': 2,
    'FsF-R1.1-01M': 2,
    'FsF-R1.2-01M': 2,
    'FsF-R1.3-01M': 0,
    'FsF-R1.3-02D': 0,
  });
  assert.is(a.fuji.points, 9);
});

test('a DCAT record: its fixes name DCAT-AP properties (dct:, dcat:...), never the paths of another format', async () => {
  let r: HubRecord | undefined;
  for await (const item of itemsFromFile(projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-dataset.rdf'), 'file')) {
    if (item.kind !== 'record') continue;
    const m = mapRecord(item.raw, { harvestedAt: '2026-01-01T00:00:00Z' });
    if (m.ok) r = m.record;
    break;
  }
  assert.ok(r, 'the RDF/XML dataset maps');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'dcat');
  const a = assessRecord(r);
  const wheres = [...a.mqa.indicators, ...a.fuji.metrics].flatMap((x) => (x.fix ? [x.fix.where] : []));
  assert.ok(wheres.length > 0, 'some fixes');
  for (const w of wheres) assert.match(w, /^(?:\(no |the whole record|(?:dct|dcat|foaf|prov|adms):)/, w);
  const fixOf = (id: string) => a.mqa.indicators.find((i) => i.id === id)?.fix?.where;
  if (fixOf('byteSize')) assert.is(fixOf('byteSize'), 'dcat:distribution/dcat:Distribution/dcat:byteSize');
});

test('a resto product and an OpenSearch Atom entry (real answers of PEPS and Mundi): their fixes name their own properties', () => {
  const resto = (f: string) => readFileSync(projectPath('test', 'fixtures', 'resto', f), 'utf8');
  const peps = JSON.parse(resto('eodag-peps_search.json')) as { features: unknown[] };
  const entry = all(parseXml(resto('eodag-mundi_search.xml')).root, 'entry')[0];
  const fixesOf = (format: 'resto-product' | 'opensearch-entry', body: RawRecord['body']) => {
    const m = mapRecord({ source: 'peps', location: 'test', format, body }, { harvestedAt: '2026-01-01T00:00:00Z' });
    assert.ok(m.ok, format);
    const a = assessRecord(m.record);
    return Object.fromEntries([...a.mqa.indicators, ...a.fuji.metrics].flatMap((x) => (x.fix ? [[x.id, x.fix.where]] : [])));
  };
  const product = fixesOf('resto-product', peps.features[0] as RawRecord['body']);
  for (const w of Object.values(product)) assert.not.match(w, /\/(metadata|producer|observations)\b/, w);
  // PEPS gives no licence URL, no description and no creator; its size and media type are there (services.download)
  assert.is(product.license, "properties.license (a collection: license), its description's url and shortName");
  assert.is(product.dcatApConformance, 'properties.description (a collection: osDescription.Description)');
  assert.is(product['FsF-A1-02M'], 'properties.links with rel "alternate" and an HTML type');
  const atom = fixesOf('opensearch-entry', entry);
  for (const w of Object.values(atom)) assert.not.match(w, /\/(metadata|producer|observations)\b|^properties\./, w);
  // Mundi's entry has no enclosure link: no distribution, said as OpenSearch says a download
  assert.is(atom.downloadUrl, 'atom:link with rel "enclosure"');
  assert.is(atom.publisher, 'atom:author/atom:name');
  assert.is(atom['FsF-F1-02D'], 'dc:identifier (else atom:id), e.g. a DOI');
});

test('with link results: the URL indicators are scored (share of distributions that answer), F-UJI A1-03D decided', async () => {
  const record = await firstRecord('iso19139', 'owslib-csw_iso_identifier.xml');
  const urls = record.distribution!.map((d) => d.accessURL);
  const links = new Map<string, LinkResult>([
    [urls[0], { url: urls[0], ok: true, status: 200 }],
    [urls[1], { url: urls[1], ok: false, status: 503 }],
    [urls[2], { url: urls[2], ok: true, status: 200, mediaType: 'application/atom+xml' }],
  ]);
  const a = assessRecord(record, links);
  const i = byId(a.mqa.indicators);
  assert.is(i.accessUrlAnswers.points, 33.33); // 50 * 2/3
  assert.is(i.accessUrlAnswers.status, 'partly');
  assert.is(i.downloadUrlAnswers.points, 10); // 30 * 1/3: the Atom feed is the only download URL, and it answers
  assert.is(a.mqa.notChecked, 0);
  assert.is(a.mqa.points, 315);
  assert.is(byId(a.fuji.metrics)['FsF-A1-03D'].points, 1);
});

test('fairScores (what a harvest indexes): the points and rating of the whole assessment, on every fixture record; fairJson: its JSON', async () => {
  const records: HubRecord[] = [];
  for (const dir of ['iso19139', 'iso19115-3', 'csw', 'stac', 'ozcar'])
    for (const f of readdirSync(sharedFixture(dir)).filter((x) => /\.(xml|json)$/.test(x))) {
      try {
        for await (const item of itemsFromFile(sharedFixture(dir, f), 'file')) {
          if (item.kind !== 'record') continue;
          const r = mapRecord(item.raw, { harvestedAt: '2026-01-01T00:00:00Z' });
          if (r.ok) records.push(r.record);
        }
      } catch {
        // a file that is no feed
      }
    }
  assert.ok(records.length > 50, `${records.length} records`);
  const summaries = new Set<string>();
  for (const r of records) {
    const urls = (r.distribution ?? []).flatMap((d) => [d.accessURL, d.downloadURL]).filter((u): u is string => !!u);
    const answered = new Map<string, LinkResult>(urls.map((url, i) => [url, { url, ok: i % 2 === 0 }]));
    for (const links of [undefined, answered]) {
      const whole = assessRecord(r, links);
      assert.equal(fairScores(r, links), fairSummary(whole), r['@id']);
      // the report's text of it: JSON.stringify's, whether its shared parts' text is made now or was made before
      assert.is(fairJson(whole), JSON.stringify(whole));
      assert.is(fairJson(assessRecord(r, links)), JSON.stringify(whole));
      summaries.add(JSON.stringify(fairSummary(whole)));
    }
  }
  assert.ok(summaries.size > 20, 'the records score differently');
});

test('indexed with the record (map stage): quality.mqa, quality.rating (a facet), quality.fuji', async () => {
  const records = [
    await firstRecord('iso19139', 'owslib-csw_iso_identifier.xml'),
    await firstRecord('stac', 'core-item.json'),
    await firstRecord('ozcar', 'TOUR_en.json'),
  ];
  assert.equal(
    records.map((r) => toIndexDoc(r).quality),
    [
      { mqa: 271.67, rating: 'good', fuji: 8.5 },
      { mqa: 200, rating: 'sufficient', fuji: 5 },
      { mqa: 205, rating: 'sufficient', fuji: 9 },
    ],
  );
  const client = await esClient();
  const alias = tempIndexName('fair');
  try {
    await ensureIndex(client, alias);
    const indexer = new BulkIndexer({ client, index: alias, runId: 'r1', refresh: true });
    for (const r of records) await indexer.add(r, { source: 'file' });
    await indexer.close();
    const res = await client.search({
      index: alias,
      size: 0,
      aggs: { rating: { terms: { field: 'quality.rating' } }, mqa: { avg: { field: 'quality.mqa' } } },
    });
    const buckets = (res.aggregations!.rating as { buckets: { key: string; doc_count: number }[] }).buckets;
    assert.equal(
      buckets.map((b) => [b.key, b.doc_count]),
      [
        ['sufficient', 2],
        ['good', 1],
      ],
    );
    assert.ok(Math.abs((res.aggregations!.mqa as { value: number }).value - (271.67 + 200 + 205) / 3) < 0.01);
  } finally {
    await deleteIndices(client, `${alias}*`);
  }
});

test('F-UJI I3 (related resources): the publications about a resource and its versions are related resources', async () => {
  // the STAC scientific collection names its paper only by sci:publications (dct:isReferencedBy); CKAN's dataset its versions
  const records = (await dcat3Records()).map((x) => x.record);
  const sci = records.find((r) => r.isReferencedBy?.includes('https://doi.org/10.1038/sdata.2017.78'))!;
  assert.is(sci.relation, undefined);
  for (const r of [sci, { ...records.find((x) => x.hasVersion?.length)!, relation: undefined, isReferencedBy: undefined }]) {
    const i3 = assessRecord(r).fuji.metrics.find((m) => m.id === 'FsF-I3-01M')!;
    assert.is(i3.status, 'pass', r.identifier);
  }
});

test.run();
