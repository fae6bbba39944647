/** What the pages read out of records: services typed for QGIS, titles and snippets with the searched words marked, dates. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Distribution } from '../../../schemas/record.js';
import type { HubRecord } from '../../../schemas/record.js';
import { crsLabel, dateText, languageName, markedTexts, serviceLink } from '../../../api/pages/facts.js';

const dist = (accessURL: string, more: Partial<Distribution> = {}): Distribution => ({ '@type': 'dcat:Distribution', accessURL, ...more });

test('an OGC service from its conformsTo, its protocol or its URL: base URL, GetCapabilities, layer', () => {
  // GeoNetwork style: protocol OGC:WMS, the layer in the resource name
  assert.equal(
    serviceLink(
      dist('https://geobretagne.fr/geoserver/dgfip/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0', { protocol: 'OGC:WMS' }),
      'cadastre',
    ),
    {
      type: 'WMS',
      url: 'https://geobretagne.fr/geoserver/dgfip/wms',
      capabilities: 'https://geobretagne.fr/geoserver/dgfip/wms?SERVICE=WMS&REQUEST=GetCapabilities',
      layer: 'cadastre',
    },
  );
  // a GetMap URL: the layer from LAYERS, the map parameters dropped, a vendor parameter kept
  assert.equal(
    serviceLink(
      dist('https://x.fr/ows?map=/srv/a.map&service=WMS&request=GetMap&layers=sols,eau&bbox=0,0,1,1&width=10&height=10&format=image/png', {
        conformsTo: [{ '@id': 'http://www.opengis.net/def/serviceType/ogc/wms', '@type': 'dct:Standard' }],
      }),
    ),
    {
      type: 'WMS',
      url: 'https://x.fr/ows?map=%2Fsrv%2Fa.map',
      capabilities: 'https://x.fr/ows?map=%2Fsrv%2Fa.map&SERVICE=WMS&REQUEST=GetCapabilities',
      layer: 'sols',
    },
  );
  // WMTS: a RESTful capabilities document stays as it is
  const wmts = serviceLink(dist('https://data.geopf.fr/wmts/1.0.0/WMTSCapabilities.xml', { protocol: 'OGC:WMTS' }));
  assert.is(wmts?.type, 'WMTS');
  assert.is(wmts?.capabilities, 'https://data.geopf.fr/wmts/1.0.0/WMTSCapabilities.xml');
  assert.is(serviceLink(dist('https://x.fr/wfs?service=WFS&typeName=ns:roads'))?.layer, 'ns:roads');
  // the layer the URL names wins over the resource's name; a name that is a sentence is no layer
  assert.is(serviceLink(dist('https://x.fr/wms?service=WMS&request=GetMap&layers=sols'), 'Carte des sols')?.layer, 'sols');
  const sentence = serviceLink(dist('https://x.fr/wms?request=GetCapabilities', { protocol: 'OGC:WMS' }), 'Service de visualisation WMS');
  assert.is(sentence?.type, 'WMS');
  assert.is(sentence?.layer, undefined);
  assert.is(serviceLink(dist('https://x.fr/wcs', { protocol: 'OGC Web Coverage Service' }))?.type, 'WCS');
  // not services: a file, a page, a WMS that is not http(s)
  assert.is(serviceLink(dist('https://x.fr/data.zip', { protocol: 'WWW:DOWNLOAD-1.0-http--download' })), undefined);
  assert.is(serviceLink(dist('https://x.fr/')), undefined);
  assert.is(serviceLink(dist('ftp://x.fr/wms', { protocol: 'OGC:WMS' })), undefined);
  assert.is(serviceLink(dist('not a url', { protocol: 'OGC:WMS' })), undefined);
});

test('marked texts: the title whole, the snippet where the words are, in the language that holds them; excluded words unmarked', () => {
  const long = 'Évolution des glaciers <alpins> et de leurs débits. '.repeat(20);
  const r = {
    '@type': ['dcat:Dataset'],
    title: { fr: 'Glaciers des Alpes', en: 'Alpine glaciers' },
    description: { fr: `${long} Mesures du lieudit Sarenne.`, en: 'Glacier mass balance, Sarenne stake network.' },
  } as unknown as HubRecord;
  const fr = markedTexts(r, 'GLACIER -debit', false, 'fr', 120);
  assert.is(fr.title?.html.text, '<mark>Glaciers</mark> des Alpes');
  assert.is(fr.title?.lang, 'fr');
  const s = fr.snippet!.html.text;
  assert.ok(s.endsWith('…'));
  assert.ok(s.length < 300);
  assert.match(s, /<mark>glaciers<\/mark>/);
  assert.match(s, /&lt;alpins&gt;/);
  assert.not.match(s, /<mark>débits/);
  // a word the end of the French description holds: the window moves to it
  assert.match(markedTexts(r, 'lieudit', false, 'fr', 120).snippet!.html.text, /^….*<mark>lieudit<\/mark> Sarenne\.$/);
  // a word only the English description holds: that one, marked as English
  const stake = markedTexts(r, 'stake', false, 'fr');
  assert.is(stake.snippet?.lang, 'en');
  assert.match(stake.snippet!.html.text, /<mark>stake<\/mark>/);
  // word beginnings, and words near a misspelt one after a fuzzy search
  assert.match(markedTexts(r, 'glac*', false, 'en').title!.html.text, /^Alpine <mark>glaciers<\/mark>$/);
  assert.match(markedTexts(r, 'glaceirs', true, 'en').title!.html.text, /<mark>glaciers<\/mark>/);
  assert.not.match(markedTexts(r, 'glaceirs', false, 'en').title!.html.text, /<mark>/);
  // no words: the description in the page's language, from its start
  assert.match(markedTexts(r, undefined, false, 'en').snippet!.html.text, /^Glacier mass balance/);
  assert.is(
    markedTexts({ '@type': ['dcat:Dataset'], title: { '@none': 'a <b>' } } as unknown as HubRecord, 'x', false, 'fr').snippet,
    undefined,
  );
});

test('dates as written: year, month, day; a date-time in UTC', () => {
  assert.is(dateText({ '@value': '2019', '@type': 'xsd:gYear' }), '2019');
  assert.is(dateText({ '@value': '2019-06-30', '@type': 'xsd:date' }), '2019-06-30');
  assert.is(dateText({ '@value': '2019-06-30T14:05:00+02:00', '@type': 'xsd:dateTime' }), '2019-06-30 12:05 UTC');
  assert.is(dateText({ '@value': '2019-06-30T00:00:00Z', '@type': 'xsd:dateTime' }), '2019-06-30');
  assert.is(dateText(undefined), undefined);
});

test('a reference system named as a reader knows it: EPSG code and name, UTM and CC zones by rule; a specification is none', () => {
  const epsg = (code: number) => crsLabel(`http://www.opengis.net/def/crs/EPSG/0/${code}`);
  assert.is(epsg(2154), 'EPSG:2154 (RGF93 v1 / Lambert-93)');
  assert.is(epsg(4326), 'EPSG:4326 (WGS 84)');
  assert.is(epsg(25832), 'EPSG:25832 (ETRS89 / UTM zone 32N)');
  assert.is(epsg(32631), 'EPSG:32631 (WGS 84 / UTM zone 31N)');
  assert.is(epsg(32740), 'EPSG:32740 (WGS 84 / UTM zone 40S)');
  assert.is(epsg(3948), 'EPSG:3948 (RGF93 v1 / CC48)');
  assert.is(epsg(31468), 'EPSG:31468');
  assert.is(crsLabel('http://www.opengis.net/def/crs/OGC/1.3/CRS84'), 'CRS84 (WGS 84, longitude, latitude)');
  assert.is(crsLabel('http://www.isotc211.org/2005/gmd'), undefined);
  assert.is(crsLabel('http://www.opengis.net/def/serviceType/ogc/wms'), undefined);
  assert.is(crsLabel('http://www.opengis.net/def/crs/EPSG/0/'), undefined);
});

test("a language named in the reader's language from its EU authority IRI or code; an unknown code as it is", () => {
  const eu = (code: string) => `http://publications.europa.eu/resource/authority/language/${code}`;
  assert.is(languageName(eu('DEU'), 'fr'), 'allemand');
  assert.is(languageName(eu('DEU'), 'en'), 'German');
  assert.is(languageName('FRA', 'en'), 'French');
  assert.is(languageName(eu('OCI'), 'fr'), 'occitan');
  assert.is(languageName(eu('MUL'), 'fr'), 'multilingue');
  assert.is(languageName(eu('QQQ'), 'fr'), 'QQQ');
  assert.is(languageName(eu('NOT-A_CODE'), 'en'), 'NOT-A_CODE');
});

test.run();
