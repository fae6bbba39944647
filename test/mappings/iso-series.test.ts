/**
 * mappings/iso/series.ts with the splitting of harvesters/csw/records.ts aggregateParts: an ISO dataset series that
 * embeds its members is read as the series and one record per member, linked both ways (dcat:inSeries,
 * dcat:seriesMember), through `harvester map`'s reading of a file (pipelines/files.ts) and the mapping stage.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemsFromText } from '../../pipelines/files.js';
import { mapRecords } from '../../pipelines/map.js';
import type { RawRecord } from '../../harvesters/types.js';
import { aggregateParts, splitRecords } from '../../harvesters/csw/records.js';
import { isoToRecord } from '../../mappings/iso/index.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { warningLine, type SourceWarning } from '../../core/warnings.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { projectPath } from '../../schemas/paths.js';

const SOURCE = 'nkn';
const harvestedAt = '2026-12-07T06:00:00Z';

async function raws(path: string, xml: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const item of itemsFromText(path, xml, SOURCE)) if (item.kind === 'record') out.push(item.raw);
  return out;
}

test('a DS_Series embedding 2 members is 3 records: the series, then each member, linked both ways', async () => {
  const { xml } = embeddedSeries();
  const parts = await raws('series.xml', xml);
  assert.is(parts.length, 3);
  assert.equal(
    parts.map((r) => [r.id, r.location, r.context]),
    [
      [SERIES_ID, 'series.xml', undefined], // the seriesMetadata's fileIdentifier, not the first member's
      [MEMBER_ID, 'series.xml member 1 of 2', { series: { id: SERIES_ID, position: 1, of: 2 } }],
      [undefined, 'series.xml member 2 of 2', { series: { id: SERIES_ID, position: 2, of: 2 } }],
    ],
  );
  // each member a standalone document: its own root, the series' namespace declarations it uses
  assert.ok((parts[1].body as string).startsWith('<gmd:MD_Metadata'));
  assert.ok(parts[1].line! > 29, `member line ${parts[1].line}`);

  const results = mapRecords(parts, { harvestedAt });
  const records = results.map((r) => (r.ok ? r.record : assert.unreachable(JSON.stringify(r)))) as HubRecord[];
  const [series, first, second] = records;
  assert.is(series.identifier, `${SOURCE}:${SERIES_ID}`);
  assert.equal(series['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(series.title, { en: 'LiDAR (MCC) in Challis National Forest, Idaho (142 Tiles)' });
  // the second member has no fileIdentifier: derived from the series' and its position (mappings/iso/series.ts)
  const derived = `${SERIES_ID}/member-2`;
  assert.equal(series.seriesMember, [recordIri(SOURCE, MEMBER_ID), recordIri(SOURCE, derived)]);
  assert.is(first.identifier, `${SOURCE}:${MEMBER_ID}`);
  assert.is(second.identifier, `${SOURCE}:${derived}`);
  for (const m of [first, second]) {
    assert.equal(m.inSeries, [series['@id']]);
    assert.equal(m.title, { en: 'Rathdrum Prairie Aquifer Reasonably Anticipated Future Need Study Data' }, JSON.stringify(m.title));
    assert.is(m.seriesMember, undefined);
  }
  // the warning of the derived identifier names the series and the member
  const w = (results[2] as { warnings?: { at: string; message: string }[] }).warnings!.map((x) => warningLine(x as never));
  assert.ok(
    w.some((l) => l.includes(`member 2 of 2 of a gmd:DS_Series "${SERIES_ID}"`) && l.includes(`"${derived}"`)),
    w.join('\n'),
  );
  // the same identifiers from the splitting alone (what a failure before mapping is tied to)
  assert.is(aggregateParts(splitRecords(xml).records[0])!.length, 3);
});

test('the derived identifier of a member is stable: the same document maps to the same records', async () => {
  const { xml } = embeddedSeries();
  const a = mapRecords(await raws('a.xml', xml), { harvestedAt });
  const b = mapRecords(await raws('b.xml', xml), { harvestedAt });
  assert.equal(
    a.map((r) => r.ok && r.record.identifier),
    b.map((r) => r.ok && r.record.identifier),
  );
});

test('NKN Challis LiDAR (142 members given by xlink:href): one record, whose warning names the series and the 142 links', () => {
  const xml = readFileSync(projectPath('test', 'fixtures', 'iso', 'nkn-challis-lidar-DS_Series.xml'), 'utf8');
  assert.is(aggregateParts(splitRecords(xml).records[0]), undefined); // nothing embedded: not split
  const { record, warnings } = isoToRecord(xml, { source: SOURCE, harvestedAt });
  assert.is(record.seriesMember, undefined);
  assert.equal(warnings.map(warningLine), [
    `gmd:composedOf/gmd:DS_DataSet/gmd:has/@xlink:href: gmd:DS_Series "${SERIES_ID}": 142 member dataset(s) given by reference only (xlink:href, the first http://www.northwestknowledge.net/data/00c2d3eb-60c7-42a6-a97f-90c570dbefea/59921b14-9900-4298-9792-9e26103086bb/mcc666_07Stan_001.las.xml), not in the document: not records here; harvest the records they point to`,
  ]);
});

test('members given by GetRecordById links: named only when the harvester says the link asks its own source for that record (context.memberRecords)', () => {
  const nkn = readFileSync(projectPath('test', 'fixtures', 'iso', 'nkn-challis-lidar-DS_Series.xml'), 'utf8');
  const own = 'https://csw.example/csw?request=GetRecordById&id=member-a';
  const other = 'https://other.example/csw?request=GetRecordById&id=member-b';
  const relative = 'csw?REQUEST=GetRecordById&Id=member-c';
  const xml = nkn.replace(
    /<gmd:composedOf>[\s\S]*<\/gmd:composedOf>/,
    `<gmd:composedOf><gmd:DS_DataSet>${[own, other, relative].map((h) => `<gmd:has xlink:href="${h.replace(/&/g, '&amp;')}"/>`).join('')}</gmd:DS_DataSet></gmd:composedOf>`,
  );
  const refs = (n: number, first: string) =>
    `gmd:composedOf/gmd:DS_DataSet/gmd:has/@xlink:href: gmd:DS_Series "${SERIES_ID}": ${n} member dataset(s) given by reference only (xlink:href, the first ${first}), not in the document: not records here; harvest the records they point to`;
  // without the harvester's word, a GetRecordById URL names no record: the crosswalk cannot tell whose catalogue it is
  const alone = isoToRecord(xml, { source: SOURCE, harvestedAt });
  assert.is(alone.record.seriesMember, undefined);
  assert.equal(alone.warnings.map(warningLine), [refs(3, own)]);
  // the harvester names the links to its own CSW (relative ones as written): the series names those members
  const memberRecords = [
    { href: own, id: 'member-a' },
    { href: relative, id: 'member-c' },
  ];
  const named = mapRecords([{ source: SOURCE, body: xml, location: 'csw', context: { memberRecords } }], { harvestedAt })[0];
  if (!named.ok) return assert.unreachable(JSON.stringify(named));
  assert.equal(named.record.seriesMember, [recordIri(SOURCE, 'member-a'), recordIri(SOURCE, 'member-c')]);
  assert.equal(named.record['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(named.warnings?.map(warningLine), [refs(1, other)]);
  // one link given two identifiers names no one
  const twice = isoToRecord(xml, { source: SOURCE, harvestedAt, memberRecords: [...memberRecords, { href: own, id: 'member-z' }] });
  assert.equal(twice.record.seriesMember, [recordIri(SOURCE, 'member-c')]);
  assert.equal(twice.warnings.map(warningLine), [refs(2, own)]);
});

test('members of a series whose seriesMetadata has no fileIdentifier: records of their own, each saying it cannot name its series', async () => {
  const { xml } = embeddedSeries();
  const anonymous = xml.replace(/(<gmd:seriesMetadata>[\s\S]*?)<gmd:fileIdentifier>[\s\S]*?<\/gmd:fileIdentifier>/, '$1');
  const parts = await raws('anon.xml', anonymous);
  assert.is(parts.length, 3);
  const results = mapRecords(parts, { harvestedAt });
  assert.ok(results.every((r) => r.ok));
  const series = results[0].ok ? results[0].record : undefined;
  // the named member is listed; the one without a fileIdentifier cannot be (its id is its own content's hash)
  assert.equal(series!.seriesMember, [recordIri(SOURCE, MEMBER_ID)]);
  const member = results[1].ok ? results[1] : undefined;
  assert.is(member!.record.inSeries, undefined);
  assert.ok(
    member!.warnings!.some((w) => warningLine(w).includes('member 1 of 2 of a gmd:DS_Series whose seriesMetadata has no fileIdentifier')),
  );
});

test('a series whose seriesMetadata holds no record (gco:nilReason, as NASA SMAP granules): its members only, each saying so', async () => {
  const { xml } = embeddedSeries();
  const nil = xml.replace(/<gmd:seriesMetadata>[\s\S]*<\/gmd:seriesMetadata>/, '<gmd:seriesMetadata gco:nilReason="inapplicable"/>');
  const parts = await raws('granule.xml', nil);
  assert.equal(
    parts.map((r) => r.location),
    ['granule.xml member 1 of 2', 'granule.xml member 2 of 2'],
  );
  const results = mapRecords(parts, { harvestedAt });
  assert.ok(results.every((r) => r.ok && r.record.inSeries === undefined));
  // the member without a fileIdentifier: the identifier of any ISO record without one (its content's sha256)
  assert.match(results[1].ok ? results[1].record.identifier : '', /^nkn:sha256-[0-9a-f]{32}$/);
  assert.ok(results.every((r) => r.ok && r.warnings!.some((w) => warningLine(w).includes('(or holds no record)'))));
});

const MDA_SERIES = 'metawal-captages-mda-DS_Series.xml';
const METAWAL_ID = '74f81503-8d39-4ec8-a49a-c76e0cd74946';

test('the ISO 19115-3 series fixture (mda:DS_Series made of a real Metawal record) is valid against mda 2.0', () => {
  const path = projectPath('test', 'fixtures', 'iso', MDA_SERIES);
  const run = spawnSync(
    'xmllint',
    ['--noout', '--nonet', '--schema', projectPath('schemas', 'xsd', 'iso', '19115', '-3', 'mda', '2.0', 'mda.xsd'), path],
    { env: { ...process.env, XML_CATALOG_FILES: projectPath('schemas', 'xsd', 'catalog.xml') }, encoding: 'utf8' },
  );
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /validates$/m);
});

test('an ISO 19115-3 mda:DS_Series embedding 2 members is 3 records: its own record (has), then each member, linked both ways', async () => {
  const xml = readFileSync(projectPath('test', 'fixtures', 'iso', MDA_SERIES), 'utf8');
  const parts = await raws('mda.xml', xml);
  assert.equal(
    parts.map((r) => [r.id, r.format, r.location, r.context]),
    [
      [METAWAL_ID, 'iso19115-3', 'mda.xml', undefined], // the id of mda:has's record, the series' own
      [`${METAWAL_ID}-member-1`, 'iso19115-3', 'mda.xml member 1 of 2', { series: { id: METAWAL_ID, position: 1, of: 2 } }],
      [undefined, 'iso19115-3', 'mda.xml member 2 of 2', { series: { id: METAWAL_ID, position: 2, of: 2 } }],
    ],
  );
  assert.ok((parts[1].body as string).startsWith('<mdb:MD_Metadata'));
  const results = mapRecords(parts, { harvestedAt });
  const [series, first, second] = results.map((r) => (r.ok ? r.record : assert.unreachable(JSON.stringify(r)))) as HubRecord[];
  assert.is(series.identifier, `${SOURCE}:${METAWAL_ID}`);
  assert.equal(series['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(series.title, { fr: 'Protection des captages - Série' });
  const derived = `${METAWAL_ID}/member-2`;
  assert.equal(series.seriesMember, [recordIri(SOURCE, `${METAWAL_ID}-member-1`), recordIri(SOURCE, derived)]);
  assert.is(first.identifier, `${SOURCE}:${METAWAL_ID}-member-1`);
  assert.is(second.identifier, `${SOURCE}:${derived}`);
  for (const m of [first, second]) {
    assert.equal(m.inSeries, [series['@id']]);
    assert.is(m.seriesMember, undefined);
  }
  const w = (results[2] as { warnings?: SourceWarning[] }).warnings!.map(warningLine);
  assert.ok(
    w.includes(
      `mdb:metadataIdentifier/*/mcc:code: missing in member 2 of 2 of a mda:DS_Series "${METAWAL_ID}": derived identifier "${derived}" from the series' and the member's position`,
    ),
    w.join('\n'),
  );
});

test('an ISO 19115-3 series whose members are given by xlink:href only: one record, whose warning names them in mda terms', () => {
  const xml = readFileSync(projectPath('test', 'fixtures', 'iso', MDA_SERIES), 'utf8');
  const href = 'https://metawal.wallonie.be/geonetwork/srv/api/records/0f8ad59d-d3e5-4144-acd2-9153d0adce74/formatters/xml';
  const linked = xml.replace(
    /<mda:composedOf>[\s\S]*<\/mda:composedOf>/,
    `<mda:composedOf><mda:DS_DataSet><mda:has xlink:href="${href}"/></mda:DS_DataSet></mda:composedOf>`,
  );
  assert.is(aggregateParts(splitRecords(linked).records[0]), undefined); // nothing embedded: not split
  const { record, warnings } = isoToRecord(linked, { source: SOURCE, harvestedAt });
  assert.is(record.identifier, `${SOURCE}:${METAWAL_ID}`);
  assert.is(record.seriesMember, undefined);
  assert.ok(
    warnings
      .map(warningLine)
      .includes(
        `mda:composedOf/mda:DS_DataSet/mda:has/@xlink:href: mda:DS_Series "${METAWAL_ID}": 1 member dataset(s) given by reference only (xlink:href, the first ${href}), not in the document: not records here; harvest the records they point to`,
      ),
    warnings.map(warningLine).join('\n'),
  );
});

test("ISO/TC 211's own mda 2.0 example (DS_OtherAggregate of a DS_Series and a DS_Platform): 2 members, the 3 they hold said", async () => {
  const xml = readFileSync(projectPath('schemas', 'xsd', 'iso', '19115', '-3', 'mda', '2.0', 'examples', 'mda.xml'), 'utf8');
  const parts = await raws('mda-example.xml', xml);
  assert.equal(
    parts.map((r) => r.location),
    ['mda-example.xml', 'mda-example.xml member 1 of 2', 'mda-example.xml member 2 of 2'],
  );
  const results = mapRecords(parts, { harvestedAt });
  assert.ok(results.every((r) => r.ok));
  const w = (results[0] as { warnings?: SourceWarning[] }).warnings!.map(warningLine);
  assert.ok(
    w.includes(
      'mda:composedOf: mda:DS_OtherAggregate: 2 member(s) are aggregates themselves (mda:DS_Series holding 1, mda:DS_Platform holding 2): each is one member, read from its own record (has); the 3 member(s) they hold are not split out',
    ),
    w.join('\n'),
  );
});

test.run();
