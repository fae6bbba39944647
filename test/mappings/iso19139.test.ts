/**
 * ISO 19139 / 19115-2 crosswalk on every real fixture (/work/shared/fixtures/iso19139), with field-by-field checks
 * of representative records (values read from the XML files), and broken variants from test/fixtures/iso/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectIsoFlavour, isoToRecord, type IsoMapResult } from '../../mappings/iso/index.js';
import { RecordError, SkipRecord } from '../../core/result.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { AR, INSPIRE, LANG, ROLE, date, dateTime, wkt } from './iso-vocab.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { warningLine } from '../../core/warnings.js';

/** The IRIs of typed references ({ '@id', '@type' }), for short expectations. */
const ids = (xs: { '@id': string }[] | undefined): string[] | undefined => xs?.map((x) => x['@id']);

const SOURCE = 'test-csw';
const CTX = { source: SOURCE, harvestedAt: '2025-06-01T12:00:00Z', sourceUrl: 'http://localhost/csw?request=GetRecordById' };
const DIR = 'iso19139';
const read = (f: string): string => readFileSync(sharedFixture(DIR, f), 'utf8');
const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');
const map = (f: string): IsoMapResult => isoToRecord(read(f), CTX);
const rec = (f: string): HubRecord => map(f).record;

