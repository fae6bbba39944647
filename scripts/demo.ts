/**
 * `harvester demo` (the README's first command, `npm start`): a local Elasticsearch, the bundled sample sources
 * (a real pycsw CSW server loaded with sample ISO records, a static STAC catalogue, an OZCAR pivot file), one harvest
 * of each, a summary, and where to look next.
 */
import { mkdtempSync, readdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from './services/elasticsearch.js';
import { startPycsw } from './services/pycsw.js';
import { portFree } from './services/proc.js';
import { generateIsoRecord, generatedId } from './samples/iso-generator.js';
import { UsageError } from '../core/result.js';
import { DEFAULT_ALIAS, harvestAll } from '../pipelines/harvest-all.js';
import { printSummaries } from './cli/harvest.js';
import { DEFAULT_HOST, DEFAULT_PORT, serveCommand } from './cli/serve.js';
import type { Logger } from '../pipelines/log.js';
import type { SourceConfig } from '../pipelines/sources.js';
import { projectPath } from '../schemas/paths.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * The sample CSW's port. Fixed, not a free one picked at random: each CSW record keeps the address it was harvested
 * from (its GetRecordById URL), so a second demo on another port would update every record instead of changing nothing.
 */
export const DEMO_CSW_PORT = 8765;

/** The bundled sample sources, started: what they are (a sources list) and how to stop what serves them. */
export interface SampleSources {
  sources: SourceConfig[];
  /** The sample CSW's endpoint (pycsw). */
  cswUrl: string;
  /** Records the sample CSW holds (bundled real ones and generated ones). */
  cswRecords: number;
  /** Stops pycsw and removes its records folder. */
  stop(): Promise<void>;
}

/**
 * Starts what serves the bundled samples (samples/README.md): a real pycsw loaded with samples/csw plus `generated`
 * records of scripts/samples/iso-generator.ts on 127.0.0.1:`cswPort` (a port of its own when 0 or absent); the static
 * STAC catalogue and the OZCAR file are read where they are. The demo and the service benchmark harvest these.
 */
export async function startSampleSources({
  generated = 200,
  cswPort = 0,
}: { generated?: number; cswPort?: number } = {}): Promise<SampleSources> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-demo-csw-'));
  try {
    for (const f of readdirSync(projectPath('samples', 'csw'))) copyFileSync(projectPath('samples', 'csw', f), join(dir, f));
    for (let i = 0; i < generated; i++) writeFileSync(join(dir, `generated-${generatedId(i)}.xml`), generateIsoRecord(i));
    const csw = await startPycsw({ recordsDir: dir, maxRecords: 50, ...(cswPort ? { port: cswPort } : {}) });
    const sources: SourceConfig[] = [
      { id: 'sample-csw', name: 'Sample CSW (pycsw)', type: 'csw', url: csw.url },
      {
        id: 'sample-stac',
        name: 'Sample STAC catalogue',
        type: 'stac',
        url: projectPath('samples', 'stac', 'catalog.json'),
        options: { items: 'index' },
      },
      { id: 'sample-ozcar', name: 'Sample OZCAR feed', type: 'ozcar', url: projectPath('samples', 'ozcar', 'TOUR_fr.json') },
    ];
    return {
      sources,
      cswUrl: csw.url,
      cswRecords: csw.loaded,
      async stop() {
        await csw.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function demoCommand(values: Values, log: Logger): Promise<number> {
  const generated = values.records === undefined ? 200 : Number(values.records);
  if (!Number.isInteger(generated) || generated < 0 || generated > 100_000)
    throw new UsageError(`--records must be a whole number from 0 to 100000 (got "${String(values.records)}")`);
  const cswPort = values['csw-port'] === undefined ? DEMO_CSW_PORT : Number(values['csw-port']);
  if (!Number.isInteger(cswPort) || cswPort < 1024 || cswPort > 65535)
    throw new UsageError(`--csw-port must be a port number from 1024 to 65535 (got "${String(values['csw-port'])}")`, '--csw-port');
  const alias = (values.alias as string | undefined) ?? process.env.HUB_INDEX ?? DEFAULT_ALIAS;
  const serve = values['no-serve'] !== true;
  const host = (values.host as string | undefined) ?? process.env.HUB_HOST ?? DEFAULT_HOST;
  const portText = (values.port as string | undefined) ?? process.env.HUB_PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${portText}")`, '--port');
  if (serve && port !== 0 && host === DEFAULT_HOST && !(await portFree(port)))
    throw new Error(
      `port ${port} of ${host}, where the demo serves the hub, is taken by another process: stop it, or give --port N (or --no-serve)`,
    );
  // checked before anything starts: a taken port would otherwise be found after Elasticsearch and the record loading
  if (!(await portFree(cswPort)))
    throw new Error(
      `port ${cswPort} of 127.0.0.1, where the sample CSW listens, is taken by another process: stop it, or give --csw-port N ` +
        '(and the same N next time: every CSW record keeps the address it was harvested from)',
    );

  log.info('1/4 Elasticsearch: using $ES_URL if it answers, else fetching and starting a local node (first time: a few minutes)');
  const es = await ensureElasticsearch(values.es ? { url: values.es as string } : {});
  log.info(`    Elasticsearch at ${es.url}${es.started ? ' (started now)' : ''}`);

  log.info(`2/4 sample CSW: pycsw with the bundled real ISO records and ${generated} generated ones`);
  const samples = await startSampleSources({ generated, cswPort });
  log.info(`    pycsw at ${samples.cswUrl}`);
  const sources = samples.sources;

  const client = new Client({ node: es.url, requestTimeout: 120_000 });
  let status: number;
  try {
    log.info('3/4 harvesting the sample sources');
    const summaries = await harvestAll(sources, { client, alias }, log);
    log.info('4/4 done');
    printSummaries(summaries, log);
    const count = await client.count({ index: alias });
    process.stdout.write(`
${count.count} records are searchable in the index "${alias}" at ${es.url}.
Where to look next:
  npx harvester search --q "couverture du sol"            full text, accents and case folded
  npx harvester search --bbox -5.5,47,-1,49 --from 2010    by place and time (Brittany, since 2010)
  npx harvester search --theme http://inspire.ec.europa.eu/theme/lc   by theme (INSPIRE Land cover)
  npx harvester runs                                      what ran, what changed, what failed
  npx harvester map ../some/record.xml                    try the crosswalk on your own records (NDJSON on stdout)
  curl '${es.url}/${alias}/_search?q=tourbieres&pretty'    the index itself
Elasticsearch keeps running (stop it with: node dist/scripts/services/elasticsearch.js stop).
`);
    status = summaries.every((s) => s.status !== 'failed') ? 0 : 1;
  } finally {
    await client.close();
    await samples.stop();
  }
  if (!serve) return status;
  // the hub's own server over what was just harvested, in the foreground, until Ctrl-C
  const served = await serveCommand(
    { host, port: String(port), es: es.url, alias },
    log,
    (url) => {
      process.stdout.write(`
The hub serves them at ${url} until Ctrl-C:
  ${url}/catalogue               the catalogue pages, in a browser (${url}/ leads there)
  ${url}/health                  what the index holds
  ${url}/oai?verb=Identify       OAI-PMH 2.0, as Recherche Data Gouv (a Dataverse) harvests it (docs/oai-pmh.md)
  ${url}/catalog                 the DCAT-AP 3.0.1 catalogue, as data.gouv.fr harvests it (docs/dcat.md)
`);
    },
    { withService: false },
  );
  return status || served;
}
