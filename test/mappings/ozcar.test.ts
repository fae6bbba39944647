/**
 * ozcarToRecord on every dataset of every real pivot file: the values the record holds are checked against the values
 * read from the file here (titles, bbox numbers, union of the observations' time extents, variables, contacts and
 * ORCIDs, licence, producer, DOI, themes, facets); every record passes validateRecord and JSON-LD expansion (safe mode).
 * Then the parts one by one: codes, text repair, time union, rights, errors and warnings.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { ozcarToRecord, type OzcarMapContext } from '../../mappings/ozcar/index.js';
import { inspireThemeConcepts, ozcarRoleIri, theiaCategoryConcept, topicCategoryCode } from '../../mappings/ozcar/codes.js';
import { repairMojibake, fileLanguage } from '../../mappings/ozcar/text.js';
import { unionPeriod } from '../../mappings/ozcar/extent.js';
import { validateRecord } from '../../schemas/validate.js';
import { expandRecord } from '../../schemas/jsonld.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { pivotSchema, OZCAR_PIVOT_OFFICIAL_IRI } from '../../schemas/ozcar.js';
import { RecordError } from '../../core/result.js';
import type { HubRecord } from '../../schemas/record.js';
import { readShared, writeFeeds } from '../fixtures/ozcar/feeds.js';
import { harvestOzcar } from '../../harvesters/ozcar/index.js';
import { mapRecord } from '../../pipelines/map.js';
import { rmSync } from 'node:fs';
import { warningLine, type SourceWarning } from '../../core/warnings.js';

type Json = Record<string, any>;
const HARVESTED_AT = '2026-11-25T10:00:00Z';
const FILES = readdirSync(sharedFixture('ozcar'))
  .filter((f) => f.endsWith('.json'))
  .sort();

function ctxOf(file: Json, fileName: string, extra: Partial<OzcarMapContext> = {}): OzcarMapContext {
  return { source: 'ozcar', harvestedAt: HARVESTED_AT, producer: file.producer, version: file.version, fileName, ...extra };
}

/** Every [lon, lat] of a GeoJSON geometry (test's own reading). */
function coords(g: any): number[][] {
  const out: number[][] = [];
  const walk = (c: any) => (typeof c[0] === 'number' ? out.push(c) : c.forEach(walk));
  walk(g.coordinates);
  return out;
}

function bboxNumbers(r: HubRecord): number[] {
  const m = /^POLYGON\(\((\S+) (\S+),(\S+) (\S+),(\S+) (\S+),(\S+) (\S+),(\S+) (\S+)\)\)$/.exec(r.spatial![0].bbox!['@value'])!;
  return [Number(m[1]), Number(m[2]), Number(m[5]), Number(m[6])]; // w s e n
}

const ROLE = 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/';
/** The role table of the crosswalk (mappings/ozcar/codes.ts), as specified. */
const EXPECTED_ROLE: Record<string, string> = {
  'Principal investigator': ROLE + 'principalInvestigator',
  'Project leader': ROLE + 'principalInvestigator',
  'Project member': ROLE + 'collaborator',
  'Data manager': ROLE + 'custodian',
  'Data collector': ROLE + 'originator',
  'Research group': ROLE + 'contributor',
};

/**
 * The warnings each file's datasets map with (the same for every dataset of the file): CRYO's repaired texts, and
 * TOUR's French texts under an English file name (Theia's published test file, README of the fixtures).
 */
const EXPECTED_WARNINGS: Record<string, { at: string; message: string; code: string }[]> = {
  'CRYO_en.json': [
    { at: '/', message: '5 text value(s) were UTF-8 read as Latin-1 (e.g. "Ã©" for "é"): repaired', code: 'ozcar.text.repaired' },
  ],
  'TOUR_en.json': [
    {
      at: '/',
      message:
        'TOUR_en.json: named English (_en) but its title and description read as French (39 French and 0 English function words): the texts are tagged en as the name says; if they are French, name the file TOUR_fr.json',
      code: 'ozcar.language.contradictionRename',
    },
  ],
};

const orcidIri = (o: string) => 'https://orcid.org/' + o.toUpperCase();

