/** What the pages read out of records: services typed for QGIS, snippets with the searched words marked, dates. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Distribution } from '../../../schemas/record.js';
import { dateText, serviceLink, snippet } from '../../../api/pages/facts.js';

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

test('snippet: cut at a word, the searched words marked however they are spelt, the rest escaped', () => {
  const text = 'Évolution des glaciers <alpins> et de leurs débits. '.repeat(20);
  const s = snippet(text, 'GLACIER debit', 120)!.text;
  assert.ok(s.endsWith(' …'));
  assert.ok(s.length < 300);
  assert.match(s, /<mark>glaciers<\/mark>/);
  assert.match(s, /<mark>débits<\/mark>/);
  assert.match(s, /&lt;alpins&gt;/);
  assert.not.match(s, /<mark>Évolution/);
  assert.is(snippet('a <b>', undefined)!.text, 'a &lt;b&gt;');
  assert.is(snippet(undefined, 'x'), undefined);
});

test('dates as written: year, month, day; a date-time in UTC', () => {
  assert.is(dateText({ '@value': '2019', '@type': 'xsd:gYear' }), '2019');
  assert.is(dateText({ '@value': '2019-06-30', '@type': 'xsd:date' }), '2019-06-30');
  assert.is(dateText({ '@value': '2019-06-30T14:05:00+02:00', '@type': 'xsd:dateTime' }), '2019-06-30 12:05 UTC');
  assert.is(dateText({ '@value': '2019-06-30T00:00:00Z', '@type': 'xsd:dateTime' }), '2019-06-30');
  assert.is(dateText(undefined), undefined);
});

test.run();
