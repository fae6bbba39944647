/**
 * OGC API - Records read by GDAL's OGC API - Features driver (OAPIF: what ogr2ogr, QGIS's GDAL layers, geopandas and
 * most GIS scripts use), two of them: Debian's gdal-bin (3.6) and the recent GDAL inside pyogrio's wheel (3.12, PyPI),
 * on a listening server over the fixture catalogue: the collections as layers with their counts, every record through
 * the next links, a spatial filter (sent as bbox) on both sides of the antimeridian, an attribute filter, and one
 * record by id (a STAC id holding a slash). What each must find is computed here from the records. GDAL also reads the
 * API description the landing page links to (/ogcapi/api), refuses it unless its media type is exactly
 * `application/vnd.oai.openapi+json;version=3.0`, and looks the items' parameters up there under
 * `/collections/{collectionId}/items` to send an attribute filter to the server. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
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

async function exec(program: string, args: string[], missing: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(program, args, { env: GDAL_ENV, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    assert.not.match(stderr, /ERROR/, `${program} ${args.join(' ')}: ${stderr}`);
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${program} is not installed: ${missing}`);
    throw new Error(`${program} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

interface Feature {
  id: string;
  geometry: string | null;
}
interface ReadOptions {
  where?: string;
  bbox?: number[];
  pageSize?: number;
}
/** One GDAL, as its users reach it: what it lists, counts and reads of the hub's OGC API. */
interface Gdal {
  name: string;
  layers(): Promise<string[]>;
  /** The layer's feature count and title, as GDAL reports them without reading the features. */
  summary(layer: string): Promise<{ count: number; title: string }>;
  read(layer: string, options?: ReadOptions): Promise<Feature[]>;
}

