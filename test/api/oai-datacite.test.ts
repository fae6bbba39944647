/**
 * DataCite over OAI-PMH, through a real client: Sickle (PyPI) walks ListRecords `oai_datacite` and `datacite` on a
 * listening server, in pages of 7 so that resumption tokens are exercised, over every fixture family (ISO 19139,
 * ISO 19115-3, STAC and OZCAR of the shared fixtures; the DCAT and ISO records of test/fixtures). Every record it gets
 * is validated against the shipped DataCite 4.6 XSD with xmllint --nonet, and its values are compared with the records
 * (computed here from the records, not through the crosswalk): identifier, titles, creators, boxes, polygons, time
 * extents, licences, descriptions, related identifiers, funding references. A record without a DOI is in oai_datacite
 * by its hub IRI, and not in datacite: left out of its lists, cannotDisseminateFormat to GetRecord, missing from
 * ListMetadataFormats of the item. The `openaire_data` set is walked as OpenAIRE harvests it (ListRecords oai_datacite,
 * set=openaire_data), each page's completeListSize and cursor checked, and with the other prefixes and ListIdentifiers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { deleteStale } from '../../pipelines/index-admin.js';
import { silentLogger } from '../../pipelines/log.js';
import { oaiIdentifier } from '../../pipelines/oai.js';
import { projectPath } from '../../schemas/paths.js';
import type { Agent, HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv } from '../../scripts/services/python.js';
import { fixtureRecords, indexRecords, PROJECT_FAMILIES } from '../helpers/fixture-index.js';
import { indexDatedFixtures, oaiClients, readOai } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('oai-datacite');
const NS = 'data.hub.example';
const XSD = projectPath('schemas', 'xsd', 'datacite', 'kernel-4.6', 'metadata.xsd');
const FAMILIES = ['iso19139', 'iso19115-3', 'stac', 'ozcar', 'dcat', 'iso-more'];
let records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';
let dir = '';

test.before(async () => {
  await ensurePythonVenv();
  records = await indexDatedFixtures(client, alias);
  const more = await fixtureRecords('2026-11-24T12:00:00Z', PROJECT_FAMILIES);
  await indexRecords(client, alias, more, 'fixtures', { clock: () => new Date('2026-11-24T12:00:00Z') });
  records.push(...more);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [oaiRoutes({ pageSize: 7 })] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/oai`;
  dir = await mkdtemp(join(tmpdir(), 'oai-datacite-'));
});
test.after(async () => {
  await app.close();
  await deleteIndices(client, `${alias}*`);
  await rm(dir, { recursive: true, force: true });
});

const run = promisify(execFile);

const py = oaiClients;

interface Walked {
  identifier: string;
  deleted: boolean;
  sets: string[];
  file?: string;
  root?: string;
  namespace?: string;
  id?: string;
  idType?: string;
  titles?: string[];
  creators?: string[];
  boxes?: number[][];
  points?: number[][];
  polygons?: number[][][];
  collected?: string[];
  rightsURIs?: string[];
  related?: string[][];
  descriptions?: (string | null)[][];
  funding?: { funderName: string; funderIdentifier: string | null }[];
}

async function walk(prefix: string, out: string): Promise<Walked[]> {
  return (await py<{ items: Walked[] }>('datacite', base, prefix, out)).items;
}

/** Sickle's walk of a set: the items and each page's cursor and completeListSize. */
async function walkSet(prefix: string, set: string, out: string) {
  return py<{ items: Walked[]; pages: { cursor: number; completeListSize: number }[] }>('datacite', base, prefix, out, '--set', set);
}

/** xmllint on every file against the DataCite XSD: the files it says valid, and its complaints. */
async function xsdValid(files: string[]): Promise<{ valid: number; errors: string }> {
  const r = await run('xmllint', ['--noout', '--nonet', '--schema', XSD, ...files], { encoding: 'utf8' }).catch(
    (e: { stderr: string }) => ({ stderr: e.stderr }),
  );
  const lines = r.stderr.split('\n');
  return {
    valid: lines.filter((l) => l.endsWith(' validates')).length,
    errors: lines.filter((l) => l && !l.endsWith(' validates')).join('\n'),
  };
}

