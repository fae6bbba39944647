/**
 * A member read on its own: Northwest Knowledge Network's Rathdrum Prairie aquifer record (a real member of NKN's
 * Challis LiDAR series, test/fixtures/iso) given the gmd:parentIdentifier that names the series, harvested apart from
 * it (as a CSW lists both). Its record says dct:isPartOf only (its own record cannot tell its parent is a series); what
 * the hub serves of it (GET /records/{id}, OAI-PMH dcat_ap: servedGraph; the catalogue: catalogEntry) says dcat:inSeries
 * too when the hub holds the series, and the series is typed and titled there; not when the hub does not hold it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { isoToRecord } from '../../mappings/iso/index.js';
import { exportDcat, servedGraph, servedRecordGraph } from '../../pipelines/export-dcat.js';
import { DEFAULT_IDENTITY } from '../../pipelines/hub-identity.js';
import { projectPath } from '../../schemas/paths.js';
import { recordIri } from '../../schemas/record.js';
import type { Quad } from '../../mappings/rdf/quads.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('inseries-parent');
const SOURCE = 'nkn';
const HARVESTED = '2026-12-07T12:00:00Z';
const DCAT = 'http://www.w3.org/ns/dcat#';
const IS_PART_OF = 'http://purl.org/dc/terms/isPartOf';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');
const memberXml = own('nkn-rathdrum-prairie-aquifer-iso19139.xml').replace(
  '<gmd:hierarchyLevel>',
  `<gmd:parentIdentifier><gco:CharacterString>${SERIES_ID}</gco:CharacterString></gmd:parentIdentifier>\n  <gmd:hierarchyLevel>`,
);
const member = isoToRecord(memberXml, { source: SOURCE, harvestedAt: HARVESTED }).record;
const series = isoToRecord(own('nkn-challis-lidar-DS_Series.xml'), { source: SOURCE, harvestedAt: HARVESTED }).record;
const SERIES_IRI = recordIri(SOURCE, SERIES_ID);

const about = (quads: Quad[], s: string, p: string): string[] =>
  quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);

test.before(async () => {
  await indexRecords(client, alias, [member, series]);
});
test.after(async () => {
  await deleteIndices(client, `${alias}*`);
});

test('the records: the member names its parent by dct:isPartOf only; the parent is a dcat:DatasetSeries', () => {
  assert.is(member.identifier, `${SOURCE}:${MEMBER_ID}`);
  assert.equal(member.isPartOf, [SERIES_IRI]);
  assert.is(member.inSeries, undefined);
  assert.is(series['@id'], SERIES_IRI);
  assert.is(series['@type'][0], 'dcat:DatasetSeries');
  // alone (the hub does not hold the series): no dcat:inSeries
  const alone = servedGraph(member, new Map());
  assert.equal(about(alone, member['@id'], `${DCAT}inSeries`), []);
  assert.equal(about(alone, member['@id'], IS_PART_OF), [SERIES_IRI]);
  // a parent the hub holds that is no series: no dcat:inSeries either
  const dataset = { ...series, '@type': ['dcat:Dataset', 'schema:Dataset'] as ['dcat:Dataset', 'schema:Dataset'] };
  assert.equal(about(servedGraph(member, new Map([[SERIES_IRI, dataset]])), member['@id'], `${DCAT}inSeries`), []);
});

test('served on its own (/records/{id}, OAI-PMH dcat_ap): dcat:inSeries to the series the hub holds, the series typed and titled', async () => {
  const quads = await servedRecordGraph(client, alias, member);
  assert.equal(about(quads, member['@id'], `${DCAT}inSeries`), [SERIES_IRI]);
  assert.equal(about(quads, member['@id'], IS_PART_OF), [SERIES_IRI]);
  assert.equal(about(quads, SERIES_IRI, RDF_TYPE), [`${DCAT}DatasetSeries`]);
  assert.equal(about(quads, SERIES_IRI, 'http://purl.org/dc/terms/title'), Object.values(series.title));
});

test('in the catalogue (harvester export dcat, /catalog): the member is in its series too', async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  await exportDcat({ client, alias, identity: DEFAULT_IDENTITY, format: 'ntriples', out });
  const nt = chunks.join('');
  assert.ok(nt.includes(`<${member['@id']}> <${DCAT}inSeries> <${SERIES_IRI}> .`), nt.slice(0, 2000));
  assert.ok(nt.includes(`<${member['@id']}> <${IS_PART_OF}> <${SERIES_IRI}> .`));
});

test.run();
