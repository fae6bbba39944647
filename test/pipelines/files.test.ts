/**
 * pipelines/files.ts prefetchFiles: read ahead on the thread pool (depth > 0) or each file in its turn, synchronously
 * (depth 0, a one-core run): the same texts in the same order either way, and a file that cannot be read rejects its
 * own text only, the files after it still read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { relative as relativeFrom } from 'node:path';
import { itemsFromFile, itemsFromText, prefetchFiles } from '../../pipelines/files.js';
import type { HarvestError } from '../../core/result.js';
import type { RawRecord } from '../../harvesters/types.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const files = readdirSync(sharedFixture('iso19139'))
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => sharedFixture('iso19139', f));
const MISSING = sharedFixture('iso19139', 'no-such-file.xml');
const relativeTo = (path: string) => relativeFrom(process.cwd(), path);
const inputs = [...files.slice(0, 5), MISSING, '', ...files.slice(5)];

async function read(depth: number | undefined): Promise<{ input: string; text?: string; error?: string }[]> {
  const out: { input: string; text?: string; error?: string }[] = [];
  for await (const { input, text } of prefetchFiles(inputs, (i) => i || undefined, depth)) {
    if (!text) out.push({ input });
    else
      await text.then(
        (t) => out.push({ input, text: t }),
        (err: NodeJS.ErrnoException) => out.push({ input, error: err.code }),
      );
  }
  return out;
}

for (const depth of [0, 1, undefined])
  test(`prefetchFiles, depth ${depth ?? 'default'}: every input in order, each file's text, a missing file's error alone`, async () => {
    const got = await read(depth);
    assert.equal(
      got.map((g) => g.input),
      inputs,
    );
    for (const g of got) {
      if (g.input === MISSING) assert.is(g.error, 'ENOENT');
      else if (g.input === '') assert.equal(g, { input: '' });
      else assert.is(g.text, readFileSync(g.input, 'utf8'), g.input);
    }
  });

test('itemsFromText: an empty file, a binary one and broken JSON fail at the parse stage, in words about the file', async () => {
  const fail = async (text: string) => {
    try {
      for await (const _ of itemsFromText('/feed/x.xml', text, 'src')) void _;
    } catch (err) {
      return { stage: (err as HarvestError).stage, message: (err as Error).message };
    }
    return undefined;
  };
  assert.equal(await fail(''), { stage: 'parse', message: '/feed/x.xml: the file is empty' });
  assert.equal(await fail(' \n\t'), { stage: 'parse', message: '/feed/x.xml: the file is empty' });
  // a real binary file (the node executable) read as UTF-8, as a folder's stray file is
  const binary = readFileSync(process.execPath).subarray(0, 5000).toString('utf8');
  assert.equal(await fail(binary), { stage: 'parse', message: '/feed/x.xml: a binary file, neither XML nor JSON text' });
  const cut = readFileSync(sharedFixture('ozcar', 'TOUR_en.json'), 'utf8').slice(0, 300);
  const broken = await fail(cut);
  assert.is(broken?.stage, 'parse');
  assert.match(broken?.message ?? '', /^\/feed\/x\.xml: neither XML nor valid JSON \(/);
  // text with a few accented letters in another encoding is not "binary": it is said to be broken JSON
  const latin1 = Buffer.from('{"title": "r\u00e9seau \u00e9cologique"', 'latin1').toString('utf8');
  assert.match((await fail(latin1))?.message ?? '', /neither XML nor valid JSON/);
});

test('an RDF/XML catalogue file of several datasets: each dataset its record, as the DCAT harvester reads it', async () => {
  // CKAN's DCAT example catalogue: a dcat:Catalog of 2 dcat:Dataset (only the first was mapped, with a warning)
  const raws: RawRecord[] = [];
  for await (const item of itemsFromFile(projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-catalog.rdf'), 'src'))
    if (item.kind === 'record') raws.push(item.raw);
  assert.equal(
    raws.map((r) => [r.id, r.format]),
    [
      ['https://data.some.org/catalog/datasets/1', 'dcat'],
      ['https://data.some.org/catalog/datasets/2', 'dcat'],
    ],
  );
  const mapped = raws.map((r) => mapRecord(r, { harvestedAt: '2025-06-01T12:00:00Z' }));
  assert.equal(
    mapped.map((m) => (m.ok ? [m.record.title, m.warnings ?? []] : m.error)),
    [
      [{ '@none': 'Example dataset 1' }, []],
      [{ '@none': 'Example dataset 2' }, []],
    ],
  );
});

test('DCAT files in Turtle and JSON-LD are read as the DCAT harvester reads them; relative IRIs against the file, however it is named', async () => {
  const records = async (path: string) => {
    const out: RawRecord[] = [];
    for await (const item of itemsFromFile(path, 'src')) if (item.kind === 'record') out.push(item.raw);
    return out.map((r) => mapRecord(r, { harvestedAt: '2025-06-01T12:00:00Z' }));
  };
  const dcat = (f: string) => projectPath('test', 'fixtures', 'dcat', f);
  // CKAN's multilingual Turtle dataset, CKAN's JSON-LD with @graph, udata's flat JSON-LD catalogue of 3 datasets
  const ttl = await records(dcat('ckanext-dcat-dataset_multilingual.ttl'));
  assert.equal(
    ttl.map((m) => (m.ok ? m.record.title : m.error)),
    [{ ca: 'Conjunt de dades de prova DCAT', es: 'Conjunto de datos de prueba DCAT', en: 'Test DCAT dataset' }],
  );
  const graph = await records(dcat('ckanext-dcat-catalog_with_at_graph.jsonld'));
  assert.equal(
    graph.map((m) => (m.ok ? m.record.title : m.error)),
    [{ '@none': 'Title dataset' }],
  );
  const flat = await records(dcat('udata-flat.jsonld'));
  assert.equal(
    flat.map((m) => (m.ok ? m.record.title : m.error)),
    [{ '@none': 'Dataset 1' }, { '@none': 'Dataset 2' }, { '@none': 'Dataset 3' }],
  );
  // geocat.ch's GeoDCAT-AP names its dataset by a relative IRI (rdf:about="ADN06"): read from a relative path too
  const relative = relativeTo(dcat('geocat-amphibians-eu-geodcat-ap.rdf'));
  const rel = await records(relative);
  assert.is(rel.length, 1);
  assert.ok(rel[0].ok, rel[0].ok ? '' : String(rel[0].error));
  // a Turtle file that is not valid: said at the parse stage, naming the file
  try {
    await records(dcat('ckanext-dcat-dataset.ttl'));
    assert.unreachable('an undeclared prefix');
  } catch (err) {
    assert.match((err as Error).message, /not valid Turtle: Undefined prefix "healthdcatap:"/);
  }
});

test('a CSW response in the Atom output schema (pycsw): each atom:entry maps, with its georss:where box (lat lon)', async () => {
  const raws: RawRecord[] = [];
  for await (const item of itemsFromFile(projectPath('test', 'fixtures', 'csw', 'pycsw-atom-GetRecords-filter-bbox.xml'), 'src'))
    if (item.kind === 'record') raws.push(item.raw);
  assert.is(raws.length, 2);
  const mapped = raws.map((r) => mapRecord(r, { harvestedAt: '2025-06-01T12:00:00Z' }));
  // was: failed, "a opensearch-entry must be a JSON object (an Atom entry: its XML tree)"
  assert.equal(
    mapped.map((m) => (m.ok ? [m.record.title, m.record.spatial?.[0].bbox?.['@value']] : m.error)),
    [
      [{ '@none': 'Mauris sed neque' }, 'POLYGON((-4.1 47.59,0.89 47.59,0.89 51.22,-4.1 51.22,-4.1 47.59))'],
      [{ '@none': 'Ñunç elementum' }, 'POLYGON((-6.17 44.79,-2.23 44.79,-2.23 51.13,-6.17 51.13,-6.17 44.79))'],
    ],
  );
});

test.run();