test('every dataset of every file: values read from the file', async () => {
  let datasets = 0;
  for (const f of FILES) {
    const file = readShared(f);
    for (const ds of file.datasets as Json[]) {
      datasets++;
      const m = ds.metadata;
      const what = `${f} ${ds.datasetId}`;
      const { record: r, warnings } = ozcarToRecord(ds, ctxOf(file, f));
      assert.equal(validateRecord(r), [], what);
      await expandRecord(r); // throws on anything the JSON-LD context cannot map

      // identity, texts
      assert.is(r.identifier, `ozcar:${ds.datasetId}`, what);
      assert.is(r.isPrimaryTopicOf.identifier, ds.datasetId);
      assert.is(r.isPrimaryTopicOf.sourceFormat, 'ozcar-dataset');
      assert.equal(r.isPrimaryTopicOf.conformsTo, { '@id': OZCAR_PIVOT_OFFICIAL_IRI, '@type': 'dct:Standard' });
      assert.match(r.isPrimaryTopicOf.contentHash, /^[0-9a-f]{64}$/);
      assert.equal(r.title, { en: m.title.trim() }, what);
      assert.ok(r.description!.en.startsWith(m.description.trim()), what);
      if (m.objective) assert.ok(r.description!.en.endsWith(m.objective.trim()), what);
      assert.is(r.provenance![0].label.en, m.datasetLineage.trim());
      assert.equal(r.language, [
        { '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' },
      ]);

      // space: bbox from every coordinate, geometry as given
      const c = coords(m.spatialExtent.geometry);
      const expected = [
        Math.min(...c.map((p) => p[0])),
        Math.min(...c.map((p) => p[1])),
        Math.max(...c.map((p) => p[0])),
        Math.max(...c.map((p) => p[1])),
      ];
      assert.equal(bboxNumbers(r), expected, `${what} bbox`);
      assert.equal(JSON.parse(r.spatial![0].geometry!['@value']), m.spatialExtent.geometry);

      // time: union of the observations' extents
      const obs = ds.observations as Json[];
      const begs = obs.map((o) => o.temporalExtent.dateBeg as string).sort((a, b) => Date.parse(a) - Date.parse(b));
      const ends = obs.map((o) => o.temporalExtent.dateEnd as string).sort((a, b) => Date.parse(a) - Date.parse(b));
      assert.equal(
        r.temporal,
        [
          {
            '@type': 'dct:PeriodOfTime',
            startDate: { '@value': begs[0], '@type': 'xsd:dateTime' },
            endDate: { '@value': ends.at(-1), '@type': 'xsd:dateTime' },
          },
        ],
        `${what} temporal`,
      );

      // variables: distinct (name, unit), with their units
      const pairs = new Set(obs.map((o) => `${o.observedProperty.name}|${o.observedProperty.unit}`));
      assert.is(r.variableMeasured!.length, pairs.size, `${what} variables`);
      assert.equal(new Set(r.variableMeasured!.map((v) => `${v.name.en}|${v.unitText ?? ''}`)), pairs);

      // contacts, roles, ORCIDs
      const contacts = [...(m.contacts as Json[]), ...(file.producer.contacts as Json[])];
      for (const ct of contacts) {
        const role = EXPECTED_ROLE[ct.role];
        const found = r.qualifiedAttribution!.some(
          (a) => a.hadRole === role && (ct.email ? a.agent.mbox === 'mailto:' + ct.email : a.agent.name['@none'].startsWith(ct.name)),
        );
        assert.ok(found, `${what}: ${ct.email ?? ct.name} as ${ct.role}`);
      }
      const orcids = new Set(contacts.filter((ct) => ct.orcId).map((ct) => orcidIri(ct.orcId)));
      const recordOrcids = new Set(
        r.qualifiedAttribution!.flatMap((a) => a.agent.identifier ?? []).filter((i) => i.startsWith('https://orcid.org/')),
      );
      assert.equal(recordOrcids, orcids, `${what} ORCIDs`);
      for (const ct of m.contacts as Json[]) {
        if (ct.role === 'Data manager' || ct.role === 'Principal investigator') {
          assert.ok(
            r.contactPoint!.some((cp) => cp.hasEmail === 'mailto:' + ct.email),
            `${what}: contact point ${ct.email}`,
          );
        }
        if (ct.role === 'Principal investigator')
          assert.ok(
            r.creator!.some((a) => a.mbox === 'mailto:' + ct.email),
            `${what}: creator ${ct.email}`,
          );
        if (ct.orcId && CONTACT_ROLES.has(ct.role)) {
          assert.ok(
            r.contactPoint!.some((cp) => cp.hasUID === orcidIri(ct.orcId)),
            `${what}: hasUID ${ct.orcId}`,
          );
        }
      }

      // licence, data policy
      const lic = m.dataConstraint.licence;
      assert.is(r.license!.length, 1);
      assert.is(r.license![0].label!['@none'], lic.title);
      assert.ok(lic.url.startsWith(r.license![0]['@id']!), `${what}: ${lic.url} vs ${r.license![0]['@id']}`);
      assert.is(r.accessRights!.label!.en, m.dataConstraint.accessUseConstraint.trim());
      if (m.dataConstraint.urlDataPolicy) assert.equal(r.dataPolicy, { '@none': m.dataConstraint.urlDataPolicy });

      // producer
      assert.is(r.publisher!.name['@none'], file.producer.name);
      assert.equal(r.publisher!.identifier, [file.producer.producerId]);
      if (file.producer.onlineResource?.urlInfo) assert.is(r.publisher!.homepage, file.producer.onlineResource.urlInfo);
      const fundings = file.producer.fundings as Json[];
      assert.is(r.funder!.length, new Set(fundings.map((x) => JSON.stringify(x))).size, `${what} funders`);
      fundings.forEach((x, i) => {
        const name = repairMojibake(x.name ?? x.acronym);
        assert.ok(r.funder![i].name['@none'].startsWith(name), `${what} funder ${name}`);
      });

      // DOI, links
      const doi = m.onlineResource?.doi?.replace(/^doi:/, '');
      if (doi) assert.equal(r.otherIdentifier, [{ '@type': 'adms:Identifier', notation: 'https://doi.org/' + doi, schemaAgency: 'DOI' }]);
      if (m.onlineResource?.urlDownload)
        assert.ok(r.distribution!.some((d) => d.accessURL === m.onlineResource.urlDownload && d.function === 'download'));
      if (m.onlineResource?.urlInfo) assert.equal(r.landingPage, [{ '@id': m.onlineResource.urlInfo, '@type': 'foaf:Document' }]);
      // manuals are pages; publications are what references the data, a DOI in its https://doi.org/ form
      for (const d of (m.documents ?? []) as Json[]) {
        const doi = /^https?:\/\/(?:dx\.)?doi\.org\/(10\.\d{4,9}\/\S+)$/i.exec(d.url)?.[1];
        if (d.type === 'Manual')
          assert.ok(
            (r.page ?? []).some((p) => p['@id'] === d.url),
            d.url,
          );
        else if (d.type === 'Publication') assert.ok((r.isReferencedBy ?? []).includes(doi ? `https://doi.org/${doi}` : d.url), d.url);
        else assert.ok((r.relation ?? []).includes(d.url), d.url);
      }
      assert.is(r.relation, undefined, `${what}: every document is a publication or a manual`);

      // themes, subjects, keywords
      const themeIds = new Set(r.theme!.map((t) => t['@id']));
      for (const o of obs) for (const cat of o.observedProperty.theiaCategories as string[]) assert.ok(themeIds.has(cat), `${what} ${cat}`);
      for (const o of obs)
        for (const g of (o.observedProperty.gcmdKeywords ?? []) as Json[]) assert.ok(themeIds.has(g.uuid), `${what} GCMD ${g.uuid}`);
      for (const k of (m.keywords ?? []) as Json[]) {
        if (k.uri) assert.ok(themeIds.has(k.uri), `${what} ${k.uri}`);
        assert.ok(
          r.keyword!.en.some((x) => x.toLowerCase() === k.keyword.trim().toLowerCase()),
          `${what} keyword ${k.keyword}`,
        );
      }
      for (const v of [...m.portalSearchCriteria.climates, ...m.portalSearchCriteria.geologies]) assert.ok(r.keyword!.en.includes(v));
      assert.ok(
        r.theme!.some((t) => t.prefLabel?.en === m.inspireTheme && t['@id'].startsWith('http://inspire.ec.europa.eu/theme/')),
        `${what} INSPIRE theme`,
      );
      assert.equal(
        r.subject!.map((s) => s.prefLabel.en),
        m.topicCategories,
      );
      assert.ok(r.subject!.every((s) => s['@id'].startsWith('http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/')));
      // the feed's label as given, the registry's French one beside it
      assert.ok(
        r.subject!.every((s) => typeof s.prefLabel.fr === 'string' && s.prefLabel.fr !== s.prefLabel.en),
        `${what} topic categories in French`,
      );

      // facets
      assert.equal(r.samplingFeature, [...new Set(obs.map((o) => o.featureOfInterest.samplingFeature.name))]);
      assert.equal(r.dataType, [...new Set(obs.map((o) => o.dataType))]);
      const levels = [...new Set(obs.map((o) => o.processingLevel).filter(Boolean))];
      assert.equal(r.processingLevel ?? [], levels);

      // what the crosswalk forgave, exactly: the CRYO producer's texts were UTF-8 read as Latin-1 (mojibake) once
      assert.equal(
        warnings.map(({ at, message, code }) => ({ at, message, code })),
        EXPECTED_WARNINGS[f] ?? [],
        what,
      );
    }
  }
  assert.is(
    datasets,
    FILES.reduce((n, f) => n + readShared(f).datasets.length, 0),
  );
  assert.ok(datasets >= 11);
});

