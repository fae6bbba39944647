/**
 * The DCAT crosswalk on real DCAT files of public portals and catalogues (test/fixtures/dcat/README.md): CKAN's RDF/XML,
 * a research observatory's GeoNetwork export (OSU OREME), GeoNetwork's CSW answers in its DCAT output schema
 * (Géo2France), Ifremer Sextant's GeoDCAT-AP dataset series, SEMIC's DCAT-AP 3 series and data service. Each record
 * passes the record schema (mapRecord validates), and the fields each source writes its own way come out as the record
 * wants them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { describeRecord, recordSubjects } from '../../core/dcat.js';
import { parseRdf, rdfSyntax, RdfGraph } from '../../core/rdf.js';
import { RecordError } from '../../core/result.js';
import { canonicalJson } from '../../core/json.js';
import { splitCswResponse } from '../../harvesters/csw/records.js';
import { dcatToRecord } from '../../mappings/dcat/index.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { recordNTriples } from '../../schemas/rdf.js';
import { isoToRecord } from '../../mappings/iso/index.js';
import type { SourceWarning } from '../../core/warnings.js';
import { dcatRecords, mendedCkanTurtle } from '../schemas/dcat3-records.js';

const fixture = (name: string) => projectPath('test', 'fixtures', 'dcat', name);
const HARVESTED = '2026-12-01T00:00:00Z';
const SEMIC_CONTEXT = 'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld';

/** Every record of a fixture file, mapped and validated: [id, record, warnings]. */
async function mapFile(name: string): Promise<Map<string, { record: HubRecord; warnings: SourceWarning[] }>> {
  const text = readFileSync(fixture(name), 'utf8');
  const syntax = rdfSyntax('', name, text)!;
  const graph = new RdfGraph(
    await parseRdf(text, syntax, {
      baseIri: `https://example.org/${name}`,
      contexts: { [SEMIC_CONTEXT]: fixture('semic-dcat-ap-3.0.1-context.jsonld') },
    }),
  );
  const out = new Map<string, { record: HubRecord; warnings: SourceWarning[] }>();
  for (const subject of recordSubjects(graph)) {
    const body = describeRecord(graph, subject);
    const m = mapRecord({ source: 'fx', format: 'dcat', body, location: name }, { harvestedAt: HARVESTED });
    if (!m.ok) throw new Error(`${name} ${subject}: ${m.error}`);
    out.set(m.record.isPrimaryTopicOf.identifier, { record: m.record, warnings: m.warnings ?? [] });
  }
  return out;
}

test('CKAN (RDF/XML): texts, dates, a publisher with a bare e-mail, distributions by download URL, IMT formats and media types', async () => {
  const records = await mapFile('ckanext-dcat-catalog.rdf');
  assert.equal([...records.keys()], ['https://data.some.org/catalog/datasets/1', 'https://data.some.org/catalog/datasets/2']);
  const r = records.get('https://data.some.org/catalog/datasets/1')!.record;
  assert.is(r.identifier, 'fx:https://data.some.org/catalog/datasets/1');
  assert.equal(r['@type'], ['dcat:Dataset', 'schema:Dataset']);
  assert.equal(r.title, { '@none': 'Example dataset 1' });
  assert.match(r.description!['@none'], 'Some special characters: Θεσσαλονίκη.');
  assert.equal(r.keyword, { '@none': ['pollution', 'stats'] });
  assert.equal(r.issued, { '@value': '2013-04-26T00:00:00Z', '@type': 'xsd:dateTime' });
  // dc:language "en" (Dublin Core elements, a code): the EU language IRI
  assert.equal(r.language, [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }]);
  assert.equal(r.publisher, {
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { '@none': 'Publishing Organization for dataset 1' },
    mbox: 'mailto:contact@some.org',
  });
  const byTitle = Object.fromEntries(r.distribution!.map((d) => [d.title!['@none'], d]));
  const csv = byTitle['A distribution for this dataset in CSV format'];
  assert.is(csv.accessURL, 'https://data.some.org/the/actual/catalog/datasets/1/resources/1.csv'); // its download URL
  assert.is(csv.downloadURL, csv.accessURL);
  assert.equal(csv.mediaType, { '@id': 'https://www.iana.org/assignments/media-types/text/csv', '@type': 'dct:MediaType' });
  assert.equal(csv.license, { '@id': 'https://data.some.org/link/to/license', '@type': 'dct:LicenseDocument' });
  // <dct:format><dct:IMT><rdf:value>application/pdf</rdf:value></dct:IMT></dct:format>
  assert.is(
    byTitle['A distribution for this dataset in PDF format'].mediaType!['@id'],
    'https://www.iana.org/assignments/media-types/application/pdf',
  );
  assert.is(byTitle['A distribution for this dataset as an API'].accessURL, 'https://data.some.org/the/actual/catalog/link/to/an/api');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'dcat');
  assert.is(r.isPrimaryTopicOf.sourceUrl, 'https://data.some.org/catalog/datasets/1');
});

