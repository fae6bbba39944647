import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  accessRightsFromText,
  crsIri,
  dateLiteral,
  doiIri,
  fileTypeFromName,
  frequencyIri,
  inspireThemeIri,
  knownScheme,
  languageIri,
  langKey,
  licenseFromText,
  mediaTypeIri,
  protocolServiceType,
  resourceTypeIri,
  roleIri,
  serviceTypeIri,
  topicCategoryIri,
  wktBbox,
} from '../../core/vocab.js';

const LANG = 'http://publications.europa.eu/resource/authority/language/';

test('languages: ISO 639-1, 639-2/B and /T, locales, names', () => {
  assert.is(languageIri('fre'), LANG + 'FRA');
  assert.is(languageIri('fra'), LANG + 'FRA');
  assert.is(languageIri('fr-FR'), LANG + 'FRA');
  assert.is(languageIri('ger'), LANG + 'DEU');
  assert.is(languageIri('eng; CAN'), LANG + 'ENG');
  assert.is(languageIri('dut'), LANG + 'NLD');
  assert.is(languageIri('French'), LANG + 'FRA');
  assert.is(languageIri(''), undefined);
  assert.is(langKey('ger'), 'de');
  assert.is(langKey('rm'), 'rm');
  assert.is(langKey('gre'), 'el');
  assert.is(langKey('xx-yy zz'), '@none');
  assert.is(langKey(undefined), '@none');
});

test('dateLiteral types dates and refuses impossible ones', () => {
  assert.equal(dateLiteral('2009'), { '@value': '2009', '@type': 'xsd:gYear' });
  assert.equal(dateLiteral('2019-05'), { '@value': '2019-05', '@type': 'xsd:gYearMonth' });
  assert.equal(dateLiteral('2018-09-01'), { '@value': '2018-09-01', '@type': 'xsd:date' });
  assert.equal(dateLiteral('2018-07-30T14:19:40'), { '@value': '2018-07-30T14:19:40', '@type': 'xsd:dateTime' });
  assert.equal(dateLiteral('2020-01-31T10:00+0100'), { '@value': '2020-01-31T10:00:00+01:00', '@type': 'xsd:dateTime' });
  assert.equal(dateLiteral('2012-03-04 10:00:00Z'), { '@value': '2012-03-04T10:00:00Z', '@type': 'xsd:dateTime' });
  assert.is(dateLiteral('2020-02-30'), undefined);
  assert.is(dateLiteral('unknown'), undefined);
  assert.is(dateLiteral(''), undefined);
});

test('wktBbox writes CRS84 polygons, keeps antimeridian boxes, refuses nonsense', () => {
  assert.equal(wktBbox(-5, 47, -1, 49), { '@value': 'POLYGON((-5 47,-1 47,-1 49,-5 49,-5 47))', '@type': 'gsp:wktLiteral' });
  assert.is(wktBbox(170, -45, -175, -30)?.['@value'], 'POLYGON((170 -45,-175 -45,-175 -30,170 -30,170 -45))');
  assert.is(wktBbox(0, 50, 1, 40), undefined);
  assert.is(wktBbox(0, 0, 200, 1), undefined);
  assert.is(wktBbox(NaN, 0, 1, 1), undefined);
  // longitudes of 0..360 or shifted by a turn (AODN records): the whole world; a box wholly east of 180, 360° west
  assert.is(wktBbox(0, -90, 360, 90)?.['@value'], 'POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))');
  assert.is(wktBbox(-280, -82, 80, 90)?.['@value'], 'POLYGON((-180 -82,180 -82,180 90,-180 90,-180 -82))');
  assert.is(wktBbox(200, 0, 260, 10)?.['@value'], 'POLYGON((-160 0,-100 0,-100 10,-160 10,-160 0))');
  assert.is(wktBbox(0, 0, 400, 1), undefined);
});

test('DOIs normalised, prose ignored', () => {
  assert.is(doiIri('10.5194/essd-13-1-2021'), 'https://doi.org/10.5194/essd-13-1-2021');
  assert.is(doiIri('doi:10.1234/ABC.'), 'https://doi.org/10.1234/ABC');
  assert.is(doiIri('https://dx.doi.org/10.1594/PANGAEA.123'), 'https://doi.org/10.1594/PANGAEA.123');
  assert.is(doiIri('see 10.1234/x in the paper'), undefined);
  assert.is(doiIri('NS06agg'), undefined);
});

