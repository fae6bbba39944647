/**
 * The hub's OGC API - Records answers against the OFFICIAL schemas of the standard (OGC API - Records - Part 1: Core
 * 1.0.0 and the OGC API - Features - Part 1: Core 1.0 schemas it builds on; where they come from and how OpenAPI 3.0
 * is read: test/helpers/ogc-schemas.ts), on the fixture catalogue of every family indexed into the real Elasticsearch
 * (test/helpers/catalogue.ts): the landing page, the conformance declaration, the collections and each collection,
 * items pages (bbox, datetime, q, type, sortby, lang, limit with every next page and a prev page), every record of
 * every source served in its own collection and in the whole catalogue, and the queryables and sortables (JSON Schema
 * documents: no YAML schema exists for them, so the JSON Schema meta-schema they declare and the clauses of
 * Features Part 3 /req/queryables/get-queryables-response and Records /req/sorting/get-sortables-success).
 *
 * Each failure line names the path requested, the record (or collection) and the ajv error path. The errors of the
 * official schemas themselves (KNOWN_DEFECTS, each with its clause) are set apart, and a test proves that each still
 * happens on a real answer and that the checks do reject a broken answer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { KNOWN_DEFECTS, loadOgcSchemas, ogcSchemasMissing, type OgcSchemas, type SchemaName } from '../helpers/ogc-schemas.js';

const alias = tempIndexName('ogc-schemas');
const client = await esClient();
let app: FastifyInstance;
// The schemas are in test/fixtures/ogc-schemas (OGC_SCHEMAS_DIR may name another copy). Without them every test of
// this file is reported skipped, with the reason on stderr; with them, none is.
const missing = ogcSchemasMissing();
if (missing) process.stderr.write(`[ogc-records-schemas] every test skipped: ${missing}\n`);
const it = (name: string, fn: Parameters<typeof test>[1]) => (missing ? test.skip(name, fn) : test(name, fn));
const schemas = (missing ? undefined : loadOgcSchemas()) as OgcSchemas;
let records: HubRecord[] = [];
let sources: string[] = [];

type Json = Record<string, any>;

async function get(path: string): Promise<{ type: string; json: Json }> {
  const r = await app.inject({ url: path, headers: { accept: 'application/json' } });
  assert.is(r.statusCode, 200, `${path}: ${r.body.slice(0, 300)}`);
  return { type: String(r.headers['content-type']), json: r.json() };
}
/** A link's href as a path of this server (the answers carry absolute URLs). */
const local = (href: string) => href.replace(/^https?:\/\/[^/]+/, '');

/** The errors of a set of checks, gathered, so that one failure lists every error of every answer. */
class Findings {
  errors: string[] = [];
  checked = 0;
  check(name: SchemaName, doc: unknown, what: string): void {
    this.checked++;
    this.errors.push(...schemas.check(name, doc, what).errors);
  }
  assertNone(): void {
    const shown = this.errors.slice(0, 40).join('\n');
    assert.ok(this.errors.length === 0, `${this.errors.length} schema errors in ${this.checked} answers:\n${shown}`);
  }
}

