/**
 * `harvester harvest --url URL --type resto|dcat` as a user runs it (the installed bin): a replay of resto 2 on
 * loopback, a DCAT file on disk, into the real Elasticsearch; a mistyped type is one sentence and exit 2.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { projectPath } from '../../schemas/paths.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { harvesterBin } from '../helpers/bin.js';
import { replayServer } from '../helpers/replay.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const alias = tempIndexName('cli-sources');
test.after(async () => {
  bin.cleanup();
  await deleteIndices(await esClient(), `${alias}*`);
});

test('--type resto: collections and products of a resto 2 replay, the summary as JSON lines, exit 0', async () => {
  const srv = await replayServer(restoReplay({ products: { S2: 30, S1: 3 }, items: 0 }));
  try {
    const r = await bin.runAsync(
      { env: { LOG_LEVEL: 'warn' } },
      'harvest',
      '--url',
      `${srv.url}/resto`,
      '--type',
      'resto',
      '--id',
      'peps',
      '--es',
      await esUrl(),
      '--alias',
      alias,
    );
    assert.is(r.code, 0, r.err);
    // products are asked for only in a sources file (options): from the command line, the collections
    const summary = r.lines.find((l) => l.source === 'peps');
    assert.equal([summary.type, summary.status, summary.indexed], ['resto', 'ok', 3]);
  } finally {
    await srv.close();
  }
});

test('--type dcat with a local RDF/XML file: its datasets indexed; --type dcatt: one sentence naming dcat, exit 2', async () => {
  const r = await bin.runAsync(
    { env: { LOG_LEVEL: 'warn' } },
    'harvest',
    '--url',
    projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-catalog.rdf'),
    '--type',
    'dcat',
    '--es',
    await esUrl(),
    '--alias',
    alias,
  );
  assert.is(r.code, 0, r.err);
  const summary = r.lines.find((l) => l.type === 'dcat');
  assert.equal([summary.source, summary.status, summary.indexed], ['ckanext-dcat-catalog', 'ok', 2]);
  const typo = bin.run('harvest', '--url', 'https://h/catalog.ttl', '--type', 'dcatt');
  assert.is(typo.code, 2);
  assert.is(typo.err.trim(), 'harvester harvest: --type must be csw, stac, stac-api, ozcar, resto, dcat (got "dcatt"); did you mean dcat?');
});

test.run();
