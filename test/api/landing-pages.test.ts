/**
 * What machines read from a record's page, read by the libraries they use (.cache/pyenv), over the fixture catalogue
 * (test/helpers/catalogue.ts: records of every family) on a listening server:
 * - extruct, as F-UJI and dataset crawlers extract embedded metadata: one schema.org JSON-LD object per page, a Dataset
 *   (a WebAPI for a data service) whose name, url, identifiers, boxes, downloads and licences are the record's;
 * - signposting, the FAIR Signposting client, from the Link headers of a HEAD request: cite-as the DOI, describedby
 *   the DCAT-AP forms with their media types, the types, the licence, the authors' ORCIDs, the downloads as items.
 * The expected values are read from the records here, not by the code under test.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath } from '../../schemas/paths.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { pythonJson } from '../helpers/python.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { boxes } from '../helpers/extents.js';

const alias = tempIndexName('landing');
const client = await esClient();
let app: FastifyInstance;
let base = '';
let records: HubRecord[] = [];

test.before(async () => {
  records = (await indexFixtureCatalogue(client, alias)).records;
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

interface Read {
  error?: string;
  jsonld: Record<string, any>[];
  citeAs: string | null;
  license: string | null;
  describedBy: [string, string][];
  types: string[];
  items: [string, string | null][];
  authors: string[];
}

async function readPages(urls: string[]): Promise<Read[]> {
  return pythonJson<Read[]>([projectPath('test', 'api', 'peers', 'landing_pages.py')], urls);
}

const page = (r: HubRecord) => `${base}/catalogue/records/${encodeURIComponent(r.identifier)}`;
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const DOI = /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i;
const dois = (r: HubRecord) => [
  ...new Set((r.otherIdentifier ?? []).flatMap((i) => DOI.exec(i.notation.trim())?.[1] ?? []).map((d) => `https://doi.org/${d}`)),
];
const downloads = (r: HubRecord) => [
  ...new Set(
    (r.distribution ?? []).flatMap((d) => (d.downloadURL && /^https?:\/\/[^\s"<>,]+$/.test(d.downloadURL) ? [d.downloadURL] : [])),
  ),
];
const licences = (r: HubRecord) => (r.license ?? []).flatMap((l) => (l['@id'] && /^https?:/.test(l['@id']) ? [l['@id']] : []));

test('every record page: extruct finds its schema.org Dataset, signposting its typed links', async () => {
  const read = await readPages(records.map(page));
  let withDoi = 0;
  let withDownloads = 0;
  let withBoxes = 0;
  records.forEach((r, k) => {
    const got = read[k];
    const at = r.identifier;
    assert.is(got.error, undefined, got.error);
    // extruct: one object, the record's
    assert.is(got.jsonld.length, 1, `${at}: one JSON-LD object`);
    const d = got.jsonld[0];
    const service = r['@type'][0] === 'dcat:DataService';
    assert.equal(list(d['@type']), [service ? 'WebAPI' : 'Dataset'], at);
    assert.is(d.url, page(r), at);
    assert.is(d.name, r.title.fr ?? r.title['@none'] ?? r.title.en ?? Object.values(r.title)[0], `${at}: name`);
    for (const doi of dois(r)) assert.ok(list(d.identifier).includes(doi), `${at}: identifier ${doi}`);
    if (dois(r).length) withDoi++;
    if (!service) {
      assert.is(d.includedInDataCatalog?.url, `${base}/catalogue`, at);
      assert.equal(
        list(d.distribution)
          .map((x: any) => x.contentUrl)
          .sort(),
        downloads(r).sort(),
        `${at}: downloads`,
      );
      if (downloads(r).length) withDownloads++;
      assert.equal(
        list(d.license).filter((l) => typeof l === 'string' && l.startsWith('http')),
        licences(r),
        `${at}: licences`,
      );
      // each box as "south west north east"
      const shapes = list(d.spatialCoverage).flatMap((p: any) => (p.geo?.box ? [p.geo.box.split(' ').map(Number)] : []));
      const points = list(d.spatialCoverage).flatMap((p: any) =>
        p.geo?.latitude !== undefined ? [[p.geo.latitude, p.geo.longitude]] : [],
      );
      const want = boxes(r);
      assert.is(shapes.length + points.length, want.length, `${at}: places`);
      for (const [w, s, e, n] of want.filter(([w, s, e, n]) => w !== e || s !== n))
        assert.ok(
          shapes.some((b) => [s, w, n, e].every((v, i) => Math.abs(b[i] - v) < 1e-6)),
          `${at}: box ${[w, s, e, n]} in ${JSON.stringify(shapes)}`,
        );
      if (want.length) withBoxes++;
    }
    // signposting
    assert.ok(got.types.includes('https://schema.org/AboutPage'), `${at}: types ${got.types}`);
    assert.ok(got.types.includes(service ? 'https://schema.org/WebAPI' : 'https://schema.org/Dataset'), `${at}: types ${got.types}`);
    const meta = `${base}/records/${encodeURIComponent(r.identifier)}`;
    assert.equal(
      got.describedBy,
      [
        [`${meta}.jsonld`, 'application/ld+json'],
        [`${meta}.rdf`, 'application/rdf+xml'],
        [`${meta}.ttl`, 'text/turtle'],
      ],
      at,
    );
    if (dois(r).length) assert.is(got.citeAs, dois(r)[0], `${at}: cite-as`);
    assert.equal(
      got.items.map(([u]) => u),
      downloads(r).slice(0, 50).sort(),
      `${at}: items`,
    );
    if (licences(r).length) assert.ok(licences(r).includes(got.license!), `${at}: licence ${got.license}`);
  });
  assert.ok(
    withDoi >= 5 && withDownloads >= 3 && withBoxes >= 20,
    `records exercised: ${withDoi} DOIs, ${withDownloads} with downloads, ${withBoxes} with boxes`,
  );
});

test('a value that would break the header is left out of it, and the JSON-LD cannot end its script', async () => {
  const r0 = records.find((x) => (x.distribution ?? []).some((d) => d.downloadURL))!;
  const r: HubRecord = {
    ...r0,
    '@id': recordIri('hand', 'hostile'),
    identifier: 'hand:hostile',
    description: { fr: 'Fin </script><script>alert(1)</script> et <!-- commentaire' },
    distribution: [
      ...(r0.distribution ?? []),
      { '@type': 'dcat:Distribution', accessURL: 'https://x.example/a', downloadURL: 'https://x.example/a,b c.zip>; rel="x"' },
    ],
  };
  await indexRecords(client, alias, [r]);
  const res = await app.inject({ url: `/catalogue/records/${encodeURIComponent(r.identifier)}` });
  assert.is(res.statusCode, 200);
  const link = String(res.headers.link);
  assert.ok(link.includes(r0.distribution!.find((d) => d.downloadURL)!.downloadURL!), 'the plain download is an item');
  for (const part of link.split(', ')) assert.match(part, /^<https?:\/\/[^\s"<>,]+>; rel="[\w-]+"(; type="[\w.+-]+\/[\w.+-]+")?$/, part);
  assert.not.match(link, 'x.example', 'the URL with a comma, a space and a bracket is not in the header');
  const scripts = res.body.match(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g) ?? [];
  assert.is(scripts.length, 1, 'the description did not end the script');
  const json = JSON.parse(scripts[0]!.slice('<script type="application/ld+json">'.length, -'</script>'.length)) as { description: string };
  assert.is(json.description, r.description!.fr, 'and reads back whole');
});

test.run();
