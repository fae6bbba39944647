/**
 * The record -> DataCite 4.6 crosswalk (mappings/datacite.ts) on real records and on a small hand-made one: the
 * identifier of each profile, the mandatory properties when the record lacks them, ROR and ORCID identifiers, access
 * rights in the info:eu-repo vocabulary, series as Collection with their members; every document written here valid
 * against the shipped XSD (xmllint --nonet). test/api/oai-datacite.test.ts validates every record served by /oai.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { dataCiteIdentifier, toDataCite } from '../../mappings/datacite.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { fixtureRecords, PROJECT_FAMILIES } from '../helpers/fixture-index.js';
import { smallRecord } from '../schemas/sample-records.js';

const records = [...(await fixtureRecords()), ...(await fixtureRecords(undefined, PROJECT_FAMILIES))];
const written: string[] = [];
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n, _path, _leaf, attr) => !attr && n !== 'resource',
});

/** The crosswalk's document (kept for the XSD check at the end) and its resource element read back. */
function datacite(r: HubRecord, profile: 'openaire' | 'datacite' = 'openaire'): Record<string, unknown[]> {
  const xml = toDataCite(r, profile);
  assert.ok(xml, `${r.identifier}: no document`);
  written.push(xml);
  return (parser.parse(xml) as { resource: Record<string, unknown[]> }).resource;
}
const find = (id: string) => records.find((r) => r.identifier === id)!;
type Node = Record<string, unknown> & { '#text'?: string };
const nodes = (res: Record<string, unknown[]>, wrapper: string, name: string) =>
  (res[wrapper]?.[0] as Record<string, Node[]> | undefined)?.[name] ?? [];

test('identifier: the DOI in both profiles; else a Handle or the hub IRI in oai_datacite, nothing in datacite', () => {
  const r = smallRecord({ source: 's', id: 'a', title: { en: 'x' } });
  assert.equal(dataCiteIdentifier(r, 'openaire'), { type: 'URL', value: r['@id'] });
  assert.is(dataCiteIdentifier(r, 'datacite'), undefined);
  assert.is(toDataCite(r, 'datacite'), undefined);
  r.otherIdentifier = [{ '@type': 'adms:Identifier', notation: 'hdl:20.500.12345/abc' }];
  assert.equal(dataCiteIdentifier(r, 'openaire'), { type: 'Handle', value: '20.500.12345/abc' });
  assert.is(dataCiteIdentifier(r, 'datacite'), undefined);
  r.otherIdentifier.push({ '@type': 'adms:Identifier', notation: 'https://dx.doi.org/10.5678/X.y' });
  for (const p of ['openaire', 'datacite'] as const) assert.equal(dataCiteIdentifier(r, p), { type: 'DOI', value: '10.5678/X.y' });
  const res = datacite(r, 'datacite');
  // the Handle and the hub IRI stay, as alternate identifiers
  assert.equal(
    nodes(res, 'alternateIdentifiers', 'alternateIdentifier').map((n) => [n['@alternateIdentifierType'], n['#text']]),
    [
      ['Handle', '20.500.12345/abc'],
      ['URL', r['@id']],
      ['local', 'a'],
    ],
  );
});

test('a record with no creator, publisher nor date still has every mandatory property (:unav, the entry’s year)', () => {
  const r = smallRecord({ source: 's', id: 'bare', title: { en: 'Bare' } });
  const res = datacite(r);
  assert.equal(nodes(res, 'creators', 'creator')[0].creatorName, [':unav']);
  assert.equal(res.publisher, [':unav']);
  assert.equal(res.publicationYear, [Number(r.isPrimaryTopicOf.modified['@value'].slice(0, 4))]);
  assert.equal((res.resourceType[0] as Node)['@resourceTypeGeneral'], 'Dataset');
});

