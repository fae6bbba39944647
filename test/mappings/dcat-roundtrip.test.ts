/**
 * A record exported as DCAT-AP (schemas/jsonld.ts, the view data.gouv.fr and other DCAT harvesters read) and harvested
 * again by the DCAT crosswalk comes back as the same record, as far as DCAT-AP carries it. Tested on every record the
 * crosswalks make of the shared real fixtures (ISO 19139, ISO 19115-3, STAC, OZCAR) and on the record that fills every
 * field, through three serialisations (N-Quads, JSON-LD, Turtle).
 *
 * What does not come back, by design of the DCAT-AP view, and is applied to the expected record here:
 * - a theme known only by its label (no concept IRI) is written as a dcat:keyword (DCAT-AP wants theme IRIs);
 * - of several spatial resolutions only the finest is written (DCAT-AP allows one);
 * - RDF has no order: lists are compared as sets;
 * - through the record's own graph (no DCAT-AP view), a concept scheme IRI given several titles keeps one per language
 *   (see oneTitlePerScheme);
 * - the record is harvested by a new source: its identifier and IRI are the new source's, and its catalog record says
 *   the new harvest (source, format, date, hash), with the first record's identifier as the source's identifier.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';

import { Parser, Writer } from 'n3';
import { describeRecord } from '../../core/dcat.js';
import { canonicalJson } from '../../core/json.js';
import { parseRdf, RdfGraph, type RdfNode } from '../../core/rdf.js';
import { splitRecords } from '../../harvesters/csw/records.js';
import { dcatToRecord } from '../../mappings/dcat/index.js';
import { mapRecord } from '../../pipelines/map.js';
import { expandRecord, toNQuads } from '../../schemas/jsonld.js';
import { recordNTriples } from '../../schemas/rdf.js';
import { sharedFixture } from '../../schemas/paths.js';
import { hubId, recordIri, type HubRecord, type LangMapMulti } from '../../schemas/record.js';
import { validateRecord } from '../../schemas/validate.js';
import { fullRecord } from '../schemas/sample-records.js';

const HARVESTED = '2026-12-01T00:00:00Z';
const AGAIN = '2027-01-01T00:00:00Z';

function fixtureRecords(): HubRecord[] {
  const out: HubRecord[] = [fullRecord()];
  const add = (source: string, body: string | Record<string, unknown>, location: string) => {
    const m = mapRecord({ source, body, location }, { harvestedAt: HARVESTED });
    if (m.ok) out.push(m.record);
  };
  for (const family of ['iso19139', 'iso19115-3']) {
    for (const f of readdirSync(sharedFixture(family)).filter((x) => x.endsWith('.xml'))) {
      for (const r of splitRecords(readFileSync(sharedFixture(family, f), 'utf8')).records) add('iso', r.xml, f);
    }
  }
  for (const f of readdirSync(sharedFixture('stac')).filter((x) => x.endsWith('.json'))) {
    add('stac', JSON.parse(readFileSync(sharedFixture('stac', f), 'utf8')) as Record<string, unknown>, f);
  }
  for (const f of readdirSync(sharedFixture('ozcar')).filter((x) => x.endsWith('.json'))) {
    const pivot = JSON.parse(readFileSync(sharedFixture('ozcar', f), 'utf8')) as {
      producer?: unknown;
      datasets?: Record<string, unknown>[];
    };
    for (const ds of pivot.datasets ?? []) {
      const m = mapRecord(
        { source: 'ozcar', format: 'ozcar-dataset', body: ds, location: f, context: { producer: pivot.producer } },
        { harvestedAt: HARVESTED },
      );
      if (m.ok) out.push(m.record);
    }
  }
  return out;
}

/** Lists as sets, object keys sorted: what RDF carries. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon).sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** The record as it should come back from source `again` (see the file comment); `view`: through the DCAT-AP view. */
function expected(r: HubRecord, view = true): HubRecord {
  const e = structuredClone(r);
  if (!view) return { ...oneTitlePerScheme(e), ...provenance(r) };
  const loose = e.theme?.filter((t) => t['@id'] === undefined) ?? [];
  if (loose.length) {
    const keyword: LangMapMulti = { ...(e.keyword ?? {}) };
    for (const t of loose)
      for (const [lang, label] of Object.entries(t.prefLabel ?? {})) keyword[lang] = [...new Set([...(keyword[lang] ?? []), label])];
    e.keyword = keyword;
    const kept = e.theme!.filter((t) => t['@id'] !== undefined);
    if (kept.length) e.theme = kept;
    else delete e.theme;
  }
  if (e.spatialResolutionInMeters && e.spatialResolutionInMeters.length > 1)
    e.spatialResolutionInMeters = [Math.min(...e.spatialResolutionInMeters)];
  return { ...e, ...provenance(r) };
}

/**
 * An IRI is one resource: a record that gives one concept scheme IRI several titles (the ISO crosswalk names every
 * GCMD keyword type, Location, Project, Science..., with https://gcmd.earthdata.nasa.gov/kms/concepts/) gets one title
 * per language back, the first in the description's order (the DCAT-AP view writes those label-only themes as keywords instead).
 */
