/**
 * ISO 19115-3 (mdb) crosswalk on every real fixture (/work/shared/fixtures/iso19115-3), field by field (values read
 * from the XML files).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectIsoFlavour, isoToRecord, type IsoMapResult } from '../../mappings/iso/index.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { AR, INSPIRE, LANG, ROLE, date, dateTime, wkt } from './iso-vocab.js';
import { recordIri } from '../../schemas/record.js';
import { warningLine } from '../../core/warnings.js';
import { dcElements } from '../../mappings/oai-dc.js';
import { toDataCite } from '../../mappings/datacite.js';

/** The IRIs of typed references ({ '@id', '@type' }), for short expectations. */
const ids = (xs: { '@id': string }[] | undefined): string[] | undefined => xs?.map((x) => x['@id']);

const SOURCE = 'metawal';
const CTX = { source: SOURCE, harvestedAt: '2025-06-01T12:00:00.000Z' };
const read = (f: string): string => readFileSync(sharedFixture('iso19115-3', f), 'utf8');
const map = (f: string): IsoMapResult => isoToRecord(read(f), CTX);
/** A real record of test/fixtures/iso (see its README). */
const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');

/** No empty strings, arrays or objects anywhere in a record. */
function assertClean(value: unknown, path: string): void {
  if (typeof value === 'string') assert.ok(value.trim() !== '', `empty string at ${path}`);
  else if (Array.isArray(value)) {
    assert.ok(value.length > 0, `empty array at ${path}`);
    value.forEach((v, i) => assertClean(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    assert.ok(Object.keys(value).length > 0, `empty object at ${path}`);
    for (const [k, v] of Object.entries(value)) assertClean(v, `${path}.${k}`);
  } else assert.ok(value !== undefined && value !== null, `missing value at ${path}`);
}

test('every 19115-3 fixture is detected and mapped with the 19115-3 catalogue record', () => {
  const files = readdirSync(sharedFixture('iso19115-3'));
  assert.is(files.length, 4);
  for (const f of files) {
    const xml = read(f);
    assert.is(detectIsoFlavour(xml), 'iso19115-3', f);
    const { record: r } = isoToRecord(xml, CTX);
    assert.is(r.isPrimaryTopicOf.sourceFormat, 'iso19115-3');
    assert.is(r.isPrimaryTopicOf.conformsTo?.['@id'], 'http://standards.iso.org/iso/19115/-3/mdb/2.0');
    assert.is(r['@id'], recordIri(SOURCE, r.isPrimaryTopicOf.identifier));
    assert.equal(r.isPrimaryTopicOf.harvestedAt, dateTime('2025-06-01T12:00:00.000Z'));
    assertClean(r, f);
  }
});

test('Metawal catchments (series): identifiers, dates, scale, CRS anchor, licences by Anchor, association', () => {
  const { record: r, warnings } = map('owslib-metawal.wallonie.be-catchments.xml');
  assert.equal(warnings, []);
  assert.is(r.isPrimaryTopicOf.identifier, '74f81503-8d39-4ec8-a49a-c76e0cd74946');
  assert.equal(r['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(ids(r.resourceType), [INSPIRE + 'ResourceType/series']);
  assert.equal(r.title, { fr: 'Protection des captages - Série' });
  assert.equal(r.otherIdentifier, [
    { '@type': 'adms:Identifier', notation: 'PROTECT_CAPT', schemaAgency: 'BE.SPW.INFRASIG.GINET' },
    { '@type': 'adms:Identifier', notation: '74f81503-8d39-4ec8-a49a-c76e0cd74946', schemaAgency: 'http://geodata.wallonie.be/id/' },
  ]);
  assert.equal(r.created, date('2000-01-01'));
  assert.equal(r.modified, date('2023-07-31'));
  assert.equal(r.issued, date('2022-11-08'));
  // The record date stamp is the latest revision date of mdb:dateInfo.
  assert.equal(r.isPrimaryTopicOf.modified, dateTime('2023-08-08T07:34:11.366Z'));
  assert.equal(ids(r.isPrimaryTopicOf.language), [LANG + 'FRA']);
  assert.equal(ids(r.language), [LANG + 'FRA']);
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: wkt('POLYGON((2.75 49.45,6.5 49.45,6.5 50.85,2.75 50.85,2.75 49.45))'),
      prefLabel: { fr: 'Région wallonne' },
    },
  ]);
  assert.equal(r.spatialResolutionAsText, ['1:10000']);
  assert.equal(ids(r.conformsTo), ['http://www.opengis.net/def/crs/EPSG/0/31370']);
  assert.equal(r.license, [
    {
      '@id': 'https://geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGA.pdf',
      '@type': 'dct:LicenseDocument',
      label: { fr: "Les conditions générales d'accès s’appliquent." },
    },
    {
      '@id': 'https://geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGU.pdf',
      '@type': 'dct:LicenseDocument',
      label: { fr: "Les conditions générales d'utilisation s'appliquent." },
    },
  ]);
  assert.ok(r.subject!.some((s) => s['@id'] === INSPIRE + 'TopicCategory/inlandWaters'));
  assert.ok(
    r.theme!.some(
      (t) =>
        t['@id'] === 'https://metawal.wallonie.be/thesaurus/theme-geoportail-wallon#SubThemesGeoportailWallon/1030' &&
        t.prefLabel?.['fr'] === 'Sol et sous-sol',
    ),
  );
  assert.ok(r.keyword!['fr'].includes('prévention rapprochée'));
  assert.equal(r.relation, [recordIri(SOURCE, '0f8ad59d-d3e5-4144-acd2-9153d0adce74')]);
  assert.is(r.contactPoint![0].hasEmail, 'mailto:helpdesk.carto@spw.wallonie.be');
  assert.equal(r.publisher, {
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { fr: 'Service public de Wallonie (SPW)' },
    mbox: 'mailto:helpdesk.carto@spw.wallonie.be',
  });
  const rest = r.distribution!.find((d) => d.protocol === 'ESRI:REST')!;
  assert.is(rest.accessURL, 'https://geoservices.wallonie.be/arcgis/rest/services/EAU/PROTECT_CAPT/MapServer');
  assert.equal(rest.title, { fr: 'Service de visualisation ESRI-REST' });
  assert.is(rest.license!['@id'], 'https://geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGA.pdf');
  assert.ok(r.landingPage!.some((p) => p['@id'] === 'http://geoapps.wallonie.be/Cigale/Public/#CTX=EAUX_SOUT'));
  assert.equal(
    r.depiction![0],
    'https://metawal.wallonie.be/geonetwork/srv/api/records/74f81503-8d39-4ec8-a49a-c76e0cd74946/attachments/PROTECT_CAPT.png',
  );
  assert.match(r.provenance![0].label['fr'], /^Pour les zones arrêtées/);
});

test('Metawal WMS service: view service, 11 operated datasets, GetCapabilities endpoint, public access by Anchor', () => {
  const { record: r } = map('owslib-metawal.wallonie.be-srv.xml');
  assert.is(r.isPrimaryTopicOf.identifier, '1714cd1e-6685-4dea-a6f4-b51612a15ed0');
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(ids(r.resourceType), [INSPIRE + 'ResourceType/service', INSPIRE + 'SpatialDataServiceType/view']);
  assert.is(r.servesDataset!.length, 11);
  assert.is(r.servesDataset![0], recordIri(SOURCE, '173e4f86-a4c0-4ee1-aee1-6b0b2e477f97'));
  assert.equal(r.accessRights, { '@id': AR + 'PUBLIC', '@type': 'dct:RightsStatement', label: { fr: 'No limitations to public access' } });
  const wms = r.distribution!.find((d) => d.accessURL.includes('request=GetCapabilities'))!;
  assert.equal(ids(wms.conformsTo), ['http://www.opengis.net/def/serviceType/ogc/wms']);
  assert.is(wms.format!['@id'], 'http://publications.europa.eu/resource/authority/file-type/WMS_SRVC');
  assert.is(wms.downloadURL, undefined);
  assert.equal(r.endpointURL, ['https://geoservices.test.wallonie.be/geoserver/inspire_hh/ows']);
  assert.equal(r.endpointDescription, [
    'https://geoservices.test.wallonie.be/geoserver/inspire_hh/ows?service=WMS&version=1.3.0&request=GetCapabilities',
  ]);
  assert.ok(r.conformsTo!.some((s) => s['@id'] === 'http://data.europa.eu/eli/reg/2009/976'));
  assert.equal(r.conformity![0].specification['@id'], 'http://data.europa.eu/eli/reg/2009/976');
  assert.is(r.conformity![0].pass, true);
  assert.ok(r.conformsTo!.some((s) => s['@id'] === 'http://www.opengis.net/def/crs/EPSG/0/3812'));
});

test('AuScope 3D model: ROR-identified funder, individual authors, CC BY licence, unclassified → public', () => {
  const { record: r } = map('owslib-auscope-3d-model.xml');
  assert.is(r.isPrimaryTopicOf.identifier, '5ebc3cb7-a3b5-4760-a8ff-851d5d5beb32');
  assert.equal(r.title, { en: '3D geological model of the Otway and Torquay Basin 2011' });
  assert.equal(r.funder, [
    {
      '@id': 'https://ror.org/04s1m4564',
      '@type': ['foaf:Organization', 'foaf:Agent'],
      name: { en: 'AuScope' },
      mbox: 'mailto:info@auscope.org.au',
      identifier: ['https://ror.org/04s1m4564'],
    },
  ]);
  assert.ok(r.qualifiedAttribution!.some((a) => a.hadRole === ROLE + 'funder' && a.agent['@id'] === 'https://ror.org/04s1m4564'));
  assert.equal(
    r.creator!.map((c) => c.name['@none']),
    ['P.B. SKLADZIEN', 'C. Jorand'],
  );
  assert.equal(r.license, [
    {
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
      '@type': 'dct:LicenseDocument',
      label: { en: 'https://creativecommons.org/licenses/by/4.0/' },
    },
  ]);
  assert.equal(r.accessRights, { '@id': AR + 'PUBLIC', '@type': 'dct:RightsStatement', label: { '@none': 'unclassified' } });
  assert.equal(r.spatial, [{ '@type': 'dct:Location', bbox: wkt('POLYGON((143 -39.4,144 -39.4,144 -38.4,143 -38.4,143 -39.4))') }]);
  // CI_Organisation with an individual: the organisation and the named person are both contacts.
  assert.equal(
    r.contactPoint!.map((c) => c.fn),
    ['Earth Resources Victoria', 'Anthony Hurst'],
  );
  assert.is(r.contactPoint![1].organizationName, 'Earth Resources Victoria');
});

test('ArcGIS 19115-3 export: every section reached (the template names each field it fills)', () => {
  const { record: r } = map('owslib-arcgis-sample.xml');
  assert.is(r.isPrimaryTopicOf.identifier, 'Metadata > Details > File Identifier');
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(r.isPartOf, [recordIri(SOURCE, 'Metadata > Details > Parent Identifier')]);
  assert.is(r.version, 'Overview > Citation > Edition > Edition');
  assert.equal(r.publisher!.name, { en: 'Overview > Citation Contacts > Contact > Organization (Role=Publisher)' });
  assert.equal(r.rightsHolder![0].name, { en: 'Overview > Citation Contacts > Contact > Organization (NAP Role=Rights Holder)' });
  assert.equal(r.spatialResolutionAsText, ['1:24000']);
  assert.is(r.spatialResolutionInMeters, '0.001');
  assert.equal(r.processingLevel, ['Resource > Content > Image Description > Processing Level Code > Code']);
  assert.equal(r.temporal![0], {
    '@type': 'dct:PeriodOfTime',
    startDate: dateTime('2011-01-01T00:00:01'),
    endDate: dateTime('2011-12-31T23:59:59'),
  });
  assert.equal(r.issued, dateTime('1994-01-01T06:00:00'));
  assert.equal(r.accessRights!['@id'], AR + 'RESTRICTED');
  assert.equal(r.provenance![0].label, { en: 'Resource > Lineage > Statement' });
  assert.ok(r.distribution!.some((d) => d.accessURL === 'http://Resource_Distribution_Digital_Transfer_Options_Online_Resource_Linkage'));
});

test('geocat.ch 19115-3 profile (che:CHE_MD_Metadata): 19115-3 although a link names the gmd namespace', () => {
  // the operatesOn xlink:href is a CSW GetRecordById URL with outputSchema=http://www.isotc211.org/2005/gmd
  const xml = own('geocat-grundwasservorkommen-19115-3.che.xml');
  assert.ok(xml.includes('outputSchema=http://www.isotc211.org/2005/gmd'));
  assert.is(detectIsoFlavour(xml), 'iso19115-3');
  const { record: r, warnings } = isoToRecord(xml, CTX);
  assert.equal(warnings, []);
  assert.is(r.isPrimaryTopicOf.identifier, 'f8ca237a-882b-4e72-8b81-81378fb9e85c'); // mdb:metadataIdentifier, not a sha256
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'iso19115-3');
  assert.equal(r.servesDataset, [recordIri(SOURCE, '7cb578f8-ca6f-40ef-8d39-d27414cc3047')]);
  assertClean(r, 'grundwasservorkommen');
});

