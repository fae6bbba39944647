/**
 * The operators' page over real runs (harvests of fixture files into the real node, test/api/pages-fixture.ts):
 * every source with its last run, status, counts and errors; a source's history; failure reports served read-only
 * with their path checked; every run status shown in words.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';
import { buildServer } from '../../../api/server.js';
import { reportPath } from '../../../api/routes/operators.js';
import { harvestAll } from '../../../pipelines/harvest-all.js';
import { silentLogger } from '../../../pipelines/log.js';
import { recordRun } from '../../../pipelines/runs.js';
import { PROJECT_ROOT } from '../../../schemas/paths.js';
import { esClient, esUrl } from '../../helpers/services.js';
import { buildPagesIndex, OZCAR_SOURCES, type PagesIndex } from '../pages-fixture.js';

const client = await esClient();
let fx: PagesIndex;
let app: FastifyInstance;

test.before(async () => {
  fx = await buildPagesIndex(client, { prefix: 'pages-ops' });
  app = await buildServer({ client, alias: fx.alias, esUrl: await esUrl(), log: silentLogger, reportDir: fx.reportDir });
});
test.after(async () => {
  await app.close();
  await fx.cleanup();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const dom = (body: string): HTMLElement => parse(body);
const cells = (row: HTMLElement) => row.querySelectorAll('td').map((td) => td.text.trim());

/** The ids of the STAC documents a catalogue links to, itself left out, read here apart from the harvester. */
function stacIds(catalog: string): string[] {
  const out: string[] = [];
  const walk = (file: string, root: boolean) => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { id: string; links?: { rel: string; href: string }[] };
    if (!root) out.push(doc.id);
    for (const l of doc.links ?? []) if (['child', 'item'].includes(l.rel)) walk(resolve(dirname(file), l.href), false);
  };
  walk(catalog, true);
  return out;
}

test('every source that ran: its last run with status, counts, duration and what went wrong', async () => {
  const r = await get('/operators', { 'accept-language': 'en' });
  assert.is(r.statusCode, 200);
  // a run may end at any moment: the page is never served stale
  assert.is(r.headers['cache-control'], 'no-cache');
  const d = dom(r.body);
  const rows = d.querySelectorAll('tr.run');
  assert.equal(rows.map((row) => row.getAttribute('data-source')).sort(), OZCAR_SOURCES.map((s) => s.id).sort());
  for (const run of fx.runs) {
    const row = rows.find((x) => x.getAttribute('data-source') === run.source)!;
    assert.is(row.getAttribute('data-status'), run.status, run.source);
    const [started, status, seen, indexed, nu, restored, updated, unchanged, deleted, failed, skipped] = cells(row);
    assert.is(row.querySelector('td time')!.text, run.startedAt.slice(0, 19).replace('T', ' '));
    // what the run asked for: these first runs read their whole source
    assert.is(run.mode, 'full');
    assert.is(started.replace(/\s+/g, ' '), `${run.startedAt.slice(0, 19).replace('T', ' ')} the whole source`);
    assert.is(status, ({ ok: 'ok', partial: 'partial', failed: 'failed' } as Record<string, string>)[run.status]);
    assert.equal(
      [seen, indexed, nu, restored, updated, unchanged, deleted, failed, skipped].map(Number),
      [run.seen, run.indexed, run.new, run.restored, run.updated, run.unchanged, run.deleted, run.failed, run.skipped],
      run.source,
    );
  }
  // the source that failed whole says why; the one with failed records links its report
  const broken = fx.runs.find((x) => x.source === 'fx-broken')!;
  assert.is(broken.status, 'failed');
  const notes = (source: string) => rows.find((x) => x.getAttribute('data-source') === source)!.nextElementSibling!;
  assert.ok(notes(broken.source).text.includes(broken.error!.slice(0, 80)));
  const partial = fx.runs.find((x) => x.failed > 0)!;
  assert.ok(partial.reportFile);
  const link = notes(partial.source).querySelector('p.report a')!;
  assert.is(link.getAttribute('href'), `/operators/reports/${encodeURIComponent(basename(partial.reportFile))}`);
  assert.match(notes(partial.source).querySelector('details')!.text, new RegExp(partial.failures[0].stage));

  // the report: read-only, every failed record one line, as the harvest wrote it
  const rep = await get(link.getAttribute('href')!);
  assert.is(rep.statusCode, 200);
  assert.match(String(rep.headers['content-type']), /^text\/plain; charset=utf-8/);
  assert.is(rep.body, readFileSync(partial.reportFile, 'utf8'));
  assert.is(rep.body.trim().split('\n').length, partial.failed + partial.skipped);
  // the worst first (failed, then partial, then ok), by id within a status; the first line counts them
  const rank = { failed: 0, partial: 1, ok: 2 } as Record<string, number>;
  const order = [...fx.runs].sort((a, b) => rank[a.status] - rank[b.status] || a.source.localeCompare(b.source)).map((x) => x.source);
  assert.equal(
    rows.map((row) => row.getAttribute('data-source')),
    order,
  );
  const tally = d.querySelector('p.tally')!;
  assert.match(tally.text, new RegExp(`^\\s*${fx.runs.length} sources, by their last run:`));
  const counted = new Map<string, number>();
  for (const run of fx.runs) counted.set(run.status, (counted.get(run.status) ?? 0) + 1);
  assert.equal(
    tally.querySelectorAll('.tally-part').map((p) => [p.getAttribute('data-status'), Number(p.text.trim().split(' ').pop())]),
    [...counted].sort(([a], [b]) => rank[a] - rank[b]),
  );
  // each source's number of runs, in words that agree with it
  assert.match(rows[0].querySelector('th')!.text, /· 1 run\b/);
  assert.not.match(d.querySelector('table')!.text, /\b1 runs\b/);
  // French by default
  const fr = dom((await get('/operators')).body);
  assert.match(fr.querySelector('h1')!.text, /Moissonnages/);
  assert.match(fr.querySelector('p.tally')!.text, new RegExp(`${fx.runs.length} sources, d’après leur dernier moissonnage`));
  assert.match(fr.querySelector('tr.run th')!.text, /· 1 moissonnage\b/);
});