const CONTACT_ROLES = new Set(['Data manager', 'Principal investigator']);

test('CRYO: the producer ORCID completes the dataset contact (same e-mail); mis-decoded funder names are repaired', () => {
  const file = readShared('CRYO_en.json');
  const ds = file.datasets[0];
  const leader = (file.producer.contacts as Json[]).find((c) => c.role === 'Project leader')!;
  const pi = (ds.metadata.contacts as Json[]).find((c) => c.email === leader.email)!;
  assert.ok(pi && !pi.orcId, 'the dataset entry has no ORCID');
  const { record, warnings } = ozcarToRecord(ds, ctxOf(file, 'CRYO_en.json'));
  assert.ok(record.creator!.some((a) => a['@id'] === orcidIri(leader.orcId)));
  assert.ok(record.contactPoint!.some((cp) => cp.hasEmail === 'mailto:' + pi.email && cp.hasUID === orcidIri(leader.orcId)));
  const broken = (file.producer.fundings as Json[]).find((f) => /Ã/.test(f.name))!;
  assert.ok(broken, 'CRYO has a mis-decoded funding name');
  assert.ok(record.funder!.some((f) => f.name['@none'].startsWith(Buffer.from(broken.name, 'latin1').toString('utf8'))));
  assert.ok(warnings.some((w) => /UTF-8 read as Latin-1/.test(w.message)));
});