test('geocat.ch 19115-3 profile: parties in che:CHE_CI_Organisation, associated record named in metadataReference', () => {
  const { record: r } = isoToRecord(own('geocat-grundwasservorkommen-19115-3.che.xml'), CTX);
  assert.is(r.contactPoint?.[0].fn, 'KGK-CGC');
  assert.is(r.contactPoint?.[0].hasEmail, 'mailto:geodienste@kgk-cgc.ch');
  assert.equal(r.qualifiedAttribution?.[0].agent.name, { de: 'KGK-CGC', fr: 'KGK-CGC', en: 'KGK-CGC', it: 'KGK-CGC' });
  assert.is(r.qualifiedAttribution?.[0].hadRole, 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/resourceProvider');

  const { record: tlm } = isoToRecord(own('geocat-swissTLM3D-19115-3.che.xml'), CTX);
  assert.equal(tlm.publisher?.name, {
    de: 'Bundesamt für Landestopografie swisstopo',
    fr: 'Office fédéral de topographie swisstopo',
    it: 'Ufficio federale di topografia swisstopo',
    en: 'Federal Office of Topography swisstopo',
  });
  assert.is(tlm.publisher?.mbox, 'mailto:info@swisstopo.ch');
  assert.is(tlm.contactPoint?.[0].fn, 'Bundesamt für Landestopografie swisstopo');
  // mri:associatedResource (isDescriptionOf) naming the record by metadataReference/cit:CI_Citation/cit:identifier
  assert.equal(tlm.relation, [recordIri(SOURCE, '73856ca2-f21d-4cc9-90f6-f3e8375555df')]);
  assertClean(tlm, 'swissTLM3D');
});

test('geocat.ch 19115-3: a name given in several languages is the one in the metadata language (German), else the first in document order', () => {
  // amphibians: metadata language ger; the point of contact an organisation named in DE, FR, IT, EN and RM
  const xml = own('geocat-amphibians-19115-3.che.xml');
  const r = isoToRecord(xml, CTX).record;
  assert.is(r.contactPoint?.[0].fn, 'Bundesamt für Umwelt / Abteilung Biodiversität und Landschaft');
  assert.is(r.contactPoint?.[1].fn, 'BAFU BNL'); // an individual of that organisation
  assert.is(r.contactPoint?.[1].organizationName, 'Bundesamt für Umwelt / Abteilung Biodiversität und Landschaft');
  // the individual's name given only as translations (no default text), French first: the German one
  const translated = xml.replace(
    '<cit:name>\n                    <gco:CharacterString>BAFU BNL</gco:CharacterString>\n                  </cit:name>',
    '<cit:name xsi:type="lan:PT_FreeText_PropertyType"><lan:PT_FreeText>' +
      '<lan:textGroup><lan:LocalisedCharacterString locale="#FR">OFEV BNL</lan:LocalisedCharacterString></lan:textGroup>' +
      '<lan:textGroup><lan:LocalisedCharacterString locale="#DE">BAFU BNL</lan:LocalisedCharacterString></lan:textGroup>' +
      '</lan:PT_FreeText></cit:name>',
  );
  assert.ok(translated !== xml);
  assert.is(isoToRecord(translated, CTX).record.contactPoint?.[1].fn, 'BAFU BNL');
  // ... and with no German one, the first in document order (French), not the first in sorted order (Italian...)
  const noGerman = translated.replace(
    '<lan:textGroup><lan:LocalisedCharacterString locale="#DE">BAFU BNL</lan:LocalisedCharacterString></lan:textGroup>',
    '<lan:textGroup><lan:LocalisedCharacterString locale="#IT">UFAM BNL</lan:LocalisedCharacterString></lan:textGroup>',
  );
  assert.is(isoToRecord(noGerman, CTX).record.contactPoint?.[1].fn, 'OFEV BNL');
});

test('AODN (GeoNetwork 4): a global box in longitudes 0..360 is the whole world, not "invalid coordinates" left out', () => {
  // Geoscience Australia's global seafloor geomorphic features map: W 0, E 360, S -90, N 90
  const { record: r, warnings } = isoToRecord(own('aodn-ga-seafloor-geomorphic-0-360.xml'), CTX);
  assert.equal(warnings, []);
  assert.equal(r.spatial, [{ '@type': 'dct:Location', bbox: wkt('POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))') }]);
});

test('AODN polygons: "EPSG:4326" written lat/lon (EPSG axis order) read so; a longitude 180.00000000000017 is 180', () => {
  // IMOS SOOP CO2: gml:Polygon srsName="EPSG:4326", posList "-69 57 -66 57 ..." (lat lon), holes; both were ignored
  const { record: r, warnings } = isoToRecord(own('aodn-sample1-latlon-polygons.xml'), CTX);
  assert.equal(warnings, []);
  const geometries = (r.spatial ?? []).flatMap((l) => (l.geometry ? [l.geometry['@value']] : []));
  assert.is(geometries.length, 2);
  assert.ok(geometries[0].startsWith('POLYGON((57 -69,57 -66,57 -63,60 -63,'), geometries[0].slice(0, 80));
  assert.ok(geometries[1].startsWith('POLYGON((-168 -48,-168 -51,-171 -51,'), geometries[1].slice(0, 80));
  assert.is(geometries[0].match(/\),\(/g)?.length, 9); // the exterior ring and its 9 holes, all kept (lat/lon too)

  const { record: noisy, warnings: noisyWarnings } = isoToRecord(own('aodn-polygon-180-rounding.xml'), CTX);
  assert.equal(noisyWarnings, []);
  assert.ok(
    noisy.spatial?.some((l) => l.geometry?.['@value'].startsWith('POLYGON((180 -59.99999999999992,179.99919998659038 -84.3600586656748,')),
  );
});

test('geocat.ch: an "EPSG:4326" polygon written latitude first, which only its box tells, is read so', () => {
  // the groundwater service's MultiSurface "47.80599 8.573027 47.7997 8.575219 ..." is a place in Switzerland read
  // latitude first, off Somalia read longitude first: both geographic; its extent's box (5.96..10.49 E, 45.82..47.81 N)
  // says which; it was indexed off Somalia
  const { record: r, warnings } = isoToRecord(own('geocat-grundwasservorkommen-19115-3.che.xml'), CTX);
  const polygons = (r.spatial ?? []).flatMap((l) => (l.geometry ? [l.geometry['@value']] : []));
  assert.is(polygons.length, 1);
  assert.ok(polygons[0].startsWith('POLYGON((8.573027 47.80598999999998,8.575219 47.79972649999999,'), polygons[0].slice(0, 80));
  // EPSG:4326's own axis order is latitude first: nothing to warn of (as AODN's)
  assert.equal(warnings, []);
  // the same polygon without its box (nothing to tell): read as written, longitude first, as before
  const xml = own('geocat-grundwasservorkommen-19115-3.che.xml').replace(
    /<gex:geographicElement>\s*<gex:EX_GeographicBoundingBox>[\s\S]*?<\/gex:EX_GeographicBoundingBox>\s*<\/gex:geographicElement>/,
    '',
  );
  const alone = isoToRecord(xml, CTX).record.spatial?.find((l) => l.geometry)?.geometry?.['@value'];
  assert.ok(alone?.startsWith('POLYGON((47.80598999999998 8.573027,'), alone?.slice(0, 80));
});

test('Geoscience Australia: the reference of a security constraint (its classification system) is no licence', () => {
  // mco:MD_SecurityConstraints/mco:reference: "Australian Government Security ClassificationSystem" (a web page)
  const { record: r } = isoToRecord(own('aodn-ga-national-base-map.xml'), CTX);
  assert.equal(
    r.license?.map((l) => l['@id']),
    ['https://creativecommons.org/licenses/by/4.0/'],
  );
  assert.ok(r.rights?.some((x) => x.label?.['en'] === 'Australian Government Security ClassificationSystem'));
  assert.is(r.accessRights?.['@id'], AR + 'PUBLIC'); // classification unclassified
});

test('AODN (COSIMA ACCESS-OM2): the links of a format distributor (MD_Format/formatDistributor) are distributions', () => {
  // mrd:distributionFormat/mrd:MD_Format/mrd:formatDistributor/mrd:MD_Distributor/mrd:distributorTransferOptions:
  // the record's only online resource (NCI THREDDS), which was lost: no distribution at all
  const { record: r, warnings } = isoToRecord(own('aodn-sample26-format-distributor.xml'), CTX);
  assert.equal(warnings.map(warningLine), [
    "mdb:identificationInfo/*/mri:extent/*/gex:geographicElement/gex:temporalElement: misplaced (a temporalElement belongs to the EX_Extent, beside its geographicElement): read as the extent's",
  ]);
  // that temporalElement, written inside the geographicElement, is the record's only period: it was lost
  assert.equal(r.temporal, [{ '@type': 'dct:PeriodOfTime', startDate: date('1958-01-01'), endDate: date('2018-12-31') }]);
  assert.equal(
    r.distribution?.map((d) => [d.accessURL, d.downloadURL, d.protocol, d.format?.['@id']]),
    [
      [
        'https://thredds.nci.org.au/thredds/catalog/catalogs/cj50/access-om2/raw-output/access-om2-01/access-om2-01.html',
        undefined, // a THREDDS catalogue page, not a file
        'WWW:DOWNLOAD-1.0-http--download',
        'http://publications.europa.eu/resource/authority/file-type/NETCDF',
      ],
    ],
  );
});

test('geocat.ch multilingual template: gml:id and id on one gml:TimePeriod are well-formed XML, the record is read', () => {
  // <gml:TimePeriod gml:id="d12853e296" id="A1234">: the record failed as "malformed XML: attribute id repeated"
  const { record: r } = isoToRecord(own('geocat-metadata-multilingual-19115-3.xml'), CTX);
  assert.is(r.isPrimaryTopicOf.identifier, 'cdecfe47-1780-4dda-9fdf-e0a099e4ba9b');
  assert.equal(r.title, {
    en: 'Template for Vector data (multilingual)',
    fr: 'Modèle pour les données vecteur (multilingue)',
    de: 'Vorlage für die Vektor-Daten (mehrsprachig)',
    '@none': '模板矢量数据（多种语言）',
    ru: 'Шаблон для векторных данных (многоязычное)',
  });
});

test('AADC via AODN: a DOI given by its authority (the DOI system) is the resource\'s DOI, not the label "Dataset DOI"', () => {
  // cit:identifier/mcc:MD_Identifier: code "Dataset DOI", authority "Information and documentation - Digital object
  // identifier system" (identifiers "ISO 26324:2012" and "doi:10.26179/qm0h-4q64")
  const { record: r, warnings } = isoToRecord(own('aodn-sample12-aadc-doi-authority.xml'), CTX);
  assert.equal(warnings, []);
  assert.equal(r.otherIdentifier, [{ '@type': 'adms:Identifier', notation: 'https://doi.org/10.26179/qm0h-4q64', schemaAgency: 'doi' }]);
  assert.is(r.isPrimaryTopicOf.identifier, '201112060');
});

test('AODN: an EX_Extent wrapped in another (gex:EX_Extent/mri:EX_Extent) is read, with a warning; dd/mm/yyyy dates are named', () => {
  // gex:extent/gex:EX_Extent/mri:EX_Extent gco:isoType="gmd:EX_Extent": the box and the period were lost without a word
  const { record: r, warnings } = isoToRecord(own('aodn-sample17-extent-in-extent.xml'), CTX);
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: wkt('POLYGON((132.79106 -12.36396,132.8853863 -12.36396,132.8853863 -12.2553,132.79106 -12.2553,132.79106 -12.36396))'),
    },
  ]);
  // its period is "15/06/1981" to "15/08/1984": not ISO 8601 dates, left out and said so
  assert.is(r.temporal, undefined);
  assert.equal(warnings.map(warningLine), [
    'mdb:identificationInfo/*/mri:extent/*: holds another EX_Extent instead of its elements (geographicElement, temporalElement...): the inner one is read',
    'mdb:identificationInfo/*/mri:extent/*/gex:temporalElement/*/gex:extent: begin "15/06/1981" is not a date (ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a date-time): ignored',
    'mdb:identificationInfo/*/mri:extent/*/gex:temporalElement/*/gex:extent: end "15/08/1984" is not a date (ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a date-time): ignored',
  ]);
});

