/**
 * The DCAT-AP 3 field group of the ISO crosswalk (mappings/iso/dcat3.ts) on real records: alternate titles
 * (dct:alternative), INSPIRE legislation declared by a conformance result (dcatap:applicableLegislation), and, on a
 * real ISO 19115-3 record given the elements no fixture holds (temporalResolution, additionalDocumentation), the
 * temporal resolution (dcat:temporalResolution, xsd:duration) and the documentation (dct:isReferencedBy).
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspireLegislation } from '../../mappings/iso/dcat3.js';
import { isoToRecord } from '../../mappings/iso/index.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';

const HARVESTED = '2026-12-07T12:00:00Z';

/** The records of a fixture file, as `harvester map` reads it (a CSW page, a series and its members...), by identifier. */
async function recordsOf(file: string): Promise<Map<string, HubRecord>> {
  const out = new Map<string, HubRecord>();
  for await (const item of itemsFromFile(file, 'fx')) {
    if (item.kind !== 'record') continue;
    const r = mapRecord(item.raw, { harvestedAt: HARVESTED });
    if (!r.ok) throw new Error(`${file}: ${r.error}`);
    out.set(r.record.isPrimaryTopicOf.identifier, r.record);
  }
  return out;
}
const one = async (file: string, id: string): Promise<HubRecord> => {
  const r = (await recordsOf(file)).get(id);
  if (!r) throw new Error(`${file}: no record ${id}`);
  return r;
};
const ids = (xs: { '@id': string }[] | undefined): string[] | undefined => xs?.map((x) => x['@id']);

const REG_1089 = 'http://data.europa.eu/eli/reg/2010/1089/oj';
const REG_976 = 'http://data.europa.eu/eli/reg/2009/976/oj';

test('alternate titles are dct:alternative, in their language; a licence citation`s alternate title is not the resource`s', async () => {
  // Marine Institute Ireland (19139, gmx:Anchor keywords): "2009 Climate Change Survey"
  const marine = await one(sharedFixture('iso19139', 'owslib-iso_keywords_anchor.xml'), 'ie.marine.data:dataset.1135');
  assert.equal(marine.alternative, { en: ['2009 Climate Change Survey'] });
  // DOV Flanders, in a CSW GetRecordById answer (Dutch)
  const dov = await one(sharedFixture('csw', 'owslib-csw_dov_getrecordbyid.xml'), '6c39d716-aecc-4fbc-bac8-4f05a49a78d5');
  assert.equal(dov.alternative, { nl: ['Grondwatermeetnetten beschikbaar op DOV'] });
  // Metawal (19115-3 mda:DS_Series): the series and each member it embeds carry their own
  const metawal = await recordsOf(projectPath('test', 'fixtures', 'iso', 'metawal-captages-mda-DS_Series.xml'));
  assert.ok(metawal.size >= 3);
  for (const r of metawal.values()) assert.equal(r.alternative, { fr: ['PROTECT_CAPT'] }, r.identifier);
  // AODN: "CC-BY" is the alternate title of the licence's citation, not of the data
  const aodn = [...(await recordsOf(projectPath('test', 'fixtures', 'iso', 'aodn-ga-national-base-map.xml'))).values()];
  assert.is(aodn.length, 1);
  assert.is(aodn[0].alternative, undefined);
});

test('an alternate title the record is called by (it has no title) is not also its alternative', () => {
  const xml = readFileSync(sharedFixture('iso19139', 'owslib-iso_keywords_anchor.xml'), 'utf8');
  const untitled = xml.replace(/<gmd:title>\s*<gco:CharacterString>[^<]*<\/gco:CharacterString>\s*<\/gmd:title>/, '');
  assert.is.not(untitled, xml);
  const { record } = isoToRecord(untitled, { source: 'fx', harvestedAt: HARVESTED });
  assert.equal(record.title, { en: '2009 Climate Change Survey' });
  assert.is(record.alternative, undefined);
});

