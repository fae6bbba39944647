/** The record -> oai_dc crosswalk and the DOI/Handle rule (mappings/oai-dc.ts, mappings/pid.ts), on hand-made and real records. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XMLParser } from 'fast-xml-parser';
import { dcElements, toOaiDc } from '../../mappings/oai-dc.js';
import { globalIdentifiers, handleUrl } from '../../mappings/pid.js';
import { toIndexDoc } from '../../mappings/index-doc.js';
import { fixtureRecords } from '../helpers/fixture-index.js';
import { fullRecord, smallRecord } from '../schemas/sample-records.js';
import { dcat3Records } from '../schemas/dcat3-records.js';

test('DOIs in every spelling become https://doi.org/ identifiers, first; Handles after them; nothing from prose', () => {
  const r = smallRecord({ source: 's', id: 'a', title: { en: 'x' } });
  r.otherIdentifier = [
    { '@type': 'adms:Identifier', notation: 'local-42' },
    { '@type': 'adms:Identifier', notation: 'hdl:20.500.12345/abc' },
    { '@type': 'adms:Identifier', notation: 'doi:10.1234/ABC.def' },
    { '@type': 'adms:Identifier', notation: 'https://dx.doi.org/10.5678/x' },
    { '@type': 'adms:Identifier', notation: '21.T11998/0000-001A', schemaAgency: 'Handle' },
    { '@type': 'adms:Identifier', notation: 'see doi 10.1/2 in the paper' },
  ];
  assert.equal(
    globalIdentifiers(r).map((p) => p.url),
    [
      'https://doi.org/10.1234/ABC.def',
      'https://doi.org/10.5678/x',
      'https://hdl.handle.net/20.500.12345/abc',
      'https://hdl.handle.net/21.T11998/0000-001A',
    ],
  );
  const ids = dcElements(r)
    .filter((e) => e.name === 'identifier')
    .map((e) => e.value);
  assert.equal(
    ids.slice(0, 4),
    globalIdentifiers(r).map((p) => p.url),
  );
  assert.ok(ids.includes('local-42'));
  assert.equal(toIndexDoc(r).pid, ['doi', 'handle']);
  assert.is(handleUrl('10.1234/x', 'handle'), undefined, 'a DOI prefix is not taken for a Handle');
});

test('creator with affiliation, contributors typed only with a Dataverse type, one date, languages, DCMI type, xml:lang', () => {
  const r = fullRecord();
  const xml = toOaiDc(r);
  const dc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true }).parse(xml).dc as Record<
    string,
    unknown
  >;
  const arr = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
  const creators = arr(dc.creator as { '#text': string; '@affiliation'?: string } | string);
  assert.ok(creators.length >= 1);
  const withAff = creators.find((c) => typeof c === 'object' && c['@affiliation']);
  assert.ok(withAff, `a creator carries its organisation: ${JSON.stringify(creators)}`);
  assert.is(arr(dc.date as string).length, 1);
  assert.match(String(arr(dc.date as string)[0]), /^\d{4}(-\d\d){0,2}$/);
  const types = arr(dc.type as string);
  assert.is(types[0], 'Dataset');
  const contributors = arr(dc.contributor as { '@type'?: string } | string).filter((c) => typeof c === 'object');
  const allowed = [
    'Data Curator',
    'Rights Holder',
    'Project Leader',
    'Data Manager',
    'Editor',
    'Sponsor',
    'Funder',
    'Hosting Institution',
    'Project Member',
    'Other',
  ];
  for (const c of contributors) if (c['@type']) assert.ok(allowed.includes(c['@type']), c['@type']);
  for (const l of arr(dc.language as string)) assert.match(l, /^[a-z]{2,3}$/);
  assert.match(xml, /<dc:title xml:lang="[a-z]{2}">/);
  assert.match(
    xml,
    /^<oai_dc:dc xmlns:oai_dc="http:\/\/www\.openarchives\.org\/OAI\/2\.0\/oai_dc\/" xmlns:dc="http:\/\/purl\.org\/dc\/elements\/1\.1\/"/,
  );
});

test('text is escaped and characters XML forbids are dropped: the record stays well-formed', () => {
  const r = smallRecord({ source: 's', id: 'a&b', title: { fr: 'Sols <profonds> & "humides"\u0001' } });
  const xml = toOaiDc(r);
  assert.match(xml, /<dc:title xml:lang="fr">Sols &lt;profonds&gt; &amp; &quot;humides&quot;<\/dc:title>/);
  assert.not.match(xml, /\u0001/);
  new XMLParser().parse(xml);
});

test('every real fixture record gives well-formed oai_dc with a title and its identifiers; those with a DOI start with it', async () => {
  const records = await fixtureRecords();
  let withPid = 0;
  for (const r of records) {
    const els = dcElements(r);
    assert.ok(
      els.some((e) => e.name === 'title'),
      r.identifier,
    );
    const ids = els.filter((e) => e.name === 'identifier').map((e) => e.value);
    assert.ok(ids.includes(r['@id']), r.identifier);
    const pids = globalIdentifiers(r);
    if (pids.length > 0) {
      withPid++;
      assert.is(ids[0], pids[0].url, r.identifier);
    }
    assert.is(
      toIndexDoc(r).has_doi,
      pids.some((p) => p.scheme === 'doi'),
    );
  }
  assert.ok(withPid >= 5, `fixtures with a DOI: ${withPid}`);
});

test('the publications about a resource and its versions are dc:relation (DCMI dumb-down of dct:isReferencedBy, hasVersion, isVersionOf)', async () => {
  const records = await dcat3Records();
  const sci = records.find((x) => x.record.isReferencedBy?.includes('https://doi.org/10.1038/sdata.2017.78'))!.record;
  const ckan = records.find((x) => x.record.isVersionOf?.length)!.record;
  const relations = (r: typeof sci) => dcElements(r).flatMap((e) => (e.name === 'relation' ? [e.value] : []));
  assert.ok(relations(sci).includes('https://doi.org/10.1038/sdata.2017.78'), relations(sci).join(' '));
  for (const iri of [...ckan.hasVersion!, ...ckan.isVersionOf!, ...ckan.isReferencedBy!]) assert.ok(relations(ckan).includes(iri), iri);
});

test.run();
