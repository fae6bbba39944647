/**
 * The access service of an OGC web service distribution in a record's DCAT-AP graph (mappings/rdf/access-services.ts),
 * on a real INSPIRE record whose distributions are a WMS layer, a WFS feature type and an Atom feed.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Quad } from '@rdfjs/types';
import { recordQuads } from '../../mappings/rdf/quads.js';
import { mapRecord } from '../../pipelines/map.js';
import { sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

function record(): HubRecord {
  const body = readFileSync(sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml'), 'utf8');
  const m = mapRecord({ source: 'nl', body, location: 'owslib-csw_iso_identifier.xml' }, { harvestedAt: '2026-12-01T00:00:00Z' });
  assert.ok(m.ok, JSON.stringify(m));
  return m.record;
}
const values = (quads: Quad[], s: string, p: string) =>
  quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);

test('each OGC service distribution has an access service: title, endpoint, capabilities, service type and OGC standard', () => {
  const r = record();
  const quads = recordQuads(r);
  const distributions = values(quads, r['@id'], DCAT + 'distribution');
  const byUrl = new Map(distributions.map((d) => [values(quads, d, DCAT + 'accessURL')[0], d]));
  const wms = byUrl.get('https://inspire1.bathy.online/geoserver/MarineRegion/wms?service=WMS&version=1.3.0&request=GetCapabilities')!;
  const wfs = byUrl.get('https://inspire1.bathy.online/geoserver/MarineRegion/wfs?service=WFS&version=2.0.0&request=GetCapabilities')!;
  assert.ok(wms && wfs, [...byUrl.keys()].join('\n'));
  for (const [d, kind, title] of [
    [wms, 'wms', 'ManagementRestrictionOrRegulationZone'],
    [wfs, 'wfs', 'MarineRegion:ManagementRestrictionOrRegulationZone'],
  ]) {
    const services = values(quads, d, DCAT + 'accessService');
    assert.is(services.length, 1, kind);
    const s = services[0];
    assert.equal(values(quads, s, TYPE), [DCAT + 'DataService']);
    assert.equal(values(quads, s, DCT + 'title'), [title], 'the layer name, as the distribution');
    assert.equal(values(quads, s, DCAT + 'endpointURL'), [`https://inspire1.bathy.online/geoserver/MarineRegion/${kind}`]);
    assert.equal(values(quads, s, DCAT + 'endpointDescription'), values(quads, d, DCAT + 'accessURL'), 'the GetCapabilities URL');
    assert.equal(values(quads, s, DCT + 'conformsTo'), [`http://www.opengis.net/def/serviceType/ogc/${kind}`]);
    assert.equal(values(quads, s, 'http://data.europa.eu/930/serviceProtocol'), [`http://www.opengeospatial.org/standards/${kind}`]);
  }
  // the Atom feed is no OGC service
  const atom = distributions.find((d) => values(quads, d, DCAT + 'accessURL')[0].endsWith('.atom'))!;
  assert.ok(atom);
  assert.equal(values(quads, atom, DCAT + 'accessService'), []);
});

test('a record without OGC service distributions gets no access service; the record itself is left as it was', () => {
  const r = record();
  const before = JSON.stringify(r);
  const noServices = { ...r, distribution: r.distribution!.filter((d) => !d.conformsTo?.length) };
  assert.ok(noServices.distribution.length > 0);
  assert.not.ok(recordQuads(noServices).some((q) => q.predicate.value === DCAT + 'accessService'));
  recordQuads(r);
  assert.is(JSON.stringify(r), before);
});

test.run();