test('fewer indexed than seen with nothing failed: the copies of an identifier within the source are said', async () => {
  // the bundled STAC sample (stac-spec's examples) holds two collections of one id
  const catalog = join(PROJECT_ROOT, 'samples', 'stac', 'catalog.json');
  const ids = stacIds(catalog);
  const copies = ids.length - new Set(ids).size;
  assert.ok(copies > 0, 'the sample catalogue has copies');
  const [run] = await harvestAll(
    [{ id: 'fx-samples', type: 'stac', url: catalog, options: { items: 'index' } }],
    { client, alias: fx.alias },
    silentLogger,
    {
      reportDir: fx.reportDir,
    },
  );
  assert.equal([run.seen, run.indexed, run.failed, run.skipped, run.duplicates], [ids.length, ids.length - copies, 0, 0, copies]);
  const note = async (lang: string) =>
    dom((await get(`/operators?lang=${lang}`)).body)
      .querySelector('tr[data-source="fx-samples"]')!
      .nextElementSibling!.querySelector('p.duplicates')?.text;
  assert.is(
    await note('en'),
    `${copies} record${copies === 1 ? '' : 's'} came again with an identifier already seen in this run: the last one ${copies === 1 ? 'was' : 'of each was'} kept`,
  );
  assert.match(
    (await note('fr'))!,
    new RegExp(`^${copies} fiches? (est|sont) revenues? avec un identifiant déjà vu dans ce moissonnage\u202f: la dernière venue`),
  );
  // a run without copies says nothing of them
  assert.is(
    dom((await get('/operators?lang=en')).body)
      .querySelector('tr[data-source="fx-tour"]')!
      .nextElementSibling?.querySelector('p.duplicates') ?? null,
    null,
  );
});