test('licences from SPDX ids, URLs and text', () => {
  assert.is(licenseFromText('CC-BY-4.0'), 'https://creativecommons.org/licenses/by/4.0/');
  assert.is(licenseFromText('CC-By 4.0'), 'https://creativecommons.org/licenses/by/4.0/');
  assert.is(
    licenseFromText('Creative Commons Attribution-ShareAlike 4.0 International'),
    'https://creativecommons.org/licenses/by-sa/4.0/',
  );
  assert.is(licenseFromText('http://creativecommons.org/licenses/by-nc/3.0/'), 'https://creativecommons.org/licenses/by-nc/3.0/');
  assert.is(licenseFromText('Licence Ouverte version 2.0'), 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
  assert.is(licenseFromText('Données sous licence ODbL'), 'https://opendatacommons.org/licenses/odbl/1-0/');
  assert.is(licenseFromText('Datenlizenz Deutschland – Namensnennung – Version 2.0'), 'https://www.govdata.de/dl-de/by-2-0');
  assert.is(licenseFromText('Usage libre sous réserve des mentions obligatoires'), undefined);
  assert.is(licenseFromText('proprietary'), undefined);
});

test("Open Government Licences: the UK's, Canada's, and a province's of the same name (not the UK's)", () => {
  const UK = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/';
  const CA = 'https://open.canada.ca/en/open-government-licence-canada';
  assert.is(licenseFromText('Open Government Licence v3.0'), UK);
  assert.is(licenseFromText('Open Government Licence'), UK);
  assert.is(licenseFromText('Open Government Licence (OGL)'), UK);
  assert.is(licenseFromText('http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'), UK);
  assert.is(licenseFromText('Open Government Licence - Canada (http://open.canada.ca/en/open-government-licence-canada)'), CA);
  assert.is(
    licenseFromText('Licence du gouvernement ouvert - Canada (http://ouvert.canada.ca/fr/licence-du-gouvernement-ouvert-canada)'),
    CA,
  );
  assert.is(licenseFromText('OGL-Canada-2.0'), CA);
  assert.is(licenseFromText('Open Government Licence – Alberta'), undefined);
  assert.is(licenseFromText('Open Government Licence - Ontario'), undefined);
});

test('access rights', () => {
  const AR = 'http://publications.europa.eu/resource/authority/access-right/';
  assert.is(accessRightsFromText('http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations'), AR + 'PUBLIC');
  assert.is(accessRightsFromText('no limitations'), AR + 'PUBLIC');
  assert.is(
    accessRightsFromText('http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/INSPIRE_Directive_Article13_1e'),
    AR + 'RESTRICTED',
  );
  assert.is(accessRightsFromText('confidential'), AR + 'NON_PUBLIC');
  assert.is(accessRightsFromText('otherRestrictions'), undefined);
});

test('code lists and service types', () => {
  assert.is(roleIri('pointOfContact'), 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/pointOfContact');
  assert.is(roleIri('PointOfContact'), 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/pointOfContact');
  assert.is(topicCategoryIri('inlandWaters'), 'http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/inlandWaters');
  assert.is(
    topicCategoryIri('environment_EnvironmentalProtection'),
    'http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/environment',
  );
  assert.is(topicCategoryIri('nonsense'), undefined);
  assert.is(resourceTypeIri('Series'), 'http://inspire.ec.europa.eu/metadata-codelist/ResourceType/series');
  assert.is(serviceTypeIri('view'), 'http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceType/view');
  assert.is(serviceTypeIri('OGC:WFS'), 'http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceType/download');
  assert.is(frequencyIri('asNeeded'), 'http://publications.europa.eu/resource/authority/frequency/IRREG');
  assert.is(frequencyIri('annually'), 'http://publications.europa.eu/resource/authority/frequency/ANNUAL');
  assert.is(frequencyIri('5annually'), undefined);
  assert.is(protocolServiceType('OGC:WMS-1.1.1-http-get-map'), 'http://www.opengis.net/def/serviceType/ogc/wms');
  assert.is(protocolServiceType('OGC:WMTS'), 'http://www.opengis.net/def/serviceType/ogc/wmts');
  assert.is(
    protocolServiceType(undefined, 'https://x/ows?service=WFS&request=GetCapabilities'),
    'http://www.opengis.net/def/serviceType/ogc/wfs',
  );
  assert.is(protocolServiceType('WWW:DOWNLOAD-1.0-http--download'), undefined);
  assert.is(crsIri('RGF93 / Lambert-93 (EPSG:2154)'), 'http://www.opengis.net/def/crs/EPSG/0/2154');
  assert.is(crsIri('urn:ogc:def:crs:EPSG::4326'), 'http://www.opengis.net/def/crs/EPSG/0/4326');
  assert.is(crsIri('31370', 'EPSG'), 'http://www.opengis.net/def/crs/EPSG/0/31370');
  assert.is(crsIri('31370'), undefined);
});

test('file and media types', () => {
  const FT = 'http://publications.europa.eu/resource/authority/file-type/';
  assert.is(fileTypeFromName('ESRI Shapefile'), FT + 'SHP');
  assert.is(fileTypeFromName('GeoTIFF 1.0'), FT + 'GEOTIFF');
  assert.is(fileTypeFromName('image/tiff; application=geotiff'), FT + 'GEOTIFF');
  assert.is(fileTypeFromName('https://x.org/data/file.tar.gz'), FT + 'TAR_GZ');
  // A web page URL says nothing about a data format; the name "HTML" does.
  assert.is(fileTypeFromName('https://x.org/page.html'), undefined);
  assert.is(fileTypeFromName('HTML'), FT + 'HTML');
  assert.is(fileTypeFromName('EDIGEO'), undefined);
  assert.is(mediaTypeIri('image/tiff; application=geotiff'), 'https://www.iana.org/assignments/media-types/image/tiff');
  assert.is(mediaTypeIri('GeoTIFF'), undefined);
});

test('thesauri and INSPIRE theme labels', () => {
  assert.is(knownScheme('GEMET - INSPIRE themes, version 1.0')?.name, 'inspire-theme');
  assert.is(knownScheme('GEMET - INSPIRE-Themen, Version 1.0')?.name, 'inspire-theme');
  assert.is(knownScheme('INSPIRE themes')?.name, 'inspire-theme');
  assert.is(knownScheme('GEMET concepts')?.name, 'gemet');
  assert.is(knownScheme('GCMD Science Keywords')?.name, 'gcmd');
  assert.is(knownScheme('GéoBretagne v 2.0'), undefined);
  assert.is(knownScheme(undefined, 'http://inspire.ec.europa.eu/theme')?.name, 'inspire-theme');
  assert.is(inspireThemeIri('Parcelles cadastrales'), 'http://inspire.ec.europa.eu/theme/cp');
  assert.is(inspireThemeIri('Orthoimagery'), 'http://inspire.ec.europa.eu/theme/oi');
  assert.is(inspireThemeIri('Geografische Bezeichnungen'), 'http://inspire.ec.europa.eu/theme/gn');
});

test.run();
