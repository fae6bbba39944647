/**
 * Records of real sources that hold the DCAT-AP 3 properties the hub maps since MAPPING_VERSION 10 (dct:alternative,
 * dcat:temporalResolution, dct:isReferencedBy, dcat:version, adms:versionNotes, dcat:hasVersion, dcat:isVersionOf,
 * dcatap:applicableLegislation), with what each property's object must be in N-Triples. For the SHACL and
 * serialisation tests.
 * - CKAN's DCAT-AP examples (test/fixtures/dcat): the RDF/XML dataset; the Turtle one with its two syntax faults mended
 *   here (an undeclared prefix, a doubled `<`: the file is kept as published, test/fixtures/dcat/README.md);
 * - the Marine Institute's ISO 19139 record (alternate title, conformant to Regulation 1089/2010);
 * - Metawal's ISO 19115-3 catchments record given a temporalResolution and an additionalDocumentation (elements no
 *   fixture holds, inserted where 19115-3 puts them);
 * - the STAC scientific extension's collection (sci:publications) and pystac's Landsat 8 collection (version);
 * - the STAC Version extension's MERRAclim collection (deprecated: adms:status; latest-version: dct:isReplacedBy) and
 *   item (latest-version: dcat:hasCurrentVersion), and the collection's next version as the extension writes it, its
 *   predecessor-version linked (dcat:previousVersion; built from the real file, as test/mappings/stac-extensions does).
 * dct:replaces no real source gives: test/schemas/sample-records.ts fullRecord() holds one.
 */
import { readFileSync } from 'node:fs';
import { describeRecord, recordSubjects } from '../../core/dcat.js';
import { parseRdfSync, RdfGraph } from '../../core/rdf.js';
import { isoToRecord } from '../../mappings/iso/index.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { stacToRecord } from '../../mappings/stac/index.js';
import type { HubRecord } from '../../schemas/record.js';

const HARVESTED = '2026-12-07T12:00:00Z';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const IRI = /^<[^>]+> \.$/;

/** Predicate IRI -> the N-Triples object (with its " ." end) it must have. */
export const DCAT3_PROPERTIES: Record<string, RegExp> = {
  'http://purl.org/dc/terms/alternative': /^"[^"]+"(@[a-z-]+)? \.$/,
  'http://www.w3.org/ns/dcat#temporalResolution': new RegExp(`^"P[^"]+"\\^\\^<${XSD}duration> \\.$`),
  'http://purl.org/dc/terms/isReferencedBy': IRI,
  'http://www.w3.org/ns/dcat#version': /^"[^"]+" \.$/,
  'http://www.w3.org/ns/adms#versionNotes': /^"[^"]+"(@[a-z-]+)? \.$/,
  'http://www.w3.org/ns/dcat#hasVersion': IRI,
  'http://www.w3.org/ns/dcat#isVersionOf': IRI,
  'http://data.europa.eu/r5r/applicableLegislation': /^<http:\/\/data\.europa\.eu\/eli\/[^>]+> \.$/,
  'http://www.w3.org/ns/dcat#previousVersion': IRI,
  'http://www.w3.org/ns/dcat#hasCurrentVersion': IRI,
  'http://purl.org/dc/terms/isReplacedBy': IRI,
  'http://www.w3.org/ns/adms#status': /^<http:\/\/publications\.europa\.eu\/resource\/authority\/dataset-status\/[A-Z]+> \.$/,
};

const dcatDir = (f: string) => projectPath('test', 'fixtures', 'dcat', f);

export function dcatRecords(name: string, text: string, syntax: 'turtle' | 'rdfxml'): { name: string; record: HubRecord }[] {
  const graph = new RdfGraph(parseRdfSync(text, syntax, `https://example.org/${name}`));
  return recordSubjects(graph).map((subject) => {
    const m = mapRecord({ source: 'fx', format: 'dcat', body: describeRecord(graph, subject), location: name }, { harvestedAt: HARVESTED });
    if (!m.ok) throw new Error(`${name} ${subject}: ${m.error}`);
    return { name: `${name} ${subject}`, record: m.record };
  });
}