test.before(async () => {
  if (missing) return;
  ({ records, sources } = await indexFixtureCatalogue(client, alias));
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

it('landing page /ogcapi (LandingPage.yaml: landingPage of Records and of Features)', async () => {
  const found = new Findings();
  found.check('landingPage', (await get('/ogcapi')).json, '/ogcapi');
  found.assertNone();
});

it('conformance /ogcapi/conformance (ConformanceDeclaration.yaml: confClasses of Features)', async () => {
  const found = new Findings();
  found.check('conformance', (await get('/ogcapi/conformance')).json, '/ogcapi/conformance');
  found.assertNone();
});

it('collections /ogcapi/collections (Catalogs.yaml) and each /ogcapi/collections/{id} (Catalog.yaml, collection.yaml)', async () => {
  const found = new Findings();
  const list = (await get('/ogcapi/collections')).json;
  found.check('collections', list, '/ogcapi/collections');
  const ids = (list.collections as Json[]).map((c) => c.id as string);
  assert.equal(ids, ['catalogue', ...[...sources].sort()]);
  for (const [i, c] of (list.collections as Json[]).entries())
    found.check('recordCollection', c, `/ogcapi/collections: collections[${i}] ${c.id}`);
  for (const id of ids) {
    const path = `/ogcapi/collections/${encodeURIComponent(id)}`;
    const one = (await get(path)).json;
    found.check('catalog', one, path);
    found.check('recordCollection', one, path);
  }
  found.assertNone();
});

it('items pages (Records.yaml): bbox, datetime, q, type, sortby, lang, and limit with every next page', async () => {
  const found = new Findings();
  const queries = [
    '',
    'bbox=5.5,44.5,7.5,46.5',
    'bbox=170,-30,-170,10',
    'bbox=-180,-90,180,90',
    'datetime=2010-01-01/2010-12-31',
    'datetime=../1995-10-16',
    'datetime=2021-01-01T00:00:00Z/..',
    'datetime=2019-07-01',
    'q=glacier',
    `q=${encodeURIComponent('coral reefs,rivières')}`,
    'type=service',
    'type=dataset,series',
    'sortby=-updated,title',
    'lang=fr&limit=1000',
    'limit=1000',
  ];
  let features = 0;
  for (const q of queries) {
    const path = `/ogcapi/collections/catalogue/items${q ? `?${q}` : ''}`;
    const { json, type } = await get(path);
    assert.match(type, /^application\/geo\+json/, path);
    found.check('records', json, path);
    features += (json.features as unknown[]).length;
  }
  assert.ok(features > records.length, `${features} items checked`);
  // limit: every page of each collection (three, when it has three records) through its next links, then a prev link
  for (const collection of ['catalogue', ...sources]) {
    const expected = collection === 'catalogue' ? records : records.filter((r) => r.isPrimaryTopicOf.sourceId === collection);
    const limit = Math.max(1, Math.floor(expected.length / 3));
    let path: string | undefined = `/ogcapi/collections/${encodeURIComponent(collection)}/items?limit=${limit}&sortby=title`;
    const seen: string[] = [];
    let prev: string | undefined;
    while (path) {
      const { json }: { json: Json } = await get(path);
      found.check('records', json, path);
      seen.push(...(json.features as Json[]).map((f) => f.id as string));
      const links = json.links as { rel: string; href: string }[];
      prev ??= links.find((l) => l.rel === 'prev')?.href;
      const next = links.find((l) => l.rel === 'next')?.href;
      path = next ? local(next) : undefined;
    }
    assert.equal(seen.sort(), expected.map((r) => r.identifier).sort(), `${collection}: every record reached through the next links`);
    if (expected.length > limit) {
      assert.ok(prev, `${collection}: a prev link`);
      found.check('records', (await get(local(prev))).json, local(prev));
    }
  }
  found.assertNone();
});

/**
 * What the standard's text asks of a record beyond recordGeoJSON.yaml: /req/record-core/time-interval B and C (both ends
 * dates, or both timestamps), /req/records-api/record-response B and C (links self, a typed alternate (the HTML
 * page), collection; every link with its rel), /req/record-core/links B (a single collection link) and
 * /req/record-core/license B (a license "other" has license links).
 */
function recordClauseErrors(f: Json, what: string): string[] {
  const errors: string[] = [];
  const interval = (f.time as { interval?: string[] } | null)?.interval;
  if (interval) {
    const kinds = new Set(interval.filter((b) => b !== '..').map((b) => (b.includes('T') ? 'timestamp' : 'date')));
    if (kinds.size > 1) errors.push(`${what}: /time/interval mixes a date and a timestamp: ${interval.join(' / ')} (time-interval B, C)`);
  }
  const links = f.links as { rel?: string; type?: string }[];
  if (links.some((l) => !l.rel)) errors.push(`${what}: /links: a link without rel (record-response C)`);
  if (!links.some((l) => l.rel === 'self')) errors.push(`${what}: /links: no self link (record-response B)`);
  if (!links.some((l) => l.rel === 'alternate' && l.type === 'text/html'))
    errors.push(`${what}: /links: no typed alternate link (record-response B)`);
  if ((f.properties as Json | null)?.license === 'other' && !links.some((l) => l.rel === 'license'))
    errors.push(`${what}: /links: license "other" without a license link (license B)`);
  const collections = links.filter((l) => l.rel === 'collection').length;
  if (collections !== 1) errors.push(`${what}: /links: ${collections} collection links, one wanted (record-response B, links B)`);
  return errors;
}

it('every record of every source family (Record.yaml: recordGeoJSON, and the clauses above), in its source collection and in the catalogue', async () => {
  const found = new Findings();
  const perSource = new Map<string, number>();
  for (const r of records) {
    const source = r.isPrimaryTopicOf.sourceId;
    for (const collection of [source, 'catalogue']) {
      const path = `/ogcapi/collections/${encodeURIComponent(collection)}/items/${r.identifier}`;
      const { json, type } = await get(path);
      assert.match(type, /^application\/geo\+json/, path);
      assert.is(json.id, r.identifier, path);
      found.check('record', json, `${path} (record ${r.identifier})`);
      found.errors.push(...recordClauseErrors(json, `${path} (record ${r.identifier})`));
    }
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
  }
  // every family of the fixture catalogue was there to be checked
  assert.equal([...perSource.keys()].sort(), [...sources].sort());
  found.assertNone();
});

/** The JSON Schema 2020-12 meta-schema (its own vocabularies: `x-ogc-role` and such are annotations). */
const metaSchema = new Ajv2020({ strict: false });

/** The JSON Schema meta-schema check and the clauses every queryables / sortables document must meet. */
function schemaDocErrors(doc: Json, server: string, path: string, kind: 'queryables' | 'sortables', geometryTypes: Set<string>): string[] {
  const errors: string[] = [];
  const allowed =
    kind === 'queryables'
      ? ['https://json-schema.org/draft/2020-12/schema'] // Features Part 3 /req/queryables/get-queryables-response B
      : [
          'http://json-schema.org/draft-07/schema#',
          'https://json-schema.org/draft/2019-09/schema',
          'https://json-schema.org/draft/2020-12/schema',
        ]; // Records /req/sorting/get-sortables-success B
  if (!allowed.includes(doc.$schema)) errors.push(`${path}: $schema ${doc.$schema} is not ${allowed.join(' or ')}`);
  if (doc.$schema === 'https://json-schema.org/draft/2020-12/schema' && !metaSchema.validateSchema(doc))
    for (const e of metaSchema.errors ?? []) errors.push(`${path}: not a JSON Schema 2020-12: ${e.instancePath || '/'} ${e.message}`);
  if (doc.$id !== `${server}${path}`) errors.push(`${path}: $id ${doc.$id} is not the resource's URI without query parameters`);
  if (doc.type !== 'object') errors.push(`${path}: type is ${doc.type}, not object`);
  for (const [name, p] of Object.entries(doc.properties as Record<string, Json>)) {
    const spatial = typeof p.format === 'string' && p.format.startsWith('geometry-');
    if (!spatial && p.type === undefined) errors.push(`${path}: property ${name} has no type (C)`);
    if (spatial && (p.type !== undefined || p.$ref !== undefined)) errors.push(`${path}: spatial property ${name} has a type or $ref (D)`);
    if (spatial) {
      // E: geometry-<type>, the special values of Features Part 3 included; the records' own geometries must be admitted
      const m =
        /^geometry-(any|point|multipoint|linestring|multilinestring|polygon|multipolygon|geometrycollection|point-or-multipoint|linestring-or-multilinestring|polygon-or-multipolygon)$/.exec(
          p.format as string,
        );
      if (!m) errors.push(`${path}: spatial property ${name}: format ${p.format} is not one of Features Part 3 (E)`);
      else if (m[1] !== 'any')
        for (const t of geometryTypes)
          if (!m[1].split('-or-').includes(t.toLowerCase()))
            errors.push(`${path}: spatial property ${name}: format ${p.format}, but a record's geometry is a ${t} (E)`);
    }
  }
  // Records /req/sorting/get-sortables-success F; Features Part 3 G allows true or false
  if (kind === 'sortables' && doc.additionalProperties !== undefined && doc.additionalProperties !== false)
    errors.push(`${path}: additionalProperties must be false when included (F)`);
  if (kind === 'queryables' && doc.additionalProperties !== undefined && typeof doc.additionalProperties !== 'boolean')
    errors.push(`${path}: additionalProperties must be true or false (G)`);
  return errors;
}

it('queryables and sortables of every collection: JSON Schema 2020-12 documents as Features Part 3 and Records sorting ask', async () => {
  // the geometry types of the records served (their geometry is what the `geometry` queryable describes)
  const geometryTypes = new Set<string>();
  for (const f of (await get('/ogcapi/collections/catalogue/items?limit=1000')).json.features as Json[])
    if (f.geometry) geometryTypes.add(f.geometry.type as string);
  assert.ok(geometryTypes.has('Polygon') && geometryTypes.has('MultiPolygon'), [...geometryTypes].join());
  const server = ((await get('/ogcapi')).json.links as Json[]).find((l) => l.rel === 'self')!.href.replace(/\/ogcapi$/, '') as string;
  const errors: string[] = [];
  for (const id of ['catalogue', ...sources]) {
    for (const kind of ['queryables', 'sortables'] as const) {
      const path = `/ogcapi/collections/${encodeURIComponent(id)}/${kind}`;
      const { json, type } = await get(path);
      if (!/^application\/schema\+json/.test(type)) errors.push(`${path}: Content-Type ${type}, not application/schema+json`);
      errors.push(...schemaDocErrors(json, server, path, kind, geometryTypes));
    }
  }
  assert.ok(errors.length === 0, errors.slice(0, 40).join('\n'));
});

it('the checks can fail: broken answers are rejected with the record and the path; each known schema defect is real', async () => {
  const path = '/ogcapi/collections/catalogue/items/fx-cryo:CRYO_DAT_gl_mb_alp_arg';
  const good = (await get(path)).json;
  assert.equal(schemas.check('record', good, path), { errors: [], defects: [] });
  const broken = (edit: (f: Json) => void) => {
    const f = structuredClone(good);
    edit(f);
    return schemas.check('record', f, path).errors;
  };
  const cases: [string, (f: Json) => void, RegExp][] = [
    ['a time zone other than UTC', (f) => (f.time.interval[0] = '1994-05-17T12:00:00+02:00'), /\/time\/interval\/0 /],
    [
      'a theme without concepts',
      (f) => (f.properties.themes[0].concepts = []),
      /\/properties\/themes\/0\/concepts must NOT have fewer than 1 items/,
    ],
    ['a link whose href is not a URI', (f) => (f.links[0].href = 'http://a b'), /\/links\/0\/href must match format "uri"/],
    [
      'a contact without name or organization',
      (f) => (f.properties.contacts[0] = { roles: ['author'] }),
      /\/properties\/contacts\/0 must match a schema in anyOf/,
    ],
    [
      'a language without code',
      (f) => (f.properties.language = { name: 'English' }),
      /\/properties\/language must have required property 'code'/,
    ],
    ['no geometry member', (f) => delete f.geometry, /\/ must have required property 'geometry'/],
  ];
  for (const [what, edit, want] of cases) {
    const errors = broken(edit);
    assert.ok(
      errors.some((e) => e.startsWith(path) && want.test(e)),
      `${what}: ${errors.join('\n') || 'accepted'}`,
    );
  }
  // what the schema lets through and the clauses do not: a date facing a timestamp, a second collection link
  const mixed = { ...good, time: { interval: ['2010-01-01', '2015-09-25T12:00:00Z'] } };
  assert.equal(schemas.check('record', mixed, path).errors, []);
  assert.match(recordClauseErrors(mixed, path).join('\n'), /\/time\/interval mixes a date and a timestamp/);
  const twice = { ...good, links: [...(good.links as Json[]), { rel: 'collection', href: 'http://hub.example/c' }] };
  assert.match(recordClauseErrors(twice, path).join('\n'), /2 collection links/);
  // in an items page, an error names the record it is in
  const page = (await get('/ogcapi/collections/fx-cryo/items?limit=2')).json;
  const second = page.features[1].id as string;
  page.features[1].properties.keywords = 'not a list';
  const errors = schemas.check('records', page, 'items').errors;
  assert.ok(
    errors.some((e) => e.startsWith(`items (record ${second}): /features/1/properties/keywords must be array`)),
    errors.join('\n'),
  );
  // the known defects of the official schemas happen on real answers (a record without dates nor extent), and nothing else does
  const wms = (await get('/ogcapi/collections/catalogue/items/hand:soil-wms')).json;
  assert.is(wms.time, null);
  assert.is(wms.geometry, null);
  assert.equal(schemas.check('record', wms, 'hand:soil-wms'), { errors: [], defects: ['record-time-null'] });
  const services = (await get('/ogcapi/collections/catalogue/items?ids=hand:soil-wms')).json;
  const v = schemas.check('records', services, 'ids=hand:soil-wms');
  assert.equal(v.errors, []);
  assert.equal(v.defects.sort(), ['feature-geometry-null', 'record-time-null']);
  assert.equal(
    KNOWN_DEFECTS.map((d) => d.id),
    ['record-time-null', 'feature-geometry-null'],
  );
});

test.run();