test('content hash: stable across key order, changed by the dataset and by the producer fields used', () => {
  const file = readShared('KARS_en.json');
  const ds = file.datasets[0];
  const hash = (d: Json, p: Json = file.producer) =>
    ozcarToRecord(d, { ...ctxOf(file, 'KARS_en.json'), producer: p }).record.isPrimaryTopicOf.contentHash;
  const reversed = Object.fromEntries(Object.entries(ds).reverse());
  assert.is(hash(reversed), hash(ds));
  const changed = structuredClone(ds);
  changed.observations[0].temporalExtent.dateEnd = '2018-01-01T00:00:00Z';
  assert.is.not(hash(changed), hash(ds));
  assert.is.not(hash(ds, { ...file.producer, name: 'Other' }), hash(ds));
  assert.is(hash(ds, { ...file.producer, objectives: 'not used by the record' }), hash(ds));
});

test('harvest warnings and dropped observations come back as mapping warnings; lone dataset without producer', () => {
  const file = readShared('CATC_en.json');
  const ds = file.datasets[0];
  const { warnings } = ozcarToRecord(
    ds,
    ctxOf(file, 'CATC_en.json', { warnings: ['observation X at /datasets/0/observations/3 dropped: ...'] }),
  );
  assert.equal(warnings, [{ at: '/datasets/0/observations/3', message: 'observation X at /datasets/0/observations/3 dropped: ...' }]);
  const lone = ozcarToRecord(ds, { source: 'ozcar', harvestedAt: HARVESTED_AT });
  assert.is(lone.record.publisher, undefined);
  assert.ok(lone.warnings.some((w) => w.at === '/producer' && /missing/.test(w.message)));
  assert.ok(lone.warnings.some((w) => /language of the texts unknown/.test(w.message)));
  assert.equal(lone.record.title, { '@none': ds.metadata.title });
  const path = ozcarToRecord(ds, ctxOf(file, 'CATC_en.json', { sourceUrl: '/data/CATC_en.json#/datasets/0' }));
  assert.is(path.record.isPrimaryTopicOf.sourceUrl, undefined);
  assert.ok(path.warnings.some((w) => /is not an absolute IRI/.test(w.message)));
  assert.equal(validateRecord(lone.record), []);
});

