/**
 * What the hub's consumers receive of the records the newest crosswalks make, on a listening server over an index of
 * them: ISO dataset series split into the series and its member records (the 19115-3 mda:DS_Series of Metawal, NKN's
 * 19139 gmd:DS_Series embedding two real records: test/helpers/series.ts), GeoDCAT-AP qualified attributions (every
 * ISO party, the Swiss 19115-3 record), Dublin Core csw:Record sources (pycsw's), ncISO viewers as pages (MARACOOS),
 * WMO data policies as rights statements (JMA, ECMWF), a series naming a member by its GetRecordById link (as a CSW
 * harvest with members.resolve reads it when the member is the CSW's record too). Each consumer as it reads them:
 * - pyshacl with the official DCAT-AP 3.0.1 shapes and ranges on `harvester export dcat` and on /catalog pages,
 *   whole and filtered so that a member is in and its series is not;
 * - OAI-PMH (oai_dc, dcat_ap) walked by Sickle, per set, each member related to its series as a Dataverse reads it;
 * - data.gouv.fr's harvester (udata's DCAT backend) on /catalog: series and members each once;
 * - OGC API - Records: a member links its series, the series its members, with one `collection` link each.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { exportDcat, missingMandatory } from '../../pipelines/export-dcat.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { DEFAULT_IDENTITY } from '../../pipelines/hub-identity.js';
import { silentLogger } from '../../pipelines/log.js';
import { mapRecord } from '../../pipelines/map.js';
import { oaiIdentifier } from '../../pipelines/oai.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, ensureVenv, UDATA_VENV, venvBin } from '../../scripts/services/python.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { readOai } from '../helpers/oai.js';
import { loadOgcSchemas, ogcSchemasMissing } from '../helpers/ogc-schemas.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('series-consumers');
const dir = mkdtempSync(join(tmpdir(), 'series-consumers-'));
const run = promisify(execFile);
const NS = 'data.hub.example';
const records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';

const fixture = (...p: string[]) => projectPath('test', 'fixtures', ...p);
/** The member link of the 'nkn-csw' series, to the CSW harvested, as the harvester names it (core/formats.ts MemberRecord). */
const LINKED_MEMBERS = [{ href: `https://www.northwestknowledge.net/csw?request=GetRecordById&id=${MEMBER_ID}`, id: MEMBER_ID }];
/** Source id -> the files its records are read from. */
function sources(): Record<string, string[]> {
  const nkn = join(dir, 'nkn-embedded-DS_Series.xml');
  writeFileSync(nkn, embeddedSeries().xml);
  // as a CSW harvest with members.resolve reads a GeoNetwork series whose member is a record of the CSW too: the
  // series' link (its GetRecordById) is left unfetched and its id named (LINKED_MEMBERS), the member a record of its own
  const linked = join(dir, 'nkn-linked-DS_Series.xml');
  writeFileSync(
    linked,
    readFileSync(fixture('iso', 'nkn-challis-lidar-DS_Series.xml'), 'utf8').replace(
      /<gmd:composedOf>[\s\S]*<\/gmd:composedOf>/,
      `<gmd:composedOf><gmd:DS_DataSet><gmd:has xlink:href="${LINKED_MEMBERS[0].href.replace(/&/g, '&amp;')}"/></gmd:DS_DataSet></gmd:composedOf>`,
    ),
  );
  return {
    metawal: [fixture('iso', 'metawal-captages-mda-DS_Series.xml')],
    nkn: [nkn],
    'nkn-csw': [fixture('iso', 'nkn-rathdrum-prairie-aquifer-iso19139.xml'), linked],
    pycsw: [
      'pycsw-apiso-GetRecordById-full-dc.xml',
      'pycsw-cite-Record_94bc9c83.xml',
      'pycsw-cite-Record_19887a8a.xml',
      'pycsw-cite-Record_6a3de50b.xml',
    ].map((f) => fixture('csw', f)),
    ioos: [fixture('iso', 'pycsw-maracoos-avhrr-ncISO.xml')],
    wmo: [fixture('iso', 'wmo-jma-WTPQ50RJTD-wcmp13.xml'), fixture('iso', 'wmo-ecmwf-HJXA88ECMF-wcmp13.xml')],
    geocat: [fixture('iso', 'geocat-amphibians-19115-3.che.xml')],
  };
}

const series = () => records.filter((r) => r['@type'][0] === 'dcat:DatasetSeries');
const members = () => records.filter((r) => r.inSeries?.length);
const byIri = (iri: string) => records.find((r) => r['@id'] === iri)!;

