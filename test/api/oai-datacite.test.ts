/**
 * DataCite over OAI-PMH, through a real client: Sickle (PyPI) walks ListRecords `oai_datacite` and `datacite` on a
 * listening server, in pages of 7 so that resumption tokens are exercised, over every fixture family (ISO 19139,
 * ISO 19115-3, STAC and OZCAR of the shared fixtures; the DCAT and ISO records of test/fixtures). Every record it gets
 * is validated against the shipped DataCite 4.6 XSD with xmllint --nonet, and its values are compared with the records
 * (computed here from the records, not through the crosswalk): identifier, titles, creators, boxes, time extents,
 * licences. A record without a DOI is in oai_datacite by its hub IRI, and not in datacite: left out of its lists,
 * cannotDisseminateFormat to GetRecord, missing from ListMetadataFormats of the item.
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
  file?: string;
  root?: string;
  namespace?: string;
  id?: string;
  idType?: string;
  titles?: string[];
  creators?: string[];
  boxes?: number[][];
  points?: number[][];
  collected?: string[];
  rightsURIs?: string[];
}

async function walk(prefix: string, out: string): Promise<Walked[]> {
  return (await py<{ items: Walked[] }>('datacite', base, prefix, out)).items;
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
  // the deleted item keeps the formats it had
  assert.equal((await py<{ prefixes: string[] }>('formats', base, oaiIdentifier(NS, gone.identifier))).prefixes, [
    'oai_dc',
    'dcat_ap',
    'oai_datacite',
    'datacite',
  ]);
});

test.run();