test("a research observatory's GeoNetwork export (OSU OREME): what GeoNetwork writes its own way comes out as DCAT-AP", async () => {
  const { record: r, warnings } = (await mapFile('udata-sig.oreme.rdf')).get('0437a976-cff1-4fa6-807a-c23006df2f8f')!;
  assert.match(r.description!['@none'], /^Data from the 'National network of repeated absolute gravimetry'/); // dct:abstract
  assert.equal(r.modified, { '@value': '2022-02-14', '@type': 'xsd:date' }); // dct:updated
  assert.equal(r.depiction, ['https://data.oreme.org/assets/images/gravi-medium.jpg']); // foaf:thumbnail
  assert.equal(r.language, [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }]); // "eng"
  assert.equal(r.accrualPeriodicity, {
    '@id': 'http://publications.europa.eu/resource/authority/frequency/IRREG',
    '@type': 'dct:Frequency',
  }); // purl.org/cld/freq/irregular
  // "Licence ouverte / Open Licence" as text: the Etalab licence, its words kept as the label
  assert.equal(r.license, [
    {
      '@id': 'https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf',
      '@type': 'dct:LicenseDocument',
      label: { '@none': 'Licence ouverte / Open Licence' },
    },
  ]);
  // themes given as words: DCAT-AP themes are concept IRIs, so they are keywords
  assert.is(r.theme, undefined);
  assert.equal(r.keyword, {
    '@none': ['GRAVI', 'SNO RESIF-Gravimétrie', 'solid earth dynamics', 'Environmental monitoring facilities', 'geodesy'],
  });
  // the publisher is an IRI the file does not describe: named after it, and said
  assert.equal(r.publisher!.name, { '@none': 'UMR Géosciences Montpellier (GM)' });
  assert.ok(warnings.some((w) => w.at === 'dct:publisher' && /has no name in the catalogue: named after its IRI/.test(w.message)));
  assert.equal(
    r.distribution!.map((d) => d.accessURL),
    ['https://oreme.org/observation/gravi'],
  );
});