test("a source's history: every run, newest first; an unknown source is a 404 page", async () => {
  const cryo = OZCAR_SOURCES.find((s) => s.id === 'fx-cryo')!;
  const [again] = await harvestAll([cryo], { client, alias: fx.alias }, silentLogger, { reportDir: fx.reportDir });
  assert.is(again.unchanged, again.seen);
  const r = await get('/operators/sources/fx-cryo?lang=en');
  assert.is(r.statusCode, 200);
  const rows = dom(r.body).querySelectorAll('tr.run');
  const first = fx.runs.find((x) => x.source === 'fx-cryo')!;
  assert.equal(
    rows.map((x) => x.getAttribute('data-run')),
    [again.runId, first.runId],
  );
  assert.equal(cells(rows[0]).slice(1, 7).map(Number), [again.seen, again.indexed, 0, 0, 0, again.seen]);
  // the list page links the history, with the chosen language
  const list = dom((await get('/operators?lang=en')).body);
  assert.is(list.querySelector('tr[data-source="fx-cryo"] th a')!.getAttribute('href'), '/operators/sources/fx-cryo?lang=en');
  const nf = await get('/operators/sources/nowhere');
  assert.is(nf.statusCode, 404);
  assert.match(nf.body, /Aucun moissonnage enregistré pour la source « nowhere »/);
});

test('every run status is said in words, the statuses of running and stopped runs included; an unknown one as stored', async () => {
  const base = fx.runs.find((x) => x.source === 'fx-tour')!;
  const later = new Date(Date.parse(base.startedAt) + 60_000).toISOString();
  for (const status of ['running', 'aborted', 'suspect', 'interrupted', 'paused-by-moon']) {
    await recordRun(client, fx.alias, {
      ...base,
      runId: `run-${status}`,
      source: `fx-${status}`,
      startedAt: later,
      status: status as never,
      // a run under way: alive (a fresh heartbeat from another machine), else the page shows it aborted, as it is
      ...(status === 'running' ? { owner: { host: 'other-host', pid: 1 }, heartbeatAt: new Date().toISOString() } : {}),
    });
  }
  const expected: Record<string, [string, string]> = {
    running: ['en cours', 'running'],
    aborted: ['abandonné (processus disparu)', 'aborted (its process died)'],
    suspect: ['suspect (retraits retenus)', 'suspect (removals held back)'],
    interrupted: ['interrompu', 'interrupted'],
    'paused-by-moon': ['paused-by-moon', 'paused-by-moon'],
  };
  for (const [i, lang] of (['fr', 'en'] as const).entries()) {
    const d = dom((await get(`/operators?lang=${lang}`)).body);
    for (const [status, words] of Object.entries(expected)) {
      const badge = d.querySelector(`tr[data-source="fx-${status}"] .status`)!;
      assert.is(badge.text, words[i], `${lang} ${status}`);
    }
  }
});

test("whose error it is: the source's when harvesting it failed, the harvester's for its own steps, a stop is no error", async () => {
  const base = fx.runs.find((x) => x.source === 'fx-tour')!;
  const later = new Date(Date.parse(base.startedAt) + 120_000).toISOString();
  const cases = [
    {
      source: 'fx-down',
      status: 'failed',
      step: 'harvest',
      error: 'CSW GetCapabilities failed: ECONNREFUSED',
      en: 'Source error',
      fr: 'Erreur de la source',
    },
    {
      source: 'fx-es',
      status: 'failed',
      step: 'start',
      error: 'Elasticsearch: ConnectionError: connect ECONNREFUSED',
      en: 'Harvester error',
      fr: 'Erreur du moissonneur',
    },
    { source: 'fx-stop', status: 'interrupted', step: 'harvest', error: 'stopped (SIGTERM received)', en: 'Stopped', fr: 'Arrêt' },
  ] as const;
  for (const c of cases)
    await recordRun(client, fx.alias, {
      ...base,
      runId: `run-${c.source}`,
      source: c.source,
      startedAt: later,
      status: c.status,
      step: c.step,
      error: c.error,
    });
  for (const lang of ['fr', 'en'] as const) {
    const d = dom((await get(`/operators?lang=${lang}`)).body);
    for (const c of cases) {
      const note = d.querySelector(`tr[data-source="${c.source}"]`)!.nextElementSibling!.querySelector('p.source-error')!;
      assert.is(note.querySelector('strong')!.text.replace(/\s*:\s*$/, ''), c[lang], `${lang} ${c.source}`);
      assert.match(note.text, c.error);
      // the run's own text is English: marked so on a French page, as it is on an English one
      const marked = note.querySelector('span[lang="en"]');
      if (lang === 'fr') assert.is(marked?.text, c.error, `${c.source}: the English error marked lang="en"`);
      else assert.is(marked, null);
    }
  }
});