/** No empty strings, arrays or objects anywhere; every IRI-valued field absolute. */
function assertClean(value: unknown, path: string): void {
  if (typeof value === 'string') {
    assert.ok(value.trim() !== '', `empty string at ${path}`);
  } else if (Array.isArray(value)) {
    assert.ok(value.length > 0, `empty array at ${path}`);
    value.forEach((v, i) => assertClean(v, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    assert.ok(entries.length > 0, `empty object at ${path}`);
    for (const [k, v] of entries) {
      assert.ok(v !== undefined && v !== null, `undefined at ${path}.${k}`);
      if (['@id', 'accessURL', 'downloadURL', 'hadRole', 'mbox', 'hasEmail'].includes(k)) {
        assert.match(v as string, /^(https?|mailto|s3|ftp):/, `${path}.${k} is not an IRI: ${String(v)}`);
      }
      assertClean(v, `${path}.${k}`);
    }
  }
}

test('every ISO 19139 / 19115-2 fixture maps to a clean record with its catalogue record', () => {
  const files = readdirSync(sharedFixture(DIR));
  assert.ok(files.length >= 27);
  for (const f of files) {
    const xml = read(f);
    const { record, warnings } = isoToRecord(xml, CTX);
    assertClean(record, f);
    const cr = record.isPrimaryTopicOf;
    assert.is(record['@id'], recordIri(SOURCE, cr.identifier), f);
    assert.is(record.identifier, `${SOURCE}:${cr.identifier}`, f);
    assert.is(cr.sourceId, SOURCE);
    assert.is(cr.sourceUrl, CTX.sourceUrl);
    assert.equal(cr.harvestedAt, dateTime('2025-06-01T12:00:00Z'));
    assert.match(cr.contentHash, /^[0-9a-f]{64}$/);
    assert.ok(['iso19139', 'iso19115-2'].includes(cr.sourceFormat), f);
    assert.is(cr.sourceFormat, detectIsoFlavour(xml), f);
    assert.is(
      cr.conformsTo?.['@id'],
      cr.sourceFormat === 'iso19139' ? 'http://www.isotc211.org/2005/gmd' : 'http://www.isotc211.org/2005/gmi',
    );
    assert.ok(
      Object.values(record.title).every((t) => t.length > 0),
      f,
    );
    // what the crosswalk forgave or guessed, exactly (three fixtures have something to say)
    assert.equal(
      warnings.map(({ at, message, code }) => ({ at, message, code })),
      EXPECTED_WARNINGS[f] ?? [],
      f,
    );
  }
  assert.equal(
    Object.keys(EXPECTED_WARNINGS).filter((f) => !files.includes(f)),
    [],
  );
});

/** The warnings of the fixtures that have any, where in the record, what and its code (each checked against the file). */
const EXPECTED_WARNINGS: Record<string, { at: string; message: string; code: string }[]> = {
  // a cited party's online resource written as a relative link: not an IRI, left out
  'owslib-9250AA67-F3AC-6C12-0CB9-0662231AA181_iso.xml': [
    {
      at: 'gmd:identificationInfo/*/gmd:citation/*/gmd:citedResponsibleParty/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      message:
        '"DisplayFullMetadata.jsp?id=FBAED13B-DF3C-9CCC-95A6-27BEB390001C" is not an absolute URL (it has no scheme such as https:, and none is guessed): the contact\'s web address is left out',
      code: 'iso.contact.urlNotAbsolute',
    },
  ],
  // a scheme-less contact URL (never guessed into an IRI); codeListValue="5annually" (the Dutch "5-jaarlijks"): not an
  // ISO maintenance frequency
  'owslib-csw_iso_identifier.xml': [
    {
      at: 'gmd:distributionInfo/*/gmd:distributor/*/gmd:distributorContact/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      message:
        '"www.defensie.nl/hydro" is not an absolute URL (it has no scheme such as https:, and none is guessed): the contact\'s web address is left out',
      code: 'iso.contact.urlNotAbsolute',
    },
    {
      at: 'gmd:identificationInfo/*/gmd:resourceMaintenance/*/gmd:maintenanceAndUpdateFrequency',
      message: '"5annually" not recognised',
      code: 'iso.frequency.unknown',
    },
  ],
  // a gmd:EX_BoundingPolygon holding a gml:LineString: no area to index
  'owslib-iso_keywords_anchor.xml': [
    {
      at: 'gmd:identificationInfo/*/gmd:extent/*/gmd:geographicElement/gmd:EX_BoundingPolygon/gmd:polygon',
      message: 'unsupported or non-geographic GML LineString: bounding polygon ignored',
      code: 'iso.polygon.unsupported',
    },
  ],
  // a view service that describes no operation, so no connectPoint
  'pycsw-apiso-3e9a8c05.xml': [
    {
      at: 'gmd:identificationInfo/*/srv:containsOperations/*/srv:connectPoint',
      message: 'missing: the online resources of the service are taken as its endpoints',
      code: 'iso.connectPoint.missing',
    },
  ],
};

test('GeoBretagne (FR, GeoNetwork): identity, texts, extent, parties, constraints, links', () => {
  const { record: r, warnings } = map('owslib-csw_geobretagne_mdmetadata.xml');
  assert.equal(warnings, []);
  assert.is(r.identifier, 'test-csw:955c3e47-411e-4969-b61b-3556d1b9f879');
  assert.equal(r['@type'], ['dcat:Dataset', 'schema:Dataset']);
  assert.equal(r.title, { fr: 'Cadastre 2018 en Bretagne' });
  assert.match(r.description!['fr'], /^Le plan du cadastre est un document administratif/);
  assert.equal(r.otherIdentifier, [
    {
      '@type': 'adms:Identifier',
      notation: 'https://geobretagne.fr/geonetwork/apps/georchestra/?uuid=363e3a8e-d0ce-497d-87a9-2a2d58d82772',
    },
  ]);
  assert.equal(ids(r.language), [LANG + 'FRA']);
  assert.equal(ids(r.isPrimaryTopicOf.language), [LANG + 'FRA']);
  assert.equal(r.isPrimaryTopicOf.modified, dateTime('2018-07-30T14:19:40'));
  assert.equal(r.modified, date('2018-09-01'));
  assert.equal(ids(r.resourceType), [INSPIRE + 'ResourceType/dataset']);
  assert.equal(r.spatial![0], {
    '@type': 'dct:Location',
    bbox: wkt(
      'POLYGON((-5.23515625 46.755859375,-1.1921875 46.755859375,-1.1921875 49.30468750000001,-5.23515625 49.30468750000001,-5.23515625 46.755859375))',
    ),
    prefLabel: { fr: 'Bretagne' },
  });
  assert.equal(r.spatial![1], { '@type': 'dct:Location', prefLabel: { '@none': 'FXX' } });
  // Keywords without thesaurus are free words; thesaurus "INSPIRE themes" → INSPIRE theme IRI; GEMET terms given
  // by their label only are keywords too (DCAT-AP themes are concept IRIs).
  assert.ok(r.keyword!['fr'].includes('cadastrale'));
  assert.ok(r.keyword!['fr'].includes('référentiels : cadastre'));
  const cp = r.theme!.find((t) => t['@id'] === 'http://inspire.ec.europa.eu/theme/cp')!;
  assert.equal(cp.prefLabel, { fr: 'Parcelles cadastrales' });
  assert.equal(cp.inScheme, {
    '@id': 'http://inspire.ec.europa.eu/theme',
    '@type': 'skos:ConceptScheme',
    title: { fr: 'INSPIRE themes' },
    issued: date('2008-06-01'),
  });
  assert.equal(
    r.theme!.filter((t) => t.inScheme?.['@id'] === 'http://www.eionet.europa.eu/gemet/'),
    [],
  );
  assert.ok(['cadastre', 'bâtiment'].every((k) => r.keyword!['fr'].includes(k)));
  assert.ok(
    r.theme!.every((t) => t['@id'] && Object.keys(t.prefLabel).length > 0),
    'themes are labelled IRIs',
  );
  assert.equal(
    r.subject!.map((s) => s['@id']),
    [INSPIRE + 'TopicCategory/planningCadastre'],
  );
  // labelled as the INSPIRE registry labels it, in English and French, in its scheme titled in both
  assert.equal(r.subject![0].prefLabel, { en: 'Planning / cadastre', fr: 'Planification / cadastre' });
  assert.equal(r.subject![0].inScheme?.title, { en: 'Topic category', fr: 'Catégorie thématique' });
  // Parties: publisher falls back to the distributor; PoC with e-mail.
  assert.equal(r.publisher, {
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { fr: 'DIRECTION GENERALE DES FINANCES PUBLIQUES' },
    mbox: 'mailto:bureau.gf3a@dgfip.finances.gouv.fr',
  });
  assert.equal(r.contactPoint![0], {
    '@type': ['vcard:Individual', 'vcard:Kind'],
    fn: 'DIRECTION GENERALE DES FINANCES PUBLIQUES',
    organizationName: 'DGFIP Bretagne',
    hasEmail: 'mailto:bureau.gf3a@dgfip.finances.gouv.fr',
  });
  // GeoDCAT-AP: the metadata point of contact (gmd:contact, about the record) is the catalogue record's contact point
  assert.equal(r.isPrimaryTopicOf.contactPoint, [
    {
      '@type': ['vcard:Organization', 'vcard:Kind'],
      fn: 'DIRECTION GENERALE DES FINANCES PUBLIQUES BUREAU GF-3A',
      hasEmail: 'mailto:bureau.gf3a@dgfip.finances.gouv.fr',
    },
  ]);
  // The MD_Distributor contact carries role pointOfContact (its explicit role wins over "distributor"); the format
  // distributors (AUTODESK, AFNOR...) are about formats, not the dataset, and are not attributions.
  assert.equal(
    r.qualifiedAttribution!.map((a) => a.hadRole),
    [ROLE + 'pointOfContact', ROLE + 'pointOfContact', ROLE + 'pointOfContact'],
  );
  assert.ok(!JSON.stringify(r).includes('AUTODESK'));
  // Constraints: otherConstraints under useConstraints → licence label; useLimitation → rights.
  assert.equal(r.license, [
    {
      '@type': 'dct:LicenseDocument',
      label: { fr: 'Usage libre sous réserve des mentions obligatoires sur tout document de diffusion : "Source : DGFIP"' },
    },
  ]);
  assert.equal(r.rights![0], {
    '@type': 'dct:RightsStatement',
    label: { fr: 'le plan cadastral décrit les limites apparentes de la propriété.' },
  });
  assert.is(r.rights!.length, 2);
  assert.match(r.provenance![0].label['fr'], /^Les plans cadastraux au format vecteur gérés et exportés par les services de la DGFiP/);
  assert.equal(ids(r.conformsTo), [
    'http://www.opengis.net/def/crs/EPSG/0/3948',
    'http://www.opengis.net/def/crs/EPSG/0/3950',
    'http://www.opengis.net/def/crs/EPSG/0/2154',
  ]);
  assert.equal(r.conformity![0].specification, {
    title: { fr: 'INSPIRE Data Specification on Cadastral Parcels - Guidelines v 3.0.1' },
    issued: date('2010-11-30'),
  });
  assert.is(r.conformity![0].pass, false);
  assert.equal(r.spatialResolutionAsText, ['1:500']);
  assert.equal(r.accrualPeriodicity, {
    '@id': 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
    '@type': 'dct:Frequency',
  });
  // WWW:LINK online resources are landing pages (the &amp; of the URL decoded), not distributions.
  assert.equal(r.landingPage![0], { '@id': 'http://www.cadastre.gouv.fr', '@type': 'foaf:Document' });
  assert.match(r.landingPage![1]['@id'], /pageId=collectivites&espId=3&typePage=cpr02/);
  assert.is(r.distribution, undefined);
  assert.is(r.isPartOf, undefined); // empty parentIdentifier
});

test('geocat.ch CHE profile: multilingual texts by PT_Locale, GEMET translations, polygon, owner', () => {
  const { record: r } = map('owslib-iso_che.xml');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'iso19139');
  assert.is(r.isPrimaryTopicOf.identifier, '3d2981af-d5db-4122-8db6-1ea41ed44b3f');
  assert.equal(r.title, { de: 'Gewässerschutzkarte' });
  assert.match(r.description!['de'], /^Die Gewässerschutzkarte mit den darin aufgeführten/);
  assert.equal(ids(r.language), [LANG + 'DEU']);
  // GEMET concepts given by their labels only (no Anchor): keywords in each language (DCAT-AP themes are IRIs)
  assert.is(r.theme, undefined);
  assert.ok(r.keyword!['de'].includes('Grundwasser'));
  assert.ok(r.keyword!['en'].includes('groundwater'));
  assert.ok(r.keyword!['it'].includes('acqua sotterranea'));
  assert.ok(r.keyword!['fr'].includes('eaux souterraines'));
  // Free keywords in every language of the record.
  assert.ok(r.keyword!['de'].includes('Grundwasserschutzzone'));
  assert.ok(r.keyword!['en'].includes('groundwater protection zone'));
  assert.ok(r.keyword!['fr'].includes('zone de protection des eaux souterraines'));
  // geocat.ch sub-categories "environment_EnvironmentalProtection" → the ISO category.
  assert.ok(r.subject!.some((s) => s['@id'] === INSPIRE + 'TopicCategory/environment'));
  assert.equal(r.rightsHolder, [
    {
      '@type': ['foaf:Organization', 'foaf:Agent'],
      name: {
        de: 'Amt für Umweltschutz',
        en: 'Amt für Umweltschutz',
        fr: 'Amt für Umweltschutz',
        it: 'Amt für Umweltschutz',
        rm: 'Amt für Umweltschutz',
      },
      mbox: 'mailto:info.afu@zg.ch',
    },
  ]);
  assert.equal(
    r.qualifiedAttribution!.map((a) => a.hadRole),
    [ROLE + 'owner'],
  );
  const polygon = r.spatial!.find((l) => l.geometry)!;
  assert.match(polygon.geometry!['@value'], /^POLYGON\(\(8\.522 47\.09,8\.493 47\.1,/);
  assert.equal(r.spatial![0], { '@type': 'dct:Location', prefLabel: { '@none': 'ZG' } });
  assert.equal(r.created, date('2005-06-14'));
  assert.equal(r.modified, date('2017-01-24'));
  // che:PT_FreeURL linkage read; WWW:LINK → landing page.
  assert.equal(ids(r.landingPage), ['http://www.zugmap.ch/?link=gewaesserschutzkarte']);
});

test('keywords with gmx:Anchor: themes with IRIs and schemes; LineString in EPSG:3857 refused with a warning', () => {
  const { record: r, warnings } = map('owslib-iso_keywords_anchor.xml');
  assert.is(r.identifier, 'test-csw:ie.marine.data:dataset.1135');
  assert.equal(r.title, { en: 'CE0911 Climate Change Survey' });
  const pressure = r.theme!.find((t) => t['@id'] === 'http://vocab.nerc.ac.uk/collection/A05/current/EV_AIRPRESS/')!;
  assert.equal(pressure.prefLabel, { en: 'Atmospheric pressure' });
  assert.equal(pressure.inScheme, {
    '@id': 'http://vocab.nerc.ac.uk/collection/A05/current/',
    '@type': 'skos:ConceptScheme',
    title: { en: 'AtlantOS Essential Variables' },
    issued: date('2019-03-29'),
  });
  assert.ok(r.theme!.every((t) => t['@id'] === undefined || /^https?:\/\//.test(t['@id'])));
  assert.equal(r.temporal, [
    { '@type': 'dct:PeriodOfTime', startDate: dateTime('2009-06-14T00:00:00'), endDate: dateTime('2009-06-22T23:59:59') },
  ]);
  assert.equal(r.creator, [
    {
      '@type': ['foaf:Organization', 'foaf:Agent'],
      name: { en: 'Marine Institute' },
      mbox: 'mailto:datarequests@marine.ie',
      homepage: 'http://www.marine.ie',
    },
  ]);
  // The CC-BY licence hidden in a useLimitation code element is recognised.
  assert.equal(r.license, [
    { '@id': 'https://creativecommons.org/licenses/by/4.0/', '@type': 'dct:LicenseDocument', label: { en: 'CC-By 4.0' } },
  ]);
  assert.equal(r.rights, [{ '@type': 'dct:RightsStatement', label: { en: 'Consult license for use limitations' } }]);
  // The JSON-LD blob stored as an identifier code is not an identifier.
  assert.equal(r.otherIdentifier, [{ '@type': 'adms:Identifier', notation: 'ie.marine.data:dataset.1135' }]);
  assert.ok(r.relation!.includes(recordIri(SOURCE, 'ie.marine.data:instrument.47')));
  assert.ok(
    warnings.some(
      (w) =>
        w.at === 'gmd:identificationInfo/*/gmd:extent/*/gmd:geographicElement/gmd:EX_BoundingPolygon/gmd:polygon' &&
        /LineString: bounding polygon ignored/.test(w.message),
    ),
  );
  // Online resources with an empty gmd:URL are skipped (no distribution without an accessURL).
  assert.is(r.distribution, undefined);
});

test('ISO 19115-2 gmi:MI_Metadata: translations by locale, open end, platform, instrument, processing level', () => {
  const { record: r } = map('owslib-iso_mi.xml');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'iso19115-2');
  assert.is(r.isPrimaryTopicOf.identifier, '3f342f64-9348-11df-ba6a-0014c2c00eab');
  assert.equal(r.title, { en: 'title in English', fr: 'title in French' });
  assert.equal(r.description, { en: 'abstract in English', fr: 'abstract in French' });
  assert.ok(r.keyword!['fr'].includes('kw1 in French'));
  // beginPosition 1950-07-31, endPosition indeterminatePosition="now" → no endDate.
  assert.equal(r.temporal, [{ '@type': 'dct:PeriodOfTime', startDate: date('1950-07-31') }]);
  assert.equal(r.platform, ['LANDSAT_8']);
  assert.equal(r.instrument, ['OLI_TIRS']);
  assert.equal(r.processingLevel, ['1.0']);
  assert.equal(r.isPartOf, [recordIri(SOURCE, 'someparentid')]);
  assert.equal(r.spatial![0].bbox, wkt('POLYGON((-141 42,-52 42,-52 84,-141 84,-141 42))'));
  assert.is(r.contactPoint![0].fn, 'Tom Kralidis');
  assert.is(r.contactPoint![0].hasEmail, 'mailto:foo@bar.tld');
});

test('srv service record: DataService, service type, operatesOn, connect point, INSPIRE access restriction', () => {
  const { record: r } = map('owslib-iso19139_srv.xml');
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(ids(r.resourceType), [INSPIRE + 'ResourceType/service', INSPIRE + 'SpatialDataServiceType/download']);
  assert.equal(r.servesDataset, [recordIri(SOURCE, '083f524b-7474-4e05-a937-1bac657f0344')]);
  assert.equal(r.endpointURL, ['https://geoservices.bayern.de/wfs/v1/ogc_alkis_ave.cgi?']);
  assert.is(r.accessRights!['@id'], AR + 'RESTRICTED');
  assert.match(r.accessRights!.label!['de'], /Artikel 13\(1\)\(e\)/);
  // German INSPIRE theme label resolved to its IRI.
  assert.ok(
    r.theme!.some((t) => t['@id'] === 'http://inspire.ec.europa.eu/theme/gn' && t.prefLabel?.['de'] === 'Geografische Bezeichnungen'),
  );
  assert.equal(
    r.conformity!.map((c) => c.pass),
    [true, false, true],
  );
  assert.match(r.conformity![1].specification.title!['de'], /^VERORDNUNG \(EG\) Nr\. 1089\/2010/);
  assert.equal(r.distribution![0].accessURL, 'https://geoservices.bayern.de/wfs/v1/ogc_alkis_ave.cgi?');
  assert.is(r.distribution![0].function, 'download');
  assert.ok(r.distribution!.every((d) => d.license?.label?.['de']?.startsWith('Nutzungsbedingungen')));
});

test('Sentinel-2 scene (19115-2): identifiers, instant period, s3 distributions, platform', () => {
  const { record: r } = map('pycsw-apiso-iso_19115-2_Sentinel-2-scene.xml');
  assert.is(r.isPrimaryTopicOf.identifier, 'S2B_MSIL2A_20200902T090559_N0214_R050_T34SFG_20200902T113910.SAFE');
  assert.equal(
    r.spatial![0].bbox,
    wkt(
      'POLYGON((22.241087944581203 36.95084163397443,22.316296604618408 36.95084163397443,22.316296604618408 37.21692395594552,22.241087944581203 37.21692395594552,22.241087944581203 36.95084163397443))',
    ),
  );
  assert.equal(r.temporal, [
    { '@type': 'dct:PeriodOfTime', startDate: dateTime('2020-09-02T09:05:59.024Z'), endDate: dateTime('2020-09-02T09:05:59.024Z') },
  ]);
  assert.equal(r.platform, ['Sentinel-2B']);
  assert.equal(r.instrument, ['INS-NOBS']);
  assert.equal(r.processingLevel, ['Level-2A']);
  assert.ok(r.distribution!.every((d) => d.accessURL.startsWith('s3://eodata/Sentinel-2/MSI/L2A/2020/09/02/')));
  assert.is(r.distribution![0].downloadURL, r.distribution![0].accessURL);
});

test('PacIOOS (19115-2, THREDDS): period, GCMD themes, creator person with organisation, overview', () => {
  const { record: r } = map('pycsw-apiso-pacioos-NS06agg.xml');
  assert.is(r.identifier, 'test-csw:NS06agg');
  assert.equal(r.otherIdentifier, [{ '@type': 'adms:Identifier', notation: 'NS06agg', schemaAgency: 'org.pacioos' }]);
  assert.equal(r.temporal, [
    { '@type': 'dct:PeriodOfTime', startDate: dateTime('2010-05-07T00:00:00Z'), endDate: dateTime('2014-03-17T23:56:00Z') },
  ]);
  // GCMD keywords given by their label only: keywords (DCAT-AP themes are concept IRIs)
  assert.ok(r.keyword!['en'].includes('Oceans > Ocean Chemistry > Chlorophyll'));
  assert.equal(r.creator![0], {
    '@type': ['foaf:Person', 'foaf:Agent'],
    name: { '@none': 'Margaret McManus' },
    mbox: 'mailto:mamc@hawaii.edu',
    memberOf: {
      '@type': ['foaf:Organization', 'foaf:Agent'],
      name: { en: 'University of Hawaii' },
      homepage: 'http://www.soest.hawaii.edu/oceanography/faculty/mcmanus.html',
    },
  });
  assert.equal(r.depiction, ['http://pacioos.org/metadata/browse/NS06agg.png']);
  assert.ok(r.keyword!['en'].includes('sea_water_temperature'));
});

test('GR INSPIRE records (pycsw apiso): theme, period, owner, public access', () => {
  const { record: r } = map('pycsw-apiso-T_ortho_RAS_1998_284404.xml');
  assert.is(r.identifier, 'test-csw:de53e931-778a-4792-94ad-9fe507aca483');
  assert.equal(r.theme, [
    {
      '@id': 'http://inspire.ec.europa.eu/theme/oi',
      '@type': 'skos:Concept',
      prefLabel: { en: 'Orthoimagery' },
      inScheme: {
        '@id': 'http://inspire.ec.europa.eu/theme',
        '@type': 'skos:ConceptScheme',
        title: { en: 'GEMET - INSPIRE themes, version 1.0' },
        issued: date('2008-06-01'),
      },
    },
  ]);
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: wkt('POLYGON((21.478784 39.76001,21.527317 39.76001,21.527317 39.790341,21.478784 39.790341,21.478784 39.76001))'),
    },
  ]);
  assert.equal(r.temporal, [{ '@type': 'dct:PeriodOfTime', startDate: date('1997-01-01'), endDate: date('1999-01-01') }]);
  assert.equal(r.issued, date('2000-01-01'));
  assert.equal(r.rightsHolder, [{ '@type': ['foaf:Organization', 'foaf:Agent'], name: { en: 'YPAAT' }, mbox: 'mailto:ypaat@ypaat.gr' }]);
  assert.equal(r.accessRights, { '@id': AR + 'PUBLIC', '@type': 'dct:RightsStatement', label: { en: 'no limitations' } });
  assert.equal(r.rights, [{ '@type': 'dct:RightsStatement', label: { en: 'no conditions apply' } }]);
  assert.equal(r.distribution, [
    {
      '@type': 'dcat:Distribution',
      accessURL: 'http://www.ypaat.gr',
      rights: { '@type': 'dct:RightsStatement', label: { en: 'no conditions apply' } },
    },
  ]);
  // The sibling records differ only by identifier.
  const other = rec('pycsw-apiso-T_ortho_RAS_1998_288395.xml');
  assert.is.not(other.identifier, r.identifier);
});

test('a GetRecordById response wrapping one record is unwrapped', () => {
  const xml = readFileSync(sharedFixture('csw', 'owslib-csw_dov_getrecordbyid.xml'), 'utf8');
  const { record: r } = isoToRecord(xml, CTX);
  assert.is(r.isPrimaryTopicOf.identifier, '6c39d716-aecc-4fbc-bac8-4f05a49a78d5');
  assert.equal(ids(r.isPrimaryTopicOf.language), [LANG + 'NLD']);
  assert.ok(Object.keys(r.title).includes('nl'));
});

test('no identifier at all: stable sha256-derived id and a warning; antimeridian box, lat/lon polygon, open period', () => {
  const xml = own('no-identifier.xml');
  const a = isoToRecord(xml, CTX);
  const b = isoToRecord(xml, { ...CTX, harvestedAt: '2026-01-01T00:00:00Z' });
  assert.match(a.record.isPrimaryTopicOf.identifier, /^sha256-[0-9a-f]{32}$/);
  assert.is(a.record.identifier, b.record.identifier);
  assert.ok(
    a.warnings.some(
      (w) => w.at === 'gmd:fileIdentifier' && /no resource identifier either: derived stable identifier "sha256-/.test(w.message),
    ),
  );
  assert.ok(
    a.warnings.some((w) => /citation\/\*\/gmd:date\/\*\/gmd:date: "2020-02-30T10:00:00" \(creation\) is not a date/.test(warningLine(w))),
  );
  const r = a.record;
  assert.equal(r['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(r.title, { de: 'Bodenfeuchte Messreihe' });
  assert.equal(r.spatial![0].bbox, wkt('POLYGON((170.5 -45,-175.25 -45,-175.25 -30,170.5 -30,170.5 -45))'));
  // EPSG:4326 in http form is lat/lon: swapped to CRS84 lon/lat.
  assert.equal(r.spatial![1].geometry, wkt('POLYGON((7 47,8 47,8 48,7 48,7 47))'));
  assert.equal(r.temporal, [{ '@type': 'dct:PeriodOfTime', startDate: { '@value': '2019-05', '@type': 'xsd:gYearMonth' } }]);
  assert.equal(r.license, [
    {
      '@id': 'https://www.govdata.de/dl-de/by-2-0',
      '@type': 'dct:LicenseDocument',
      label: { de: 'Datenlizenz Deutschland – Namensnennung – Version 2.0' },
    },
  ]);
  assert.is(r.created, undefined);
});

test('standards coverage (hand-written 19139): DOI, ORCID/ROR, licence and access anchors, links, GML 3.2, km', () => {
  const { record: r, warnings } = isoToRecord(own('standards-coverage.xml'), CTX);
  assert.equal(warnings, [
    {
      at: 'gmd:distributionInfo/*/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage',
      message: '"relative/path.zip" is not an absolute URL: online resource ignored',
      code: 'iso.online.notUrl',
      params: { url: 'relative/path.zip' },
    },
    {
      at: 'gmd:identificationInfo/*/gmd:graphicOverview/*/gmd:fileName',
      message: '"thumbnail.png" is not an absolute URL: overview left out',
      code: 'iso.overview.notUrl',
      params: { url: 'thumbnail.png' },
    },
  ]);
  assert.equal(r.otherIdentifier, [
    { '@type': 'adms:Identifier', notation: 'https://doi.org/10.5281/zenodo.1234567', schemaAgency: 'doi' },
    { '@type': 'adms:Identifier', notation: 'SM-GRID', schemaAgency: 'hub.example' },
  ]);
  assert.equal(r.creator, [
    {
      '@id': 'https://orcid.org/0000-0002-1825-0097',
      '@type': ['foaf:Person', 'foaf:Agent'],
      name: { '@none': 'Josiah Carberry' },
      mbox: 'mailto:josiah@example.org',
      identifier: ['https://orcid.org/0000-0002-1825-0097'],
      memberOf: {
        '@id': 'https://ror.org/05gq02987',
        '@type': ['foaf:Organization', 'foaf:Agent'],
        name: { en: 'Brown University' },
        identifier: ['https://ror.org/05gq02987'],
      },
    },
  ]);
  assert.equal(r.publisher, {
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { en: 'Hub Data Centre' },
    mbox: 'mailto:data@hub.example',
  });
  assert.equal(
    r.qualifiedAttribution!.map((a) => a.hadRole),
    [ROLE + 'author', ROLE + 'publisher'],
  );
  // No resource point of contact: the metadata contact is the contact point.
  assert.equal(r.contactPoint, [{ '@type': ['vcard:Organization', 'vcard:Kind'], fn: 'Metadata Desk' }]);
  assert.equal(r.theme![0]['@id'], 'http://inspire.ec.europa.eu/theme/so');
  assert.equal(r.keyword, { en: ['soil moisture'] });
  assert.equal(r.license, [
    {
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
      '@type': 'dct:LicenseDocument',
      label: { en: 'Creative Commons Attribution 4.0' },
    },
  ]);
  assert.equal(r.accessRights, { '@id': AR + 'PUBLIC', '@type': 'dct:RightsStatement', label: { en: 'No limitations to public access' } });
  const [file, wms] = r.distribution!;
  assert.equal(file, {
    '@type': 'dcat:Distribution',
    accessURL: 'https://hub.example/files/sm_2022.tif',
    downloadURL: 'https://hub.example/files/sm_2022.tif',
    title: { en: 'Grid 2022' },
    format: {
      '@id': 'http://publications.europa.eu/resource/authority/file-type/GEOTIFF',
      '@type': 'dct:MediaTypeOrExtent',
      label: { '@none': 'GeoTIFF 1.1' },
    },
    protocol: 'WWW:DOWNLOAD-1.0-http--download',
    function: 'download',
    license: r.license![0],
  });
  assert.equal(ids(wms.conformsTo), ['http://www.opengis.net/def/serviceType/ogc/wms']);
  assert.is(wms.downloadURL, undefined);
  assert.equal(ids(r.landingPage), ['https://hub.example/datasets/sm']);
  assert.equal(r.depiction, ['https://hub.example/q.png']); // the relative file name is not an IRI
  // GML 3.2 MultiSurface in urn EPSG::4326 (lat lon) → CRS84 MULTIPOLYGON; TimeInstant → start = end.
  assert.equal(r.spatial, [
    { '@type': 'dct:Location', geometry: wkt('MULTIPOLYGON(((1 43,2 43,2 44,1 44,1 43)),((3 45,4 45,4 46,3 46,3 45)))') },
  ]);
  assert.equal(r.temporal, [{ '@type': 'dct:PeriodOfTime', startDate: date('2022-07-14'), endDate: date('2022-07-14') }]);
  assert.equal(r.issued, { '@value': '2023', '@type': 'xsd:gYear' });
  assert.is(r.spatialResolutionInMeters, '1000');
  assert.equal(r.spatialResolutionAsText, ['0.01 deg']);
  assert.equal(ids(r.language), [LANG + 'ENG', LANG + 'FRA']);
  assert.is(r.accrualPeriodicity?.['@id'], 'http://publications.europa.eu/resource/authority/frequency/DAILY');
  assert.equal(r.isPartOf, [recordIri(SOURCE, 'parent-series-7'), recordIri(SOURCE, 'programme-42')]);
  assert.is(r.version, 'v2.1');
  // pass nil: not evaluated, so no pass and no conformsTo from it.
  assert.equal(r.conformity![0].specification['@id'], 'http://data.europa.eu/eli/reg/2010/1089');
  assert.is(r.conformity![0].pass, undefined);
  assert.is(r.conformsTo, undefined);
  assert.equal(r.isPrimaryTopicOf.modified, dateTime('2024-02-29T08:30:00+01:00'));
});

test('not ISO: csw:Record is skipped; HTML, malformed, truncated and entity documents fail to parse', () => {
  const skip = (() => {
    try {
      isoToRecord(own('csw-record.xml'), CTX);
    } catch (e) {
      return e;
    }
  })();
  assert.instance(skip, SkipRecord);
  assert.match(
    (skip as Error).message,
    /not an ISO 19139\/19115 metadata record: root element <csw:Record> in namespace http:\/\/www\.opengis\.net\/cat\/csw\/2\.0\.2/,
  );
  for (const [f, re] of [
    ['html-page.html', /an HTML page, not an XML document/],
    ['mismatched-tags.xml', /line 5, column 3/],
    ['truncated.xml', /truncated/],
    ['billion-laughs.xml', /DOCTYPE declares entities/],
    ['xxe.xml', /DOCTYPE declares entities/],
  ] as const) {
    try {
      isoToRecord(own(f), CTX);
      assert.unreachable(f);
    } catch (e) {
      assert.instance(e, RecordError, f);
      assert.not.instance(e, SkipRecord, f);
      assert.is((e as RecordError).stage, 'parse', f);
      assert.match((e as Error).message, re, f);
    }
  }
  assert.throws(
    () => isoToRecord(own('no-title.xml'), CTX),
    (e: unknown) => e instanceof RecordError && e.stage === 'map' && /record untitled-1 has no title/.test((e as Error).message),
  );
});

test('detectIsoFlavour and context validation', () => {
  assert.is(detectIsoFlavour(read('owslib-iso_che.xml')), 'iso19139');
  assert.is(detectIsoFlavour(read('owslib-iso_mi.xml')), 'iso19115-2');
  assert.is(detectIsoFlavour(read('owslib-csw_geobretagne_mdmetadata.xml')), 'iso19139');
  assert.is(detectIsoFlavour(own('csw-record.xml')), undefined);
  assert.is(detectIsoFlavour('not xml at all'), undefined);
  assert.throws(() => isoToRecord(read('pycsw-apiso-test.xml'), { ...CTX, source: '' }), /ctx\.source must be a non-empty string/);
  assert.throws(
    () => isoToRecord(read('pycsw-apiso-test.xml'), { ...CTX, harvestedAt: '2025-06-01' }),
    /ctx\.harvestedAt must be an ISO 8601 date-time/,
  );
  assert.throws(
    () => isoToRecord(read('pycsw-apiso-test.xml'), { ...CTX, firstLine: 0 }),
    /ctx\.firstLine, when given, must be an integer from 1, got 0/,
  );
  // parse errors count lines from firstLine; a record that parses is the same whatever its line
  assert.throws(() => isoToRecord(own('mismatched-tags.xml'), { ...CTX, firstLine: 10 }), /malformed XML at line 14, column 3/);
  assert.equal(isoToRecord(read('pycsw-apiso-test.xml'), { ...CTX, firstLine: 10 }), isoToRecord(read('pycsw-apiso-test.xml'), CTX));
});

test('a title and an abstract wrapped over lines of the XML: the title on one line, the abstract without the indentation', () => {
  // Northwest Knowledge Network (NKN) record: <gco:CharacterString>...Future Need Study\n              Data</...>
  const { record: r } = isoToRecord(own('nkn-rathdrum-prairie-aquifer-iso19139.xml'), CTX);
  assert.equal(r.title, { en: 'Rathdrum Prairie Aquifer Reasonably Anticipated Future Need Study Data' });
  assert.equal(r.description, {
    en:
      'Data used in the Rathdrum Prairie Aquifer Reasonably Anticipated Future\n' +
      'Need (RAFN) study. Provides current and future service areas of water purveyors, city ACI,\n' +
      'parcel data and land use data for the Rathdrum Prairie Aquifer RAFN study\n' +
      'area.',
  });
});

test('Canada HNAP: codes given as register items (codeListValue="RI_366", text "creation; création") are read by their ISO code', () => {
  // Fisheries and Oceans Canada record of the Federal Geospatial Platform (HNAP, ISO 19139 North American Profile)
  const { record: r, warnings } = isoToRecord(own('hnap-harbour-porpoise-presence.xml'), CTX);
  assert.equal(warnings, []); // no 'unknown hierarchy level "RI_622"', no '"RI_540" not recognised'
  assert.equal(r.created, date('2016-11-18')); // CI_DateTypeCode RI_366 "creation; création"
  assert.equal(r.issued, date('2018-06-21')); // RI_367 "publication; publication"
  assert.equal(ids(r.resourceType), [INSPIRE + 'ResourceType/dataset']); // MD_ScopeCode RI_622 "dataset; jeuDonnées"
  assert.is(r.accrualPeriodicity?.['@id'], 'http://publications.europa.eu/resource/authority/frequency/IRREG'); // RI_540 asNeeded
  assert.equal(
    r.qualifiedAttribution?.map((a) => a.hadRole),
    [ROLE + 'resourceProvider', ROLE + 'distributor'], // CI_RoleCode RI_408, RI_412
  );
});

test("Canada's Open Government Licence is Canada's, not the UK's of the same name", () => {
  const { record: r } = isoToRecord(own('hnap-harbour-porpoise-presence.xml'), CTX);
  assert.is(r.license?.[0]['@id'], 'https://open.canada.ca/en/open-government-licence-canada');
  assert.equal(r.license?.[0].label, {
    en: 'Open Government Licence - Canada (http://open.canada.ca/en/open-government-licence-canada)',
    fr: 'Licence du gouvernement ouvert - Canada (http://ouvert.canada.ca/fr/licence-du-gouvernement-ouvert-canada)',
  });
  for (const d of r.distribution ?? []) assert.is(d.license?.['@id'], 'https://open.canada.ca/en/open-government-licence-canada');
});

test('ncISO (THREDDS): the OPeNDAP endpoint of a further SV_ServiceIdentification is a distribution; the CDM feature type is no parent', () => {
  // MARACOOS AVHRR SST record written by ncISO: identificationInfo[2] is srv:SV_ServiceIdentification "OPeNDAP"
  const { record: r, warnings } = isoToRecord(own('pycsw-maracoos-avhrr-ncISO.xml'), CTX);
  assert.equal(warnings, []);
  const opendap = r.distribution?.find((d) => d.accessURL === 'http://tds.maracoos.org/thredds/dodsC/AVHRR/2012/7Agg');
  assert.ok(opendap, JSON.stringify(r.distribution));
  assert.is(opendap?.protocol, 'OPeNDAP:OPeNDAP');
  assert.is(opendap?.downloadURL, undefined); // a service endpoint, not a file
  assert.equal(opendap?.title, { en: 'OPeNDAP' });
  assert.equal(opendap?.description, { en: 'THREDDS OPeNDAP' });
  // aggregationInfo: Unidata Common Data Model "Grid" (largerWorkCitation) is the data's feature type, not a record
  assert.is(r.isPartOf, undefined);
  assert.equal(r['@type'], ['dcat:Dataset', 'schema:Dataset']); // still the dataset of the first identificationInfo

  const pacioos = rec('pycsw-apiso-pacioos-NS06agg.xml');
  assert.ok(
    pacioos.distribution!.some((d) => d.accessURL === 'http://oos.soest.hawaii.edu/thredds/dodsC/pacioos/nss/ns06agg' && !d.downloadURL),
  );
  assert.is(pacioos.isPartOf, undefined);
});

test('a web page or a service endpoint is no download, even with the function download (ncISO writes it on every link)', () => {
  // MARACOOS (ncISO): distributorTransferOptions "File Information", protocol WWW:LINK, function download, the OPeNDAP
  // HTML form 7Agg.html
  const maracoos = isoToRecord(own('pycsw-maracoos-avhrr-ncISO.xml'), CTX).record;
  const form = maracoos.distribution?.find((d) => d.accessURL === 'http://tds.maracoos.org/thredds/dodsC/AVHRR/2012/7Agg.html');
  assert.ok(form, JSON.stringify(maracoos.distribution));
  assert.is(form?.function, 'download');
  assert.is(form?.protocol, 'WWW:LINK');
  assert.is(form?.downloadURL, undefined);
  assert.ok(maracoos.distribution!.every((d) => d.downloadURL === undefined));

  // PacIOOS NS06agg (ncISO, "translated from NcML using UnidataDD2MI.xsl"): six links, no protocol, each function
  // download: a THREDDS catalog page and the OPeNDAP form (access-only distributions), three viewers (.html, .php)
  // and an ERDDAP graph form, each "This URL provides a viewer for this dataset.": pages, not distributions
  const pacioos = rec('pycsw-apiso-pacioos-NS06agg.xml');
  for (const url of [
    'http://oos.soest.hawaii.edu/thredds/idd/nss_pacioos.html?dataset=NS06agg',
    'http://oos.soest.hawaii.edu/thredds/dodsC/pacioos/nss/ns06agg.html',
  ]) {
    const d = pacioos.distribution?.find((x) => x.accessURL === url);
    assert.ok(d, url);
    assert.is(d?.function, 'download', url);
    assert.is(d?.downloadURL, undefined, url);
  }
  const viewers = [
    'http://pacioos.org/voyager/index.html?b=6.874279%2C158.077126%2C7.050468%2C158.369808&tz=pont&o=qual:2::p0NS06p1',
    'http://oos.soest.hawaii.edu/dchart/index.html?dsetid=54cd0688ada08d86748b9c5762509f',
    'http://oos.soest.hawaii.edu/erddap/tabledap/nss06_agg.graph?time%2Ctemperature&.draw=lines',
    'http://pacioos.org/focus/waterquality/wq_fsm.php',
  ];
  assert.equal(
    pacioos.page?.map((p) => p['@id']),
    viewers,
  );
  assert.ok(pacioos.distribution!.every((d) => !viewers.includes(d.accessURL)));
  assert.is(pacioos.landingPage, undefined);
  // MARACOOS: ncISO's NCDC Weather and Climate Toolkit link ("Viewer Information", function mapDigital, WWW:LINK) is
  // a page too, not the provider's landing page (a third party's Java Web Start launcher)
  assert.equal(
    maracoos.page?.map((p) => p['@id']),
    ['http://www.ncdc.noaa.gov/oa/wct/wct-jnlp-beta.php?singlefile=http://tds.maracoos.org/thredds/dodsC/AVHRR/2012/7Agg'],
  );
  assert.is(maracoos.landingPage, undefined);

  // any record: a URL ending in .html is a page (NKN's LiDAR series: "tileIndex.html", function download)
  const nkn = isoToRecord(own('nkn-challis-lidar-DS_Series.xml'), CTX).record;
  const index = nkn.distribution?.find((d) => d.accessURL.endsWith('/tileIndex.html'));
  assert.is(index?.function, 'download');
  assert.is(index?.downloadURL, undefined);
  // a bare HTTP protocol names the transport, not a page: JMA's GISC cache link (function download) stays a download
  const jma = isoToRecord(own('wmo-jma-WTPQ50RJTD-wcmp13.xml'), CTX).record;
  assert.equal(
    jma.distribution?.map((d) => [d.protocol, d.downloadURL]),
    [['HTTP', 'http://www.wis-jma.go.jp/gisccache/urn:x-wmo:md:int.wmo.wis::WTPQ50RJTD']],
  );
  // ... while a file stays a download, whatever its protocol (IMAS: WWW:LINK-1.0-http--downloaddata, an .xlsx)
  const files = readdirSync(sharedFixture(DIR))
    .map((f) => rec(f))
    .flatMap((r) => r.distribution ?? [])
    .filter((d) => d.function === 'download' && /\.(?:tif|zip|nc|jp2)$/i.test(d.accessURL));
  assert.ok(files.length > 0 && files.every((d) => d.downloadURL === d.accessURL));
});

test('a dataset series given as gmd:DS_Series (NKN): its seriesMetadata (gmi:MI_Metadata) is the record, a dcat:DatasetSeries', () => {
  const xml = own('nkn-challis-lidar-DS_Series.xml');
  assert.is(detectIsoFlavour(xml), 'iso19115-2');
  const { record: r, warnings } = isoToRecord(xml, CTX);
  // its 142 members are links (gmd:has xlink:href): said, not silently dropped (test/mappings/iso-series.test.ts)
  assert.equal(
    warnings.map((w) => w.at),
    ['gmd:composedOf/gmd:DS_DataSet/gmd:has/@xlink:href'],
  );
  assert.is(r.isPrimaryTopicOf.identifier, 'nkn:00c2d3eb-60c7-42a6-a97f-90c570dbefea');
  assert.is(r.isPrimaryTopicOf.conformsTo?.['@id'], 'http://www.isotc211.org/2005/gmi');
  assert.equal(r['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']); // hierarchyLevel series
  assert.equal(r.title, { en: 'LiDAR (MCC) in Challis National Forest, Idaho (142 Tiles)' });
  assert.ok(r.distribution?.length && r.publisher && r.temporal?.length, JSON.stringify(r).slice(0, 300));
});

test('an empty EX_GeographicBoundingBox is said to be empty (not "W NaN, S NaN, E NaN, N NaN"); the record\'s other box is kept', () => {
  // pygeometa's test record: empty extents, a box without coordinates, a box, a period and a half period
  const { record: r, warnings } = isoToRecord(own('pygeometa-iso19139-no-bbox.xml'), CTX);
  const lines = warnings.map(warningLine);
  assert.ok(
    lines.some((l) => l.includes('gmd:EX_GeographicBoundingBox: no coordinates (an empty bounding box): ignored')),
    lines.join('\n'),
  );
  assert.not.ok(
    lines.some((l) => l.includes('NaN')),
    lines.join('\n'),
  );
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: wkt(
        'POLYGON((21.0558004086 55.61510692,28.1767094256 55.61510692,28.1767094256 57.9701569688,21.0558004086 57.9701569688,21.0558004086 55.61510692))',
      ),
    },
  ]);
});