test('GeoNetwork CSW records in the DCAT output schema (RDF/XML, one rdf:RDF per record): mapped from the XML text', () => {
  const page = splitCswResponse(readFileSync(fixture('csw/udata-geonetwork-dcat-page-1.xml'), 'utf8'));
  assert.is(page.records.length, 2);
  const results = page.records.map((rec) =>
    mapRecord(
      { source: 'gn', body: rec.xml, location: 'page 1', url: 'https://www.geo2france.fr/geonetwork/srv/fre/csw?request=GetRecordById' },
      { harvestedAt: HARVESTED },
    ),
  );
  const [first, second] = results;
  assert.ok(first.ok && second.ok, JSON.stringify(results.filter((m) => !m.ok)));
  if (!first.ok || !second.ok) return;
  const r = first.record;
  assert.is(r.identifier, 'gn:https://www.geo2france.fr/insee/partmenage5ans');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'dcat');
  // the lone catalog record of the document dates it, though its primaryTopic names the dataset by another IRI
  assert.equal(r.isPrimaryTopicOf.modified, { '@value': '2021-01-25', '@type': 'xsd:date' });
  assert.equal(r.isPrimaryTopicOf.conformsTo, { '@id': 'https://www.iso.org/standard/32557.html', '@type': 'dct:Standard' });
  // <ogc:Polygon><geo:asWKT>Polygon((...))</geo:asWKT></ogc:Polygon>: a WKT geometry, its keyword upper-cased
  assert.match(r.spatial![0].geometry!['@value'], /^POLYGON\(\(1\.32898744824151 48\.79422289313, /);
  assert.equal(r.contactPoint, [
    {
      '@id': 'https://www.geo2france.fr/geonetwork/srv/resources/organizations/G%C3%A9o2France',
      '@type': ['vcard:Kind'],
      fn: 'Géo2France',
      hasEmail: 'mailto:contact@geo2france.fr',
    },
  ]);
  assert.equal(r.language, [{ '@id': 'http://publications.europa.eu/resource/authority/language/FRA', '@type': 'dct:LinguisticSystem' }]);
  assert.ok(r.theme!.some((t) => t['@id'] === 'https://inspire.ec.europa.eu/metadata-codelist/TopicCategory/society'));
  // a distribution the record names but does not describe is left out, and said
  assert.is(r.distribution!.length, 5);
  assert.ok(
    (first.warnings ?? []).some(
      (w) =>
        w.at === 'dcat:distribution' && /OGC%3AWFS-insee%3Arectangles_200m_menage_erbm is not described in the catalogue/.test(w.message),
    ),
  );
});

test("GeoDCAT-AP dataset series (Ifremer Sextant) and DCAT-AP 3's series, member datasets and data service", async () => {
  const sextant = [...(await mapFile('udata-series.xml')).values()];
  assert.is(sextant.length, 1);
  const series = sextant[0].record;
  assert.equal(series['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  assert.equal(series.resourceType, [
    { '@id': 'http://purl.org/dc/dcmitype/Collection', '@type': 'skos:Concept', prefLabel: { '@none': 'Collection' } },
  ]);
  // the catalog record named by foaf:isPrimaryTopicOf from the series
  assert.is(series.isPrimaryTopicOf.identifier, 'FR-33071536800297-ATLAS_DCE_ARTOIS_PICARDIE_ETATGLOBAL');
  assert.equal(series.isPrimaryTopicOf.modified, { '@value': '2025-05-16T09:41:56.279358Z', '@type': 'xsd:dateTime' });
  assert.equal(series.isPrimaryTopicOf.language, [
    { '@id': 'http://publications.europa.eu/resource/authority/language/FRA', '@type': 'dct:LinguisticSystem' },
  ]);

  const semic = await mapFile('semic-dcat-ap-3.0.1-example-bee-population-dataset-series-combined.jsonld');
  const bees = semic.get('https://data.gov.gr/id/datasetseries/BeePopulation')!.record;
  assert.equal(bees['@type'], ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset']);
  const member = semic.get('https://data.gov.gr/id/dataset/BeePopulation2023')!.record;
  assert.equal(member.inSeries, ['https://data.gov.gr/id/datasetseries/BeePopulation']); // dcat:inSeries, kept as such
  assert.is(member.isPartOf, undefined);
  const service = [...semic.values()].map((x) => x.record).find((x) => x['@type'][0] === 'dcat:DataService')!;
  assert.equal(service['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(service.endpointURL, ['https://ea.gov.gr/api/v2/biodiversity']);
  assert.equal(service.servesDataset, ['https://data.gov.gr/id/dataset/BeePopulationLive']);
});

test('a record without a title is a RecordError; a body that is neither a description nor RDF/XML too', () => {
  const node = { '@id': 'https://example.org/d/1', '@type': ['http://www.w3.org/ns/dcat#Dataset'] };
  assert.throws(
    () => dcatToRecord(node, { source: 'fx', harvestedAt: HARVESTED }),
    (e: unknown) => e instanceof RecordError && /https:\/\/example\.org\/d\/1: no dct:title \(DCAT-AP requires one\)/.test(e.message),
  );
  assert.throws(
    () => dcatToRecord(42, { source: 'fx', harvestedAt: HARVESTED }),
    (e: unknown) => e instanceof RecordError,
  );
  assert.throws(
    () => dcatToRecord('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', { source: 'fx', harvestedAt: HARVESTED }),
    (e: unknown) => e instanceof RecordError && /no dcat:Dataset, dcat:DatasetSeries nor dcat:DataService/.test(e.message),
  );
  // an RDF/XML record declaring entities is refused, never expanded
  const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>';
  assert.throws(
    () => dcatToRecord(bomb, { source: 'fx', harvestedAt: HARVESTED }),
    (e: unknown) => e instanceof RecordError && /DOCTYPE declares entities/.test(e.message),
  );
});

test('geocat.ch GeoDCAT-AP (GeoNetwork): ISO 639-2 language tags (xml:lang "ger", "fre", "roh") keyed as the ISO crosswalk keys them', async () => {
  const records = await mapFile('geocat-amphibians-eu-geodcat-ap.rdf');
  const r = [...records.values()][0].record;
  assert.equal(r.title, {
    en: 'Amphibian dispersal maps - Ichthyosaura alpestris',
    de: 'Amphibien Ausbreitungskarten - Ichthyosaura alpestris',
    fr: 'Cartes de dispersion des amphibiens - Ichthyosaura alpestris',
  });
  assert.equal(Object.keys(r.keyword ?? {}).sort(), ['de', 'en', 'fr', 'it', 'rm']);
  assert.ok(
    r.theme?.every((t) => Object.keys(t.prefLabel ?? {}).every((k) => k.length === 2)),
    JSON.stringify(r.theme),
  );
});

test("GeoNetwork's GeoDCAT-AP contact: its organisation named on vcard:org [ vcard:organisation-name ] is the contact's name, not its e-mail", async () => {
  const records = await mapFile('geocat-amphibians-eu-geodcat-ap.rdf');
  const [c] = [...records.values()][0].record.contactPoint ?? [];
  assert.is(c?.hasEmail, 'mailto:bnl@bafu.admin.ch');
  assert.is.not(c?.fn, 'bnl@bafu.admin.ch');
  assert.match(c?.fn ?? '', /^Bundesamt für Umwelt/);
  assert.is(c?.organizationName, c?.fn);
});

test('geodcatap:principalInvestigator (geocat.ch GeoDCAT-AP): an attribution with the INSPIRE role and a creator, as the ISO record it was made of says', async () => {
  const records = await mapFile('geocat-amphibians-eu-geodcat-ap.rdf');
  const r = [...records.values()][0].record;
  const PI = 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/principalInvestigator';
  const pi = r.qualifiedAttribution?.filter((q) => q.hadRole === PI) ?? [];
  assert.is(pi.length, 1, JSON.stringify(r.qualifiedAttribution));
  // <geodcatap:principalInvestigator> a vcard:Organization, vcard:org [ vcard:organisation-name ... ], vcard:hasEmail
  assert.equal(pi[0].agent, {
    '@id': 'https://www.infofauna.ch/de/beratungsstellen/amphibien-karch',
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name: { de: 'Info_Fauna_Karch', fr: 'Information_Fauna_Karch', it: 'Informatione_Fauna_Karch', en: 'Info_Fauna_Karch' },
    mbox: 'mailto:contact@infofauna.ch',
  });
  assert.ok(r.creator?.some((c) => c['@id'] === 'https://www.infofauna.ch/de/beratungsstellen/amphibien-karch'));
  assert.ok(r.creator?.some((c) => c['@id'] === 'http://www.agroscope.admin.ch')); // its dct:creator stays

  // the same record from its ISO 19115-3 source (geocat.ch, role principalInvestigator): the same role, the same party
  const iso = isoToRecord(readFileSync(projectPath('test', 'fixtures', 'iso', 'geocat-amphibians-19115-3.che.xml'), 'utf8'), {
    source: 'fx',
    harvestedAt: HARVESTED,
  }).record;
  const isoPi = iso.qualifiedAttribution?.filter((q) => q.hadRole === PI) ?? [];
  assert.equal(
    isoPi.map((q) => q.agent.name),
    pi.map((q) => q.agent.name),
  );
  assert.equal(
    iso.creator?.map((c) => c.name),
    r.creator?.map((c) => c.name),
  );

  // exported as the hub's DCAT-AP and harvested again: the same attributions and creators
  const graph = new RdfGraph(await parseRdf(recordNTriples(r), 'ntriples'));
  const back = dcatToRecord(describeRecord(graph, r['@id']), { source: 'fx', harvestedAt: HARVESTED }).record;
  assert.equal(back.qualifiedAttribution, r.qualifiedAttribution);
  const sorted = (xs: unknown[] | undefined) => (xs ?? []).map((x) => canonicalJson(x)).sort();
  assert.equal(sorted(back.creator), sorted(r.creator));
});

test('the other GeoDCAT-AP role properties (GeoNetwork CSW GeoDCAT-AP: geodcatap:custodian, geodcatap:resourceProvider) are attributions with their INSPIRE role', async () => {
  const roles = new Set<string>();
  for (const page of [1, 5]) {
    const xml = readFileSync(fixture(`csw/udata-geonetwork-geodcatap-page-${page}.xml`), 'utf8');
    for (const rec of splitCswResponse(xml).records) {
      const { record } = dcatToRecord(rec.xml, {
        source: 'fx',
        harvestedAt: HARVESTED,
        sourceUrl: 'https://www.geo2france.fr/geonetwork/srv/fre/csw',
      });
      for (const q of record.qualifiedAttribution ?? []) roles.add(q.hadRole.replace(/^.*\//, ''));
    }
  }
  assert.ok(roles.has('custodian') && roles.has('resourceProvider'), [...roles].join());
});

test("geocat.ch GeoDCAT-AP: a contact named in five languages is named in the record's metadata language (German), as its ISO source names it", async () => {
  // <dcat:contactPoint> vcard:org [ vcard:organisation-name "..."@ger, "..."@fre, "..."@ita, "..."@eng, "Bundesamt für Umwelt"@roh ];
  // the catalog record's dct:language is DEU
  const r = [...(await mapFile('geocat-amphibians-eu-geodcat-ap.rdf')).values()][0].record;
  assert.is(r.contactPoint?.[0].fn, 'Bundesamt für Umwelt / Abteilung Biodiversität und Landschaft');
  assert.is(r.contactPoint?.[0].organizationName, 'Bundesamt für Umwelt / Abteilung Biodiversität und Landschaft');
  const iso = isoToRecord(readFileSync(projectPath('test', 'fixtures', 'iso', 'geocat-amphibians-19115-3.che.xml'), 'utf8'), {
    source: 'fx',
    harvestedAt: HARVESTED,
  }).record;
  assert.is(iso.contactPoint?.[0].fn, r.contactPoint?.[0].fn);
});

test("SEMIC ISO 19139 to GeoDCAT-AP: a blank data service without dct:identifier is called by its catalog record's", async () => {
  // the reference XSLT's output for an INSPIRE view service: "no dct:identifier and no IRI" failed the record
  const records = await mapFile('semic-iso-19139-to-dcat-ap-network-service.rdf');
  assert.equal([...records.keys()], ['123e4567-e89b-12d3-a456-426655440123']);
  const r = records.get('123e4567-e89b-12d3-a456-426655440123')!.record;
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(r.title, { en: 'Land Use map of MyCountry' });
  assert.equal(r.endpointURL, ['http://www.my-organisation.eu/wms']);
});

test('geocat.ch DCAT-AP: a dataset a service serves, only typed, is a reference and not a record of its own', async () => {
  // dcat:servesDataset <…GetRecordById…id=7cb578f8…> a dcat:Dataset: it failed as a record without title
  const records = await mapFile('geocat-grundwasservorkommen-eu-dcat-ap.rdf');
  assert.is(records.size, 1);
  const r = [...records.values()][0].record;
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(r.servesDataset, [
    'https://www.geocat.ch/geonetwork/srv/ger/csw?service=CSW&request=GetRecordById&version=2.0.2&outputSchema=http://www.isotc211.org/2005/gmd&elementSetName=full&id=7cb578f8-ca6f-40ef-8d39-d27414cc3047',
  ]);
});

test('GeoDCAT-AP example (EEA noise contours): a box in WKT and GML, written from its north-west corner, is read', async () => {
  // dcat:bbox "POLYGON((-31.285 70.075,34.099 70.075,34.099 27.642,...))"^^gsp:wktLiteral and a gml:Envelope: the GML
  // came first, was warned "left out" and the WKT was never read; the WKT box, from its north-west corner, was no box
  const records = await mapFile('semic-geodcat-ap-example-dataset.rdf');
  const { record: r, warnings } = records.get('eea_r_3035_10_m_noise-contours-end2017_i_2016_v01_r00')!;
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: {
        '@value': 'POLYGON((-31.285 27.642,34.099 27.642,34.099 70.075,-31.285 70.075,-31.285 27.642))',
        '@type': 'gsp:wktLiteral',
      },
    },
  ]);
  assert.not.ok(
    warnings.some((w) => w.at === 'dct:spatial'),
    JSON.stringify(warnings),
  );
});

test("dct:provenance: a ProvenanceStatement given by its dct:description (DCAT-AP 2+, SEMIC's GeoDCAT-AP) as by its rdfs:label", async () => {
  // udata's test catalogue has both: dataset 3 with rdfs:label ("older DCAT* standards"), dataset 1 with dct:description,
  // which was lost (as in the GeoDCAT-AP that SEMIC's ISO 19139 stylesheet and geocat.ch write)
  const records = await mapFile('udata-catalog.xml');
  assert.equal(
    [...records.values()].map((m) => [m.record.isPrimaryTopicOf.identifier, m.record.provenance]),
    [
      ['3', [{ '@type': 'dct:ProvenanceStatement', label: { fr: 'Description de la provenance des données du dataset 3' } }]],
      ['1', [{ '@type': 'dct:ProvenanceStatement', label: { fr: 'Description de la provenance des données du dataset 1' } }]],
      ['2', undefined],
      ['4', undefined],
    ],
  );
});

test('dct:temporal given as text (OSU OREME GeoNetwork: "start / end" over three lines) is the period, as Dublin Core reads it', async () => {
  // <dct:temporal>2004-11-03T00:00:00+01:00 / 2005-03-30T00:00:00+02:00</dct:temporal>, no PeriodOfTime: it was lost
  const records = await mapFile('udata-geonetwork.xml');
  const m = [...records.values()].find((x) => x.record.isPrimaryTopicOf.identifier.startsWith('0c456d2d-9548-4a2a-94ef-231d9d890ce2'));
  assert.equal(m?.record.temporal, [
    {
      '@type': 'dct:PeriodOfTime',
      startDate: { '@value': '2004-11-03T00:00:00+01:00', '@type': 'xsd:dateTime' },
      endDate: { '@value': '2005-03-30T00:00:00+02:00', '@type': 'xsd:dateTime' },
    },
  ]);
  assert.equal(
    m?.warnings.filter((w) => w.at === 'dct:temporal'),
    [],
  );
});

test("CKAN's DCAT-AP examples: the DCAT-AP 3 properties (alternative, resolutions, references, versions, legislation) are kept", async () => {
  // RDF/XML: DCAT-AP 2 terms (dct:hasVersion, dct:isVersionOf, owl:versionInfo) read as DCAT 3's; a reference that is no IRI is left out
  const rdf = (await mapFile('ckanext-dcat-dataset.rdf')).get('9df8df51-63db-37a8-e044-0003ba9b0d98')!.record;
  assert.equal(rdf.applicableLegislation, [
    { '@id': 'http://data.europa.eu/eli/reg_impl/2023/138/oj', '@type': 'eli:LegalResource' },
    { '@id': 'http://data.europa.eu/eli/reg_impl/2023/138/oj_alt', '@type': 'eli:LegalResource' },
  ]);
  assert.is(rdf.temporalResolution, 'PT15M');
  assert.is(rdf.spatialResolutionInMeters, '1.5');
  assert.equal(rdf.isReferencedBy, ['https://doi.org/10.1038/sdata.2018.22']);
  assert.is(rdf.version, '2.3');
  assert.equal(rdf.versionNotes, { '@none': 'New schema added' });
  assert.equal(rdf.hasVersion, [
    'https://data.some.org/catalog/datasets/derived-dataset-1',
    'https://data.some.org/catalog/datasets/derived-dataset-2',
  ]);
  assert.equal(rdf.isVersionOf, ['https://data.some.org/catalog/datasets/original-dataset']);
  // Turtle (its two syntax faults mended): dct:alternative, a dx.doi.org reference in resolver form, notes in two languages
  const r = dcatRecords('ckanext-dcat-dataset.ttl', mendedCkanTurtle(), 'turtle').find(
    (x) => x.record['@type'][0] === 'dcat:Dataset',
  )!.record;
  assert.equal(r.alternative, { '@none': ['TEST-DATASET'] });
  assert.is(r.temporalResolution, 'P1D');
  assert.equal(r.isReferencedBy, ['https://doi.org/10.1038/sdata.2016.18', 'https://doi.org/10.1002/jmri.28679']);
  assert.equal(r.versionNotes, { en: 'Dataset continuously updated', nl: 'Dataset continue bijgewerkt' });
  assert.equal(r.applicableLegislation, [{ '@id': 'http://data.europa.eu/eli/reg/2022/868/oj', '@type': 'eli:LegalResource' }]);
  // adms:status, an EU dataset-status concept the file types but does not label: labelled by its code
  const status = /adms:status <([^>]+)>/.exec(mendedCkanTurtle())![1];
  assert.equal(r.status, { '@id': status, '@type': 'skos:Concept', prefLabel: { '@none': status.split('/').pop()! } });
});

test('spdx:checksum of a distribution (udata, CKAN) is kept, and written back as DCAT-AP 3 has it', async () => {
  // udata's nested JSON-LD and CKAN's DCAT-AP example (RDF/XML, typed xsd:hexBinary): SHA-1 digests, both dropped
  const udata = [...(await mapFile('udata-nested.jsonld')).values()].flatMap((x) => x.record.distribution ?? []);
  assert.equal(
    udata.flatMap((d) => (d.checksum ? [d.checksum] : [])),
    [
      {
        '@type': 'spdx:Checksum',
        algorithm: { '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha1', '@type': 'spdx:ChecksumAlgorithm' },
        checksumValue: 'fb4106aa286a53be44ec99515f0f0421d4d7ad7d',
      },
    ],
  );
  const ckan = [...(await mapFile('ckanext-dcat-dataset.rdf')).values()][0].record;
  const withSum = ckan.distribution!.filter((d) => d.checksum);
  assert.is(withSum.length, 1);
  assert.equal(withSum[0].checksum!.algorithm['@id'], 'http://spdx.org/rdf/terms#checksumAlgorithm_sha1');
  assert.is(withSum[0].checksum!.checksumValue, '4304cf2e751e6053c90b1804c89c0ebb758f395a');
  // the Turtle example's checksum is its catalogue record's (piveau's digest of the metadata), not a file's: not read
  const turtle = dcatRecords('ckanext-dcat-dataset.ttl', mendedCkanTurtle(), 'turtle');
  assert.ok(turtle.length > 0 && turtle.every((x) => (x.record.distribution ?? []).every((d) => d.checksum === undefined)));
  // the RDF: a blank spdx:Checksum, its algorithm an spdx:ChecksumAlgorithm (the shape's sh:class), the value hexBinary
  const nt = recordNTriples(ckan);
  const node = /<http:\/\/spdx\.org\/rdf\/terms#checksum> (_:\S+) \./.exec(nt)?.[1];
  assert.ok(node, 'the distribution names its checksum');
  assert.ok(nt.includes(`${node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://spdx.org/rdf/terms#Checksum> .`));
  assert.ok(nt.includes(`${node} <http://spdx.org/rdf/terms#algorithm> <http://spdx.org/rdf/terms#checksumAlgorithm_sha1> .`));
  assert.ok(
    nt.includes(
      '<http://spdx.org/rdf/terms#checksumAlgorithm_sha1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://spdx.org/rdf/terms#ChecksumAlgorithm> .',
    ),
  );
  assert.ok(
    nt.includes(
      `${node} <http://spdx.org/rdf/terms#checksumValue> "4304cf2e751e6053c90b1804c89c0ebb758f395a"^^<http://www.w3.org/2001/XMLSchema#hexBinary> .`,
    ),
  );
  // read back from the hub's own DCAT-AP: the same checksum
  const back = dcatRecords('back.nt', nt, 'turtle')[0]?.record;
  assert.equal(back?.distribution?.find((d) => d.checksum)?.checksum, withSum[0].checksum);
});

test("CKAN's DCAT-AP example: a distribution's dates, status, availability, resolutions and formats are kept, and read back", async () => {
  // ckanext-dcat's dataset example: its distribution holds DCAT-AP 3's optional properties, which were dropped
  const r = [...(await mapFile('ckanext-dcat-dataset.rdf')).values()][0].record;
  const d = r.distribution!.find((x) => x['@id'] === 'https://data.some.org/catalog/datasets/9df8df51-63db-37a8-e044-0003ba9b0d98/1')!;
  assert.equal(d.issued, { '@value': '2012-05-11', '@type': 'xsd:date' });
  assert.is(d.modified?.['@value'].slice(0, 19), '2012-05-01T00:04:06');
  assert.is(d.status?.['@id'], 'http://purl.org/adms/status/Completed');
  // written as a literal holding the IRI: the concept all the same
  assert.is(d.availability?.['@id'], 'http://publications.europa.eu/resource/authority/planned-availability/EXPERIMENTAL');
  assert.is(d.temporalResolution, 'PT15M');
  assert.is(d.spatialResolutionInMeters, '1.5');
  assert.equal(d.compressFormat, { '@id': 'http://www.iana.org/assignments/media-types/application/gzip', '@type': 'dct:MediaType' });
  // its documentation pages, languages and package format (an EU file type where DCAT-AP asks for a media type: kept)
  assert.equal(
    d.page?.map((p) => p['@id']),
    ['http://dataset.info.org/distribution1/doc1', 'http://dataset.info.org/distribution1/doc2'],
  );
  assert.equal(d.language?.map((l) => l['@id'].split('/').pop()).sort(), ['CAT', 'ENG', 'SPA']);
  assert.is(d.packageFormat?.['@id'], 'http://publications.europa.eu/resource/authority/file-type/TAR');
  // the hub's DCAT-AP says them all, and reads them back the same
  const back = dcatRecords('back.nt', recordNTriples(r), 'turtle')[0].record;
  assert.equal(back.distribution, r.distribution);
});

test.run();
