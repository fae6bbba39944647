/**
 * The DCAT-AP catalogue (GET /catalog) harvested by data.gouv.fr's own harvester: udata's DCAT backend (PyPI, in a venv
 * of its own), run as data.gouv.fr previews a harvest source (a dry run: nothing saved; mongomock stands in for its
 * MongoDB), on the Turtle pages, on the bare /catalog URL (udata asks HEAD for the media type: JSON-LD) and on RDF/XML.
 * It walks the catalogue's pages by their hydra:next links and makes a dataset of each dcat:Dataset and
 * dcat:DatasetSeries, a data service of each dcat:DataService. What it must find is read here from the catalogue
 * itself (its RDF, parsed with n3): every dataset and service, each with its title, IRI, distributions, time extent
 * and place; an item udata refuses is one whose links it does not take as web URLs (its limit, said in docs/dcat.md).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { Parser, type Quad } from 'n3';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath } from '../../schemas/paths.js';
import { ensureVenv, UDATA_VENV, venvBin } from '../../scripts/services/python.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';

const alias = tempIndexName('dcat-udata');
const client = await esClient();
let app: FastifyInstance;
let root = '';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

interface UdataItem {
  remoteId: string;
  status: string;
  errors: string[];
  dataset?: {
    title: string;
    description: string;
    uri: string;
    resources: { url: string; title: string; format: string | null }[];
    temporal: [string, string] | null;
    geometry: string | null;
    tags: string[];
    frequency: string | null;
  };
  dataservice?: { title: string; uri: string; baseApiUrl: string };
}
interface UdataJob {
  status: string;
  errors: string[];
  format: string;
  items: UdataItem[];
}

async function udata(url: string): Promise<UdataJob> {
  const dir = await ensureVenv(UDATA_VENV);
  const { stdout } = await promisify(execFile)(venvBin('python', dir), [projectPath('test', 'api', 'peers', 'udata_dcat.py'), url], {
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as UdataJob;
}

/** What the catalogue says, read from its RDF: each dataset's and service's identifier, titles and links. */
interface Node {
  iri: string;
  kind: 'dataset' | 'dataservice';
  titles: string[];
  /** Access and download URLs of its distributions (a dataset), or its endpoint URLs (a service). */
  urls: string[];
  distributions: number;
  temporal: boolean;
  spatial: boolean;
  keywords: boolean;
  frequency: boolean;
  /** The OGC service protocol of each distribution that has an access service (its accessURL -> wms, wfs...). */
  services: Map<string, string>;
}
function catalogueNodes(quads: Quad[]): Map<string, Node> {
  const out = new Map<string, Node>();
  const objects = (s: string, p: string) =>
    quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);
  const accessServices = new Set(quads.filter((q) => q.predicate.value === DCAT + 'accessService').map((q) => q.object.value));
  for (const q of quads) {
    if (q.predicate.value !== RDF_TYPE) continue;
    const type = q.object.value;
    const kind =
      type === DCAT + 'Dataset' || type === DCAT + 'DatasetSeries'
        ? 'dataset'
        : type === DCAT + 'DataService' && !accessServices.has(q.subject.value)
          ? 'dataservice'
          : undefined;
    const iri = q.subject.value;
    const id = objects(iri, DCT + 'identifier')[0];
    if (!kind || !id || objects(iri, DCT + 'title').length === 0) continue;
    const distributions = objects(iri, DCAT + 'distribution');
    out.set(id, {
      iri,
      kind,
      titles: objects(iri, DCT + 'title'),
      urls:
        kind === 'dataset'
          ? distributions.flatMap((d) => [...objects(d, DCAT + 'accessURL'), ...objects(d, DCAT + 'downloadURL')])
          : objects(iri, DCAT + 'endpointURL'),
      distributions: distributions.length,
      temporal: objects(iri, DCT + 'temporal').length > 0,
      spatial: objects(iri, DCT + 'spatial').length > 0,
      keywords: objects(iri, DCAT + 'keyword').length > 0,
      frequency: objects(iri, DCT + 'accrualPeriodicity').length > 0,
      services: new Map(
        distributions.flatMap((d) =>
          objects(d, DCAT + 'accessService').flatMap((s) =>
            objects(s, 'http://data.europa.eu/930/serviceProtocol').map(
              (p) => [objects(d, DCAT + 'accessURL')[0], p.split('/').pop()!] as const,
            ),
          ),
        ),
      ),
    });
  }
  return out;
}