test.before(async () => {
  await ensurePythonVenv();
  for (const [source, files] of Object.entries(sources()))
    for (const file of files)
      for await (const item of itemsFromFile(file, source)) {
        if (item.kind !== 'record') continue;
        if (source === 'nkn-csw' && item.raw.id === SERIES_ID) item.raw.context = { memberRecords: LINKED_MEMBERS };
        const r = mapRecord(item.raw, { harvestedAt: '2026-12-07T08:00:00Z' });
        if (!r.ok) throw new Error(`${file}: ${r.stage}: ${r.error}`);
        records.push(r.record);
      }
  await indexRecords(client, alias, records);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('the records: three series, four members each in its series and listed by it; attributions, pages, rights, Dublin Core', () => {
  assert.is(series().length, 3);
  assert.is(members().length, 4);
  // the series that names its member by its GetRecordById link: the member, a record of its own, is not in it
  const linked = records.find((r) => r.identifier === `nkn-csw:${SERIES_ID}`)!;
  assert.equal(linked.seriesMember, [recordIri('nkn-csw', MEMBER_ID)]);
  assert.ok(byIri(linked.seriesMember![0]), 'its member is a record');
  assert.is(byIri(linked.seriesMember![0]).inSeries, undefined);
  for (const m of members()) {
    const s = byIri(m.inSeries![0]);
    assert.ok(s, `${m.identifier}: its series is a record`);
    assert.ok(s.seriesMember!.includes(m['@id']), `${m.identifier} listed by ${s.identifier}`);
  }
  assert.ok(records.some((r) => r.qualifiedAttribution?.length));
  assert.ok(records.some((r) => r.isPrimaryTopicOf.sourceId === 'ioos' && r.page?.length));
  assert.ok(records.filter((r) => r.isPrimaryTopicOf.sourceId === 'wmo').every((r) => r.rights?.length));
  assert.is(records.filter((r) => r.isPrimaryTopicOf.sourceFormat === 'csw-record').length, 4);
});

async function py<T>(script: string[], ...args: string[]): Promise<T> {
  const r = await run(venvBin('python'), [projectPath(...script), ...args], { maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
  return JSON.parse(r.stdout) as T;
}
interface Shacl {
  conforms: boolean;
  triples: number;
  violations: { focus: string; path: string; message: string; severity: string }[];
}
const shapes = () => {
  const file = join(dir, 'shapes.ttl');
  writeFileSync(
    file,
    ['html_shacl_shapes.ttl', 'html_shacl_range.ttl'].map((f) => readFileSync(sharedFixture('dcat-ap-shacl', f), 'utf8')).join('\n'),
  );
  return file;
};
/** pyshacl's results on a Turtle file, the violations only (a warning is not one). */
async function violations(file: string): Promise<Shacl['violations']> {
  const report = await py<Shacl>(['test', 'api', 'rdf_check.py'], 'shacl', file, 'turtle', shapes());
  return report.violations.filter((v) => v.severity.endsWith('#Violation'));
}

test('harvester export dcat: no violation of the DCAT-AP 3.0.1 shapes; series typed, members in them, attributions with roles', async () => {
  const file = join(dir, 'export.ttl');
  const out = createWriteStream(file);
  const summary = await exportDcat({ client, alias, identity: DEFAULT_IDENTITY, format: 'turtle', out });
  out.end();
  await once(out, 'finish');
  // the Dublin Core service record has no endpoint URL (pycsw's CITE record gives none): left out, never invented
  assert.equal(
    records.filter((r) => missingMandatory(r).length > 0).map((r) => r.identifier),
    ['pycsw:urn:uuid:6a3de50b-fa66-4b58-a0e6-ca146fdd18d4'],
  );
  assert.is(summary.exported, records.length - 1);
  assert.equal(await violations(file), []);
  const ttl = readFileSync(file, 'utf8');
  for (const s of series()) assert.match(ttl, new RegExp(`<${escape(s['@id'])}> a dcat:DatasetSeries`), s.identifier);
  assert.match(ttl, /prov:qualifiedAttribution/);
  assert.match(ttl, /dcat:hadRole <http:\/\/inspire\.ec\.europa\.eu\/metadata-codelist\/ResponsiblePartyRole\//);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('/catalog (JSON-LD) and /catalog filtered so that a member is in and its series is not: no violation', async () => {
  // NKN's embedded member (the Rathdrum Prairie aquifer) is found by its own title; the series (Challis LiDAR) is not
  const member = records.find((r) => r.isPrimaryTopicOf.sourceId === 'nkn' && r.inSeries && /Rathdrum/.test(JSON.stringify(r.title)))!;
  assert.ok(member);
  const page = await fetch(`${base}/catalog.ttl?q=Rathdrum&pageSize=500`);
  const ttl = await page.text();
  assert.ok(ttl.includes(`<${member['@id']}>`), 'the member is in the page');
  assert.not.ok(new RegExp(`<${escape(member.inSeries![0])}> a `).test(ttl), 'its series is not');
  const file = join(dir, 'filtered.ttl');
  writeFileSync(file, ttl);
  assert.equal(await violations(file), []);
  // the bare /catalog (JSON-LD), every record on one page
  const whole = join(dir, 'catalog.jsonld');
  writeFileSync(whole, await (await fetch(`${base}/catalog?pageSize=500`)).text());
  const report = await py<Shacl>(['test', 'api', 'rdf_check.py'], 'shacl', whole, 'json-ld', shapes());
  assert.equal(
    report.violations.filter((v) => v.severity.endsWith('#Violation')),
    [],
  );
  assert.ok(report.triples > 1000, `${report.triples} triples`);
});

test('OAI-PMH oai_dc: a member is related to its series, the series to its members; dc:type Collection for a series', async () => {
  for (const r of [...series(), ...members()]) {
    const res = await app.inject({
      url: `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(oaiIdentifier(NS, r.identifier))}`,
    });
    const dc = (readOai(res.body).GetRecord as { record: { metadata: { dc: Record<string, unknown> } }[] }).record[0].metadata.dc;
    const list = (k: string) => [dc[k] ?? []].flat().map((v) => (typeof v === 'string' ? v : (v as { '#text': string })['#text']));
    const related = list('relation');
    for (const s of r.inSeries ?? []) assert.ok(related.includes(s), `${r.identifier}: dc:relation ${s}`);
    for (const m of r.seriesMember ?? []) assert.ok(related.includes(m), `${r.identifier}: dc:relation ${m}`);
    assert.is(list('type')[0], r.inSeries ? 'Dataset' : 'Collection', r.identifier);
    assert.ok(list('identifier').includes(r['@id']), `${r.identifier}: its hub IRI among its identifiers`);
  }
});

test('/records/{id} in Turtle, RDF/XML and JSON-LD, and OAI-PMH dcat_ap: no violation; a member names its series typed, with its title', async () => {
  const FORMATS = [
    ['ttl', 'turtle'],
    ['rdf', 'xml'],
    ['jsonld', 'json-ld'],
  ] as const;
  const served = records.filter((r) => missingMandatory(r).length === 0);
  for (const r of served) {
    const seriesOrMember = r['@type'][0] === 'dcat:DatasetSeries' || !!r.inSeries;
    for (const [suffix, format] of seriesOrMember ? FORMATS : FORMATS.slice(0, 1)) {
      const res = await app.inject({ url: `/records/${encodeURIComponent(r.identifier)}.${suffix}` });
      assert.is(res.statusCode, 200);
      const file = join(dir, `record.${suffix}`);
      writeFileSync(file, res.body);
      const report = await py<Shacl>(['test', 'api', 'rdf_check.py'], 'shacl', file, format, shapes());
      assert.equal(
        report.violations.filter((v) => v.severity.endsWith('#Violation')),
        [],
        `${r.identifier}.${suffix}`,
      );
      if (r.inSeries && suffix === 'ttl') {
        const s = byIri(r.inSeries[0]);
        assert.match(res.body, new RegExp(`<${escape(s['@id'])}> a dcat:DatasetSeries`), r.identifier);
        assert.ok(res.body.includes(Object.values(s.title)[0]), `${r.identifier}: the series' title`);
      }
    }
  }
  for (const m of members()) {
    const res = await app.inject({
      url: `/oai?verb=GetRecord&metadataPrefix=dcat_ap&identifier=${encodeURIComponent(oaiIdentifier(NS, m.identifier))}`,
    });
    const xml = res.body.slice(res.body.indexOf('<rdf:RDF'), res.body.indexOf('</rdf:RDF>') + '</rdf:RDF>'.length);
    const file = join(dir, 'oai-dcat_ap.rdf');
    writeFileSync(file, xml);
    const report = await py<Shacl>(['test', 'api', 'rdf_check.py'], 'shacl', file, 'xml', shapes());
    assert.equal(
      report.violations.filter((v) => v.severity.endsWith('#Violation')),
      [],
      `${m.identifier} dcat_ap`,
    );
    assert.ok(xml.includes(`rdf:about="${m.inSeries![0]}"`), `${m.identifier}: its series described`);
  }
});

interface Item {
  identifier: string;
  sets: string[];
  root?: string;
}
test('OAI-PMH: Sickle walks oai_dc and dcat_ap of every record, oaipmh-scythe each source set; the type:series set holds the series', async () => {
  const walk = (...a: string[]) =>
    py<{ count: number; items: Item[] }>(['test', 'api', 'oai_clients.py'], 'walk', 'sickle', `${base}/oai`, ...a);
  // oaipmh-scythe too, per source: a member's derived identifier holds a '/' (metawal:.../member-2)
  for (const source of ['metawal', 'nkn']) {
    const r = await py<{ items: Item[] }>(
      ['test', 'api', 'oai_clients.py'],
      'walk',
      'scythe',
      `${base}/oai`,
      'ListRecords',
      'oai_dc',
      '--set',
      `source:${source}`,
    );
    assert.equal(
      r.items.map((i) => i.identifier).sort(),
      records
        .filter((x) => x.isPrimaryTopicOf.sourceId === source)
        .map((x) => oaiIdentifier(NS, x.identifier))
        .sort(),
      source,
    );
  }
  const all = records.map((r) => oaiIdentifier(NS, r.identifier)).sort();
  for (const prefix of ['oai_dc', 'dcat_ap']) {
    const r = await walk('ListRecords', prefix);
    assert.equal(r.items.map((i) => i.identifier).sort(), all, prefix);
    assert.ok(
      r.items.every((i) => i.root === (prefix === 'oai_dc' ? 'dc' : 'RDF')),
      prefix,
    );
  }
  const inSet = await walk('ListIdentifiers', 'oai_dc', '--set', 'type:series');
  assert.equal(
    inSet.items.map((i) => i.identifier).sort(),
    series()
      .map((r) => oaiIdentifier(NS, r.identifier))
      .sort(),
  );
  const datasets = await walk('ListIdentifiers', 'oai_dc', '--set', 'type:dataset');
  for (const m of members())
    assert.ok(
      datasets.items.some((i) => i.identifier === oaiIdentifier(NS, m.identifier)),
      m.identifier,
    );
});

const schemas = ogcSchemasMissing() ? undefined : loadOgcSchemas();
test('OGC API - Records: a member links its series (up), a series its members (item); one collection link each', async () => {
  for (const collection of ['catalogue', 'nkn']) {
    for (const r of [...series(), ...members()].filter((x) => collection === 'catalogue' || x.isPrimaryTopicOf.sourceId === collection)) {
      const path = `/ogcapi/collections/${collection}/items/${encodeURIComponent(r.identifier)}`;
      const res = await app.inject({ url: path, headers: { accept: 'application/geo+json' } });
      assert.is(res.statusCode, 200, path);
      // the official Record.yaml of Records Part 1 1.0, where the schemas are at hand (test/fixtures/ogc-schemas)
      if (schemas) assert.equal(schemas.check('record', res.json(), path).errors, [], path);
      const links = res.json().links as { rel: string; href: string; type?: string }[];
      assert.is(links.filter((l) => l.rel === 'collection').length, 1, `${path}: one collection link (Records /req/core/record-links B)`);
      const expected = [
        ...(r.inSeries ?? []).map((iri) => ['up', byIri(iri).identifier]),
        ...(r.seriesMember ?? []).map((iri) => ['item', byIri(iri).identifier]),
      ];
      const got = links.filter((l) => l.rel === 'up' || l.rel === 'item');
      assert.equal(
        got.map((l) => [l.rel, decodeURIComponent(l.href.split('/items/')[1])]),
        expected,
        path,
      );
      // each link is an item this API serves, in the same collection
      for (const l of got) {
        assert.is(l.type, 'application/geo+json');
        const target = await app.inject({ url: l.href.replace(/^https?:\/\/[^/]+/, '') });
        assert.is(target.statusCode, 200, l.href);
        assert.ok(l.href.includes(`/collections/${collection}/items/`), l.href);
      }
    }
  }
});

interface UdataJob {
  errors: string[];
  items: { remoteId: string; status: string; errors: string[]; dataset?: { title: string; uri: string } }[];
}
test("data.gouv.fr's harvester (udata) reads /catalog: every series and member once, none lost", async () => {
  const venv = await ensureVenv(UDATA_VENV);
  const { stdout } = await run(
    venvBin('python', venv),
    [projectPath('test', 'api', 'peers', 'udata_dcat.py'), `${base}/catalog.ttl?pageSize=3`],
    {
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const job = JSON.parse(stdout) as UdataJob;
  assert.equal(job.errors, []);
  const ids = job.items.map((i) => i.remoteId);
  assert.is(new Set(ids).size, ids.length, 'no item twice');
  for (const r of [...series(), ...members()]) {
    // udata keys an item by its dct:identifier: the hub's id
    const item = job.items.filter((i) => i.remoteId === r.identifier);
    assert.is(item.length, 1, `${r.identifier} once`);
    assert.is(item[0].status, 'done', `${r.identifier}: ${item[0].errors.join(' ')}`);
    assert.is(item[0].dataset!.uri, r['@id']);
  }
  assert.is(job.items.length, records.length - 1, 'every exported record (the service without endpoint left out)');
});

test.run();