// ------------------------------------------------------------------------------------------- values, from the records

/** The record's DOI, bare, as its identifiers give it (a whole value: 10.x/y, doi:, a doi.org URL). */
function doiOf(r: HubRecord): string | undefined {
  for (const v of [...(r.otherIdentifier ?? []).map((i) => i.notation), r.isPrimaryTopicOf.identifier]) {
    const m = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(v.trim());
    if (m) return m[1];
  }
  return undefined;
}
const hasHandle = (r: HubRecord) => (r.otherIdentifier ?? []).some((i) => /hdl|handle/i.test(`${i.notation} ${i.schemaAgency ?? ''}`));

const nameOf = (a: Agent) => a.name.fr ?? a.name.en ?? a.name['@none'] ?? Object.values(a.name)[0];

/** The boxes of the record's places, W S E N, from their WKT polygons (those on the globe). */
function boxesOf(r: HubRecord): number[][] {
  const out: number[][] = [];
  for (const loc of r.spatial ?? []) {
    const pts = [...(loc.bbox?.['@value'] ?? '').matchAll(/(-?[\d.]+(?:e-?\d+)?)\s+(-?[\d.]+(?:e-?\d+)?)/gi)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    if (pts.length !== 5) continue;
    const [w, s] = pts[0];
    const [e, n] = pts[2];
    if (s <= n && s >= -90 && n <= 90 && [w, e].every((x) => x >= -180 && x <= 180)) out.push([w, s, e, n]);
  }
  return out;
}

/** The hub id of the geocat.ch service whose EPSG:4326 polygon is written latitude first (the ISO mapping reads it so). */
const CHE_LAT_FIRST = 'iso-more:f8ca237a-882b-4e72-8b81-81378fb9e85c';

/** The outer ring of each polygon of a WKT (no CRS or CRS84) or GeoJSON geometry, [lon, lat] pairs. */
function outerRings(g: { '@value': string; '@type': string }): number[][][] {
  const pairs = (text: string) =>
    [...text.matchAll(/(-?[\d.]+(?:e-?\d+)?)[\s,]+(-?[\d.]+(?:e-?\d+)?)/gi)].map((m) => [Number(m[1]), Number(m[2])]);
  if (g['@type'] === 'gsp:wktLiteral') {
    const v = g['@value'].replace(/^<http:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84>\s*/, '');
    if (!/^(MULTI)?POLYGON/i.test(v)) return [];
    // each polygon's text starts after "((" and its outer ring ends at the first ")"
    return v
      .split(/\(\s*\(/)
      .slice(1)
      .map((p) => pairs(p.slice(0, p.indexOf(')'))));
  }
  const j = JSON.parse(g['@value']) as { type: string; coordinates: number[][][] | number[][][][] };
  const polys = j.type === 'Polygon' ? [j.coordinates as number[][][]] : j.type === 'MultiPolygon' ? (j.coordinates as number[][][][]) : [];
  return polys.map((p) => p[0].map(([x, y]) => [x, y]));
}

const periodsOf = (r: HubRecord) =>
  (r.temporal ?? [])
    .filter((p) => p.startDate || p.endDate)
    .map((p) => `${p.startDate?.['@value'] ?? '..'}/${p.endDate?.['@value'] ?? '..'}`);

const byId = () => new Map(records.map((r) => [oaiIdentifier(NS, r.identifier), r]));

test('oai_datacite: Sickle gets every record of every family, each valid against the DataCite 4.6 XSD', async () => {
  const out = await mkdtemp(join(dir, 'oai_datacite-'));
  const items = await walk('oai_datacite', out);
  assert.equal(items.map((i) => i.identifier).sort(), [...byId().keys()].sort());
  for (const f of FAMILIES) assert.ok(records.filter((r) => r.isPrimaryTopicOf.sourceId === f).length > 0, f);
  assert.ok(items.every((i) => i.root === 'resource' && i.namespace === 'http://datacite.org/schema/kernel-4'));
  const files = items.map((i) => i.file!);
  const { valid, errors } = await xsdValid(files);
  assert.is(errors, '');
  assert.is(valid, records.length);
});

test('oai_datacite: the values are the records’ own (DOI or hub IRI, titles, creators, boxes, points, periods, licences)', async () => {
  const items = await walk('oai_datacite', await mkdtemp(join(dir, 'values-')));
  const recs = byId();
  const checked = { doi: 0, url: 0, creators: 0, boxes: 0, points: 0, periods: 0, licences: 0 };
  const families = new Set<string>();
  for (const it of items) {
    const r = recs.get(it.identifier)!;
    const doi = doiOf(r);
    if (doi) {
      assert.equal([it.idType, it.id], ['DOI', doi], it.identifier);
      checked.doi++;
    } else if (!hasHandle(r)) {
      assert.equal([it.idType, it.id], ['URL', r['@id']], it.identifier);
      checked.url++;
    }
    assert.equal(it.titles!.sort(), Object.values(r.title).sort(), it.identifier);
    if (r.creator?.length) {
      assert.equal([...new Set(it.creators)].sort(), [...new Set(r.creator.map(nameOf))].sort(), it.identifier);
      checked.creators++;
    }
    // a box of no extent is a point
    const all = boxesOf(r);
    const boxes = all.filter(([w, s, e, n]) => w !== e || s !== n);
    const points = all.filter(([w, s, e, n]) => w === e && s === n).map(([x, y]) => [x, y]);
    for (const [got, want, what] of [
      [it.boxes!, boxes, 'box'],
      [it.points!, points, 'point'],
    ] as const) {
      assert.is(got.length, want.length, `${it.identifier} ${what}es`);
      want.forEach((b, k) => b.forEach((v, j) => assert.ok(Math.abs(v - got[k][j]) < 1e-6, `${it.identifier} ${what} ${k}`)));
    }
    checked.boxes += boxes.length;
    checked.points += points.length;
    assert.equal(it.collected, periodsOf(r), it.identifier);
    checked.periods += it.collected!.length;
    for (const l of r.license ?? [])
      if (l['@id']) {
        assert.ok(it.rightsURIs!.includes(l['@id']), `${it.identifier}: ${l['@id']}`);
        checked.licences++;
      }
    families.add(r.isPrimaryTopicOf.sourceId);
  }
  assert.equal([...families].sort(), [...FAMILIES].sort());
  for (const [what, n] of Object.entries(checked)) assert.ok(n > 0, `${what} was checked on no record`);
});

test('datacite: only the records with a DOI, valid; the others cannotDisseminateFormat and not in their formats', async () => {
  const items = await walk('datacite', await mkdtemp(join(dir, 'datacite-')));
  const withDoi = records.filter((r) => doiOf(r));
  assert.ok(withDoi.length >= 5 && withDoi.length < records.length);
  assert.equal(items.map((i) => i.identifier).sort(), withDoi.map((r) => oaiIdentifier(NS, r.identifier)).sort());
  assert.ok(items.every((i) => i.idType === 'DOI' && i.id === doiOf(byId().get(i.identifier)!)));
  const { valid, errors } = await xsdValid(items.map((i) => i.file!));
  assert.is(errors, '');
  assert.is(valid, withDoi.length);

  // the list's size is the format's, not the repository's
  const page = readOai(await (await fetch(`${base}?verb=ListIdentifiers&metadataPrefix=datacite`)).text());
  const token = (page.ListIdentifiers as { resumptionToken: Record<string, string> }).resumptionToken;
  assert.is(Number(token['@completeListSize']), withDoi.length);

  const withId = oaiIdentifier(NS, withDoi[0].identifier);
  const without = oaiIdentifier(NS, records.find((r) => !doiOf(r) && r.isPrimaryTopicOf.sourceId === 'stac')!.identifier);
  assert.equal((await py<{ prefixes: string[] }>('formats', base, withId)).prefixes, ['oai_dc', 'dcat_ap', 'oai_datacite', 'datacite']);
  assert.equal((await py<{ prefixes: string[] }>('formats', base, without)).prefixes, ['oai_dc', 'dcat_ap', 'oai_datacite']);
  const refused = await py<{ code: string; message: string }>(
    'error',
    base,
    'GetRecord',
    `identifier=${without}`,
    'metadataPrefix=datacite',
  );
  assert.is(refused.code, 'cannotDisseminateFormat');
  assert.match(refused.message, /no DOI/);
  assert.is((await py<{ code: string }>('error', base, 'GetRecord', `identifier=${withId}`, 'metadataPrefix=datacite')).code, 'none');
  assert.is((await py<{ code: string }>('error', base, 'GetRecord', `identifier=${without}`, 'metadataPrefix=oai_datacite')).code, 'none');
});

const OPENAIRE = 'openaire_data';
/** The records OpenAIRE's set holds: the datasets and series, not the data services. */
const inOpenaire = (r: HubRecord) => r['@type'][0] === 'dcat:Dataset' || r['@type'][0] === 'dcat:DatasetSeries';

test('openaire_data: ListSets names it; Sickle walks oai_datacite of the set through its tokens: the datasets and series, valid', async () => {
  const sets = readOai(await (await fetch(`${base}?verb=ListSets`)).text()).ListSets as { set: { setSpec: string[]; setName: string }[] };
  assert.equal(
    sets.set.filter((s) => s.setSpec[0] === OPENAIRE).map((s) => s.setName),
    ['OpenAIRE'],
  );
  const want = records.filter(inOpenaire).map((r) => oaiIdentifier(NS, r.identifier));
  const services = records.filter((r) => r['@type'][0] === 'dcat:DataService');
  assert.ok(services.length > 0 && want.length > 14, 'services to leave out, and a set of more than two pages');

  const { items, pages } = await walkSet('oai_datacite', OPENAIRE, await mkdtemp(join(dir, 'openaire-')));
  assert.equal(items.map((i) => i.identifier).sort(), want.sort());
  assert.ok(items.every((i) => i.sets.includes(OPENAIRE) && !i.deleted));
  // every page's token says the size of the whole list and where the page starts
  assert.is(pages.length, Math.ceil(want.length / 7));
  assert.equal(
    pages.map((p) => p.completeListSize),
    pages.map(() => want.length),
  );
  assert.equal(
    pages.map((p) => p.cursor),
    pages.map((_, k) => k * 7),
  );
  const { valid, errors } = await xsdValid(items.map((i) => i.file!));
  assert.is(errors, '');
  assert.is(valid, want.length);

  // the same set in the headers of the whole list: the datasets and series have it, the services not
  const all = await walk('oai_datacite', await mkdtemp(join(dir, 'openaire-all-')));
  assert.equal(
    all
      .filter((i) => i.sets.includes(OPENAIRE))
      .map((i) => i.identifier)
      .sort(),
    want.sort(),
  );
  assert.ok(services.every((r) => !all.find((i) => i.identifier === oaiIdentifier(NS, r.identifier))!.sets.includes(OPENAIRE)));
});

test('openaire_data with ListIdentifiers and the other prefixes: the set is the items, each format lists those it has', async () => {
  const want = records.filter(inOpenaire);
  const ids = (rs: HubRecord[]) => rs.map((r) => oaiIdentifier(NS, r.identifier)).sort();
  for (const prefix of ['oai_datacite', 'oai_dc', 'dcat_ap']) {
    const got = await py<{ items: { identifier: string; sets: string[] }[] }>(
      'walk',
      'sickle',
      base,
      'ListIdentifiers',
      prefix,
      '--set',
      OPENAIRE,
    );
    assert.equal(got.items.map((i) => i.identifier).sort(), ids(want), prefix);
  }
  // datacite: the set's records that have a DOI, the list's size theirs
  const withDoi = want.filter((r) => doiOf(r));
  assert.ok(withDoi.length > 0 && withDoi.length < want.length);
  const dc = await walkSet('datacite', OPENAIRE, await mkdtemp(join(dir, 'openaire-doi-')));
  assert.equal(dc.items.map((i) => i.identifier).sort(), ids(withDoi));
  const first = readOai(await (await fetch(`${base}?verb=ListIdentifiers&metadataPrefix=datacite&set=${OPENAIRE}`)).text());
  const token = (first.ListIdentifiers as { resumptionToken?: Record<string, string> }).resumptionToken;
  if (withDoi.length > 7) assert.is(Number(token!['@completeListSize']), withDoi.length);
  else assert.is(token, undefined);
  // a malformed set is a badArgument, an unknown one noRecordsMatch: OpenAIRE's name is no prefix of another
  assert.is(
    (await py<{ code: string }>('error', base, 'ListRecords', 'metadataPrefix=oai_datacite', 'set=openaire')).code,
    'noRecordsMatch',
  );
});

test('geoLocationPolygon: each polygon a record holds, its outer ring closed, unless it is only a box of the record', async () => {
  const items = await walk('oai_datacite', await mkdtemp(join(dir, 'polygons-')));
  const recs = byId();
  let held = 0;
  let multi = 0;
  for (const it of items) {
    const r = recs.get(it.identifier)!;
    const boxes = boxesOf(r);
    const want: number[][][] = [];
    for (const loc of r.spatial ?? []) {
      if (!loc.geometry) continue;
      const rings = outerRings(loc.geometry);
      if (rings.length > 1) multi++;
      for (const ring of rings) {
        const closed = ring[0].every((v, j) => v === ring[ring.length - 1][j]) ? ring : [...ring, ring[0]];
        // a rectangle that is one of the record's boxes is said by its geoLocationBox
        const corners = new Set(closed.map(([x, y]) => `${x} ${y}`));
        // fewer than three distinct points is no area (an OZCAR station: its geoLocationPoint says it)
        if (corners.size < 3) continue;
        if (
          corners.size === 4 &&
          boxes.some(([w, s, e, n]) => [`${w} ${s}`, `${e} ${s}`, `${e} ${n}`, `${w} ${n}`].every((c) => corners.has(c)))
        )
          continue;
        want.push(closed);
      }
    }
    assert.is(it.polygons!.length, want.length, `${it.identifier} polygons`);
    want.forEach((ring, k) => {
      assert.is(it.polygons![k].length, ring.length, `${it.identifier} polygon ${k}`);
      ring.forEach(([x, y], j) => assert.ok(Math.abs(x - it.polygons![k][j][0]) < 1e-6 && Math.abs(y - it.polygons![k][j][1]) < 1e-6));
    });
    held += want.length;
  }
  assert.ok(held >= 20 && multi >= 1, `${held} polygons, ${multi} multipolygons`);
  // geocat.ch's service writes its EPSG:4326 polygon latitude first: the record holds it read so, and it is served in
  // Switzerland (it was left out while the record held it swapped, off Somalia)
  const che = items.find((i) => i.identifier === oaiIdentifier(NS, CHE_LAT_FIRST))!.polygons!;
  assert.is(che.length, 1);
  assert.ok(
    che[0].every(([lon, lat]) => lon > 5.9 && lon < 10.5 && lat > 45.8 && lat < 47.9),
    JSON.stringify(che[0].slice(0, 3)),
  );
});

/** A related resource's identifier as DataCite types it: a bare DOI, a Handle, an http(s) URL; undefined otherwise. */
function relatedOf(iri: string): [string, string] | undefined {
  const doi = /^https?:\/\/(?:dx\.)?doi\.org\/(10\.\d{4,9}\/\S+)$/i.exec(iri)?.[1];
  if (doi) return [doi, 'DOI'];
  const hdl = /^https?:\/\/hdl\.handle\.net\/(\S+)$/.exec(iri)?.[1];
  if (hdl) return [hdl, 'Handle'];
  return /^https?:\/\/\S+$/.test(iri) ? [iri, 'URL'] : undefined;
}

test('relatedIdentifiers: the related resources whose relation the record knows, publications first for OpenAIRE', async () => {
  const items = await walk('oai_datacite', await mkdtemp(join(dir, 'related-')));
  const recs = byId();
  const seen: Record<string, number> = {};
  for (const it of items) {
    const r = recs.get(it.identifier)!;
    const want = new Set<string>();
    const add = (relationType: string, iris: string[] | undefined) => {
      for (const iri of iris ?? []) {
        const id = relatedOf(iri);
        if (id) want.add(JSON.stringify([...id, relationType]));
      }
    };
    add('IsPartOf', r.isPartOf);
    add('IsPartOf', r.inSeries);
    add('HasPart', r.seriesMember);
    add('IsReferencedBy', r.isReferencedBy);
    add('HasVersion', r.hasVersion);
    add('IsVersionOf', r.isVersionOf);
    if (r['@type'][0] === 'dcat:DataService') {
      add('Requires', r.servesDataset);
      add('IsDescribedBy', r.endpointDescription);
    }
    // the pages are documentation, but for the images among them
    add(
      'IsDocumentedBy',
      (r.page ?? []).map((p) => p['@id']).filter((u) => !/\.(png|jpe?g|gif|svg|webp|tiff?)$/i.test(new URL(u).pathname)),
    );
    add('IsDescribedBy', r.isPrimaryTopicOf.sourceUrl ? [r.isPrimaryTopicOf.sourceUrl] : []);
    const got = it.related!.map((x) => JSON.stringify(x));
    assert.equal(got.sort(), [...want].sort(), it.identifier);
    for (const g of it.related!) seen[g[2]] = (seen[g[2]] ?? 0) + 1;
  }
  // every relation type is met; the OZCAR publications (the pivot's documents of type Publication) among IsReferencedBy
  for (const t of ['IsPartOf', 'HasPart', 'IsReferencedBy', 'HasVersion', 'IsVersionOf', 'Requires', 'IsDocumentedBy', 'IsDescribedBy'])
    assert.ok(seen[t] > 0, t);
  const ozcar = records.filter(
    (r) => r.isPrimaryTopicOf.sourceId === 'ozcar' && r.isReferencedBy?.some((u) => relatedOf(u)?.[1] === 'DOI'),
  );
  const ozcarPublications = items.filter((it) =>
    ozcar.some(
      (r) => oaiIdentifier(NS, r.identifier) === it.identifier && it.related!.some((x) => x[1] === 'DOI' && x[2] === 'IsReferencedBy'),
    ),
  );
  assert.ok(ozcar.length > 0);
  assert.is(ozcarPublications.length, ozcar.length);
});

test('descriptions: the abstract, the lineage as Methods and the version notes as Other, each in its language', async () => {
  const items = await walk('oai_datacite', await mkdtemp(join(dir, 'descriptions-')));
  const recs = byId();
  const seen = new Set<string>();
  for (const it of items) {
    const r = recs.get(it.identifier)!;
    const want: (string | null)[][] = [];
    const add = (type: string, map: Record<string, string> | undefined) => {
      for (const [k, v] of Object.entries(map ?? {})) if (v.trim()) want.push([type, k === '@none' ? null : k, v]);
    };
    add('Abstract', r.description);
    for (const p of r.provenance ?? []) add('Methods', p.label);
    add('Other', r.versionNotes);
    assert.equal(it.descriptions, want, it.identifier);
    for (const w of want) seen.add(w[0]!);
  }
  assert.equal([...seen].sort(), ['Abstract', 'Methods', 'Other']);
});

test('fundingReferences: each funder the record holds, by name, with its ROR, Crossref Funder ID or own identifier', async () => {
  const items = await walk('oai_datacite', await mkdtemp(join(dir, 'funding-')));
  const recs = byId();
  let funders = 0;
  let ids = 0;
  for (const it of items) {
    const r = recs.get(it.identifier)!;
    const want = new Set<string>();
    for (const f of r.funder ?? []) {
      const all = [f['@id'], ...(f.identifier ?? [])].filter((v): v is string => !!v);
      const id =
        all.find((v) => /^https:\/\/ror\.org\/0[a-z0-9]{8}$/.test(v)) ??
        all.find((v) => /^https?:\/\/(dx\.)?doi\.org\/10\.13039\//.test(v))?.replace(/^.*doi\.org\//, 'https://doi.org/') ??
        (f.identifier ?? []).find((v) => v !== f['@id']);
      want.add(JSON.stringify({ funderName: nameOf(f), funderIdentifier: id ?? null }));
    }
    assert.equal(it.funding!.map((x) => JSON.stringify(x)).sort(), [...want].sort(), it.identifier);
    funders += want.size;
    ids += it.funding!.filter((x) => x.funderIdentifier).length;
  }
  // AuScope's ROR (ISO 19115-3, role funder), the OZCAR producers' fundings with their scanR ids
  assert.ok(funders >= 20 && ids >= 10, `${funders} funders, ${ids} with an identifier`);
});

test('a deleted record: a header in the DataCite lists it was in, nothing in the others', async () => {
  const ozcar = records.filter((r) => r.isPrimaryTopicOf.sourceId === 'ozcar');
  const gone = ozcar.find((r) => doiOf(r))!;
  const goneToo = records.find((r) => r.isPrimaryTopicOf.sourceId === 'stac' && !doiOf(r))!;
  await deleteStale(client, alias, 'ozcar', (id) => id !== gone.identifier);
  await deleteStale(client, alias, 'stac', (id) => id !== goneToo.identifier);
  const dc = await walk('datacite', await mkdtemp(join(dir, 'deleted-')));
  assert.equal(
    dc.filter((i) => i.deleted).map((i) => i.identifier),
    [oaiIdentifier(NS, gone.identifier)],
  );
  const oaiDc = await walk('oai_datacite', await mkdtemp(join(dir, 'deleted-all-')));
  assert.equal(
    oaiDc
      .filter((i) => i.deleted)
      .map((i) => i.identifier)
      .sort(),
    [oaiIdentifier(NS, gone.identifier), oaiIdentifier(NS, goneToo.identifier)].sort(),
  );
  assert.is(oaiDc.length, records.length);
  // both were datasets: OpenAIRE's set lists them deleted, so that its next harvest removes them too
  const set = await walkSet('oai_datacite', OPENAIRE, await mkdtemp(join(dir, 'deleted-set-')));
  assert.equal(
    set.items
      .filter((i) => i.deleted)
      .map((i) => [i.identifier, i.sets.includes(OPENAIRE)])
      .sort(),
    [oaiIdentifier(NS, gone.identifier), oaiIdentifier(NS, goneToo.identifier)].sort().map((id) => [id, true]),
  );
  assert.is(set.items.length, records.filter(inOpenaire).length);
  // the deleted item keeps the formats it had
  assert.equal((await py<{ prefixes: string[] }>('formats', base, oaiIdentifier(NS, gone.identifier))).prefixes, [
    'oai_dc',
    'dcat_ap',
    'oai_datacite',
    'datacite',
  ]);
});

test.run();