test('real records: ORCID and affiliation, ROR of a funder, access rights as info:eu-repo, licence with its SPDX id', () => {
  const cryo = records.find((r) => r.creator?.some((c) => c.identifier?.some((i) => i.includes('orcid.org'))))!;
  const orcid = cryo.creator!.find((c) => c.identifier?.some((i) => i.includes('orcid.org')))!;
  const res = datacite(cryo);
  const creator = nodes(res, 'creators', 'creator').find((c) => (c.creatorName as Node[])[0]['#text'] === orcid.name['@none'])!;
  assert.equal(
    (creator.nameIdentifier as Node[]).map((n) => [n['#text'], n['@nameIdentifierScheme']]),
    [[orcid.identifier!.find((i) => i.includes('orcid'))!.replace('https://orcid.org/', ''), 'ORCID']],
  );
  assert.ok(creator.affiliation, 'the creator’s organisation is its affiliation');
  assert.equal(
    nodes(res, 'rightsList', 'rights')
      .map((n) => n['@rightsIdentifier'])
      .filter(Boolean),
    ['CC-BY-4.0'],
  );

  const auscope = datacite(find('iso19115-3:5ebc3cb7-a3b5-4760-a8ff-851d5d5beb32'));
  const funding = nodes(auscope, 'fundingReferences', 'fundingReference');
  assert.equal(funding[0].funderName, ['AuScope']);
  assert.equal((funding[0].funderIdentifier as Node[])[0]['#text'], 'https://ror.org/04s1m4564');

  const open = records.filter((r) => r.accessRights?.['@id']?.endsWith('/PUBLIC'));
  const restricted = records.filter((r) => r.accessRights?.['@id']?.endsWith('/RESTRICTED'));
  assert.ok(open.length > 0 && restricted.length > 0);
  for (const [rs, term] of [
    [open, 'info:eu-repo/semantics/openAccess'],
    [restricted, 'info:eu-repo/semantics/restrictedAccess'],
  ] as const)
    for (const r of rs)
      assert.ok(
        nodes(datacite(r), 'rightsList', 'rights').some((n) => n['@rightsURI'] === term),
        r.identifier,
      );
});

test('a series is a Collection with HasPart links to its members; a member IsPartOf its series', () => {
  const series = records.filter((r) => r['@type'][0] === 'dcat:DatasetSeries' && r.seriesMember?.length);
  assert.ok(series.length > 0);
  for (const s of series) {
    const res = datacite(s);
    assert.is((res.resourceType[0] as Node)['@resourceTypeGeneral'], 'Collection');
    const parts = nodes(res, 'relatedIdentifiers', 'relatedIdentifier').filter((n) => n['@relationType'] === 'HasPart');
    assert.equal(parts.map((n) => n['#text']).sort(), [...s.seriesMember!].sort());
  }
  const member = records.find((r) => r.inSeries?.length)!;
  const up = nodes(datacite(member), 'relatedIdentifiers', 'relatedIdentifier').filter((n) => n['@relationType'] === 'IsPartOf');
  assert.ok(up.some((n) => n['#text'] === member.inSeries![0]));
});

test('every document written here is valid against the DataCite 4.6 XSD', async () => {
  for (const r of records) written.push(toDataCite(r, 'openaire')!);
  const dir = await mkdtemp(join(tmpdir(), 'datacite-'));
  try {
    const files = await Promise.all(
      written.map(async (xml, k) => {
        const f = join(dir, `${k}.xml`);
        await writeFile(f, xml);
        return f;
      }),
    );
    const xsd = projectPath('schemas', 'xsd', 'datacite', 'kernel-4.6', 'metadata.xsd');
    const r = await promisify(execFile)('xmllint', ['--noout', '--nonet', '--schema', xsd, ...files], { encoding: 'utf8' }).catch(
      (e: { stderr: string }) => ({ stderr: e.stderr }),
    );
    const bad = r.stderr.split('\n').filter((l) => l && !l.endsWith(' validates'));
    assert.equal(bad, []);
    assert.is(r.stderr.split('\n').filter((l) => l.endsWith(' validates')).length, written.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