test('otherConstraints that are no licence (WMO data policy codes, a disclaimer beside a known licence, a placeholder) are rights statements', () => {
  // JMA (WMO Core Metadata Profile 1.3): MD_LegalConstraints with useConstraints otherRestrictions and the
  // otherConstraints "WMOEssential" (WMO_DataLicenseCode) and "GTSPriority1" (WMO_GTSProductCategoryCode)
  const jmaXml = own('wmo-jma-WTPQ50RJTD-wcmp13.xml');
  const jma = isoToRecord(jmaXml, CTX).record;
  assert.is(jma.license, undefined);
  assert.equal(jma.rights, [
    { '@type': 'dct:RightsStatement', label: { '@none': 'WMOEssential' } },
    { '@type': 'dct:RightsStatement', label: { '@none': 'GTSPriority1' } },
  ]);
  // the same code in an Anchor to its code list (as WMO's WCMP stylesheets write it)
  const anchored = isoToRecord(
    jmaXml.replace(
      '<gco:CharacterString>WMOEssential</gco:CharacterString>',
      '<gmx:Anchor xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://wis.wmo.int/2012/codelists/WMOCodeLists.xml#WMO_DataLicenseCode">WMOEssential</gmx:Anchor>',
    ),
    CTX,
  ).record;
  assert.is(anchored.license, undefined);
  assert.equal(anchored.rights?.[0], { '@type': 'dct:RightsStatement', label: { '@none': 'WMOEssential' } });
  // ECMWF: "WMOAdditional", "GTSPriority3", beside a useLimitation "Licence conditions apply as indicated below"
  const ecmwf = isoToRecord(own('wmo-ecmwf-HJXA88ECMF-wcmp13.xml'), CTX).record;
  // a distance in degrees is no distance in metres: its value and the unit its gmxUom URL ends with, as text
  const [, uom, value] = /<gco:Distance uom="[^"]*#([^"]+)">([^<]+)</.exec(own('wmo-ecmwf-HJXA88ECMF-wcmp13.xml'))!;
  assert.equal(ecmwf.spatialResolutionAsText, [`${value} ${uom}`]);
  assert.is(ecmwf.spatialResolutionInMeters, undefined);
  assert.is(ecmwf.license, undefined);
  assert.equal(
    ecmwf.rights?.map((r) => r.label),
    [{ en: 'Licence conditions apply as indicated below' }, { '@none': 'WMOAdditional' }, { '@none': 'GTSPriority3' }],
  );

  // HNAP Harbour Porpoise: useLimitation Open Government Licence - Canada; otherConstraints (use constraints
  // otherRestrictions) a bilingual disclaimer: one licence, the disclaimer a rights statement
  const hnapXml = own('hnap-harbour-porpoise-presence.xml');
  const hnap = isoToRecord(hnapXml, CTX).record;
  assert.equal(
    hnap.license?.map((l) => l['@id']),
    ['https://open.canada.ca/en/open-government-licence-canada'],
  );
  assert.is(hnap.rights?.length, 1);
  assert.match(
    hnap.rights![0].label!['en'],
    /^This layer should be used as an indicator of likelihood of presence during response planning/,
  );
  assert.match(hnap.rights![0].label!['fr'], /^Cette couche devrait être utilisée uniquement comme indicateur de probabilité de présence/);
  for (const d of hnap.distribution ?? []) assert.is(d.license?.['@id'], 'https://open.canada.ca/en/open-government-licence-canada');
  // HNAP's placeholder "Not applicable" / "Sans objet" in that otherConstraints says nothing: no licence, no statement
  const placeholder = isoToRecord(
    hnapXml
      .replace(/(<gmd:otherConstraints[^>]*>\s*<gco:CharacterString>)[^<]+/, '$1Not applicable')
      .replace(/(<gmd:otherConstraints[^>]*>[\s\S]*?<gmd:LocalisedCharacterString locale="#fra">)[^<]+/, '$1Sans objet'),
    CTX,
  ).record;
  assert.equal(
    placeholder.license?.map((l) => l['@id']),
    ['https://open.canada.ca/en/open-government-licence-canada'],
  );
  assert.is(placeholder.rights, undefined);

  // conditions of use with no licence the hub recognises stay the licence (GeoBretagne, DGFiP cadastre)
  assert.equal(rec('owslib-csw_geobretagne_mdmetadata.xml').license, [
    {
      '@type': 'dct:LicenseDocument',
      label: { fr: 'Usage libre sous réserve des mentions obligatoires sur tout document de diffusion : "Source : DGFIP"' },
    },
  ]);
});