test('IMOS via AODN: associated resources cited by title only are said, not lost silently; a title that is a URL relates it', () => {
  const { record: r, warnings } = isoToRecord(own('aodn-sample11-titled-associations.xml'), CTX);
  // the three mri:associatedResource (crossReference) have a title and a date, nothing to identify them by
  assert.equal(r.relation, ['https://publications.csiro.au/rpr/pub?pid=procite:f67a7186-7528-4efd-91c2-27f730665446']);
  const told = warnings.filter((w) => w.at === 'mdb:identificationInfo/*/mri:associatedResource').map((w) => w.message);
  assert.equal(told, [
    'the associated resource "Lynch, T.P., Roughan, M., Mclaughlan, D., Hughes, D., Cherry, D., Critchley, G.,…" is named by its title only (no identifier, metadataReference or link): not related; give its identifier or the record\'s uuidref',
    'the associated resource "IMOS National Reference Stations Biogeochemical Operations Manual" is named by its title only (no identifier, metadataReference or link): not related; give its identifier or the record\'s uuidref',
  ]);
});

test("IMAS via AODN: transfer options written inside a distributionFormat are the distribution's, with a warning", () => {
  // mrd:distributionFormat holds mrd:MD_Format and, beside it, mrd:transferOptions with the record's 10 links: the
  // record had no distribution at all
  const { record: r, warnings } = isoToRecord(own('aodn-sample21-transferoptions-in-format.xml'), CTX);
  assert.equal(warnings.map(warningLine), [
    'mdb:distributionInfo/*/mrd:distributionFormat/mrd:transferOptions: misplaced (transferOptions belong to MD_Distribution, beside its distributionFormat): read as its transfer options',
  ]);
  const zip = 'https://data.imas.utas.edu.au/attachments/dec073c6-0bdc-44b0-83da-48bc1042a93e/';
  assert.equal(
    r.distribution?.map((d) => [d.accessURL, d.downloadURL !== undefined]),
    [
      [zip + 'CocosKeelingIslandsMP_Seafloor_Classification_EOMAP.zip', true],
      [zip + 'CocosKeelingIslandsMP_Satellite_Derived_Bathymetry_EOMAP.zip', true],
      [zip + 'CocosKeelingIslandsMP_Satellite_Imagery_EOMAP.zip', true],
      [zip + 'maps/SDB_AUS_CocosIsland_EOMAP_20220701_20220708_2m_MSL_map.pdf', true],
      [zip + 'maps/SDB_AUS_NorthKeeling_EOMAP_20190623T035912_2m_MSL_map.pdf', true],
      [zip + 'maps/VUC_AUS_CocosIsland_EOMAP_20220701_20220708_2m_MSL_map.pdf', true],
      [zip + 'maps/VUC_AUS_NorthKeeling_EOMAP_20190623T035912_2m_MSL_map.pdf', true],
      ['https://geoserver.imas.utas.edu.au/geoserver/seamap/wms', false],
    ],
  );
  // its link to the Seamap Australia map viewer is a landing page
  assert.equal(
    r.landingPage?.map((p) => p['@id']),
    ['https://seamapaustralia.org/map/#17c24346-d0c9-426e-bffb-394b2e72fea6'],
  );
});

