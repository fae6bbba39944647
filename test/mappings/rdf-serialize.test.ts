/**
 * Every DCAT-AP serialisation the hub writes (mappings/rdf/serialize.ts: Turtle, RDF/XML, JSON-LD, N-Triples: GET
 * /catalog, /records/{id}, `harvester export dcat`) carries the DCAT-AP 3 properties of real records as their graph
 * holds them: read back, each of those triples is there with its datatype or language.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRdf, type Term, type Triple } from '../../core/rdf.js';
import { RDF_FORMATS, serializeQuads, type RdfFormat } from '../../mappings/rdf/serialize.js';
import { recordQuads } from '../../schemas/rdf.js';
import { DCAT3_PROPERTIES, dcat3Records } from '../schemas/dcat3-records.js';

const SYNTAX = { turtle: 'turtle', ntriples: 'ntriples', rdfxml: 'rdfxml', jsonld: 'jsonld' } as const satisfies Record<RdfFormat, string>;

const termKey = (t: Term): string =>
  t.kind === 'literal'
    ? `"${t.value}"@${t.language ?? ''}^^${t.language ? '' : (t.datatype ?? 'http://www.w3.org/2001/XMLSchema#string')}`
    : t.value;

test('the DCAT-AP 3 properties of real records are in every serialisation, typed as in the record`s graph', async () => {
  const records = await dcat3Records();
  const wanted = new Set(Object.keys(DCAT3_PROPERTIES));
  let compared = 0;
  for (const { name, record } of records) {
    const quads = recordQuads(record);
    const expected = quads
      .filter((q) => q.subject.value === record['@id'] && wanted.has(q.predicate.value))
      .map((q) => {
        const o = q.object as { termType: string; value: string; language?: string; datatype?: { value: string } };
        const t: Term =
          o.termType === 'Literal'
            ? { kind: 'literal', value: o.value, ...(o.language ? { language: o.language } : { datatype: o.datatype?.value }) }
            : { kind: 'iri', value: o.value };
        return `${q.predicate.value} ${termKey(t)}`;
      })
      .sort();
    for (const format of RDF_FORMATS) {
      const text = serializeQuads(format, quads);
      const triples: Triple[] = await parseRdf(text, SYNTAX[format]);
      const got = triples
        .filter((t) => t.s.value === record['@id'] && wanted.has(t.p))
        .map((t) => `${t.p} ${termKey(t.o)}`)
        .sort();
      assert.equal(got, expected, `${name} (${format})`);
      compared += got.length;
    }
  }
  assert.ok(compared >= 4 * 20, `${compared} triples compared`);
});

test('DCAT-AP 3 and ELI terms are written with their prefixes, not an ad hoc namespace', async () => {
  const records = await dcat3Records();
  const withLaw = records.find(({ record }) => record.applicableLegislation?.length);
  assert.ok(withLaw, 'a real record declares conformity to an INSPIRE regulation');
  const quads = recordQuads(withLaw.record);
  const xml = serializeQuads('rdfxml', quads);
  assert.match(
    xml,
    /<rdf:RDF [^>]*xmlns:dcatap="http:\/\/data\.europa\.eu\/r5r\/"[^>]*xmlns:eli="http:\/\/data\.europa\.eu\/eli\/ontology#"/,
  );
  assert.match(xml, /<dcatap:applicableLegislation rdf:resource="http:\/\/data\.europa\.eu\/eli\/reg/);
  assert.not.match(xml, /xmlns:ns0=/);
  const ttl = serializeQuads('turtle', quads);
  assert.match(ttl, /\bdcatap:applicableLegislation\b/);
  assert.match(ttl, /\ba eli:LegalResource\b/);
});

test.run();
