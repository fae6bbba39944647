/**
 * Records that came from STAC, searched both ways: 40 items (made from the real stac-spec core item, spread over
 * Europe and over 2018-2023, half with an instant, half with a start/end range) are served by a real STAC API
 * (rustac), harvested by the hub with items as records, and searched by bbox and datetime with pystac-client on the
 * STAC API and with the hub's OGC API - Records items: both find the same items.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { harvestSource } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { deleteIndices, esClient, esUrl, rustac, tempIndexName, type RustacServer } from '../helpers/services.js';

const alias = tempIndexName('ogc-stac');
const client = await esClient();
const SOURCE = 'stac-scenes';
const N = 40;
let app: FastifyInstance;
let api: RustacServer;
let dir = '';

/** Item i: a 1.5° x 1° box on a grid over Europe; an instant or a range of a few days, spread over 2018-2023. */
function item(base: Record<string, any>, i: number): Record<string, any> {
  const w = -10 + (i % 8) * 5;
  const s = 36 + Math.floor(i / 8) * 5;
  const [e, n] = [w + 1.5, s + 1];
  const day = new Date(Date.UTC(2018, 0, 1) + i * 53 * 86_400_000);
  const props: Record<string, unknown> = { ...base.properties, title: `Scene ${i}` };
  if (i % 2) {
    props.datetime = day.toISOString();
    delete props.start_datetime;
    delete props.end_datetime;
  } else {
    props.datetime = null;
    props.start_datetime = day.toISOString();
    props.end_datetime = new Date(day.getTime() + 4 * 86_400_000).toISOString();
  }
  return {
    ...base,
    id: `scene-${String(i).padStart(2, '0')}`,
    bbox: [w, s, e, n],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
    properties: props,
    assets: {},
  };
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stac-scenes-'));
  const coreItem = JSON.parse(readFileSync(sharedFixture('stac', 'core-item.json'), 'utf8'));
  const collection = JSON.parse(readFileSync(sharedFixture('stac', 'collection.json'), 'utf8'));
  const names: string[] = [];
  for (let i = 0; i < N; i++) {
    const it = item(coreItem, i);
    names.push(`${it.id}.json`);
    writeFileSync(join(dir, `${it.id}.json`), JSON.stringify(it));
  }
  collection.extent = { spatial: { bbox: [[-10, 36, 31.5, 62]] }, temporal: { interval: [['2018-01-01T00:00:00Z', null]] } };
  collection.links = [
    { rel: 'root', href: './collection.json', type: 'application/json' },
    ...names.map((n) => ({ rel: 'item', href: `./${n}`, type: 'application/geo+json' })),
  ];
  writeFileSync(join(dir, 'collection.json'), JSON.stringify(collection));
  api = await rustac({ dir, files: ['collection.json'] });
  const run = await harvestSource(
    { id: SOURCE, type: 'stac-api', url: api.url, options: { items: 'index' } },
    { client, alias, log: silentLogger },
  );
  assert.is(run.failed, 0, JSON.stringify(run.failures));
  assert.is(run.indexed, N + 1, 'the items and their collection');
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
  await deleteIndices(client, `${alias}*`);
});

interface Search {
  bbox?: number[];
  datetime?: string;
}
const SEARCHES: Search[] = [
  { bbox: [-5, 40, 10, 50] },
  { datetime: '2019-01-01T00:00:00Z/2019-12-31T23:59:59Z' },
  { bbox: [0, 35, 30, 52], datetime: '2020-03-01T00:00:00Z/2021-06-30T00:00:00Z' },
  { bbox: [-10, 36, -5, 70], datetime: '../2019-06-30T00:00:00Z' },
  { datetime: '2022-01-01T00:00:00Z/..' },
  { bbox: [12.6, 40, 13, 60] }, // between two columns of scenes: none
];

async function pystac(searches: Search[]): Promise<string[][]> {
  await ensurePythonVenv();
  const child = spawn(venvBin('python'), [projectPath('test', 'api', 'peers', 'pystac_search.py'), api.url], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(JSON.stringify(searches));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0, err);
  return JSON.parse(out);
}

async function hub(s: Search): Promise<string[]> {
  const qs = new URLSearchParams({ limit: '1000' });
  if (s.bbox) qs.set('bbox', s.bbox.join(','));
  if (s.datetime) qs.set('datetime', s.datetime);
  const r = await app.inject({ url: `/ogcapi/collections/${SOURCE}/items?${qs}` });
  assert.is(r.statusCode, 200, r.body.slice(0, 300));
  const ids = r.json<{ features: { id: string }[] }>().features.map((f) => f.id);
  // the items (source:collection/item), not the collection's own record
  return ids
    .filter((id) => id.includes('/'))
    .map((id) => id.split('/').pop()!)
    .sort();
}

test('pystac-client on the STAC API and the hub on its records find the same items by bbox and datetime', async () => {
  const expected = await pystac(SEARCHES);
  let nonEmpty = 0;
  for (let i = 0; i < SEARCHES.length; i++) {
    const got = await hub(SEARCHES[i]);
    assert.equal(got, expected[i], JSON.stringify(SEARCHES[i]));
    if (got.length > 0 && got.length < N) nonEmpty++;
  }
  assert.ok(nonEmpty >= 4, 'the searches select, they do not return all or nothing');
  assert.equal(expected[expected.length - 1], []);
});

test('the item records keep what STAC said: their box, their instant or range', async () => {
  const r = await app.inject({ url: `/ogcapi/collections/${SOURCE}/items/${SOURCE}:simple-collection/scene-01` });
  assert.is(r.statusCode, 200, r.body.slice(0, 200));
  const f = r.json();
  assert.equal(f.geometry.coordinates[0][0], [-5, 36]);
  const at = new Date(Date.UTC(2018, 0, 1) + 53 * 86_400_000).toISOString().replace('.000Z', 'Z');
  assert.equal(f.time.interval, [at, at]);
});

test.run();
