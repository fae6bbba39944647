/**
 * `harvester export dcat`: the DCAT-AP 3.0.1 catalogue of the index, streamed to a file or stdout
 * (pipelines/export-dcat.ts), with a progress bar on a terminal and, on stderr, what was left out and why.
 */
import type { Writable } from 'node:stream';
import { UsageError } from '../../core/result.js';
import { RDF_FORMATS, type RdfFormat } from '../../mappings/rdf/serialize.js';
import { exportDcat, type ExportFilters, type ExportSummary } from '../../pipelines/export-dcat.js';
import { loadHubIdentity } from '../../pipelines/hub-identity.js';
import type { Logger } from '../../pipelines/log.js';
import { checkSourceId, connect, esDown, indexMissing, type Values } from './args.js';
import { exitOnSignals } from '../../core/exit-cleanup.js';
import { checkOutFile, openOutFile, type OutFile } from './out-file.js';
import { parseBbox } from './query.js';

const FORMAT_NAMES: Record<string, RdfFormat> = {
  turtle: 'turtle',
  ttl: 'turtle',
  rdfxml: 'rdfxml',
  rdf: 'rdfxml',
  jsonld: 'jsonld',
  ntriples: 'ntriples',
  nt: 'ntriples',
};

/** One line per source: how many records were left out and why. */
export function leftOutLines(s: ExportSummary): string[] {
  return Object.entries(s.leftOut.bySource)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([source, reasons]) =>
        `  ${source}: ${Object.entries(reasons)
          .map(([why, n]) => `${n} ${why}`)
          .join(', ')}`,
    );
}

export async function exportCommand(positionals: string[], values: Values, log: Logger): Promise<number> {
  const [what, ...extra] = positionals;
  if (what !== 'dcat')
    throw new UsageError(
      what ? `unknown export "${what}": harvester export dcat ...` : 'export needs what to export: harvester export dcat ...',
    );
  if (extra.length > 0) throw new UsageError(`export dcat takes no other arguments, only options: got "${extra[0]}"`);
  const formatName = (values.format as string | undefined) ?? 'turtle';
  const format = FORMAT_NAMES[formatName];
  if (!format) throw new UsageError(`--format must be one of ${RDF_FORMATS.join(', ')} (got "${formatName}")`, '--format');
  const filters: ExportFilters = {};
  if (values.q !== undefined) filters.q = values.q as string;
  if (values.bbox !== undefined) filters.bbox = parseBbox(values.bbox as string);
  if (values.from !== undefined) filters.from = values.from as string;
  if (values.to !== undefined) filters.to = values.to as string;
  if (values.theme !== undefined) filters.theme = values.theme as string;
  const sources = (values.source as string[] | undefined)?.map((s) => checkSourceId(s, '--source'));
  if (sources?.length) filters.source = sources;
  const identity = loadHubIdentity();
  const file = values.out as string | undefined;
  if (file !== undefined) checkOutFile(file);
  const target = await connect(values);
  let out: Writable = process.stdout;
  // the export takes its file's name only when complete (scripts/cli/out-file.ts): a failure, Ctrl-C or SIGTERM
  // leave the previous export as it was
  let outFile: OutFile | undefined;
  const signalsOff = exitOnSignals();
  try {
    if (!(await target.client.indices.exists({ index: target.alias })))
      throw new UsageError(`there is no index "${target.alias}" at ${target.url}: harvest first (or give --alias)`, '--alias');
    if (file) {
      outFile = await openOutFile(file);
      out = outFile.stream;
    }
    const progress = log.progress('export', undefined);
    let summary: ExportSummary;
    try {
      summary = await exportDcat({
        client: target.client,
        alias: target.alias,
        identity,
        format,
        out,
        filters,
        includeNonconforming: values['include-nonconforming'] === true,
        onProgress: (done, total) => progress.update(done, { indexed: done, failed: 0 }, total),
      });
    } finally {
      progress.stop();
    }
    await outFile?.commit();
    const where = file ? ` to ${file}` : '';
    log.info(`exported ${summary.exported} of ${summary.matched} records as ${format}${where} in ${(summary.ms / 1000).toFixed(1)}s`, {
      exported: summary.exported,
      matched: summary.matched,
      leftOut: summary.leftOut.total,
    });
    if (summary.leftOut.total > 0) {
      log.warn(
        `left out ${summary.leftOut.total} records lacking a DCAT-AP mandatory value (--include-nonconforming exports them):\n${leftOutLines(summary).join('\n')}`,
        log.json ? { leftOut: summary.leftOut.bySource } : undefined,
      );
    }
    return 0;
  } catch (err) {
    if (indexMissing(err))
      throw new UsageError(`there is no index "${target.alias}" at ${target.url}: harvest first (or give --alias)`, '--alias');
    const name = (err as Error).name;
    if (name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError') throw esDown(target.url, err);
    throw err;
  } finally {
    outFile?.discard();
    signalsOff();
    await target.client.close();
  }
}