async function fileRecords(file: string): Promise<{ name: string; record: HubRecord }[]> {
  const out: { name: string; record: HubRecord }[] = [];
  for await (const item of itemsFromFile(file, 'fx')) {
    if (item.kind !== 'record') continue;
    const m = mapRecord(item.raw, { harvestedAt: HARVESTED });
    if (!m.ok) throw new Error(`${file}: ${m.error}`);
    out.push({ name: `${file} ${m.record.identifier}`, record: m.record });
  }
  return out;
}

/** The CKAN Turtle example with its two syntax faults mended. */
export function mendedCkanTurtle(): string {
  const text = readFileSync(dcatDir('ckanext-dcat-dataset.ttl'), 'utf8');
  return `@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .\n${text.replace('^^<<http', '^^<http')}`;
}

/** The Metawal catchments record (ISO 19115-3) with a temporal resolution and a documentation inserted. */
export function catchmentsWithDcat3(): string {
  let xml = readFileSync(sharedFixture('iso19115-3', 'owslib-metawal.wallonie.be-catchments.xml'), 'utf8');
  let at = xml.indexOf('<mri:topicCategory>');
  xml = `${xml.slice(0, at)}<mri:temporalResolution><gco:TM_PeriodDuration>P1D</gco:TM_PeriodDuration></mri:temporalResolution>\n      ${xml.slice(at)}`;
  at = xml.indexOf('</mri:extent>') + '</mri:extent>'.length;
  const doc =
    '<mri:additionalDocumentation><cit:CI_Citation><cit:title><gco:CharacterString>A paper</gco:CharacterString></cit:title>' +
    '<cit:identifier><mcc:MD_Identifier><mcc:code><gco:CharacterString>doi:10.5194/hess-22-1-2018</gco:CharacterString></mcc:code>' +
    '</mcc:MD_Identifier></cit:identifier></cit:CI_Citation></mri:additionalDocumentation>';
  return `${xml.slice(0, at)}\n      ${doc}${xml.slice(at)}`;
}

/** The Version extension's collection, its item, and the collection's next version (see the file comment). */
function versionRecords(): { name: string; record: HubRecord }[] {
  const dir = (f: string) => projectPath('test', 'fixtures', 'stac', 'extensions', f);
  const v1 = JSON.parse(readFileSync(dir('version-collection.json'), 'utf8')) as { links: { rel: string; href: string }[] };
  const href = (rel: string) => v1.links.find((l) => l.rel === rel)!.href;
  const v2 = {
    ...v1,
    version: '2',
    deprecated: undefined,
    links: [
      ...v1.links.filter((l) => l.rel !== 'self' && l.rel !== 'latest-version'),
      { rel: 'self', href: href('latest-version') },
      { rel: 'predecessor-version', href: href('self') },
    ],
  };
  const item = JSON.parse(readFileSync(dir('version-item.json'), 'utf8')) as unknown;
  return [
    ['version-collection.json', v1],
    ['version-collection.json, version 2', v2],
    ['version-item.json', item],
  ].map(([name, json]) => ({ name: name as string, record: stacToRecord(json, { source: 'fx', harvestedAt: HARVESTED }).record }));
}

/** The records (see the file comment). */
export async function dcat3Records(): Promise<{ name: string; record: HubRecord }[]> {
  return [
    ...dcatRecords('ckanext-dcat-dataset.rdf', readFileSync(dcatDir('ckanext-dcat-dataset.rdf'), 'utf8'), 'rdfxml'),
    ...dcatRecords('ckanext-dcat-dataset.ttl', mendedCkanTurtle(), 'turtle'),
    ...(await fileRecords(sharedFixture('iso19139', 'owslib-iso_keywords_anchor.xml'))),
    {
      name: 'metawal catchments + temporalResolution',
      record: isoToRecord(catchmentsWithDcat3(), { source: 'fx', harvestedAt: HARVESTED }).record,
    },
    ...(await fileRecords(projectPath('test', 'fixtures', 'stac', 'versions', 'pystac-1.0.0-beta.2-scientific-collection.json'))),
    ...(await fileRecords(projectPath('test', 'fixtures', 'stac', 'versions', 'pystac-0.8.1-asset-landsat8-collection.json'))),
    ...versionRecords(),
  ];
}