/** What udata takes for a URL: http(s) or ftp, on a host name with a domain. */
const webUrl = (u: string) => /^(https?|ftps?):\/\/[^/?#]*\.[^/?#.]+([/?#:]|$)/i.test(u);

test.before(async () => {
  await indexFixtureCatalogue(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  root = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

/** The catalogue's nodes, read from its Turtle (all of it on one page). */
async function expectedNodes(): Promise<Map<string, Node>> {
  const turtle = await (await fetch(`${root}/catalog.ttl?pageSize=500`)).text();
  const nodes = catalogueNodes(new Parser({ format: 'Turtle' }).parse(turtle));
  assert.ok(nodes.size > 20, `${nodes.size} nodes`);
  assert.ok([...nodes.values()].some((n) => n.kind === 'dataservice'));
  return nodes;
}

/** What udata's job must hold: every node once, each as the catalogue says, refused only for a non-web link. */
function checkJob(job: UdataJob, nodes: Map<string, Node>): void {
  assert.equal(job.errors, [], 'no error of the whole job (fetching, paging, parsing)');
  assert.equal(job.items.map((i) => i.remoteId).sort(), [...nodes.keys()].sort(), 'every node, once');

  let done = 0;
  for (const item of job.items) {
    const node = nodes.get(item.remoteId)!;
    const refused = node.urls.filter((u) => !webUrl(u));
    if (refused.length) {
      // udata refuses the whole item when one of its links is not a web URL (s3://, a host without a domain)
      assert.is(item.status, 'failed', item.remoteId);
      assert.ok(
        item.errors.some((e) => e.includes(`Invalid URL "${refused[0]}"`)),
        `${item.remoteId}: ${item.errors.join(' ')}`,
      );
      continue;
    }
    assert.is(item.status, 'done', `${item.remoteId}: ${item.errors.join(' ')}`);
    done++;
    if (node.kind === 'dataset') {
      const d = item.dataset!;
      assert.ok(d, item.remoteId);
      assert.ok(node.titles.includes(d.title), `${item.remoteId}: "${d.title}" among ${node.titles.join(' | ')}`);
      assert.is(d.uri, node.iri);
      assert.ok(d.description.length > 0, item.remoteId);
      assert.is(d.resources.length, node.distributions, `${item.remoteId}: one resource per distribution`);
      for (const r of d.resources) {
        assert.ok(node.urls.includes(r.url), `${item.remoteId}: ${r.url}`);
        // an OGC service typed from its access service's protocol (then each layer of one WMS URL stays a resource)
        const service = node.services.get(r.url);
        if (service) assert.is(r.format, service, `${item.remoteId}: ${r.url}`);
      }
      assert.is(d.temporal !== null, node.temporal, `${item.remoteId}: time extent`);
      assert.is(d.geometry !== null, node.spatial, `${item.remoteId}: place`);
      if (node.keywords) assert.ok(d.tags.length > 0, `${item.remoteId}: keywords as tags`);
      // EU frequency IRIs, which udata knows
      assert.is(d.frequency !== null, node.frequency, `${item.remoteId}: update frequency ${d.frequency}`);
    } else {
      const s = item.dataservice!;
      assert.ok(s, item.remoteId);
      assert.ok(node.titles.includes(s.title), item.remoteId);
      assert.is(s.uri, node.iri);
      assert.ok(node.urls.includes(s.baseApiUrl), `${item.remoteId}: ${s.baseApiUrl}`);
    }
  }
  const typed = job.items.flatMap((i) => i.dataset?.resources ?? []).filter((r) => r.format === 'wms' || r.format === 'wfs');
  assert.ok(typed.length >= 3, `OGC services typed for udata: ${typed.map((r) => r.url).join(' ')}`);
  // all but the records whose sources give non-web links (a Sentinel-2 product's s3:// files, a template record)
  assert.ok(done >= nodes.size - 2, `${done} of ${nodes.size} harvested`);
}

test('udata harvests every dataset and data service of the catalogue through its Turtle pages, with their titles, links, time and place', async () => {
  // ten to a page: udata follows hydra:next to the last page
  const job = await udata(`${root}/catalog.ttl?pageSize=10`);
  assert.is(job.format, 'turtle');
  checkJob(job, await expectedNodes());
});

test('the same from the bare /catalog URL (udata asks its media type with HEAD: JSON-LD) and from RDF/XML', async () => {
  const nodes = await expectedNodes();
  for (const [path, format] of [
    ['/catalog?pageSize=10', 'json-ld'],
    ['/catalog.rdf?pageSize=10', 'xml'],
  ]) {
    const job = await udata(root + path);
    assert.is(job.format, format, path);
    checkJob(job, nodes);
  }
});

test.run();