test('a constraint text wrapped over indented CR LF lines (UK GEMINI 2.1 service): its line breaks kept, not the indentation', () => {
  const { record: r } = isoToRecord(own('ckanext-spatial-gemini2.1-12_Service_Valid.xml'), CTX);
  const label = r.accessRights?.label?.['en'] ?? '';
  assert.ok(
    label.startsWith(
      'This Web Mapping Service is made available for use subject to the Terms and Conditions of the CEH Information Gateway (https://gateway.ceh.ac.uk/disclaimer).\n\nThe following acknowledgements',
    ),
    JSON.stringify(label),
  );
  assert.not.match(label, /\r|\n[ \t]|[ \t]\n/);
});

test('a service operating on a dataset named by a uuidref that is a URL (GetRecordById): that URL, as a link would be', () => {
  const { record: r } = isoToRecord(own('ckanext-spatial-gemini2.1-12_Service_Valid.xml'), CTX);
  assert.equal(r.servesDataset, [
    recordIri(SOURCE, 'CEH:EIDC:#1300181654668'),
    'https://gateway.ceh.ac.uk/soapServices/CSWStartup?Service=CSW&Request=GetRecordById&Version=2.0.2&outputSchema=http://www.isotc211.org/2005/gmd&elementSetname=full&id=337f9dea-726e-40c7-9f9b-e269911c9db6',
  ]);
});

