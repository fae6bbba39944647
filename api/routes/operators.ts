/**
 * The operators' page, read-only (runs are read through pipelines/runs.ts):
 * - GET /operators: every source that has run, its last run, status, counts and errors, the run under way or waiting,
 *   its next scheduled run and the FAIR figures of its records (pipelines/status.ts);
 * - GET /operators/sources/:source: the run history of one source;
 * - GET /operators/reports/:file: a failure report (NDJSON), only a `*.failures.ndjson` file directly inside the
 *   report folder (its real path checked to be inside the folder's real path, so that neither `..` nor a symbolic
 *   link leads out of it).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RunSummary } from '../../pipelines/harvest.js';
import { deadRun, latestRuns, runSources } from '../../pipelines/runs.js';
import { sourcesStatus } from '../../pipelines/status.js';
import { projectPath } from '../../schemas/paths.js';
import type { ApiContext } from '../http.js';
import { sendError } from '../http.js';
import { answer, errors } from '../responses.js';
import { html } from '../pages/html.js';
import { requestLang, t } from '../pages/i18n.js';
import { errorPage, PATHS } from '../pages/layout.js';
import { operatorsPage, sourceRunsPage, type ReportLink, type SourceRow } from '../pages/operators-page.js';
import { sendPage } from '../pages/send.js';

const PAGE = answer('The page (HTML, French or English).', { 'text/html': undefined });

/** Runs shown in a source's history. */
const HISTORY = 100;
/** Sources whose last run is read at the same time. */
const PARALLEL = 8;
/** What a report file is called (pipelines/failure-report.ts): a stamp, the source id, the run id, the suffix. */
const REPORT_NAME = /^[\w.-]+\.failures\.ndjson$/;

/** The default report folder: where `harvest` writes reports when not told otherwise. */
export function defaultReportDir(): string {
  return projectPath('.cache', 'reports');
}

/** The real path of report `name` inside `dir`, when it is a regular file there; undefined otherwise. */
export async function reportPath(dir: string, name: string): Promise<string | undefined> {
  if (!REPORT_NAME.test(name) || name.startsWith('.')) return undefined;
  try {
    const root = await realpath(dir);
    const file = await realpath(join(root, name));
    if (!file.startsWith(root + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export async function operatorRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const dir = ctx.reportDir ?? defaultReportDir();

  /** The report link of a run: its file when the report folder has it. */
  const reports = async (runs: RunSummary[]): Promise<Map<RunSummary, ReportLink>> => {
    const out = new Map<RunSummary, ReportLink>();
    for (const run of runs) {
      if (!run.reportFile) continue;
      const name = basename(run.reportFile);
      out.set(run, (await reportPath(dir, name)) ? { href: PATHS.report(name) } : 'missing');
    }
    return out;
  };

  app.get(
    PATHS.operators,
    { schema: { summary: "The operators' page: every source's last harvest", tags: ['pages'], response: { 200: PAGE } } },
    async (req, reply) => {
      const { lang, explicit } = requestLang(req);
      const [sources, statuses] = await Promise.all([
        runSources(ctx.client, ctx.alias),
        ctx.service ? ctx.service.status() : sourcesStatus(ctx.client, ctx.alias, []),
      ]);
      const byId = new Map(statuses.map((s) => [s.source, s]));
      const rows: SourceRow[] = [];
      for (let i = 0; i < sources.length; i += PARALLEL) {
        const batch = sources.slice(i, i + PARALLEL);
        const lasts = await Promise.all(
          batch.map((s) => latestRuns(ctx.client, ctx.alias, { source: s.source, size: 1, except: ['skipped'] })),
        );
        batch.forEach((s, j) => {
          const status = byId.get(s.source);
          // a run whose process died shows as aborted, as harvester runs records it (this page only reads)
          const last = lasts[j][0] && (deadRun(lasts[j][0]) ?? lasts[j][0]);
          if (last) rows.push({ source: s.source, runs: s.runs, last, ...(status ? { status } : {}) });
        });
      }
      const links = await reports(rows.map((r) => r.last));
      return sendPage(
        reply,
        operatorsPage({ lang, explicitLang: explicit, url: req.url, report: (r) => links.get(r) }, rows),
        lang,
        200,
        0,
      );
    },
  );

  app.get<{ Params: { source: string } }>(
    `${PATHS.operators}/sources/:source`,
    {
      schema: {
        summary: 'The run history of one source',
        tags: ['pages'],
        response: { 200: PAGE, 404: answer('No run of that source: a page saying so.', { 'text/html': undefined }), ...errors(400) },
      },
    },
    async (req, reply) => {
      const { lang, explicit } = requestLang(req);
      const runs = await latestRuns(ctx.client, ctx.alias, { source: req.params.source, size: HISTORY });
      if (runs.length === 0) {
        const back = html`<p><a href="${PATHS.operators}">${t(lang, 'ops.title')}</a></p>`;
        const message = t(lang, 'ops.unknownSource', req.params.source);
        return sendPage(reply, errorPage({ lang, explicitLang: explicit, url: req.url, message, back }), lang, 404);
      }
      const links = await reports(runs);
      return sendPage(
        reply,
        sourceRunsPage({ lang, explicitLang: explicit, url: req.url, report: (r) => links.get(r) }, req.params.source, runs),
        lang,
        200,
        0,
      );
    },
  );

  app.get<{ Params: { file: string } }>(
    `${PATHS.operators}/reports/:file`,
    {
      schema: {
        summary: 'A failure report of a harvest (NDJSON, one failed record a line)',
        tags: ['pages'],
        response: { 200: answer('The report.', { 'text/plain': undefined }), ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const file = await reportPath(dir, req.params.file);
      if (!file) return sendError(reply, 404, `no failure report named ${req.params.file}`, 'file');
      const size = (await stat(file)).size;
      return reply
        .type('text/plain; charset=utf-8')
        .header('Content-Length', size)
        .header('Content-Disposition', `inline; filename="${req.params.file}"`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-cache')
        .send(createReadStream(file));
    },
  );
}
