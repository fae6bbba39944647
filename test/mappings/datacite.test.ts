/**
 * The record -> DataCite 4.6 crosswalk (mappings/datacite.ts) on real records and on a small hand-made one: the
 * identifier of each profile, the mandatory properties when the record lacks them, ROR and ORCID identifiers, access
 * rights in the info:eu-repo vocabulary, series as Collection with their members, polygons (multipolygons, holes,
 * CRSs, rings that say nothing more than a box or were written latitude first); every document written here valid
 * against the shipped XSD (xmllint --nonet). test/api/oai-datacite.test.ts validates every record served by /oai.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { dataCiteIdentifier, toDataCite } from '../../mappings/datacite.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { fixtureRecords, PROJECT_FAMILIES } from '../helpers/fixture-index.js';
import { smallRecord } from '../schemas/sample-records.js';

const records = [...(await fixtureRecords()), ...(await fixtureRecords(undefined, PROJECT_FAMILIES))];
const written: string[] = [];
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n, _path, _leaf, attr) => !attr && n !== 'resource',
});

/** The crosswalk's document (kept for the XSD check at the end) and its resource element read back. */
function datacite(r: HubRecord, profile: 'openaire' | 'datacite' = 'openaire'): Record<string, unknown[]> {
  const xml = toDataCite(r, profile);
  assert.ok(xml, `${r.identifier}: no document`);
  written.push(xml);
  return (parser.parse(xml) as { resource: Record<string, unknown[]> }).resource;
}
const find = (id: string) => records.find((r) => r.identifier === id)!;
type Node = Record<string, unknown> & { '#text'?: string };
const nodes = (res: Record<string, unknown[]>, wrapper: string, name: string) =>
  (res[wrapper]?.[0] as Record<string, Node[]> | undefined)?.[name] ?? [];

test('identifier: the DOI in both profiles; else a Handle or the hub IRI in oai_datacite, nothing in datacite', () => {
  const r = smallRecord({ source: 's', id: 'a', title: { en: 'x' } });
  assert.equal(dataCiteIdentifier(r, 'openaire'), { type: 'URL', value: r['@id'] });
  assert.is(dataCiteIdentifier(r, 'datacite'), undefined);
  assert.is(toDataCite(r, 'datacite'), undefined);
  r.otherIdentifier = [{ '@type': 'adms:Identifier', notation: 'hdl:20.500.12345/abc' }];
  assert.equal(dataCiteIdentifier(r, 'openaire'), { type: 'Handle', value: '20.500.12345/abc' });
  assert.is(dataCiteIdentifier(r, 'datacite'), undefined);
  r.otherIdentifier.push({ '@type': 'adms:Identifier', notation: 'https://dx.doi.org/10.5678/X.y' });
  for (const p of ['openaire', 'datacite'] as const) assert.equal(dataCiteIdentifier(r, p), { type: 'DOI', value: '10.5678/X.y' });
  const res = datacite(r, 'datacite');
  // the Handle and the hub IRI stay, as alternate identifiers
  assert.equal(
    nodes(res, 'alternateIdentifiers', 'alternateIdentifier').map((n) => [n['@alternateIdentifierType'], n['#text']]),
    [
      ['Handle', '20.500.12345/abc'],
      ['URL', r['@id']],
      ['local', 'a'],
    ],
  );
});

test('a record with no creator, publisher nor date still has every mandatory property (:unav, the entry’s year)', () => {
  const r = smallRecord({ source: 's', id: 'bare', title: { en: 'Bare' } });
  const res = datacite(r);
  assert.equal(nodes(res, 'creators', 'creator')[0].creatorName, [':unav']);
  assert.equal(res.publisher, [':unav']);
  assert.equal(res.publicationYear, [Number(r.isPrimaryTopicOf.modified['@value'].slice(0, 4))]);
  assert.equal((res.resourceType[0] as Node)['@resourceTypeGeneral'], 'Dataset');
});

