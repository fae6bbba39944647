/**
 * The CSW harvester asking a GeoNetwork for DCAT (outputSchema http://www.w3.org/ns/dcat#, or GeoDCAT-AP): a replay
 * server of the project's own answers with the three GetRecords pages a real GeoNetwork (Géo2France) sent (recorded by
 * udata, test/fixtures/dcat/README.md) and pycsw's real capabilities. Every record of every page is harvested, paged by
 * nextRecord, and mapped by the DCAT crosswalk into a valid record.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { harvestCsw } from '../../harvesters/csw/index.js';
import type { Notice, RawRecord } from '../../harvesters/types.js';
import { UsageError } from '../../core/result.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { replayServer, type ReplayServer } from '../helpers/replay.js';

const CAPS = readFileSync(sharedFixture('csw', 'pycsw-apiso-GetCapabilities.xml'), 'utf8');
const page = (schema: 'dcat' | 'geodcatap', start: string) =>
  readFileSync(projectPath('test', 'fixtures', 'dcat', 'csw', `udata-geonetwork-${schema}-page-${start}.xml`), 'utf8');

let srv: ReplayServer;
test.before(async () => {
  srv = await replayServer((req) => {
    const q = new Map([...req.query].map(([k, v]) => [k.toLowerCase(), v]));
    if (q.get('request') === 'GetCapabilities') return { body: CAPS, type: 'application/xml' };
    const schema = q.get('outputschema') === 'http://data.europa.eu/930/' ? 'geodcatap' : 'dcat';
    return { body: page(schema, q.get('startposition') ?? '1'), type: 'application/xml; charset=UTF-8' };
  });
});
test.after(() => srv.close());

async function harvest(outputSchema: string) {
  srv.requests.length = 0;
  const records: RawRecord[] = [];
  const notices: Notice[] = [];
  for await (const item of harvestCsw({ source: 'geo2france', url: `${srv.url}/geonetwork/srv/fre/csw`, outputSchema, pageSize: 2 })) {
    if (item.kind === 'record') records.push(item.raw);
    else if (item.kind === 'notice') notices.push(item.notice);
    else assert.unreachable(item.failure.error);
  }
  return { records, notices };
}

test('outputSchema "dcat": GetRecords asks for http://www.w3.org/ns/dcat#, pages by nextRecord, every record maps', async () => {
  const { records, notices } = await harvest('dcat');
  const pages = srv.requests.filter((r) => /GetRecords/i.test(r.url));
  assert.equal(
    pages.map((r) => [r.query.get('outputSchema'), r.query.get('startPosition'), r.query.get('typeNames')]),
    [
      ['http://www.w3.org/ns/dcat#', '1', 'gmd:MD_Metadata'],
      ['http://www.w3.org/ns/dcat#', '3', 'gmd:MD_Metadata'],
      ['http://www.w3.org/ns/dcat#', '5', 'gmd:MD_Metadata'],
    ],
  );
  assert.is(records.length, 6);
  // pycsw's capabilities do not list the DCAT schema: said, then asked anyway
  assert.ok(
    notices.some(
      (n) =>
        n.level === 'warn' &&
        /outputSchema http:\/\/www\.w3\.org\/ns\/dcat# as configured \(not among those the server advertises/.test(n.message),
    ),
  );
  assert.not.ok(notices.some((n) => n.data?.truncated === true));
  const mapped = records.map((raw) => mapRecord(raw, { harvestedAt: '2026-12-01T00:00:00Z' }));
  const failed = mapped.filter((m) => !m.ok);
  assert.equal(failed, []);
  const ids = mapped.map((m) => (m.ok ? m.record.identifier : ''));
  assert.is(new Set(ids).size, 6);
  assert.ok(ids.includes('geo2france:https://www.geo2france.fr/insee/partmenage5ans'));
  for (const m of mapped) if (m.ok) assert.is(m.record.isPrimaryTopicOf.sourceFormat, 'dcat');
});

test('outputSchema "geodcat-ap": http://data.europa.eu/930/, relative IRIs resolved, the wrong numberOfRecordsReturned said', async () => {
  const { records, notices } = await harvest('geodcat-ap');
  assert.equal(
    srv.requests.filter((r) => /GetRecords/i.test(r.url)).map((r) => r.query.get('outputSchema')),
    ['http://data.europa.eu/930/', 'http://data.europa.eu/930/', 'http://data.europa.eu/930/'],
  );
  assert.is(records.length, 6);
  assert.ok(notices.some((n) => /numberOfRecordsReturned is 6 but the page holds 2 record element\(s\)/.test(n.message)));
  for (const raw of records) {
    const m = mapRecord(raw, { harvestedAt: '2026-12-01T00:00:00Z' });
    assert.ok(m.ok, m.ok ? '' : m.error);
  }
});

test('outputSchema must be a namespace or one of the short names', () => {
  assert.throws(
    () => harvestCsw({ source: 's', url: 'https://h/csw', outputSchema: '' }),
    (e: unknown) => e instanceof UsageError && /outputSchema: must be an output schema namespace, "dcat" or "geodcat-ap"/.test(e.message),
  );
});

test.run();