/**
 * The MD_Resolution choices of ISO 19115-1 that 19139 lacks (vertical, angularDistance, levelOfDetail), as the ICSM
 * metadata good practice quotes them from ABARES and Geoscience Australia records
 * (https://icsm-au.github.io/metadata-working-group/, "Spatial Resolution"), plus distances in kilometres given by
 * EPSG unit code, in degrees, and one that is no number: inserted into Metawal's catchments record next to its scale.
 */
const ICSM_RESOLUTIONS = [
  '<mri:distance><gco:Distance uom="metre">123</gco:Distance></mri:distance>',
  '<mri:angularDistance><gco:Angle uom="degreeLatitude">0.1</gco:Angle></mri:angularDistance>',
  '<mri:angularDistance><gco:Angle uom="degreeLongitude">0.05</gco:Angle></mri:angularDistance>',
  '<mri:vertical><gco:Distance uom="metre">123</gco:Distance></mri:vertical>',
  '<mri:levelOfDetail><gco:CharacterString>1:1000000 to 1:2000000</gco:CharacterString></mri:levelOfDetail>',
  '<mri:distance><gco:Distance uom="urn:ogc:def:uom:EPSG::9036">0.25</gco:Distance></mri:distance>',
  '<mri:distance><gco:Distance uom="deg">0.0083</gco:Distance></mri:distance>',
  '<mri:vertical><gco:Distance uom="m">n/a</gco:Distance></mri:vertical>',
];