test('real records: ORCID and affiliation, ROR of a funder, access rights as info:eu-repo, licence with its SPDX id', () => {
  const cryo = records.find((r) => r.creator?.some((c) => c.identifier?.some((i) => i.includes('orcid.org'))))!;
  const orcid = cryo.creator!.find((c) => c.identifier?.some((i) => i.includes('orcid.org')))!;
  const res = datacite(cryo);
  const creator = nodes(res, 'creators', 'creator').find((c) => (c.creatorName as Node[])[0]['#text'] === orcid.name['@none'])!;
  assert.equal(
    (creator.nameIdentifier as Node[]).map((n) => [n['#text'], n['@nameIdentifierScheme']]),
    [[orcid.identifier!.find((i) => i.includes('orcid'))!.replace('https://orcid.org/', ''), 'ORCID']],
  );
  assert.ok(creator.affiliation, 'the creator’s organisation is its affiliation');
  assert.equal(
    nodes(res, 'rightsList', 'rights')
      .map((n) => n['@rightsIdentifier'])
      .filter(Boolean),
    ['CC-BY-4.0'],
  );

  const auscope = datacite(find('iso19115-3:5ebc3cb7-a3b5-4760-a8ff-851d5d5beb32'));
  const funding = nodes(auscope, 'fundingReferences', 'fundingReference');
  assert.equal(funding[0].funderName, ['AuScope']);
  assert.equal((funding[0].funderIdentifier as Node[])[0]['#text'], 'https://ror.org/04s1m4564');

  const open = records.filter((r) => r.accessRights?.['@id']?.endsWith('/PUBLIC'));
  const restricted = records.filter((r) => r.accessRights?.['@id']?.endsWith('/RESTRICTED'));
  assert.ok(open.length > 0 && restricted.length > 0);
  for (const [rs, term] of [
    [open, 'info:eu-repo/semantics/openAccess'],
    [restricted, 'info:eu-repo/semantics/restrictedAccess'],
  ] as const)
    for (const r of rs)
      assert.ok(
        nodes(datacite(r), 'rightsList', 'rights').some((n) => n['@rightsURI'] === term),
        r.identifier,
      );
});

test('a series is a Collection with HasPart links to its members; a member IsPartOf its series', () => {
  const series = records.filter((r) => r['@type'][0] === 'dcat:DatasetSeries' && r.seriesMember?.length);
  assert.ok(series.length > 0);
  for (const s of series) {
    const res = datacite(s);
    assert.is((res.resourceType[0] as Node)['@resourceTypeGeneral'], 'Collection');
    const parts = nodes(res, 'relatedIdentifiers', 'relatedIdentifier').filter((n) => n['@relationType'] === 'HasPart');
    assert.equal(parts.map((n) => n['#text']).sort(), [...s.seriesMember!].sort());
  }
  const member = records.find((r) => r.inSeries?.length)!;
  const up = nodes(datacite(member), 'relatedIdentifiers', 'relatedIdentifier').filter((n) => n['@relationType'] === 'IsPartOf');
  assert.ok(up.some((n) => n['#text'] === member.inSeries![0]));
});

