/**
 * OGC API - Records read by GDAL's OGC API - Features driver (OAPIF, Debian's gdal-bin: what ogr2ogr, QGIS's GDAL
 * layers and most GIS scripts use), on a listening server over the fixture catalogue: the collections as layers with
 * their counts, every record through the next links, a spatial filter (sent as bbox) on both sides of the
 * antimeridian, an attribute filter, and one record by id (a STAC id holding a slash). What each must find is computed
 * here from the records. GDAL also reads the API description the landing page links to (/ogcapi/api), refuses it
 * unless its media type is exactly `application/vnd.oai.openapi+json;version=3.0`, and looks the items' parameters up
 * there under `/collections/{collectionId}/items` to send an attribute filter to the server.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { boxes, inBox } from '../helpers/extents.js';

const alias = tempIndexName('ogc-gdal');
const client = await esClient();
let app: FastifyInstance;
let root = '';
let records: HubRecord[] = [];
/** The paths and queries the server was asked, since the last reset. */
let asked: string[] = [];

const run = promisify(execFile);
/** GDAL without a network beyond loopback, its messages on stderr. */
const GDAL_ENV = { ...process.env, GDAL_HTTP_TIMEOUT: '60', NO_PROXY: '127.0.0.1', CPL_CURL_VERBOSE: 'NO' };

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(tool, args, { env: GDAL_ENV, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    assert.not.match(stderr, /ERROR/, `${tool} ${args.join(' ')}: ${stderr}`);
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${tool} is not installed: it comes with Debian's gdal-bin (.ci/run installs it)`);
    throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

/** The records GDAL reads from a layer, as [id, geometry type]. */
async function read(layer: string, ...options: string[]): Promise<{ id: string; geometry: string | null }[]> {
  const out = await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${root}`, layer, ...options]);
  const fc = JSON.parse(out) as { features: { properties: { id: string }; geometry: { type: string } | null }[] };
  return fc.features.map((f) => ({ id: f.properties.id, geometry: f.geometry?.type ?? null }));
}
const sorted = (xs: string[]) => [...xs].sort();
const ids = (fs: { id: string }[]) => sorted(fs.map((f) => f.id));
const expectIds = (pred: (r: HubRecord) => boolean) => sorted(records.filter(pred).map((r) => r.identifier));

test.before(async () => {
  records = (await indexFixtureCatalogue(client, alias)).records;
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  app.addHook('onRequest', async (req) => void asked.push(req.url));
  await app.listen({ host: '127.0.0.1', port: 0 });
  root = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/ogcapi`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('ogrinfo lists the catalogue and one layer per source, and counts the catalogue from numberMatched', async () => {
  const layers = [...(await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${root}`])).matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
  const sources = [...new Set(records.map((r) => r.isPrimaryTopicOf.sourceId))].sort();
  assert.equal(layers, ['catalogue', ...sources]);
  const summary = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${root}`, 'catalogue']);
  assert.match(summary, new RegExp(`^Feature Count: ${records.length}$`, 'm'));
  assert.match(summary, /^\s*TITLE=Land-surface data hub catalogue$/m);
});

test('ogr2ogr reads every record of the catalogue through the next links, 7 to a page', async () => {
  asked = [];
  const all = await read('catalogue', '-oo', 'PAGE_SIZE=7');
  assert.equal(ids(all), sorted(records.map((r) => r.identifier)));
  assert.is(all.length, records.length, 'no record twice');
  const pages = asked.filter((u) => u.startsWith('/ogcapi/collections/catalogue/items?'));
  assert.ok(pages.length >= Math.ceil(records.length / 7), pages.join('\n'));
});

test('a spatial filter is sent as bbox and finds the records whose box meets it, on both sides of the antimeridian', async () => {
  for (const box of [
    [5.5, 44.5, 7.5, 46.5], // the Alps
    [-179.5, -20, -170, -10], // east of 180°: Fiji's reefs cross it
    [170, -25, 179.9, -10], // west of it
  ]) {
    asked = [];
    const found = await read('catalogue', '-spat', ...box.map(String));
    const sent = asked.map((u) => new URLSearchParams(u.split('?')[1] ?? '').get('bbox')?.split(',').map(Number));
    assert.ok(
      sent.some((b) => b && b.length === 4 && b.every((v, i) => Math.abs(v - box[i]) < 1e-9)),
      `bbox sent to the server: ${asked.join('\n')}`,
    );
    assert.equal(
      ids(found),
      expectIds((r) => boxes(r).some((b) => inBox(b, box))),
      String(box),
    );
    assert.ok(found.length > 0, `${box} finds something`);
  }
  const fiji = await read('catalogue', '-spat', '-179.5', '-20', '-170', '-10');
  assert.equal(
    fiji.find((f) => f.id === 'hand:fiji-reefs'),
    { id: 'hand:fiji-reefs', geometry: 'MultiPolygon' },
    'a box across 180° is two polygons',
  );
});

test('an attribute filter on the source, and one record by id (one request for it, its id holding a slash)', async () => {
  asked = [];
  assert.equal(
    ids(await read('catalogue', '-where', "source = 'fx-stac'")),
    expectIds((r) => r.isPrimaryTopicOf.sourceId === 'fx-stac'),
  );
  // the driver reads the API description the landing page links to (accepting its media type), finds there that the
  // items take a source parameter, and sends the filter to the server instead of reading every record
  // (before it, one page without a filter that tells the driver the fields)
  const described = asked.indexOf('/ogcapi/api');
  assert.ok(described >= 0, asked.join('\n'));
  const pages = asked.slice(described).filter((u) => u.startsWith('/ogcapi/collections/catalogue/items?'));
  assert.ok(pages.length > 0, asked.join('\n'));
  for (const u of pages) assert.is(new URLSearchParams(u.split('?')[1]).get('source'), 'fx-stac', u);
  const slashed = records.find((r) => r.identifier.startsWith('fx-stac:') && r.identifier.includes('/'))!.identifier;
  asked = [];
  assert.equal(ids(await read('catalogue', '-where', `id = '${slashed}'`)), [slashed]);
  assert.ok(asked.includes(`/ogcapi/collections/catalogue/items/${slashed}`), asked.join('\n'));
  assert.equal(ids(await read('fx-stac', '-where', `id = '${slashed}'`)), [slashed], 'and in its source collection');
});

test.run();