test('19115-1 resolutions: vertical, angular distance and level of detail kept as text; distances in metres whatever their length unit', () => {
  const xml = read('owslib-metawal.wallonie.be-catchments.xml');
  const at = xml.indexOf('<mri:spatialResolution>');
  const inserted = ICSM_RESOLUTIONS.map(
    (e) => `<mri:spatialResolution><mri:MD_Resolution>${e}</mri:MD_Resolution></mri:spatialResolution>`,
  ).join('');
  const { record: r, warnings } = isoToRecord(`${xml.slice(0, at)}${inserted}${xml.slice(at)}`, CTX);
  const measure = (element: string): { value: string; uom: string }[] =>
    ICSM_RESOLUTIONS.flatMap((e) => {
      const m = new RegExp(`^<mri:${element}><gco:\\w+ uom="([^"]+)">([^<]+)<`).exec(e);
      return m ? [{ uom: m[1], value: m[2] }] : [];
    });
  const [metres, km, deg] = measure('distance');
  // every distance in metres (0.25 km is 250 m): the finest is the DCAT-AP value, the other one text
  const inMetres = [Number(metres.value), Number(km.value) * 1000];
  assert.is(r.spatialResolutionInMeters, String(Math.min(...inMetres)));
  const text = r.spatialResolutionAsText ?? [];
  assert.ok(text.includes(`${Math.max(...inMetres)} m`), text.join(' | '));
  // an angle is no distance: kept as given
  assert.ok(text.includes(`${deg.value} ${deg.uom}`), text.join(' | '));
  for (const a of measure('angularDistance')) assert.ok(text.includes(`angular distance ${a.value} ${a.uom}`), text.join(' | '));
  const [vertical] = measure('vertical');
  assert.ok(text.includes(`vertical distance ${vertical.value} m`), text.join(' | '));
  assert.ok(text.includes(/<gco:CharacterString>([^<]+)</.exec(ICSM_RESOLUTIONS[4])![1]));
  // the record's own scale is still there
  assert.ok(text.includes('1:10000'));
  // the vertical distance that is no number is said, with where it is
  const bad = measure('vertical')[1];
  assert.ok(
    warnings.map(warningLine).some((w) => w.includes('mri:spatialResolution/*/mri:vertical') && w.includes(`"${bad.value}"`)),
    warnings.map(warningLine).join('\n'),
  );
});

test('associationType revisionOf (how GeoNetwork links a new version to its previous one) → dcat:previousVersion, not dct:relation', () => {
  const xml = read('owslib-metawal.wallonie.be-catchments.xml');
  const uuid = /<mri:metadataReference uuidref="([^"]+)"/.exec(xml)![1];
  const { record: r } = isoToRecord(xml.replace('codeListValue="crossReference"', 'codeListValue="revisionOf"'), CTX);
  assert.equal(r.previousVersion, [recordIri(SOURCE, uuid)]);
  assert.is(r.relation, undefined);
  // carried where versions go: oai_dc dc:relation, DataCite IsNewVersionOf
  assert.ok(dcElements(r).some((e) => e.name === 'relation' && e.value === recordIri(SOURCE, uuid)));
  assert.match(toDataCite(r, 'openaire')!, `relationType="IsNewVersionOf">${recordIri(SOURCE, uuid)}<`);
});

test.run();
