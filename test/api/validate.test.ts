/**
 * POST /validate and its form page, on a listening server with a real client (fetch, FormData): an upload, a raw body,
 * a URL (through the SSRF guard: loopback refused unless the operator allows it, redirects checked), the limits, the
 * error shape naming the parameter. No Elasticsearch is involved.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { VALIDATE_LIMITS } from '../../api/routes/validate.js';
import { createLogger } from '../../pipelines/log.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';

const log = createLogger({ json: true, stream: { write: () => true } as never });
const client = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0 });
const TOUR = readFileSync(sharedFixture('ozcar', 'TOUR_en.json'));
const ISO = readFileSync(sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml'));

async function start(ssrfAllow?: string[]): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer({ client, alias: 'unused', esUrl: 'http://127.0.0.1:9', log, ...(ssrfAllow ? { ssrfAllow } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** A feed server on loopback: /TOUR_en.json, and /redirect to an address that is not allowed. */
async function feedServer() {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    if (req.url === '/TOUR_en.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(TOUR);
    if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://127.0.0.2:9/TOUR_en.json' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, hits: () => hits, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

test.after(() => client.close());

test('GET /validate: a form of the site, no script, nothing from another host; POST a file as a form: the JSON report, the upload named, never its path', async () => {
  const { app, base } = await start();
  try {
    const page = await fetch(`${base}/validate`);
    assert.is(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post" action="validate" enctype="multipart\/form-data" class="validate">/);
    assert.not.match(html, /<script/);
    // a data centre finds it from every page of the site: the header's navigation, current here
    assert.match(html, /<a href="\/validate"\s+aria-current="page">Valider un flux<\/a>/);
    const english = await (await fetch(`${base}/validate?lang=en`)).text();
    assert.match(english, /<a href="\/validate\?lang=en"\s+aria-current="page">Validate a feed<\/a>/);
    assert.match(english, /<a href="\/operators\?lang=en"\s*>Harvests<\/a>/);
    assert.equal(
      [...html.matchAll(/<link [^>]*href="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('/')),
      [],
      "the stylesheet and the icon are the server's own",
    );
    const form = new FormData();
    form.append('file', new Blob([TOUR], { type: 'application/json' }), 'TOUR_en.json');
    form.append('links', 'false');
    const r = await fetch(`${base}/validate`, { method: 'POST', body: form });
    assert.is(r.status, 200, await r.clone().text());
    assert.is(r.headers.get('x-validation-exit'), '0');
    const report = (await r.json()) as {
      sources: string[];
      summary: { records: number };
      records: { location: string; fair: { mqa: { points: number } } }[];
    };
    assert.equal(report.sources, ['upload']);
    assert.is(report.summary.records, 1);
    assert.is(report.records[0].location, 'upload#/datasets/0');
    assert.is(report.records[0].fair.mqa.points, 205);
    assert.not.match(JSON.stringify(report), /hub-validate-/, 'the temporary folder is not shown');
  } finally {
    await app.close();
  }
});

test('the form and its HTML report in French and English: ?lang= or the form field first, then Accept-Language, then French', async () => {
  const { app, base } = await start();
  try {
    const form = async (query: string, acceptLanguage?: string) => {
      const r = await fetch(`${base}/validate${query}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
      assert.is(r.status, 200);
      const html = await r.text();
      return {
        lang: /<html lang="(\w+)">/.exec(html)?.[1],
        contentLanguage: r.headers.get('content-language'),
        h1: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
        // what the form sends back, and the switch to the other language (a link to the same page)
        hidden: /<input type="hidden" name="lang" value="(\w+)"/.exec(html)?.[1],
        switchTo: [...html.matchAll(/<a href="([^"]*)" hreflang="(\w+)" lang="\w+">/g)].map((m) => `${m[2]} ${m[1]}`),
        html,
      };
    };
    const frenchDefault = await form('', 'de');
    assert.equal([frenchDefault.lang, frenchDefault.contentLanguage, frenchDefault.hidden], ['fr', 'fr', 'fr']);
    assert.is(frenchDefault.h1, 'Valider un flux avant son moissonnage');
    assert.equal(frenchDefault.switchTo, ['en /validate?lang=en']);
    assert.match(frenchDefault.html, /<button type="submit">Valider<\/button>/);
    assert.match(frenchDefault.html, /<label for="v-links">vérifier que les liens des fiches répondent<\/label>/);
    assert.match(frenchDefault.html, /<form method="post" action="validate" enctype="multipart\/form-data"/);
    const byHeader = await form('', 'en-GB,en;q=0.9,fr;q=0.5');
    assert.equal([byHeader.lang, byHeader.hidden, byHeader.h1], ['en', 'en', 'Validate a feed before the hub harvests it']);
    assert.equal(byHeader.switchTo, ['fr /validate?lang=fr']);
    const byQuery = await form('?lang=fr', 'en');
    assert.equal([byQuery.lang, byQuery.hidden], ['fr', 'fr']);
    assert.equal((await form('?lang=en', 'fr')).lang, 'en');
    // a language we do not have is no error: the header decides
    assert.equal((await form('?lang=de', 'en')).lang, 'en');

    // the report: the form's field, then Accept-Language, then French
    const report = async (lang: string | undefined, acceptLanguage: string, query = '') => {
      const f = new FormData();
      f.append('file', new Blob([ISO], { type: 'application/xml' }), 'record.xml');
      f.append('format', 'html');
      if (lang) f.append('lang', lang);
      const r = await fetch(`${base}/validate${query}`, { method: 'POST', body: f, headers: { 'accept-language': acceptLanguage } });
      assert.is(r.status, 200, await r.clone().text());
      const html = await r.text();
      return { lang: /<html lang="(\w+)">/.exec(html)?.[1], contentLanguage: r.headers.get('content-language'), html };
    };
    const fr = await report('fr', 'en');
    assert.equal([fr.lang, fr.contentLanguage], ['fr', 'fr']);
    assert.match(fr.html, /<h1>Rapport de validation<\/h1>/);
    assert.match(
      fr.html,
      /<strong>1<\/strong> fiche\u202f: <span class="ok">0 sans problème<\/span>, <span class="warnings">1 avec des avertissements<\/span>/,
    );
    assert.match(fr.html, /<th>identifiant<\/th><th>titre<\/th><th>format<\/th><th>état<\/th>/);
    assert.match(fr.html, /<td class="good">bonne<\/td>/);
    // the methodologies' tables in French; the crosswalk's warnings in English, marked so
    assert.match(
      fr.html,
      /MQA Date de publication \(0\/5\)\u202f: ajouter une date de publication dans <code lang="en">gmd:identificationInfo/,
    );
    assert.match(
      fr.html,
      /FsF-F1-02D Les données ont un identifiant pérenne \(0\/1\)\u202f: ajouter un identifiant pérenne \(DOI, Handle, ARK\)/,
    );
    // the crosswalk's warning in French, its value filled in, not marked English
    assert.match(fr.html, /<li><code>gmd:identificationInfo\/[^<]*<\/code>\u202f: fréquence «\u00a05annually\u00a0» non reconnue<\/li>/);
    assert.not.match(fr.html, /not recognised/);
    assert.not.match(fr.html, /What to fix|Summary|: add /);
    const en = await report('en', 'fr');
    assert.equal([en.lang, en.contentLanguage], ['en', 'en']);
    assert.match(en.html, /<strong>1<\/strong> record: <span class="ok">0 ok<\/span>/);
    assert.match(en.html, /MQA Date of issue \(0\/5\): add a publication date at <code>gmd:identificationInfo/);
    assert.not.match(en.html.slice(en.html.indexOf('<body>')), / lang="en"/, 'nothing marked English on an English page');
    assert.is((await report(undefined, 'en-US,en;q=0.8')).lang, 'en');
    assert.is((await report(undefined, 'de')).lang, 'fr');
    assert.is((await report(undefined, 'en', '?lang=fr')).lang, 'fr', 'lang in the query string, as a raw body sends it');

    // JSON is a machine's: the same report whatever the language asked
    const json = async (lang: string) => {
      const r = await fetch(`${base}/validate?format=json&lang=${lang}`, {
        method: 'POST',
        body: ISO,
        headers: { 'content-type': 'application/xml' },
      });
      assert.is(r.headers.get('content-language'), null);
      const body = (await r.json()) as { generatedAt?: string };
      delete body.generatedAt;
      return body;
    };
    assert.equal(await json('fr'), await json('en'));
  } finally {
    await app.close();
  }
});

test('POST the record as the body (application/xml) with ?format=html&xsd=true: the HTML report', async () => {
  const { app, base } = await start();
  try {
    const r = await fetch(`${base}/validate?format=html&xsd=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: ISO,
    });
    assert.is(r.status, 200);
    assert.match(r.headers.get('content-type')!, /text\/html/);
    const html = await r.text();
    assert.match(html, /f44dac86-2228-412f-8355-e56446ca9933/);
    // (in French, the default: the XML schema's place and libxml2's message in French, its words in a title)
    assert.match(
      html,
      /<code>ligne 548, élément BaseUnit<\/code>\u202f: <span title="XML schema: Element '\{http:\/\/www\.opengis\.net\/gml\}BaseUnit': This element is not expected\. [^"]*">schéma XML\u202f: élément \{http:\/\/www\.opengis\.net\/gml\}BaseUnit\u202f: cet élément n’est pas attendu ici\./,
    );
  } finally {
    await app.close();
  }
});

test('a URL: loopback refused before anything is fetched; allowed by the operator it is read; a redirect elsewhere is refused', async () => {
  const feed = await feedServer();
  const closed = await start();
  try {
    const form = new FormData();
    form.append('url', `${feed.base}/TOUR_en.json`);
    const r = await fetch(`${closed.base}/validate`, { method: 'POST', body: form });
    assert.is(r.status, 400);
    const body = (await r.json()) as { status: number; error: string; parameter: string };
    assert.is(body.parameter, 'url');
    assert.match(body.error, /127\.0\.0\.1 is not a public address \(loopback\)/);
    for (const spelled of [feed.base.replace('127.0.0.1', '2130706433'), feed.base.replace('127.0.0.1', '[::ffff:127.0.0.1]')]) {
      const f = new FormData();
      f.append('url', `${spelled}/TOUR_en.json`);
      const x = await fetch(`${closed.base}/validate`, { method: 'POST', body: f });
      assert.is(x.status, 400, spelled);
    }
    assert.is(feed.hits(), 0);
  } finally {
    await closed.app.close();
  }
  const open = await start(['127.0.0.1']);
  try {
    const form = new FormData();
    form.append('url', `${feed.base}/TOUR_en.json`);
    form.append('type', 'ozcar');
    const r = await fetch(`${open.base}/validate`, { method: 'POST', body: form });
    assert.is(r.status, 200);
    const report = (await r.json()) as { summary: { records: number } };
    assert.is(report.summary.records, 1);
    const hop = new FormData();
    hop.append('url', `${feed.base}/redirect`);
    hop.append('type', 'ozcar');
    const h = await fetch(`${open.base}/validate`, { method: 'POST', body: hop });
    assert.is(h.status, 200);
    const failed = (await h.json()) as { exitCode: number; records: { errors: { message: string }[] }[] };
    assert.is(failed.exitCode, 1, JSON.stringify(failed.records));
    assert.match(failed.records[0].errors[0].message, /127\.0\.0\.2 is not a public address \(loopback\)/);
  } finally {
    await open.app.close();
    await feed.close();
  }
});

test('the report is streamed from its spool file, which is gone once the reply is sent (JSON and HTML, many records)', async () => {
  const t = mkdtempSync(join(tmpdir(), 'test-validate-tmp-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = t;
  const { app, base } = await start();
  try {
    // a CSW answer of several records: more than one record read back from the spool
    const csw = readFileSync(sharedFixture('csw', 'pycsw-apiso-GetRecords-all.xml'));
    for (const format of ['json', 'html']) {
      const r = await fetch(`${base}/validate?format=${format}`, {
        method: 'POST',
        body: csw,
        headers: { 'content-type': 'application/xml' },
      });
      assert.is(r.status, 200, await r.clone().text());
      const text = await r.text();
      if (format === 'json') {
        const report = JSON.parse(text) as { summary: { records: number }; records: { location: string }[] };
        assert.ok(report.summary.records > 1, text.slice(0, 300));
        assert.is(report.records.length, report.summary.records);
        assert.ok(report.records.every((x) => x.location.startsWith('upload')));
      } else assert.match(text, /<\/section><\/main><\/body><\/html>\n$/);
      // the reply's end closes the spool: at most a moment after the client has read it
      for (let i = 0; i < 100 && readdirSync(t).length; i++) await new Promise((res) => setTimeout(res, 20));
      assert.equal(readdirSync(t), [], 'no spool nor upload left');
    }
  } finally {
    await app.close();
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(t, { recursive: true, force: true });
  }
});

test('limits and mistakes: nothing given, both given, a bad parameter, an upload too large, a STAC catalog upload', async () => {
  const saved = VALIDATE_LIMITS.maxUploadBytes;
  VALIDATE_LIMITS.maxUploadBytes = 4096;
  const { app, base } = await start();
  try {
    const post = (form: FormData, query = '') => fetch(`${base}/validate${query}`, { method: 'POST', body: form });
    const empty = await post(new FormData());
    assert.is(empty.status, 400);
    assert.is(((await empty.json()) as { parameter: string }).parameter, 'file');
    const both = new FormData();
    both.append('url', 'https://example.org/csw');
    both.append('file', new Blob([TOUR.subarray(0, 100)]), 'x.json');
    const b = await post(both);
    assert.is(b.status, 400);
    const fmt = new FormData();
    fmt.append('url', 'https://example.org/csw');
    const f = await post(fmt, '?format=pdf');
    assert.equal(await f.json(), { status: 400, error: 'format must be json or html (got "pdf")', parameter: 'format' });
    const big = new FormData();
    big.append('file', new Blob([TOUR]), 'TOUR_en.json');
    const t = await post(big);
    assert.is(t.status, 413);
    assert.is(((await t.json()) as { status: number }).status, 413);
    const catalog = new FormData();
    catalog.append('file', new Blob([readFileSync(sharedFixture('stac', 'catalog.json'))]), 'catalog.json');
    const c = await post(catalog);
    const report = (await c.json()) as { records: { errors: { message: string }[] }[] };
    assert.match(
      report.records[0].errors[0].message,
      /a STAC catalog: its children are not in the upload; give the URL of the catalog instead/,
    );
  } finally {
    VALIDATE_LIMITS.maxUploadBytes = saved;
    await app.close();
  }
});

test('POST a JSON file as the body (application/json): validated as sent, a broken one reported, not refused by the JSON parser', async () => {
  const { app, base } = await start();
  try {
    const post = (body: BodyInit) => fetch(`${base}/validate`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const r = await post(TOUR);
    assert.is(r.status, 200, await r.clone().text());
    assert.is(r.headers.get('x-validation-exit'), '0');
    const report = (await r.json()) as { summary: { records: number }; records: { location: string }[] };
    assert.is(report.summary.records, 1);
    assert.is(report.records[0].location, 'upload#/datasets/0');
    // a data centre's broken file is what it wants the report on
    const broken = await post(TOUR.subarray(0, 200));
    assert.is(broken.status, 200, await broken.clone().text());
    assert.is(broken.headers.get('x-validation-exit'), '1');
    const b = (await broken.json()) as { records: { status: string; errors: { message: string }[] }[] };
    assert.is(b.records[0].status, 'error');
    assert.match(b.records[0].errors[0].message, /valid JSON/);
  } finally {
    await app.close();
  }
});

test('a DCAT feed in Turtle or JSON-LD: uploaded (any file name) or sent as the body (text/turtle, application/ld+json), each dataset a record', async () => {
  const { app, base } = await start();
  const ttl = readFileSync(projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-dataset_multilingual.ttl'));
  const jsonld = readFileSync(projectPath('test', 'fixtures', 'dcat', 'udata-flat.jsonld'));
  const records = async (r: Response) => {
    assert.is(r.status, 200, await r.clone().text());
    return ((await r.json()) as { records: { status: string }[] }).records;
  };
  try {
    for (const name of ['feed.ttl', 'feed']) {
      const form = new FormData();
      form.append('file', new Blob([ttl], { type: 'text/turtle' }), name);
      const got = await records(await fetch(`${base}/validate`, { method: 'POST', body: form }));
      assert.is(got.length, 1, name);
      assert.is.not(got[0].status, 'error', name);
    }
    const asBody = (body: Buffer, type: string) =>
      fetch(`${base}/validate`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type } });
    assert.is((await records(await asBody(ttl, 'text/turtle'))).length, 1);
    assert.is((await records(await asBody(jsonld, 'application/ld+json'))).length, 3);
  } finally {
    await app.close();
  }
});

test('a multipart form cut short or with two files: a 400 naming "file", not a 500 nor the words of the library', async () => {
  const { app, base } = await start();
  try {
    const cut = await fetch(`${base}/validate`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.xml"\r\n\r\n<gmd:MD_Metadata',
    });
    assert.is(cut.status, 400);
    const c = (await cut.json()) as { error: string; parameter: string };
    assert.is(c.parameter, 'file');
    assert.match(c.error, /^the multipart form could not be read/);
    const two = new FormData();
    two.append('file', new Blob([ISO]), 'a.xml');
    two.append('file', new Blob([TOUR]), 'b.json');
    const t = await fetch(`${base}/validate`, { method: 'POST', body: two });
    assert.equal(await t.json(), { status: 400, error: 'one file per request', parameter: 'file' });
  } finally {
    await app.close();
  }
});

test("a misspelt parameter (the command line's fail-under) is a 400 naming it and the nearest one, not ignored", async () => {
  const { app, base } = await start();
  try {
    const r = await fetch(`${base}/validate?fail-under=300`, { method: 'POST', body: ISO, headers: { 'content-type': 'application/xml' } });
    assert.is(r.status, 400);
    const e = (await r.json()) as { error: string; parameter: string };
    assert.is(e.parameter, 'fail-under');
    assert.match(e.error, /^unknown parameter fail-under \(did you mean failUnder\?\)/);
    const form = new FormData();
    form.append('file', new Blob([ISO]), 'record.xml');
    form.append('xsd', 'true');
    form.append('lnks', 'true');
    const f = await fetch(`${base}/validate`, { method: 'POST', body: form });
    assert.is(f.status, 400);
    assert.is(((await f.json()) as { parameter: string }).parameter, 'lnks');
    // the form page's own fields all pass
    const page = new FormData();
    for (const [k, v] of [
      ['url', ''],
      ['type', 'auto'],
      ['links', 'false'],
      ['xsd', 'true'],
      ['format', 'json'],
    ])
      page.append(k, v);
    page.append('file', new Blob([ISO]), 'record.xml');
    const ok = await fetch(`${base}/validate`, { method: 'POST', body: page });
    assert.is(ok.status, 200, await ok.clone().text());
  } finally {
    await app.close();
  }
});

test('a body of a type the route does not take (curl --data-binary without -H): a 415 saying what to send', async () => {
  const { app, base } = await start();
  try {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const r = await fetch(`${base}/validate`, { method: 'POST', body: ISO, headers: { 'content-type': type } });
      assert.is(r.status, 415);
      assert.equal(await r.json(), {
        status: 415,
        error: `Content-Type ${type} is not taken: send a multipart form (the feed as "file"), or the feed itself as the body with Content-Type application/xml, text/xml, application/json, application/geo+json, text/turtle, application/n-triples or application/ld+json`,
        parameter: 'Content-Type',
      });
    }
    // the other errors still have the server's own handling
    const bad = await fetch(`${base}/validate?format=pdf`, { method: 'POST', body: ISO, headers: { 'content-type': 'application/xml' } });
    assert.equal(await bad.json(), { status: 400, error: 'format must be json or html (got "pdf")', parameter: 'format' });
  } finally {
    await app.close();
  }
});

test('POST an ISO dataset series embedding 2 members as the body, then a Dublin Core csw:Record: 3 records, then 1', async () => {
  const { app, base } = await start();
  try {
    const post = async (body: string) => {
      const r = await fetch(`${base}/validate`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
      assert.is(r.status, 200);
      return (await r.json()) as { summary: { records: number }; records: { id: string; location: string; format?: string }[] };
    };
    const series = await post(embeddedSeries().xml);
    assert.is(series.summary.records, 3);
    assert.equal(series.records.map((x) => x.id).sort(), [SERIES_ID, `${SERIES_ID}/member-2`, MEMBER_ID].sort());
    assert.ok(
      series.records.some((x) => / member 2 of 2$/.test(x.location)),
      JSON.stringify(series.records.map((x) => x.location)),
    );
    const dc = await post(readFileSync(projectPath('test', 'fixtures', 'csw', 'pycsw-apiso-GetRecordById-full-dc.xml'), 'utf8'));
    assert.equal(
      dc.records.map((x) => [x.id, x.format]),
      [['NS06agg', 'csw-record']],
    );
  } finally {
    await app.close();
  }
});

test.run();
