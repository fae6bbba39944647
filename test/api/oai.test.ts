/**
 * OAI-PMH at /oai against the real node (app.inject), on an index of every fixture family harvested at known times:
 * each verb, each error code from the request that should produce it, resumption tokens (cursor, completeListSize,
 * expiry, tampering, a walk while the index changes), from/until in both granularities, tombstones.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { healthRoutes } from '../../api/routes/health.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { catalogRoutes } from '../../api/routes/catalog.js';
import { deleteStale } from '../../pipelines/index-admin.js';
import { silentLogger } from '../../pipelines/log.js';
import { searchRecords } from '../../pipelines/search.js';
import { countTombstones, reviveTombstones, tombstoneIndex } from '../../pipelines/tombstones.js';
import { decodeToken, encodeToken } from '../../pipelines/oai-token.js';
import { hubIdOf, isAnyUri, oaiIdentifier } from '../../pipelines/oai.js';
import type { HubRecord } from '../../schemas/record.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { HARVESTED, indexDatedFixtures, readOai, type OaiDoc } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const url = await esUrl();
const alias = tempIndexName('oai');
const NS = 'data.hub.example';
let records: HubRecord[] = [];
let app: FastifyInstance;

test.before(async () => {
  records = await indexDatedFixtures(client, alias);
  app = await buildServer({
    client,
    alias,
    esUrl: url,
    log: silentLogger,
    routes: [healthRoutes, oaiRoutes({ pageSize: 7 }), catalogRoutes()],
  });
});
test.after(async () => {
  await app.close();
  await deleteIndices(client, `${alias}*`);
});

async function oai(query: string): Promise<OaiDoc> {
  const r = await app.inject({ method: 'GET', url: `/oai?${query}` });
  assert.is(r.statusCode, 200, query);
  assert.match(r.headers['content-type'] as string, /^text\/xml/);
  return readOai(r.body);
}

function errorOf(doc: OaiDoc): string | undefined {
  return doc.error?.['@code'];
}

type Header = { identifier: string[]; datestamp: string; setSpec?: string[]; '@status'?: string };
type Token = { '#text'?: string; '@cursor'?: string; '@completeListSize'?: string; '@expirationDate'?: string } | string | undefined;

/** Every header of a ListIdentifiers walk, following the tokens; the tokens' attributes on the way. */
async function walk(args: string): Promise<{ headers: Header[]; tokens: Token[] }> {
  const headers: Header[] = [];
  const tokens: Token[] = [];
  let query = `verb=ListIdentifiers&${args}`;
  for (let i = 0; i < 100; i++) {
    const doc = await oai(query);
    if (errorOf(doc) === 'noRecordsMatch') break;
    assert.is(errorOf(doc), undefined, JSON.stringify(doc.error));
    const list = doc.ListIdentifiers as { header: Header[]; resumptionToken?: Token };
    headers.push(...list.header);
    tokens.push(list.resumptionToken);
    const t = list.resumptionToken;
    const text = typeof t === 'object' ? t['#text'] : t;
    if (!text) break;
    query = `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(text)}`;
  }
  return { headers, tokens };
}

test('identifiers: oai:NAMESPACE:source:identifier, characters outside the syntax percent-encoded, read back', () => {
  assert.is(oaiIdentifier(NS, 'ozcar:CATC_DAT_CE.WChem_Od'), 'oai:data.hub.example:ozcar:CATC_DAT_CE.WChem_Od');
  const odd = 'iso19115-3:Metadata > Details > File Identifier%é';
  const id = oaiIdentifier(NS, odd);
  assert.is(id, 'oai:data.hub.example:iso19115-3:Metadata%20%3E%20Details%20%3E%20File%20Identifier%25%C3%A9');
  assert.is(hubIdOf(NS, id), odd);
  assert.is(hubIdOf('other.example', id), undefined);
  assert.is(hubIdOf(NS, 'oai:data.hub.example:%E0%A4%A'), undefined, 'a broken escape is no id');
});

test('Identify: repository name, base URL, earliest datestamp, deletedRecord persistent, seconds granularity, oai-identifier', async () => {
  const doc = await oai('verb=Identify');
  const id = doc.Identify as Record<string, unknown>;
  assert.is(id.baseURL, 'http://localhost:80/oai');
  assert.is(id.protocolVersion, 2);
  assert.is(id.earliestDatestamp, HARVESTED.iso19139);
  assert.is(id.deletedRecord, 'persistent');
  assert.is(id.granularity, 'YYYY-MM-DDThh:mm:ssZ');
  assert.equal(id.adminEmail, ['contact@data.hub.example']);
  const desc = (id.description as { 'oai-identifier': Record<string, string> })['oai-identifier'];
  assert.is(desc.repositoryIdentifier, NS);
  assert.is(desc.sampleIdentifier, 'oai:data.hub.example:source:identifier');
  assert.equal(doc.request, { '#text': 'http://localhost:80/oai', '@verb': 'Identify' });
});