test('errors: no datasetId, no title (the real fragment), a harvest date that is not a dateTime', () => {
  const fragment = readShared('invalid', 'dataset_missingDatasetTitle.json');
  assert.throws(
    () => ozcarToRecord(fragment, { source: 'ozcar', harvestedAt: HARVESTED_AT }),
    (e: unknown) => e instanceof RecordError && /CATC_DAT_CL\.Run_Od: no title \(\/metadata\/title\)/.test((e as Error).message),
  );
  assert.throws(() => ozcarToRecord({ metadata: {} }, { source: 'ozcar', harvestedAt: HARVESTED_AT }), /without datasetId/);
  const kars = readShared('KARS_en.json');
  assert.throws(
    () => ozcarToRecord(kars.datasets[0], { source: 'ozcar', harvestedAt: '2026-11-25' }),
    /harvestedAt must be an ISO dateTime/,
  );
});

test('embargo: end date from the harvest date, restricted access, a warning', () => {
  const file = readShared('KARS_en.json');
  const ds = structuredClone(file.datasets[0]);
  ds.metadata.dataConstraint.embargo = { duration: 365, priviledgedUsers: ['someone@example.org'] };
  const { record, warnings } = ozcarToRecord(ds, ctxOf(file, 'KARS_en.json'));
  assert.equal(record.embargoEndDate, { '@value': '2027-11-25', '@type': 'xsd:date' });
  assert.is(record.accessRights!['@id'], 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED');
  assert.not.ok(JSON.stringify(record).includes('someone@example.org'), 'privileged users are not published');
  assert.ok(warnings.some((w) => /embargo\/duration: 365 day/.test(warningLine(w))));
});

test('a non-temporal result (end 9999-12-31) ends at its acquisition date; the file language comes from its name', () => {
  const p = unionPeriod([
    { dateBeg: '2001-05-01T00:00:00Z', dateEnd: '9999-12-31T00:00:00Z' },
    { dateBeg: '2000-01-01T00:00:00Z', dateEnd: '2000-06-01T00:00:00Z' },
    { dateBeg: '2003-01-01T00:00:00Z', dateEnd: '2002-01-01T00:00:00Z' },
  ]);
  assert.equal(p, {
    start: { '@value': '2000-01-01T00:00:00Z', '@type': 'xsd:dateTime' },
    end: { '@value': '2001-05-01T00:00:00Z', '@type': 'xsd:dateTime' },
    unreadable: 1,
  });
  assert.equal(fileLanguage('CATC_fr.json'), { key: 'fr', iri: 'http://publications.europa.eu/resource/authority/language/FRA' });
  const file = readShared('CATC_en.json');
  assert.equal(Object.keys(ozcarToRecord(file.datasets[0], ctxOf(file, 'CATC_fr.json')).record.title), ['fr']);
});

test("a file's texts plainly in the other language than its name says: a warning naming both, the language kept", () => {
  const tour = readShared('TOUR_en.json');
  const mapped = (fileName: string, extra: Partial<OzcarMapContext> = {}) => ozcarToRecord(tour.datasets[0], ctxOf(tour, fileName, extra));
  const named = (r: { warnings: { at: string; message: string }[] }) =>
    r.warnings.filter((w) => / named (English|French) /.test(w.message));
  const en = mapped('TOUR_en.json');
  assert.equal(Object.keys(en.record.title), ['en']); // the name's word stands
  assert.match(named(en)[0]?.message ?? '', /^TOUR_en\.json: named English \(_en\) but .* read as French /);
  // named as it is written (the hub's sample samples/ozcar/TOUR_fr.json), or its language given: nothing to say
  assert.equal(named(mapped('TOUR_fr.json')), []);
  assert.equal(named(mapped('TOUR_en.json', { language: 'en' })), []);
  // CATC's English (13 English function words, no French one) under a French name is said the other way round
  const catc = readShared('CATC_en.json');
  const fr = ozcarToRecord(catc.datasets[0], ctxOf(catc, 'CATC_fr.json'));
  assert.match(named(fr)[0]?.message ?? '', /^CATC_fr\.json: named French \(_fr\) but .* read as English .* name the file CATC_en\.json$/);
  // too few words to be sure (CRYO: "GLACIOCLIM, Mass balance dataset, ..." and "Monitoring winter, summer and annual
  // mass balance": 2 English function words) decides nothing, whatever the name
  const cryo = readShared('CRYO_en.json');
  assert.equal(named(ozcarToRecord(cryo.datasets[0], ctxOf(cryo, 'CRYO_fr.json'))), []);
});

test('codes: every topic category and INSPIRE theme of the pivot lists has its IRI; roles; Theia labels', () => {
  const defs = pivotSchema().definitions as Json;
  for (const label of defs.TopicCategory.enum as string[]) assert.ok(topicCategoryCode(label), label);
  assert.is(topicCategoryCode('Climatology / Meteorology / Atmosphere'), 'climatologyMeteorologyAtmosphere');
  for (const label of defs.InspireTheme.enum as string[]) assert.ok(inspireThemeConcepts(label).length >= 1, label);
  assert.equal(
    inspireThemeConcepts('Atmospheric Conditions and meteorological geographical features').map((c) => c['@id']),
    ['http://inspire.ec.europa.eu/theme/ac', 'http://inspire.ec.europa.eu/theme/mf'],
  );
  for (const role of defs.PersonRole.enum as string[]) assert.is(ozcarRoleIri(role), EXPECTED_ROLE[role], role);
  assert.is(ozcarRoleIri('Research group'), EXPECTED_ROLE['Research group']);
  assert.equal(theiaCategoryConcept('https://w3id.org/ozcar-theia/groundwaterMetallicTraceElements').prefLabel, {
    en: 'groundwater metallic trace elements',
  });
  assert.is(repairMojibake('Institut des GÃ©osciences'), 'Institut des Géosciences');
  assert.is(repairMojibake('Observatoire des Sciences de l’Univers'), 'Observatoire des Sciences de l’Univers');
  assert.is(repairMojibake('Â'), 'Â');
});

test('through the pipeline (harvestOzcar → pipelines/map.ts mapRecord): valid records, sourceUrl, harvest warnings kept', async () => {
  const feeds = writeFeeds();
  try {
    for (const url of [sharedFixture('ozcar', 'CRYO_en.json'), feeds.paths.badObservation]) {
      for await (const item of harvestOzcar({ source: 'ozcar', url })) {
        if (item.kind !== 'record') continue;
        const r = mapRecord(item.raw, { harvestedAt: HARVESTED_AT });
        assert.ok(r.ok, r.ok ? '' : r.error);
        if (!r.ok) continue;
        assert.is(r.record.isPrimaryTopicOf.sourceUrl, item.raw.url);
        assert.is(r.record.identifier, `ozcar:${item.raw.id}`);
        // the reader's warnings, as they are (with their codes)
        for (const w of (item.raw.context as { warnings?: SourceWarning[] }).warnings ?? [])
          assert.ok(
            r.warnings?.some((x) => JSON.stringify(x) === JSON.stringify(w)),
            warningLine(w),
          );
      }
    }
  } finally {
    rmSync(feeds.dir, { recursive: true, force: true });
  }
});

test('the sample OZCAR feed (samples/ozcar) is named in the language of its texts, French, so its record is tagged French', async () => {
  // The pivot format has no language field: a file's language is its name's suffix (Theia's importer reads
  // <PRODUCER>_(en|fr|es).json); TOUR's published test file holds French text under the name TOUR_en.json.
  const files = readdirSync(projectPath('samples', 'ozcar')).filter((f) => f.endsWith('.json'));
  assert.equal(files, ['TOUR_fr.json']);
  for await (const item of harvestOzcar({ source: 'sample-ozcar', url: projectPath('samples', 'ozcar', files[0]) })) {
    if (item.kind !== 'record') continue;
    const r = mapRecord(item.raw, { harvestedAt: HARVESTED_AT });
    assert.ok(r.ok, r.ok ? '' : r.error);
    if (!r.ok) continue;
    assert.equal(r.record.title, {
      fr: 'Jeu de données des flux de gaz à effet de serre par eddycovariance dans la tourbière de La Guette (23 ha), Loiret, France',
    });
    assert.match(r.record.description!['fr'], /^Le jeu de données comporte 5 variables : flux de CO2, flux de CH4/);
    assert.equal(r.record.language, [
      { '@id': 'http://publications.europa.eu/resource/authority/language/FRA', '@type': 'dct:LinguisticSystem' },
    ]);
  }
});

test.run();