const DEBIAN_MISSING = "it comes with Debian's gdal-bin (.ci/run installs it)";
/** Debian's GDAL (gdal-bin, 3.6 on bookworm): ogrinfo and ogr2ogr, as shell scripts and QGIS's older builds use it. */
const debian: Gdal = {
  name: 'ogr2ogr (Debian GDAL)',
  async layers() {
    const out = await exec('ogrinfo', ['-ro', '-q', `OAPIF:${root}`], DEBIAN_MISSING);
    return [...out.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
  },
  async summary(layer) {
    const out = await exec('ogrinfo', ['-ro', '-so', `OAPIF:${root}`, layer], DEBIAN_MISSING);
    return { count: Number(/^Feature Count: (\d+)$/m.exec(out)?.[1]), title: /^\s*TITLE=(.*)$/m.exec(out)?.[1] ?? '' };
  },
  async read(layer, o = {}) {
    const options = [
      ...(o.where ? ['-where', o.where] : []),
      ...(o.bbox ? ['-spat', ...o.bbox.map(String)] : []),
      ...(o.pageSize ? ['-oo', `PAGE_SIZE=${o.pageSize}`] : []),
    ];
    const out = await exec('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${root}`, layer, ...options], DEBIAN_MISSING);
    const fc = JSON.parse(out) as { features: { properties: { id: string }; geometry: { type: string } | null }[] };
    return fc.features.map((f) => ({ id: f.properties.id, geometry: f.geometry?.type ?? null }));
  },
};

/** A recent GDAL (3.12, in pyogrio's wheel from PyPI), as Python GIS scripts (geopandas) and recent QGIS read it. */
const pyogrio: Gdal = {
  name: 'pyogrio (GDAL 3.12)',
  layers: async () => JSON.parse(await peer('layers')) as string[],
  summary: async (layer) => JSON.parse(await peer('summary', layer)) as { count: number; title: string },
  read: async (layer, o = {}) =>
    JSON.parse(await peer('read', layer, JSON.stringify({ where: o.where, bbox: o.bbox, page_size: o.pageSize }))) as Feature[],
};
async function peer(...args: string[]): Promise<string> {
  await ensurePythonVenv();
  const script = projectPath('test', 'api', 'peers', 'pyogrio_records.py');
  return exec(venvBin('python'), [script, root, ...args], 'the Python venv of the tests (scripts/services/python.ts)');
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

for (const gdal of [debian, pyogrio]) {
  test(`${gdal.name} lists the catalogue and one layer per source, and counts the catalogue from numberMatched`, async () => {
    const sources = [...new Set(records.map((r) => r.isPrimaryTopicOf.sourceId))].sort();
    assert.equal(await gdal.layers(), ['catalogue', ...sources]);
    assert.equal(await gdal.summary('catalogue'), { count: records.length, title: 'Land-surface data hub catalogue' });
  });

  test(`${gdal.name} reads every record of the catalogue through the next links, 7 to a page`, async () => {
    asked = [];
    const all = await gdal.read('catalogue', { pageSize: 7 });
    assert.equal(ids(all), sorted(records.map((r) => r.identifier)));
    assert.is(all.length, records.length, 'no record twice');
    const pages = asked.filter((u) => u.startsWith('/ogcapi/collections/catalogue/items?'));
    assert.ok(pages.length >= Math.ceil(records.length / 7), pages.join('\n'));
  });

  test(`${gdal.name}: a spatial filter is sent as bbox and finds the records whose box meets it, on both sides of the antimeridian`, async () => {
    for (const box of [
      [5.5, 44.5, 7.5, 46.5], // the Alps
      [-179.5, -20, -170, -10], // east of 180°: Fiji's reefs cross it
      [170, -25, 179.9, -10], // west of it
    ]) {
      asked = [];
      const found = await gdal.read('catalogue', { bbox: box });
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
    const fiji = await gdal.read('catalogue', { bbox: [-179.5, -20, -170, -10] });
    assert.equal(
      fiji.find((f) => f.id === 'hand:fiji-reefs'),
      { id: 'hand:fiji-reefs', geometry: 'MultiPolygon' },
      'a box across 180° is two polygons',
    );
  });

  test(`${gdal.name}: an attribute filter on the source, and one record by id (one request for it, its id holding a slash)`, async () => {
    asked = [];
    assert.equal(
      ids(await gdal.read('catalogue', { where: "source = 'fx-stac'" })),
      expectIds((r) => r.isPrimaryTopicOf.sourceId === 'fx-stac'),
    );
    // the driver reads the API description the landing page links to (accepting its media type), finds there that
    // the items take a source parameter, and sends the filter to the server instead of reading every record: apart
    // from one first page without a filter that tells it the fields (before the description for GDAL 3.6, after it
    // for 3.12), every page it asks is filtered
    const described = asked.indexOf('/ogcapi/api');
    assert.ok(described >= 0, asked.join('\n'));
    const pages = asked.slice(described).filter((u) => u.startsWith('/ogcapi/collections/catalogue/items?'));
    const unfiltered = pages.filter((u) => {
      const q = new URLSearchParams(u.split('?')[1]);
      // the source parameter, or since the API declares CQL2 filtering, a filter (test below)
      return q.get('source') !== 'fx-stac' && q.get('filter') !== "source = 'fx-stac'";
    });
    assert.ok(pages.length > unfiltered.length, asked.join('\n'));
    assert.ok(unfiltered.length <= 1 && unfiltered.every((u) => !/[?&](offset|cursor)=/.test(u)), asked.join('\n'));
    const slashed = records.find((r) => r.identifier.startsWith('fx-stac:') && r.identifier.includes('/'))!.identifier;
    asked = [];
    assert.equal(ids(await gdal.read('catalogue', { where: `id = '${slashed}'` })), [slashed]);
    assert.ok(asked.includes(`/ogcapi/collections/catalogue/items/${slashed}`), asked.join('\n'));
    assert.equal(ids(await gdal.read('fx-stac', { where: `id = '${slashed}'` })), [slashed], 'and in its source collection');
  });

  test(`${gdal.name}: a -where clause no single parameter says is sent to the server as a CQL2 filter`, async () => {
    asked = [];
    const where = "type = 'dataset' AND (source = 'fx-stac' OR source = 'fx-cryo') AND NOT (id LIKE '%S2%')";
    assert.equal(
      ids(await gdal.read('catalogue', { where })),
      expectIds(
        (r) =>
          r['@type'][0] === 'dcat:Dataset' && ['fx-stac', 'fx-cryo'].includes(r.isPrimaryTopicOf.sourceId) && !r.identifier.includes('S2'),
      ),
    );
    // GDAL sends what it can say in CQL (in the drafts' name of CQL2 text, cql-text, which the API description lists)
    // and checks the rest (LIKE, here) itself: every page it reads after the description is filtered on the server
    const described = asked.indexOf('/ogcapi/api');
    const pages = asked.slice(described).filter((u) => u.startsWith('/ogcapi/collections/catalogue/items?'));
    const filters = pages.map((u) => new URLSearchParams(u.split('?')[1]));
    assert.ok(described >= 0 && pages.length > 0, asked.join('\n'));
    assert.ok(
      filters.some((q) => q.has('filter')),
      asked.join('\n'),
    );
    for (const q of filters.filter((x) => x.has('filter'))) {
      assert.is(q.get('filter-lang'), 'cql-text');
      assert.match(q.get('filter') ?? '', /type = 'dataset'.*AND.*source = 'fx-stac'.*OR.*source = 'fx-cryo'/);
    }
    const unfiltered = filters.filter((q) => !q.has('filter'));
    assert.ok(unfiltered.length <= 1 && unfiltered.every((q) => !q.has('cursor')), asked.join('\n'));
  });
}

test.run();
