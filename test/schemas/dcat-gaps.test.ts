/**
 * dcatGaps: the one rule for the DCAT-AP 3.0.1 mandatory values a record lacks (test/schemas/shacl.test.ts checks it
 * against the official shapes on every fixture record); `harvester map` warns about each gap, never fills it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mapRecord } from '../../pipelines/map.js';
import { dcatGaps } from '../../schemas/dcat-gaps.js';
import type { HubRecord } from '../../schemas/record.js';
import { fullRecord, smallRecord } from './sample-records.js';

const paths = (r: HubRecord) => dcatGaps(r).map((g) => `${g.class} ${g.property} ${g.path}`);

test('a record with every field lacks nothing', () => {
  assert.equal(dcatGaps(fullRecord()), []);
});

test('a dataset or a series without description; a service without endpoint (a service needs no description)', () => {
  const base = { source: 's', id: 'a', title: { en: 'T' } };
  assert.equal(paths(smallRecord(base)), ['dcat:Dataset dct:description /description']);
  assert.equal(paths(smallRecord({ ...base, type: ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'] })), [
    'dcat:DatasetSeries dct:description /description',
  ]);
  assert.equal(paths(smallRecord({ ...base, type: ['dcat:DataService', 'schema:WebAPI'] })), [
    'dcat:DataService dcat:endpointURL /endpointURL',
  ]);
  assert.equal(paths(smallRecord({ ...base, description: { en: 'D' } })), []);
  assert.equal(paths(smallRecord({ ...base, description: { en: '   ' } })), ['dcat:Dataset dct:description /description'], 'blank');
  const [gap] = dcatGaps(smallRecord(base));
  assert.is(gap.message, 'the dataset has no description (dct:description is mandatory for a dcat:Dataset)');
});

test('what the schema already requires is checked too, for any record (an old stored one)', () => {
  const r = fullRecord() as unknown as Record<string, any>;
  delete r.distribution[0].accessURL;
  delete r.isPrimaryTopicOf.modified;
  r.publisher.name = {};
  r.theme[0].prefLabel = {};
  delete r.theme[0].inScheme.title;
  r.title = { en: ' ' };
  assert.equal(paths(r as HubRecord), [
    'dcat:Dataset dct:title /title',
    'dcat:Distribution dcat:accessURL /distribution/0/accessURL',
    'dcat:CatalogRecord dct:modified /isPrimaryTopicOf/modified',
    'foaf:Agent foaf:name /publisher/name',
    'skos:Concept skos:prefLabel /theme/0/prefLabel',
    'skos:ConceptScheme dct:title /theme/0/inScheme/title',
  ]);
});

test('map warns about each gap and keeps the record: nothing is invented', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">
  <gmd:fileIdentifier><gco:CharacterString>no-abstract-1</gco:CharacterString></gmd:fileIdentifier>
  <gmd:identificationInfo><gmd:MD_DataIdentification><gmd:citation><gmd:CI_Citation>
    <gmd:title><gco:CharacterString>A dataset without abstract</gco:CharacterString></gmd:title>
  </gmd:CI_Citation></gmd:citation></gmd:MD_DataIdentification></gmd:identificationInfo>
</gmd:MD_Metadata>`;
  const result = mapRecord({ source: 's', body: xml, location: 'inline' }, { harvestedAt: '2026-11-25T12:00:00Z' });
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.is(result.record.description, undefined);
  assert.ok(result.warnings!.includes('DCAT-AP: the dataset has no description (dct:description is mandatory for a dcat:Dataset)'));
});

test.run();