test('geoLocationPolygon: each polygon of a footprint, outer ring closed; holes, other CRSs, boxes again and bad rings left out', () => {
  const r = smallRecord({ source: 's', id: 'poly', title: { en: 'Polygons' } });
  const wkt = (v: string) => ({ '@value': v, '@type': 'gsp:wktLiteral' as const });
  const json = (v: unknown) => ({ '@value': JSON.stringify(v), '@type': 'gsp:geoJSONLiteral' as const });
  const loc = (geometry: { '@value': string; '@type': 'gsp:wktLiteral' | 'gsp:geoJSONLiteral' }, more = {}) => ({
    '@type': 'dct:Location' as const,
    geometry,
    ...more,
  });
  r.spatial = [
    // a multipolygon with a hole in its first polygon, in a place that has its box
    loc(wkt('MULTIPOLYGON (((1 43, 2 43, 2 44, 1 44, 1 43), (1.2 43.2, 1.5 43.2, 1.5 43.5, 1.2 43.2)), ((3 45, 4 45, 4 46, 3 45)))'), {
      bbox: wkt('POLYGON((1 43,4 43,4 46,1 46,1 43))'),
      prefLabel: { en: 'Two parts' },
    }),
    // GeoJSON, its ring not closed, with a third coordinate
    loc(
      json({
        type: 'Polygon',
        coordinates: [
          [
            [5, 45, 100],
            [6, 45, 100],
            [6, 46, 100],
          ],
        ],
      }),
    ),
    // a GeometryCollection: its polygon, not its point
    loc(
      json({
        type: 'GeometryCollection',
        geometries: [
          { type: 'Point', coordinates: [1, 2] },
          {
            type: 'Polygon',
            coordinates: [
              [
                [7, 40],
                [8, 40],
                [8, 41],
                [7, 40],
              ],
            ],
          },
        ],
      }),
    ),
    // CRS84 named: written; EPSG:4326 named (latitude first): not
    loc(wkt('<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON((9 40,10 40,10 41,9 40))')),
    loc(wkt('<http://www.opengis.net/def/crs/EPSG/0/4326> POLYGON((40 11,40 12,41 12,40 11))')),
    // the box of the first place again, a point off the globe, a ring of two points, a line: nothing
    loc(wkt('POLYGON((1 43,4 43,4 46,1 46,1 43))')),
    loc(wkt('POLYGON((170 10,200 10,200 20,170 10))')),
    loc(wkt('POLYGON((1 1,2 2,1 1,2 2))')),
    loc(wkt('LINESTRING(1 1,2 2)')),
    loc(json({ type: 'Polygon', coordinates: 'broken' })),
  ];
  const polygons = (res: Record<string, unknown[]>) =>
    nodes(res, 'geoLocations', 'geoLocation').map((g) =>
      ((g.geoLocationPolygon ?? []) as Node[]).map((p) =>
        (p.polygonPoint as Node[]).map((q) => [q.pointLongitude, q.pointLatitude].flat()),
      ),
    );
  const res = datacite(r);
  assert.equal(polygons(res), [
    [
      [
        [1, 43],
        [2, 43],
        [2, 44],
        [1, 44],
        [1, 43],
      ],
      [
        [3, 45],
        [4, 45],
        [4, 46],
        [3, 45],
      ],
    ],
    [
      [
        [5, 45],
        [6, 45],
        [6, 46],
        [5, 45],
      ],
    ],
    [
      [
        [7, 40],
        [8, 40],
        [8, 41],
        [7, 40],
      ],
    ],
    [
      [
        [9, 40],
        [10, 40],
        [10, 41],
        [9, 40],
      ],
    ],
  ]);
  // the first place keeps its name and box beside its polygons
  const first = nodes(res, 'geoLocations', 'geoLocation')[0];
  assert.equal(first.geoLocationPlace, ['Two parts']);
  assert.ok(first.geoLocationBox);

  // a polygon written latitude first is left out when only its swap lies on the record's box
  r.spatial = [
    { '@type': 'dct:Location', bbox: wkt('POLYGON((5.9 45.8,10.5 45.8,10.5 47.8,5.9 47.8,5.9 45.8))') },
    loc(wkt('POLYGON((47 8,47.5 8,47.5 9,47 8))')),
    // one far from the box, on no box either way: the source's own, written
    loc(wkt('POLYGON((57 -69,60 -63,66 -63,57 -69))')),
  ];
  assert.equal(polygons(datacite(r)).flat(), [
    [
      [57, -69],
      [60, -63],
      [66, -63],
      [57, -69],
    ],
  ]);
});

test('every document written here is valid against the DataCite 4.6 XSD', async () => {
  for (const r of records) written.push(toDataCite(r, 'openaire')!);
  const dir = await mkdtemp(join(tmpdir(), 'datacite-'));
  try {
    const files = await Promise.all(
      written.map(async (xml, k) => {
        const f = join(dir, `${k}.xml`);
        await writeFile(f, xml);
        return f;
      }),
    );
    const xsd = projectPath('schemas', 'xsd', 'datacite', 'kernel-4.6', 'metadata.xsd');
    const r = await promisify(execFile)('xmllint', ['--noout', '--nonet', '--schema', xsd, ...files], { encoding: 'utf8' }).catch(
      (e: { stderr: string }) => ({ stderr: e.stderr }),
    );
    const bad = r.stderr.split('\n').filter((l) => l && !l.endsWith(' validates'));
    assert.equal(bad, []);
    assert.is(r.stderr.split('\n').filter((l) => l.endsWith(' validates')).length, written.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
