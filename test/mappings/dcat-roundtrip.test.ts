/**
 * A record exported as DCAT-AP (the record is DCAT-AP 3.0.1 JSON-LD itself, schemas/record.ts; its RDF is
 * schemas/rdf.ts recordQuads, the same graph jsonld.js gives) and harvested again by the DCAT crosswalk comes back as
 * the same record. Tested on every record the crosswalks make of the shared real fixtures (ISO 19139, ISO 19115-3,
 * STAC, OZCAR) and on the record that fills every field, through three serialisations (N-Triples, JSON-LD, Turtle).
 *
 * What differs, and is applied to the expected record here:
 * - RDF has no order: lists are compared as sets;
 * - the record is harvested by a new source: its identifier and IRI are the new source's, and its catalog record says
 *   the new harvest (source, format, date, hash), with the first record's identifier as the source's identifier; its
 *   date is the source's metadata date when there was one, else the new harvest's.
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
import { expandRecord } from '../../schemas/jsonld.js';
import { recordNTriples } from '../../schemas/rdf.js';
import { sharedFixture } from '../../schemas/paths.js';
import { hubId, recordIri, type HubRecord } from '../../schemas/record.js';
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

/** The record as it should come back from source `again` (see the file comment). */
function expected(r: HubRecord): HubRecord {
  const id = r.identifier;
  const cr = r.isPrimaryTopicOf;
  return {
    ...structuredClone(r),
    '@id': recordIri('again', id),
    identifier: hubId('again', id),
    isPrimaryTopicOf: {
      '@type': 'dcat:CatalogRecord',
      identifier: id,
      // the source's metadata date, else (the first harvest's time) the new harvest's
      modified: cr.modified['@value'] === cr.harvestedAt['@value'] ? { '@value': AGAIN, '@type': 'xsd:dateTime' } : cr.modified,
      ...(cr.language ? { language: cr.language } : {}),
      ...(cr.conformsTo ? { conformsTo: cr.conformsTo } : {}),
      ...(cr.contactPoint ? { contactPoint: cr.contactPoint } : {}),
      sourceId: 'again',
      sourceFormat: 'dcat',
      sourceUrl: r['@id'],
      harvestedAt: { '@value': AGAIN, '@type': 'xsd:dateTime' },
      contentHash: '(the new one)',
    },
  };
}

/** N-Triples rewritten as Turtle with prefixes (n3's writer): another serialisation of the same graph. */
function turtle(ntriples: string): Promise<string> {
  const writer = new Writer({
    prefixes: { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/' },
  });
  writer.addQuads(new Parser({ format: 'N-Triples' }).parse(ntriples));
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

test('exported as DCAT-AP (N-Triples) and harvested again: the same record, and valid', async () => {
  for (const r of records) {
    const graph = new RdfGraph(await parseRdf(recordNTriples(r), 'ntriples'));
    const back = readBack(graph, r).record;
    assert.equal(canon(back), canon(expected(r)), r.identifier);
    assert.equal(
      validateRecord({ ...back, isPrimaryTopicOf: { ...back.isPrimaryTopicOf, contentHash: '0'.repeat(64) } }),
      [],
      r.identifier,
    );
  }
});

test('the same through JSON-LD (jsonld.js) and Turtle (n3): the same description (so the same content hash) whatever the serialisation', async () => {
  for (const r of records) {
    const nt = recordNTriples(r);
    const viaNTriples = readBack(new RdfGraph(await parseRdf(nt, 'ntriples')), r);
    const viaJsonLd = readBack(new RdfGraph(await parseRdf(JSON.stringify(await expandRecord(r)), 'jsonld')), r);
    const viaTurtle = readBack(new RdfGraph(await parseRdf(await turtle(nt), 'turtle')), r);
    assert.equal(viaJsonLd.body, viaNTriples.body, r.identifier);
    assert.equal(viaTurtle.body, viaNTriples.body, r.identifier);
    assert.equal(viaTurtle.record, viaNTriples.record, r.identifier);
  }
});

test('the record that fills every field: nothing but its provenance differs', async () => {
  const r = fullRecord();
  const back = readBack(new RdfGraph(await parseRdf(recordNTriples(r), 'ntriples')), r).record;
  const value = (x: HubRecord, k: string) => canonicalJson(canon((x as unknown as Record<string, unknown>)[k]) ?? null);
  const differ = Object.keys({ ...r, ...back }).filter((k) => value(r, k) !== value(back, k));
  assert.equal(differ.sort(), ['@id', 'identifier', 'isPrimaryTopicOf']);
});

test.run();