test('SEMIC ISO 19139 to GeoDCAT-AP test case: a transfer size (megabytes) is the byte size of its one online resource', () => {
  // gmd:MD_DigitalTransferOptions/gmd:transferSize 0.213701 with the WFS link; SEMIC's XSLT: dcat:byteSize 213701
  const { record: r, warnings } = isoToRecord(own('semic-transfersize-bytesize.xml'), CTX);
  assert.equal(warnings, []);
  assert.equal(
    r.distribution?.map((d) => [d.accessURL.replace(/\?.*/, ''), d.byteSize]),
    [
      ['https://geoserver.epsilon-italia.it/geoserver/LU_sample/wms', undefined],
      ['https://geoserver.epsilon-italia.it/geoserver/LU_sample/ows', 213701],
    ],
  );
});

test('SEMIC ISO 19139 to GeoDCAT-AP test case: the resources of a distributor are in its formats (distributorFormat)', () => {
  // two MD_Distributor: GBIF (formats DwC-A and CSV) and the Belgian institute's IPT (DwC-A only); the record's
  // formats being two, no resource had a format
  const { record: r, warnings } = isoToRecord(own('semic-distributorinfo-multiple.xml'), CTX);
  assert.equal(warnings, []);
  assert.equal(
    r.distribution?.map((d) => [d.accessURL, d.format?.label]),
    [
      ['http://www.gbif.org/occurrence/search?datasetKey=', undefined], // two formats: DCAT-AP gives a distribution one
      ['http://ipt.naturalsciences.be/ipt/archive.do?r=idod_winmon', { '@none': 'Darwin Core Archive (DwC-A)' }],
    ],
  );
});