test('an incremental run that went well lists no removal note (nothing removed by design); an incomplete full one does', async () => {
  const base = fx.runs.find((x) => x.source === 'fx-tour')!;
  const later = new Date(Date.parse(base.startedAt) + 180_000).toISOString();
  const nightly =
    'the run did not see the whole source (incremental: incremental harvest (modified since 2026-12-06T02:00:00Z)): nothing removed';
  const cut = 'the run did not see the whole source (paging: harvest stopped after 2 complete page(s)): nothing removed';
  await recordRun(client, fx.alias, {
    ...base,
    runId: 'run-nightly',
    source: 'fx-nightly',
    startedAt: later,
    status: 'ok',
    mode: 'incremental',
    since: '2026-12-06T02:00:00.000Z',
    end: { complete: false, reason: 'incremental', message: 'incremental harvest (modified since 2026-12-06T02:00:00Z)' },
    deletion: nightly,
  });
  await recordRun(client, fx.alias, {
    ...base,
    runId: 'run-cut',
    source: 'fx-cut',
    startedAt: later,
    status: 'partial',
    end: { complete: false, reason: 'paging', message: 'harvest stopped after 2 complete page(s)' },
    deletion: cut,
  });
  const d = dom((await get('/operators?lang=en')).body);
  const next = (source: string) => d.querySelector(`tr[data-source="${source}"]`)!.nextElementSibling;
  assert.not.match(next('fx-nightly')?.text ?? '', 'did not see the whole source');
  // what it asked for, under its start: an incremental run that saw nothing reads "no change since", not "nothing there"
  const mode = (source: string, page = d) => page.querySelector(`tr[data-source="${source}"] small.mode`)!;
  assert.is(mode('fx-nightly').text.trim(), 'changes since 2026-12-06 02:00:00');
  assert.is(mode('fx-nightly').querySelector('time')!.getAttribute('datetime'), '2026-12-06T02:00:00.000Z');
  assert.is(mode('fx-cut').text.trim(), 'the whole source');
  assert.is(mode('fx-nightly', dom((await get('/operators?lang=fr')).body)).text.trim(), 'changements depuis le 2026-12-06 02:00:00');
  assert.match(next('fx-cut')!.text, cut);
});

test('reports: only a *.failures.ndjson file directly inside the report folder; a report gone from the folder is said', async () => {
  writeFileSync(join(fx.reportDir, 'notes.txt'), 'secret');
  symlinkSync('/etc/passwd', join(fx.reportDir, 'passwd.failures.ndjson'));
  for (const name of [
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2Fpackage.json',
    'notes.txt',
    'passwd.failures.ndjson',
    'missing.failures.ndjson',
    '.failures.ndjson',
  ]) {
    const r = await get(`/operators/reports/${name}`);
    assert.is(r.statusCode, 404, name);
    assert.is(r.json().parameter, 'file');
  }
  assert.is(await reportPath(fx.reportDir, '../x.failures.ndjson'), undefined);

  const partial = fx.runs.find((x) => x.reportFile)!;
  rmSync(partial.reportFile!);
  const d = dom((await get('/operators?lang=en')).body);
  const notes = d.querySelector(`tr[data-source="${partial.source}"]`)!.nextElementSibling!;
  assert.match(notes.querySelector('p.report')!.text, /failure report missing from the report folder/);
  assert.is(notes.querySelector('p.report a'), null);
});

test('before any harvest: the pages say so instead of failing', async () => {
  const empty = await buildServer({ client, alias: 'test-pages-never-harvested', esUrl: await esUrl(), log: silentLogger });
  const ops = await empty.inject({ method: 'GET', url: '/operators' });
  assert.is(ops.statusCode, 200);
  assert.match(dom(ops.body).querySelector('p.empty')!.text, /Aucun moissonnage enregistré/);
  const cat = await empty.inject({ method: 'GET', url: '/catalogue?q=sol' });
  assert.is(cat.statusCode, 200);
  assert.is(dom(cat.body).querySelector('p.total')!.getAttribute('data-total'), '0');
  assert.is((await empty.inject({ method: 'GET', url: '/catalogue/records/a:b' })).statusCode, 404);
  await empty.close();
});

test.run();