function oneTitlePerScheme(e: HubRecord): HubRecord {
  const first = new Map<string, Record<string, string>>();
  const concepts = [...(e.theme ?? []), ...(e.subject ?? [])];
  for (const c of concepts) {
    const s = c.inScheme;
    if (!s?.['@id'] || !s.title) continue;
    const t = first.get(s['@id']) ?? {};
    // the order of the description: literals by their canonical JSON
    const key = (lang: string, v: string) => canonicalJson(lang === '@none' ? { '@value': v } : { '@value': v, '@language': lang });
    for (const [lang, v] of Object.entries(s.title)) if (t[lang] === undefined || key(lang, v) < key(lang, t[lang])) t[lang] = v;
    first.set(s['@id'], t);
  }
  for (const c of concepts) if (c.inScheme?.['@id'] && first.has(c.inScheme['@id'])) c.inScheme.title = first.get(c.inScheme['@id']);
  return e;
}

/** What a harvest by source `again` says of the record: its ids and catalog record. */
function provenance(r: HubRecord): Pick<HubRecord, '@id' | 'identifier' | 'isPrimaryTopicOf'> {
  const id = r.identifier;
  const cr = r.isPrimaryTopicOf;
  return {
    '@id': recordIri('again', id),
    identifier: hubId('again', id),
    isPrimaryTopicOf: {
      '@type': 'dcat:CatalogRecord',
      identifier: id,
      ...(cr.modified ? { modified: cr.modified } : {}),
      ...(cr.language ? { language: cr.language } : {}),
      ...(cr.conformsTo ? { conformsTo: cr.conformsTo } : {}),
      sourceId: 'again',
      sourceFormat: 'dcat',
      sourceUrl: r['@id'],
      harvestedAt: { '@value': AGAIN, '@type': 'xsd:dateTime' },
      contentHash: '(the new one)',
    },
  };
}

/** N-Quads rewritten as Turtle with prefixes (n3's writer): another serialisation of the same graph. */
function turtle(nquads: string): Promise<string> {
  const writer = new Writer({
    prefixes: { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/' },
  });
  writer.addQuads(new Parser({ format: 'N-Quads' }).parse(nquads));
  return new Promise((resolve, reject) =>
    writer.end((err: unknown, out: string) =>
      err ? reject(err instanceof Error ? err : new Error('the Turtle writer failed')) : resolve(out),
    ),
  );
}

/** Harvests the record's description back from a graph. */
function readBack(graph: RdfGraph, r: HubRecord): { record: HubRecord; body: RdfNode } {
  const body = describeRecord(graph, r['@id']);
  const { record } = dcatToRecord(body, { source: 'again', harvestedAt: AGAIN });
  return { record: { ...record, isPrimaryTopicOf: { ...record.isPrimaryTopicOf, contentHash: '(the new one)' } }, body };
}

const records = fixtureRecords();

test('the fixture records: enough of each family to mean something', () => {
  const families = new Set(records.map((r) => r.isPrimaryTopicOf.sourceFormat));
  assert.ok(records.length >= 40, `${records.length} records`);
  for (const f of ['iso19139', 'iso19115-3', 'stac-collection', 'stac-item', 'ozcar-dataset']) assert.ok(families.has(f), f);
});

test('exported as DCAT-AP (N-Quads) and harvested again: the same record, as far as DCAT-AP carries it, and valid', async () => {
  for (const r of records) {
    const graph = new RdfGraph(await parseRdf(await toNQuads(r), 'nquads'));
    const back = readBack(graph, r).record;
    assert.equal(canon(back), canon(expected(r)), r.identifier);
    assert.equal(
      validateRecord({ ...back, isPrimaryTopicOf: { ...back.isPrimaryTopicOf, contentHash: '0'.repeat(64) } }),
      [],
      r.identifier,
    );
  }
});

test('the same through JSON-LD and Turtle: the same description (so the same content hash) whatever the serialisation', async () => {
  for (const r of records) {
    const nquads = await toNQuads(r);
    const viaNQuads = readBack(new RdfGraph(await parseRdf(nquads, 'nquads')), r);
    const viaJsonLd = readBack(new RdfGraph(await parseRdf(JSON.stringify(await expandRecord(r)), 'jsonld')), r);
    const viaTurtle = readBack(new RdfGraph(await parseRdf(await turtle(nquads), 'turtle')), r);
    assert.equal(viaJsonLd.body, viaNQuads.body, r.identifier);
    assert.equal(viaTurtle.body, viaNQuads.body, r.identifier);
    assert.equal(viaTurtle.record, viaNQuads.record, r.identifier);
  }
});

test("the record's own graph (schemas/rdf.ts, no DCAT-AP additions) comes back whole", async () => {
  for (const r of records) {
    const back = readBack(new RdfGraph(await parseRdf(recordNTriples(r), 'ntriples')), r).record;
    assert.equal(canon(back), canon(expected(r, false)), r.identifier);
  }
});

test('what does not come back is only what the file comment lists', async () => {
  // fullRecord has a label-only theme and three resolutions: both losses show, nothing else
  const r = fullRecord();
  const back = readBack(new RdfGraph(await parseRdf(await toNQuads(r), 'nquads')), r).record;
  const lost = Object.keys(r).filter(
    (k) =>
      canonicalJson(canon((r as unknown as Record<string, unknown>)[k])) !==
      canonicalJson(canon((back as unknown as Record<string, unknown>)[k])),
  );
  assert.equal(
    lost.sort(),
    [
      '@id',
      'identifier',
      'isPrimaryTopicOf',
      ...(r.theme?.some((t) => !t['@id']) ? ['keyword', 'theme'] : []),
      ...((r.spatialResolutionInMeters?.length ?? 0) > 1 ? ['spatialResolutionInMeters'] : []),
    ].sort(),
  );
});

test.run();
