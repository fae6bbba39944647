/** RDF reading (core/rdf.ts): the serialisation of a document, the parsers, entities refused, contexts local only. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseRdf, parseRdfSync, rdfSyntax, RdfGraph, localContextLoader } from '../../core/rdf.js';
import { RecordError } from '../../core/result.js';
import { projectPath } from '../../schemas/paths.js';

const fixture = (name: string) => readFileSync(projectPath('test', 'fixtures', 'dcat', name), 'utf8');

test('the serialisation: the Content-Type first, then the extension, then the first characters', () => {
  const cases: [string, string | undefined, string, string | undefined][] = [
    ['application/rdf+xml; charset=utf-8', undefined, '', 'rdfxml'],
    ['text/turtle', 'https://h/x.rdf', '', 'turtle'],
    ['application/ld+json', undefined, '', 'jsonld'],
    ['application/n-triples', undefined, '', 'ntriples'],
    ['application/vnd.geo+json', undefined, '', 'jsonld'],
    ['application/octet-stream', 'https://h/catalog.ttl?page=2', '', 'turtle'],
    ['', 'data/catalog.rdf', '', 'rdfxml'],
    ['text/plain', undefined, '@prefix dcat: <http://www.w3.org/ns/dcat#> .', 'turtle'],
    ['text/plain', undefined, '<http://a> <http://b> "c" .', 'ntriples'],
    ['', undefined, '\uFEFF<?xml version="1.0"?><rdf:RDF/>', 'rdfxml'],
    ['', undefined, '  [{"@id": "x"}]', 'jsonld'],
    ['text/html', undefined, '<!DOCTYPE html><html></html>', undefined],
    ['', undefined, '<!DOCTYPE html><html></html>', undefined],
    ['', undefined, 'Service unavailable', undefined],
  ];
  for (const [type, location, text, want] of cases) assert.is(rdfSyntax(type, location, text), want, `${type} ${location} ${text}`);
});

test('each parser on a real file; the same graph, whatever its serialisation, gives the same descriptions', async () => {
  const rdfxml = new RdfGraph(parseRdfSync(fixture('ckanext-dcat-catalog.rdf'), 'rdfxml'));
  assert.ok(rdfxml.size > 10);
  const turtle = new RdfGraph(parseRdfSync(fixture('ckanext-dcat-dataset_multilingual.ttl'), 'turtle'));
  const subject = turtle.ofType('http://www.w3.org/ns/dcat#Dataset')[0];
  const described = turtle.describe(subject);
  assert.equal(described['http://purl.org/dc/terms/title'], [
    { '@value': 'Conjunt de dades de prova DCAT', '@language': 'ca' },
    { '@value': 'Conjunto de datos de prueba DCAT', '@language': 'es' },
    { '@value': 'Test DCAT dataset', '@language': 'en' },
  ]);
  // udata's expanded JSON-LD and its RDF/XML twin describe dataset 1 the same way
  const jsonld = new RdfGraph(await parseRdf(fixture('udata-flat.jsonld'), 'jsonld'));
  const xml = new RdfGraph(parseRdfSync(fixture('udata-catalog.xml'), 'rdfxml', 'http://data.test.org/'));
  // a graph is a set: a triple stated twice is kept once
  const twice = '<http://a> <http://b> "c" .\n<http://a> <http://b> "c" .\n<http://a> <http://b> "c"@en .';
  assert.is(new RdfGraph(parseRdfSync(twice, 'ntriples')).about('http://a').length, 2);
  const a = jsonld.describe('http://data.test.org/datasets/1');
  const b = xml.describe('http://data.test.org/datasets/1');
  assert.equal(a['http://purl.org/dc/terms/title'], b['http://purl.org/dc/terms/title']);
});

test('describe: blank nodes embedded, cycles and other records referenced, catalog records under @reverse', () => {
  const nt = [
    '<http://x/d1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .',
    '<http://x/d1> <http://purl.org/dc/terms/publisher> _:p .',
    '_:p <http://xmlns.com/foaf/0.1/name> "P" .',
    '_:p <http://xmlns.com/foaf/0.1/knows> <http://x/d1> .',
    '<http://x/d1> <http://purl.org/dc/terms/relation> <http://x/d2> .',
    '<http://x/d2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .',
    '<http://x/d2> <http://purl.org/dc/terms/title> "two" .',
    '<http://x/r1> <http://xmlns.com/foaf/0.1/primaryTopic> <http://x/d1> .',
    '<http://x/r1> <http://purl.org/dc/terms/modified> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
  ].join('\n');
  const g = new RdfGraph(parseRdfSync(nt, 'ntriples'));
  const d = g.describe('http://x/d1', {
    stopAt: ['http://www.w3.org/ns/dcat#Dataset'],
    reverse: ['http://xmlns.com/foaf/0.1/primaryTopic'],
  });
  assert.equal(d, {
    '@id': 'http://x/d1',
    '@type': ['http://www.w3.org/ns/dcat#Dataset'],
    'http://purl.org/dc/terms/publisher': [
      { 'http://xmlns.com/foaf/0.1/knows': [{ '@id': 'http://x/d1' }], 'http://xmlns.com/foaf/0.1/name': [{ '@value': 'P' }] },
    ],
    'http://purl.org/dc/terms/relation': [{ '@id': 'http://x/d2' }],
    '@reverse': {
      'http://xmlns.com/foaf/0.1/primaryTopic': [
        {
          '@id': 'http://x/r1',
          'http://purl.org/dc/terms/modified': [{ '@value': '2020-01-01', '@type': 'http://www.w3.org/2001/XMLSchema#date' }],
          'http://xmlns.com/foaf/0.1/primaryTopic': [{ '@id': 'http://x/d1' }],
        },
      ],
    },
  });
});

test('RDF/XML declaring entities is refused, never expanded; malformed RDF says where', () => {
  const bomb =
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://x/&b;"/></rdf:RDF>';
  assert.throws(
    () => parseRdfSync(bomb, 'rdfxml'),
    (e: unknown) => e instanceof RecordError && /refused: the DOCTYPE declares entities \(<!ENTITY \.\.\.> at line 2/.test(e.message),
  );
  assert.throws(
    () => parseRdfSync('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>', 'rdfxml'),
    (e: unknown) => e instanceof RecordError && /^not valid RDF\/XML: /.test(e.message),
  );
  assert.throws(
    () => parseRdfSync(fixture('ckanext-dcat-dataset.ttl'), 'turtle'),
    (e: unknown) => e instanceof RecordError && e.message === 'not valid Turtle: Undefined prefix "healthdcatap:" on line 149.',
  );
});

test('JSON-LD: a remote context is loaded only from the local file it is mapped to', async () => {
  const url = 'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld';
  const text = fixture('semic-dcat-ap-3.0.1-example-bee-population-dataset-series-api.jsonld');
  try {
    await parseRdf(text, 'jsonld');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, RecordError);
    assert.match((err as Error).message, `not valid JSON-LD: the JSON-LD context ${url} is not loaded: contexts are never fetched`);
  }
  const triples = await parseRdf(text, 'jsonld', {
    contexts: { [url]: projectPath('test', 'fixtures', 'dcat', 'semic-dcat-ap-3.0.1-context.jsonld') },
  });
  assert.ok(triples.some((t) => t.p === 'http://www.w3.org/ns/dcat#inSeries'));
  assert.not.throws(() => localContextLoader({})); // building the loader loads nothing
});

test.run();