test('ListMetadataFormats and ListSets', async () => {
  const formats = (await oai('verb=ListMetadataFormats')).ListMetadataFormats as { metadataFormat: { metadataPrefix: string }[] };
  assert.equal(
    formats.metadataFormat.map((f) => f.metadataPrefix),
    ['oai_dc', 'dcat_ap', 'oai_datacite', 'datacite'],
  );
  const one = await oai(`verb=ListMetadataFormats&identifier=${encodeURIComponent(oaiIdentifier(NS, records[0].identifier))}`);
  assert.is(errorOf(one), undefined);
  const sets = ((await oai('verb=ListSets')).ListSets as { set: { setSpec: string[] }[] }).set.map((s) => s.setSpec[0]);
  assert.equal(sets, [
    'source',
    'source:iso19115-3',
    'source:iso19139',
    'source:ozcar',
    'source:stac',
    'pid',
    'pid:doi',
    'pid:handle',
    'type',
    'type:dataset',
    'type:series',
    'type:service',
    'openaire_data',
  ]);
});

test('ListIdentifiers in pages of 7: cursor, completeListSize and expiry on every token, an empty token at the end, each record once', async () => {
  const { headers, tokens } = await walk('metadataPrefix=oai_dc');
  assert.is(headers.length, records.length);
  assert.is(new Set(headers.map((h) => h.identifier[0])).size, records.length);
  const pages = Math.ceil(records.length / 7);
  assert.is(tokens.length, pages);
  tokens.forEach((t, i) => {
    assert.ok(t && typeof t === 'object', `page ${i + 1} has a token element`);
    assert.is(t['@cursor'], String(i * 7));
    assert.is(t['@completeListSize'], String(records.length));
    if (i < pages - 1) assert.match(t['@expirationDate'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    else assert.is(t['#text'], undefined, 'the last token is empty');
  });
  // datestamp order, then id
  const keys = headers.map((h) => `${h.datestamp} ${h.identifier[0]}`);
  assert.equal(keys, [...keys].sort());
});

test('from and until, by day and by second, inclusive', async () => {
  const count = async (args: string) => (await walk(`metadataPrefix=oai_dc&${args}`)).headers.length;
  const by = (s: string) => records.filter((r) => r.isPrimaryTopicOf.sourceId === s).length;
  assert.is(await count('from=2026-11-22'), by('stac') + by('ozcar'));
  assert.is(await count('from=2026-11-22T10:15:30Z'), by('stac') + by('ozcar'), 'from is inclusive to the second');
  assert.is(await count('from=2026-11-22T10:15:31Z'), by('ozcar'));
  assert.is(await count('until=2026-11-21'), by('iso19139') + by('iso19115-3'), 'until a day includes all of it');
  assert.is(await count('until=2026-11-23T23:59:59Z'), records.length, 'until is inclusive to the second');
  assert.is(await count('from=2026-11-21&until=2026-11-22'), by('iso19115-3') + by('stac'));
  assert.is(errorOf(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2027-01-01')), 'noRecordsMatch');
});

test('sets: each source, pid, types; set counts equal the index', async () => {
  for (const s of Object.keys(HARVESTED)) {
    const { headers } = await walk(`metadataPrefix=oai_dc&set=source:${s}`);
    assert.is(headers.length, records.filter((r) => r.isPrimaryTopicOf.sourceId === s).length, s);
    assert.ok(headers.every((h) => h.setSpec?.includes(`source:${s}`)));
  }
  const pid = await walk('metadataPrefix=oai_dc&set=pid');
  const { count } = await client.count({ index: alias, query: { exists: { field: 'pid' } } });
  assert.ok(count > 0);
  assert.is(pid.headers.length, count);
  for (const t of ['dataset', 'series', 'service']) {
    const { headers } = await walk(`metadataPrefix=oai_dc&set=type:${t}`);
    const c = (await client.count({ index: alias, query: { term: { type: t } } })).count;
    assert.is(headers.length, c, t);
  }
  assert.is(errorOf(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=source:nowhere')), 'noRecordsMatch');
});

test('GetRecord: oai_dc with the DOI first in resolver form; dcat_ap as RDF/XML', async () => {
  const withDoi = records.filter((r) => JSON.stringify(r.otherIdentifier ?? []).includes('doi.org'));
  assert.ok(withDoi.length >= 5);
  for (const r of withDoi) {
    const doc = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiIdentifier(NS, r.identifier))}`);
    const rec = (doc.GetRecord as { record: { metadata: { dc: { identifier: string[] } } }[] }).record[0];
    assert.match(rec.metadata.dc.identifier[0], /^https:\/\/doi\.org\/10\./, r.identifier);
  }
  const rdf = await app.inject({
    url: `/oai?verb=GetRecord&metadataPrefix=dcat_ap&identifier=${encodeURIComponent(oaiIdentifier(NS, withDoi[0].identifier))}`,
  });
  assert.match(rdf.body, /<metadata><rdf:RDF xmlns:rdf="http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#"/);
  assert.match(rdf.body, new RegExp(`<rdf:Description rdf:about="${withDoi[0]['@id'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">`));
});

test('every error code from the request that should produce it; badVerb and badArgument answer without request attributes', async () => {
  const id = encodeURIComponent(oaiIdentifier(NS, records[0].identifier));
  const cases: [string, string][] = [
    ['', 'badVerb'],
    ['verb=Harvest', 'badVerb'],
    ['verb=Identify&verb=Identify', 'badArgument'],
    ['verb=Identify&set=x', 'badArgument'],
    ['verb=GetRecord&identifier=' + id, 'badArgument'],
    ['verb=ListRecords', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-11-01&until=2026-11-30T00:00:00Z', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-12-01&until=2026-11-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=no%20spaces', 'badArgument'],
    ['verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc', 'badArgument'],
    ['verb=ListRecords&resumptionToken=bm90LWEtdG9rZW4', 'badResumptionToken'],
    ['verb=ListSets&resumptionToken=abc', 'badResumptionToken'],
    ['verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
    ['verb=GetRecord&metadataPrefix=ddi&identifier=' + id, 'cannotDisseminateFormat'],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:data.hub.example:ozcar:nothing', 'idDoesNotExist'],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:ozcar:x', 'idDoesNotExist'],
    ['verb=ListMetadataFormats&identifier=oai:data.hub.example:a:b', 'idDoesNotExist'],
    ['verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:film', 'noRecordsMatch'],
    // a metadataPrefix outside its syntax is an illegal argument, not a format we lack
    ['verb=ListRecords&metadataPrefix=marc%2021', 'badArgument'],
    ['verb=ListIdentifiers&metadataPrefix=%C3%A9', 'badArgument'],
    ['verb=GetRecord&metadataPrefix=a%3Cb&identifier=oai:data.hub.example:ozcar:nothing', 'badArgument'],
    // year 0000 is no xs:date
    ['verb=ListRecords&metadataPrefix=oai_dc&from=0000-01-01', 'badArgument'],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=0000-01-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'badArgument'],
    // an identifier that is no URI: unknown or illegal, and not echoed
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:data.hub.example:%25ZZ', 'idDoesNotExist'],
    ['verb=ListMetadataFormats&identifier=a%23b%23c', 'idDoesNotExist'],
    ['verb=GetRecord&metadataPrefix=oai_dc&identifier=1a:b', 'idDoesNotExist'],
  ];
  for (const [query, code] of cases) {
    const doc = await oai(query);
    assert.is(errorOf(doc), code, query);
    const attrs = Object.keys(doc.request).filter((k) => k.startsWith('@'));
    if (code === 'badVerb' || code === 'badArgument') assert.equal(attrs, [], `${query}: no request attributes`);
    requestValid(doc, query);
  }
  const bad = await oai('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:data.hub.example:%25ZZ');
  assert.equal(bad.request, { '#text': 'http://localhost:80/oai', '@verb': 'GetRecord', '@metadataPrefix': 'oai_dc' });
  assert.match(bad.error!['#text'], /oai:data\.hub\.example:%ZZ/, 'the message still names it');
  const post = await app.inject({
    method: 'POST',
    url: '/oai',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `verb=GetRecord&metadataPrefix=oai_dc&identifier=${id}`,
  });
  assert.is(errorOf(readOai(post.body)), undefined, 'POST is served too');
  // noSetHierarchy: a repository configured without sets
  const bare = await buildServer({ client, alias, esUrl: url, log: silentLogger, routes: [oaiRoutes({ sets: false })] });
  for (const q of ['verb=ListSets', 'verb=ListRecords&metadataPrefix=oai_dc&set=pid']) {
    const r = await bare.inject({ url: `/oai?${q}` });
    assert.is(errorOf(readOai(r.body)), 'noSetHierarchy', q);
  }
  await bare.close();
});

/**
 * The request element's attributes against OAI-PMH.xsd's requestType (its simple types transcribed): an answer
 * that echoes a value outside them fails schema validation in a validating harvester.
 */
function requestValid(doc: OaiDoc, query: string): void {
  const UTC = /^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)$/;
  const types: Record<string, (v: string) => boolean> = {
    '@verb': (v) => ['Identify', 'ListMetadataFormats', 'ListSets', 'GetRecord', 'ListIdentifiers', 'ListRecords'].includes(v),
    '@identifier': isAnyUri,
    '@metadataPrefix': (v) => /^[A-Za-z0-9\-_.!~*'()]+$/.test(v),
    '@from': (v) => UTC.test(v) && !v.startsWith('0000'),
    '@until': (v) => UTC.test(v) && !v.startsWith('0000'),
    '@set': (v) => /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/.test(v),
    '@resumptionToken': () => true,
  };
  if (typeof doc.request !== 'object') return; // no attributes
  for (const [k, v] of Object.entries(doc.request)) {
    if (k === '#text') continue;
    assert.ok(types[k]?.(String(v)), `${query}: request attribute ${k}="${v}" is not valid against OAI-PMH.xsd`);
  }
}

test('isAnyUri: what xs:anyURI takes (each value checked with xmllint)', () => {
  for (const v of [
    'oai:data.hub.example:ozcar:CATC_DAT_CE.WChem_Od',
    'garbage',
    'a b',
    'é',
    'a:b:c',
    'x:y z',
    'https://doi.org/10.1/x?y#z',
    '',
  ])
    assert.ok(isAnyUri(v), v);
  for (const v of ['1a:b', ':x', '%ZZ', 'a%2', 'oai:x:%', '[x', 'a#b#c', 'http://[::1']) assert.not.ok(isAnyUri(v), v);
});

test('resumption tokens: expired, tampered or of another verb are badResumptionToken', async () => {
  const first = (await oai('verb=ListIdentifiers&metadataPrefix=oai_dc')).ListIdentifiers as { resumptionToken: { '#text': string } };
  const token = first.resumptionToken['#text'];
  const state = decodeToken(token, 'ListIdentifiers');
  assert.is(state.cursor, 7);
  assert.is(errorOf(await oai(`verb=ListRecords&resumptionToken=${token}`)), 'badResumptionToken', 'another verb');
  const expired = encodeToken({ ...state, expires: Date.now() - 1000 });
  const doc = await oai(`verb=ListIdentifiers&resumptionToken=${expired}`);
  assert.is(errorOf(doc), 'badResumptionToken');
  assert.match(doc.error!['#text'], /expired/);
  const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(token, 'base64url').toString()), a: ['x', 1] })).toString(
    'base64url',
  );
  assert.is(errorOf(await oai(`verb=ListIdentifiers&resumptionToken=${tampered}`)), 'badResumptionToken');
  // forged with a format we do not offer (it served dcat_ap records under that prefix) or a malformed set (badArgument)
  for (const forged of [
    { ...state, metadataPrefix: 'marc21' },
    { ...state, set: 'no spaces' },
  ]) {
    const doc = await oai(`verb=ListIdentifiers&resumptionToken=${encodeToken(forged)}`);
    assert.is(errorOf(doc), 'badResumptionToken', JSON.stringify(forged));
    assert.match(doc.error!['#text'], /not one this repository issued/);
  }
});

test('tombstones: a removed record is reported deleted, never in search or counts, and a record that comes back replaces it', async () => {
  const gone = records.find((r) => r.isPrimaryTopicOf.sourceId === 'iso19139')!;
  const before = (await searchRecords(client, alias, { source: 'iso19139', size: 0 })).total;
  const removedAt = Date.now();
  const deleted = await deleteStale(client, alias, 'iso19139', (id) => id !== gone.identifier);
  assert.is(deleted, 1);
  assert.is(await countTombstones(client, alias, 'iso19139'), 1);
  assert.is((await searchRecords(client, alias, { source: 'iso19139', size: 0 })).total, before - 1, 'search does not see it');
  const health = (await app.inject({ url: '/health' })).json();
  assert.is(health.index.records, records.length - 1, '/health counts live records only');
  const rec = await app.inject({ url: `/records/${encodeURIComponent(gone.identifier)}` });
  assert.is(rec.statusCode, 410);

  const id = oaiIdentifier(NS, gone.identifier);
  const get = (await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id)}`)).GetRecord as {
    record: { header: Header[]; metadata?: unknown }[];
  };
  assert.is(get.record[0].header[0]['@status'], 'deleted');
  assert.is(get.record[0].metadata, undefined);
  assert.ok(Date.parse(get.record[0].header[0].datestamp) >= Math.floor(removedAt / 1000) * 1000 - 1000);
  assert.ok(get.record[0].header[0].setSpec?.includes('source:iso19139'));
  // incrementally: a harvester asking for what changed since the deletion gets exactly the deletion
  const since = new Date(Math.floor(removedAt / 1000) * 1000 - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const changes = await walk(`metadataPrefix=oai_dc&from=${since}`);
  assert.equal(
    changes.headers.map((h) => [h.identifier[0], h['@status']]),
    [[id, 'deleted']],
  );
  const all = await walk('metadataPrefix=oai_dc&set=source:iso19139');
  assert.is(all.headers.length, before, 'the set lists the deletion with the live records');

  // it comes back: the live record wins at once, the tombstone is void, then removed
  await indexRecords(client, alias, [gone], 'again');
  const back = (await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id)}`)).GetRecord as {
    record: { header: Header[] }[];
  };
  assert.is(back.record[0].header[0]['@status'], undefined);
  const again = await walk('metadataPrefix=oai_dc&set=source:iso19139');
  assert.is(again.headers.filter((h) => h.identifier[0] === id).length, 1, 'listed once, live');
  assert.ok(again.headers.every((h) => h['@status'] === undefined));
  assert.is(await reviveTombstones(client, alias, 'iso19139'), 1);
  assert.is(await countTombstones(client, alias), 0);
  assert.ok(await client.indices.exists({ index: tombstoneIndex(alias) }));
});

test('a walk while the index changes: nothing missed, a record changed during the walk comes again at the end', async () => {
  const first = (await oai('verb=ListIdentifiers&metadataPrefix=oai_dc')).ListIdentifiers as {
    header: Header[];
    resumptionToken: { '#text': string };
  };
  const seen = first.header.map((h) => h.identifier[0]);
  // a record already sent changes, a new one arrives, one not yet sent is removed
  const changed = records.find((r) => oaiIdentifier(NS, r.identifier) === seen[0])!;
  const newer = structuredClone(changed);
  newer.title = { en: 'changed during the walk' };
  newer.isPrimaryTopicOf.harvestedAt = { '@value': new Date().toISOString(), '@type': 'xsd:dateTime' };
  const added = structuredClone(changed);
  added.identifier = `${changed.isPrimaryTopicOf.sourceId}:added-during-walk`;
  added['@id'] = `${changed['@id']}-added`;
  added.isPrimaryTopicOf = { ...newer.isPrimaryTopicOf, identifier: 'added-during-walk' };
  await indexRecords(client, alias, [newer, added], 'walk');
  const removed = records.find((r) => r.isPrimaryTopicOf.sourceId === 'ozcar')!;
  await deleteStale(client, alias, 'ozcar', (id) => id !== removed.identifier);

  let token: string | undefined = first.resumptionToken['#text'];
  const rest: Header[] = [];
  while (token) {
    const list = (await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`)).ListIdentifiers as {
      header: Header[];
      resumptionToken?: { '#text'?: string };
    };
    rest.push(...list.header);
    token = list.resumptionToken?.['#text'];
  }
  const all = [...seen, ...rest.map((h) => h.identifier[0])];
  for (const r of records) assert.ok(all.includes(oaiIdentifier(NS, r.identifier)), `${r.identifier} not missed`);
  const tail = rest.slice(-3).map((h) => [h.identifier[0], h['@status'] ?? 'live']);
  assert.equal(
    tail.map((t) => t[0]).sort(),
    [oaiIdentifier(NS, changed.identifier), oaiIdentifier(NS, added.identifier), oaiIdentifier(NS, removed.identifier)].sort(),
  );
  assert.ok(tail.some(([i, s]) => i === oaiIdentifier(NS, removed.identifier) && s === 'deleted'));
  // put the index back as it was for the other tests
  await deleteStale(client, alias, changed.isPrimaryTopicOf.sourceId, (id) => id !== added.identifier);
  await indexRecords(client, alias, [changed, removed], 'restore');
});

test.run();