test('applicable legislation: the INSPIRE regulation a conformance result declares the resource conformant to (pass true), never else', async () => {
  // pass true to 1089/2010, named by its English title only
  const marine = await one(sharedFixture('iso19139', 'owslib-iso_keywords_anchor.xml'), 'ie.marine.data:dataset.1135');
  assert.equal(marine.applicableLegislation, [{ '@id': REG_1089, '@type': 'eli:LegalResource' }]);
  // Metawal's view service: pass true to both, named by ELI (without /oj) and French titles
  const srv = await one(sharedFixture('iso19115-3', 'owslib-metawal.wallonie.be-srv.xml'), '1714cd1e-6685-4dea-a6f4-b51612a15ed0');
  assert.equal(ids(srv.applicableLegislation), [REG_976, REG_1089]);
  // a German service passes 976/2009, fails 1089/2010 and passes a Technical Guidance (no legislation): 976/2009 only
  const mixed = await one(sharedFixture('iso19139', 'owslib-iso19139_srv.xml'), '01ef8e6a-df59-4c2d-8468-79da95046705');
  assert.equal(
    mixed.conformity?.map((c) => c.pass),
    [true, false, true],
  );
  assert.equal(ids(mixed.applicableLegislation), [REG_976]);
  // not evaluated (no pass): WMO's ECMWF bulletin, the coverage record
  const wmo = await one(projectPath('test', 'fixtures', 'iso', 'wmo-ecmwf-HJXA88ECMF-wcmp13.xml'), 'urn:x-wmo:md:int.wmo.wis::HJXA88ECMF');
  assert.ok(wmo.conformity?.some((c) => /1089\/2010/.test(c.specification.title?.en ?? '')));
  assert.is(wmo.applicableLegislation, undefined);
  const cov = await one(projectPath('test', 'fixtures', 'iso', 'standards-coverage.xml'), 'cov-0001');
  assert.is(cov.applicableLegislation, undefined);
  // a data specification passed is not a legislation
  assert.equal(
    inspireLegislation([
      { '@type': 'hub:ConformityResult', specification: { title: { en: 'INSPIRE Data Specification on Cadastral Parcels' } }, pass: true },
    ]),
    [],
  );
});

/** The Metawal catchments record (19115-3) with elements inserted where 19115-3 puts them in MD_DataIdentification. */
function catchmentsWith(opts: { temporalResolution?: string; documentation?: string }): string {
  let xml = readFileSync(sharedFixture('iso19115-3', 'owslib-metawal.wallonie.be-catchments.xml'), 'utf8');
  if (opts.temporalResolution !== undefined) {
    const at = xml.indexOf('<mri:topicCategory>');
    xml = `${xml.slice(0, at)}<mri:temporalResolution><gco:TM_PeriodDuration>${opts.temporalResolution}</gco:TM_PeriodDuration></mri:temporalResolution>\n      ${xml.slice(at)}`;
  }
  if (opts.documentation !== undefined) {
    const at = xml.indexOf('</mri:extent>') + '</mri:extent>'.length;
    xml = `${xml.slice(0, at)}\n      <mri:additionalDocumentation>${opts.documentation}</mri:additionalDocumentation>${xml.slice(at)}`;
  }
  return xml;
}
const mapXml = (xml: string) => isoToRecord(xml, { source: 'metawal', harvestedAt: HARVESTED });

test('ISO 19115-3 temporalResolution (TM_PeriodDuration) is dcat:temporalResolution; weeks as days; words left out with a warning', () => {
  assert.is(mapXml(catchmentsWith({})).record.temporalResolution, undefined);
  assert.is(mapXml(catchmentsWith({ temporalResolution: 'P1D' })).record.temporalResolution, 'P1D');
  assert.is(mapXml(catchmentsWith({ temporalResolution: 'PT15M' })).record.temporalResolution, 'PT15M');
  assert.is(mapXml(catchmentsWith({ temporalResolution: 'P2W' })).record.temporalResolution, 'P14D');
  const daily = mapXml(catchmentsWith({ temporalResolution: 'daily' }));
  assert.is(daily.record.temporalResolution, undefined);
  assert.ok(
    daily.warnings.some((w) => w.at.endsWith('mri:temporalResolution') && w.message === '"daily" is not an ISO 8601 duration: left out'),
    JSON.stringify(daily.warnings),
  );
});

test('ISO 19115-3 additionalDocumentation is dct:isReferencedBy: its DOI, else its online resource', () => {
  const cite = (inner: string) =>
    `<cit:CI_Citation><cit:title><gco:CharacterString>A paper</gco:CharacterString></cit:title>${inner}</cit:CI_Citation>`;
  const doi = `<cit:identifier><mcc:MD_Identifier><mcc:code><gco:CharacterString>doi:10.5194/hess-22-1-2018</gco:CharacterString></mcc:code></mcc:MD_Identifier></cit:identifier>`;
  const online = `<cit:onlineResource><cit:CI_OnlineResource><cit:linkage><gco:CharacterString>https://example.org/guide.pdf</gco:CharacterString></cit:linkage></cit:CI_OnlineResource></cit:onlineResource>`;
  assert.equal(mapXml(catchmentsWith({ documentation: cite(doi + online) })).record.isReferencedBy, [
    'https://doi.org/10.5194/hess-22-1-2018',
  ]);
  assert.equal(mapXml(catchmentsWith({ documentation: cite(online) })).record.isReferencedBy, ['https://example.org/guide.pdf']);
  assert.is(mapXml(catchmentsWith({ documentation: cite('') })).record.isReferencedBy, undefined);
  // the record's own crossReference aggregation stays a relation
  const plain = mapXml(catchmentsWith({})).record;
  assert.ok(plain.relation && plain.relation.length > 0);
  assert.is(plain.isReferencedBy, undefined);
});

test.run();