test('UK GEMINI 2.1 (Welsh WAF): graphic overviews named by bare file names are left out with a warning, not silently', () => {
  const { record: r, warnings } = isoToRecord(own('ckanext-spatial-gemini2.1-waf-wales1.xml'), CTX);
  assert.is(r.depiction, undefined);
  assert.equal(warnings.map(warningLine), [
    'gmd:identificationInfo/*/gmd:graphicOverview/*/gmd:fileName: "CADW_Whs_s.png" is not an absolute URL: overview left out',
    'gmd:identificationInfo/*/gmd:graphicOverview/*/gmd:fileName: "CADW_Whs.png" is not an absolute URL: overview left out',
  ]);
});

test('geocat.ch WFS service (19139): the constraints it gives in srv:restrictions are its rights, not lost', () => {
  // SV_ServiceIdentification/srv:restrictions (srv 1.0, ISO 19119) holds a che:CHE_MD_LegalConstraints; only
  // resourceConstraints was read: the record had no rights at all
  const { record: r, warnings } = isoToRecord(own('geocat-gruenflaechen-19139.che.xml'), CTX);
  assert.equal(warnings, []);
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(r.rights, [
    { '@type': 'dct:RightsStatement', label: { de: 'Gemäss Nutzungsbedingungen betreffend Geodaten der Stadt Luzern.' } },
    { '@type': 'dct:RightsStatement', label: { de: 'A = öffentlich' } },
  ]);
  assert.equal(r.distribution?.[0].rights, r.rights?.[0]);
});

test('geocat.ch (19139): the identifier of an aggregateDataSetName citation names the related record', () => {
  // gmd:aggregationInfo/*/gmd:aggregateDataSetName/gmd:CI_Citation/gmd:identifier/*/gmd:code "Code Q", association
  // isDescriptionOf: no relation was made, where the same record in 19115-3 (mri:name citation) had it
  const { record: r } = isoToRecord(own('geocat-conventionDesAlpesTousLesChamps-19139.che.xml'), CTX);
  assert.equal(r.relation, [recordIri(SOURCE, 'Code Q')]);
  assert.is(r.isPartOf, undefined);
});

test.run();
