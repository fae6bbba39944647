/**
 * mappings/common.ts: what every crosswalk writes the same way. The key order is checked as JSON text, since recordHash
 * hashes the record's text: a builder that wrote its keys in another order would rewrite every record once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  catalogRecord,
  conceptsOrKeywords,
  decimalLexical,
  frequency,
  iriConcept,
  isAbsoluteIri,
  languages,
  mediaType,
  resolutionInMeters,
  standards,
  webPages,
  compact,
  contactPoint,
  DATASET,
  doiIdentifier,
  isEmail,
  orcidIri,
  organisationAgent,
  personAgent,
  recordHead,
} from '../../mappings/common.js';
import { hubId, recordIri } from '../../schemas/record.js';

const keys = (o: object) => Object.keys(o).join(',');

test('compact drops undefined, [] and {}, keeps every other value in its order', () => {
  const o = compact({ a: undefined, b: '', c: 0, d: [], e: {}, f: false, g: [1], h: { x: 1 }, i: null });
  assert.is(JSON.stringify(o), '{"b":"","c":0,"f":false,"g":[1],"h":{"x":1},"i":null}');
  assert.is(keys(compact({ z: 1, a: 2, m: undefined, b: 3 })), 'z,a,b');
});

test('recordHead: IRI and hub identifier from the source and id, otherIdentifier before the title only when given', () => {
  const title = { en: 'T' };
  const plain = recordHead('src', 'a b', DATASET, title);
  assert.is(keys(plain), '@id,@type,identifier,title');
  assert.is(plain['@id'], recordIri('src', 'a b'));
  assert.is(plain.identifier, hubId('src', 'a b'));
  assert.is(keys(recordHead('src', 'x', DATASET, title, [])), '@id,@type,identifier,title');
  assert.is(
    keys(recordHead('src', 'x', DATASET, title, [doiIdentifier('https://doi.org/10.1/x')])),
    '@id,@type,identifier,otherIdentifier,title',
  );
});

test('catalogRecord: fixed key order, optional members only when given, typed language and standard, modified always', () => {
  const harvestedAt = { '@value': '2026-11-25T10:00:00Z', '@type': 'xsd:dateTime' as const };
  const full = catalogRecord({
    contentHash: 'h',
    harvestedAt,
    sourceUrl: 'https://x/y',
    sourceFormat: 'iso19139',
    sourceId: 's',
    conformsTo: 'http://www.isotc211.org/2005/gmd',
    language: 'http://publications.europa.eu/resource/authority/language/FRA',
    modified: { '@value': '2020-01-01', '@type': 'xsd:date' },
    identifier: 'id',
  });
  assert.is(keys(full), '@type,identifier,modified,language,conformsTo,sourceId,sourceFormat,sourceUrl,harvestedAt,contentHash');
  assert.equal(full.language, [
    { '@id': 'http://publications.europa.eu/resource/authority/language/FRA', '@type': 'dct:LinguisticSystem' },
  ]);
  assert.equal(full.conformsTo, { '@id': 'http://www.isotc211.org/2005/gmd', '@type': 'dct:Standard' });
  assert.equal(full.modified, { '@value': '2020-01-01', '@type': 'xsd:date' });
  // without a source date stamp, DCAT-AP's mandatory dct:modified is when the hub wrote its entry: the harvest time
  const bare = catalogRecord({ identifier: 'id', sourceId: 's', sourceFormat: 'stac-item', harvestedAt, contentHash: 'h' });
  assert.is(keys(bare), '@type,identifier,modified,sourceId,sourceFormat,harvestedAt,contentHash');
  assert.equal(bare.modified, harvestedAt);
  const contact = contactPoint('organisation', 'Org', { email: 'md@x.org' });
  const withContact = catalogRecord({
    identifier: 'id',
    sourceId: 's',
    sourceFormat: 'iso19139',
    harvestedAt,
    contentHash: 'h',
    contactPoint: [contact],
  });
  assert.is(keys(withContact), '@type,identifier,modified,contactPoint,sourceId,sourceFormat,harvestedAt,contentHash');
});

test('agents: person and organisation with their identifiers, mailto: and order', () => {
  const org = organisationAgent({ fr: 'Org' }, { iri: 'https://ror.org/1', email: 'a@b.fr', homepage: 'https://o' });
  assert.is(
    JSON.stringify(org),
    '{"@id":"https://ror.org/1","@type":["foaf:Organization","foaf:Agent"],"name":{"fr":"Org"},"mbox":"mailto:a@b.fr","homepage":"https://o","identifier":["https://ror.org/1"]}',
  );
  assert.equal(organisationAgent({ '@none': 'Lab' }, { identifier: '123' }), {
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { '@none': 'Lab' },
    identifier: ['123'],
  });
  const person = personAgent('Ada', { iri: 'https://orcid.org/0000-0002-1825-0097', email: 'ada@x.org', memberOf: org });
  assert.is(keys(person), '@id,@type,name,mbox,identifier,memberOf');
  assert.equal(personAgent('Bob', {}), { '@type': ['foaf:Person', 'foaf:Agent'], name: { '@none': 'Bob' } });
});

test('contact points, ORCID and e-mail', () => {
  const cp = contactPoint('individual', 'Ada', {
    uid: 'u',
    note: 'n',
    tel: '+331',
    url: 'https://u',
    email: 'a@b.fr',
    organizationName: 'O',
  });
  assert.is(keys(cp), '@type,fn,organizationName,hasEmail,hasURL,hasTelephone,note,hasUID');
  assert.is(cp.hasTelephone, 'tel:+331');
  assert.equal(contactPoint('organisation', 'Org'), { '@type': ['vcard:Organization', 'vcard:Kind'], fn: 'Org' });
  assert.is(orcidIri('0000-0002-1825-009x'), 'https://orcid.org/0000-0002-1825-009X');
  assert.is(orcidIri('https://orcid.org/0000-0002-1825-0097'), 'https://orcid.org/0000-0002-1825-0097');
  assert.is(orcidIri('0000-0002-1825'), undefined);
  assert.ok(isEmail('a.b@c.fr'));
  assert.not.ok(isEmail('a b@c.fr'));
  assert.not.ok(isEmail('nobody'));
  assert.ok(isAbsoluteIri('https://www.example.org'));
  assert.ok(isAbsoluteIri('urn:uuid:1'));
  assert.not.ok(isAbsoluteIri('www.example.org'), 'no scheme: never guessed into an IRI');
  assert.not.ok(isAbsoluteIri('http://a b'));
});

test('typed references, resolutions and concepts as DCAT-AP wants them', () => {
  assert.equal(standards(['http://a', 'http://a', 'http://b']), [
    { '@id': 'http://a', '@type': 'dct:Standard' },
    { '@id': 'http://b', '@type': 'dct:Standard' },
  ]);
  assert.equal(languages(['http://l/FRA']), [{ '@id': 'http://l/FRA', '@type': 'dct:LinguisticSystem' }]);
  assert.equal(webPages(['https://p', 'https://p']), [{ '@id': 'https://p', '@type': 'foaf:Document' }]);
  assert.equal(mediaType('https://m'), { '@id': 'https://m', '@type': 'dct:MediaType' });
  assert.equal(frequency('http://f/ANNUAL'), { '@id': 'http://f/ANNUAL', '@type': 'dct:Frequency' });
  // one resolution in metres (the finest, as an xsd:decimal lexical form); the others as text, nothing lost
  assert.equal(resolutionInMeters([25, 0.5, 100, 25]), { spatialResolutionInMeters: '0.5', asText: ['25 m', '100 m'] });
  assert.equal(resolutionInMeters([]), { asText: [] });
  assert.is(decimalLexical(1e-7), '0.0000001');
  assert.is(decimalLexical(25), '25');
  // a concept named by its IRI only is labelled by its last segment; a term known by its label only is a keyword
  assert.equal(iriConcept('http://v/x/farming'), {
    '@id': 'http://v/x/farming',
    '@type': 'skos:Concept',
    prefLabel: { '@none': 'farming' },
  });
  const split = conceptsOrKeywords([
    { '@id': 'http://v/a', '@type': 'skos:Concept', prefLabel: { en: 'A' } },
    { '@id': 'http://v/b', '@type': 'skos:Concept' },
    { '@type': 'skos:Concept', prefLabel: { en: 'label only' } },
  ]);
  assert.equal(
    split.concepts.map((c) => c.prefLabel),
    [{ en: 'A' }, { '@none': 'b' }],
  );
  assert.equal(split.keywords, [{ en: 'label only' }]);
});

test.run();
