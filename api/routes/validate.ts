/**
 * `POST /validate` and its form page `GET /validate`: a data centre checks a feed over HTTP, as `harvester validate`
 * does (pipelines/validate.ts), and gets the same JSON or HTML report back. Open to anyone (it changes nothing), so it
 * is bounded: one upload of at most `maxUploadBytes` (413 above), at most `maxRecords` records, `timeLimitMs` for the
 * whole validation (503 after), and a URL is fetched only through the SSRF guard (public http(s) addresses only, at
 * every redirect; the operator allows more with HUB_SSRF_ALLOW). Link checks (links=true) go through the same guard.
 *
 * A request is a multipart form (`file` or `url`, and `type`, `format`, `links`, `xsd`, `strict`, `failUnder`, `lang`),
 * or the file itself as the body (Content-Type application/xml, text/xml, application/json, application/geo+json, or
 * for a DCAT feed text/turtle, application/n-triples, application/ld+json) with the other parameters in the query
 * string. The form and the HTML report speak French or English, chosen as the catalogue pages choose (`lang`, else
 * Accept-Language, else French).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { UsageError } from '../../core/result.js';
import type { ParamValue, Phrase } from '../../core/texts/render.js';
import { rdfSyntax } from '../../core/rdf.js';
import { createSsrfGuard, type SsrfError } from '../../core/ssrf.js';
import { LinkChecker } from '../../pipelines/links.js';
import { htmlReads, htmlReport } from '../../pipelines/report/html.js';
import { jsonReport } from '../../pipelines/report/json.js';
import { reportStream } from '../../pipelines/report/output.js';
import {
  spoolReport,
  validateSources,
  type ValidateEvent,
  type ValidateInput,
  type ValidateOptions,
  type ValidateType,
} from '../../pipelines/validate.js';
import { sendError, type ApiContext } from '../http.js';
import { html, type Html } from '../pages/html.js';
import { chooseLang, requestLang, translator, type Lang } from '../pages/i18n.js';
import { layout, PATHS } from '../pages/layout.js';
import { sendPage } from '../pages/send.js';
import { checkKnown } from '../params.js';
import { answer, asJson, ERROR_BODY, errors } from '../responses.js';

/** Limits of POST /validate; defaults documented here. */
export const VALIDATE_LIMITS = {
  /** Largest upload, in bytes. 20 MiB: the largest real OZCAR file is 1.6 MB, a CSW page of 100 records about 2 MB. */
  maxUploadBytes: 20 * 1024 * 1024,
  /** Longest validation, in ms; under the server's request timeout (30 s). */
  timeLimitMs: 25_000,
  /** Records validated at most per request (a URL source is cut there, said in a notice). */
  maxRecords: 2_000,
};

const TYPES = ['csw', 'stac', 'stac-api', 'ozcar', 'resto', 'auto'];
const RAW_TYPES = /^(application\/(xml|json|geo\+json|ld\+json|n-triples|[\w.+-]+\+xml)|text\/(xml|turtle))\b/i;

/** The extension an upload is kept under, from its name, else its first characters (Turtle or N-Triples otherwise). */
function uploadExt(name: string | undefined, head: string): string {
  const ext = /\.(xml|json|rdf|ttl|nt|jsonld)$/i.exec(name ?? '')?.[0].toLowerCase();
  if (ext) return ext;
  // (what is not RDF/XML, JSON nor N-Triples is kept as Turtle, whose parser then says what is wrong with it)
  const BY_SYNTAX = { rdfxml: '.xml', jsonld: '.json', ntriples: '.nt' } as Record<string, string>;
  return BY_SYNTAX[rdfSyntax(undefined, undefined, head) ?? ''] ?? (head.trimStart().startsWith('<') ? '.xml' : '.ttl');
}

/** The extension of a feed sent as the body, from its Content-Type. */
function bodyExt(type: string): string {
  if (/turtle/i.test(type)) return '.ttl';
  if (/n-triples/i.test(type)) return '.nt';
  if (/ld\+json/i.test(type)) return '.jsonld';
  return /xml/i.test(type) ? '.xml' : '.json';
}

interface Params {
  url?: string;
  type: ValidateType;
  format: 'json' | 'html';
  links: boolean;
  xsd: boolean;
  strict: boolean;
  failUnder?: number;
  /** The language asked for the HTML report (the form sends the one it is shown in); see chooseLang. */
  lang?: string;
}

const truthy = (v: unknown) => v === true || v === 'true' || v === 'on' || v === '1';

/** A form field or query parameter as text (a repeated one: its first value). */
const field = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/** The parameters POST /validate takes, in the query string or the form (a misspelt one would be ignored: `fail-under`). */
const PARAMS = ['url', 'type', 'format', 'links', 'xsd', 'strict', 'failUnder', 'lang'];

function params(raw: Record<string, unknown>): Params {
  checkKnown(raw, PARAMS);
  const type = field(raw.type) ?? 'auto';
  if (!TYPES.includes(type)) throw new UsageError(`type must be csw, stac, stac-api, ozcar, resto or auto (got "${type}")`, 'type');
  const format = field(raw.format) ?? 'json';
  if (format !== 'json' && format !== 'html') throw new UsageError(`format must be json or html (got "${format}")`, 'format');
  let failUnder: number | undefined;
  const fu = field(raw.failUnder);
  if (fu !== undefined && fu !== '') {
    failUnder = Number(fu);
    if (!Number.isFinite(failUnder) || failUnder < 0 || failUnder > 405)
      throw new UsageError(`failUnder must be a number of MQA points from 0 to 405 (got "${fu}")`, 'failUnder');
  }
  const url = typeof raw.url === 'string' && raw.url.trim() ? raw.url.trim() : undefined;
  if (url !== undefined && !/^https?:\/\/\S+$/i.test(url)) throw new UsageError(`url must be an http(s) URL (got "${url}")`, 'url');
  if (truthy(raw.strict) && !truthy(raw.xsd)) throw new UsageError('strict makes XML schema errors blocking: it goes with xsd', 'strict');
  return {
    url,
    type: type as ValidateType,
    format,
    links: truthy(raw.links),
    xsd: truthy(raw.xsd),
    strict: truthy(raw.strict),
    ...(failUnder !== undefined ? { failUnder } : {}),
    ...(field(raw.lang) !== undefined ? { lang: field(raw.lang) } : {}),
  };
}

/** The request's parameters and its uploaded file (written to `dir`), from a multipart form or a raw body. */
async function readRequest(req: FastifyRequest, dir: string): Promise<{ p: Params; file?: string }> {
  const fields: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  let file: string | undefined;
  if (req.isMultipart()) {
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file')
            throw new UsageError(`unexpected file field "${part.fieldname}": send the feed as "file"`, part.fieldname);
          const buf = await part.toBuffer();
          if (buf.length === 0) continue; // the form's empty file input
          if (file) throw new UsageError('one file per request', 'file');
          // the upload keeps its name's extension only (never a path taken from the request)
          file = join(dir, `upload${uploadExt(part.filename, buf.subarray(0, 256).toString())}`);
          await writeFile(file, buf);
        } else fields[part.fieldname] = part.value;
      }
    } catch (err) {
      throw multipartError(err);
    }
  } else if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    file = join(dir, `upload${bodyExt(req.headers['content-type'] ?? '')}`);
    await writeFile(file, req.body);
  }
  const p = params(fields);
  if (!file && !p.url) throw new UsageError('give the feed: a file (field "file", or the request body) or a URL (field "url")', 'file');
  if (file && p.url) throw new UsageError('give a file or a URL, not both', 'url');
  return { p, ...(file ? { file } : {}) };
}

/**
 * What a multipart form that cannot be read is, said to its sender: a second file is a mistake (400, as the route says
 * it), a form cut short or malformed too (busboy throws a bare Error: it was a 500); a limit passed keeps its 413.
 */
function multipartError(err: unknown): unknown {
  if (err instanceof UsageError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT') return new UsageError('one file per request', 'file');
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== undefined && status !== 500) return err;
  return new UsageError(`the multipart form could not be read (${(err as Error).message}): send it whole, the feed as "file"`, 'file');
}

/**
 * The uploaded file's temporary path is nobody's business: the report names it "upload", in the messages and in the
 * values their French is made of.
 */
async function* asUpload(events: AsyncIterable<ValidateEvent>, file: string): AsyncGenerator<ValidateEvent> {
  const hide = (text: string) => text.split(file).join('upload');
  const hideValue = (v: ParamValue): ParamValue =>
    typeof v === 'string'
      ? hide(v)
      : typeof v === 'number'
        ? v
        : Array.isArray(v)
          ? v.map(hideValue)
          : v.params
            ? ({ ...v, params: hideAll(v.params) } as Phrase)
            : v;
  const hideAll = (p: Record<string, ParamValue>) => Object.fromEntries(Object.entries(p).map(([k, x]) => [k, hideValue(x)]));
  const hideIn = <M extends { message: string; params?: Record<string, ParamValue> }>(m: M): M => ({
    ...m,
    message: hide(m.message),
    ...(m.params ? { params: hideAll(m.params) } : {}),
  });
  for await (const e of events) {
    if (e.kind === 'source') yield { kind: 'source', label: 'upload' };
    else if (e.kind === 'notice') yield hideIn(e);
    else {
      const r = e.report;
      r.location = r.location.replace(file, 'upload');
      if (r.id === file) r.id = 'upload';
      r.errors = r.errors.map(hideIn);
      yield e;
    }
  }
}

/**
 * The form, in the reader's language (the catalogue pages' rules and language switch, api/pages/i18n.ts); it sends
 * the language it is shown in (a hidden `lang`), so that the HTML report comes back in the same one.
 */
function formPage(lang: Lang, explicitLang: boolean, url: string): Html {
  const tr = translator(lang);
  const types = ['auto', 'csw', 'stac', 'stac-api', 'ozcar', 'resto'] as const;
  return layout({
    lang,
    explicitLang,
    url,
    section: 'validate',
    title: tr('validate.title'),
    body: html`<h1>${tr('validate.title')}</h1>
      <p>${tr('validate.intro')}</p>
      <form method="post" action="validate" enctype="multipart/form-data" class="validate">
        <input type="hidden" name="lang" value="${lang}" />
        <fieldset>
          <legend>${tr('validate.feed')}</legend>
          <p>
            <label for="v-file">${tr('validate.file')}</label>
            <input id="v-file" type="file" name="file" accept=".xml,.json,.rdf,.ttl,.nt,.jsonld" aria-describedby="v-file-hint" />
          </p>
          <p class="hint" id="v-file-hint">${tr('validate.file.hint')}</p>
          <p>
            <label for="v-url">${tr('validate.url')}</label>
            <input id="v-url" type="url" name="url" placeholder="https://catalogue.example.org/csw" aria-describedby="v-url-hint" />
          </p>
          <p class="hint" id="v-url-hint">${tr('validate.url.hint')}</p>
          <p>
            <label for="v-type">${tr('validate.type')}</label>
            <select id="v-type" name="type">
              ${types.map((t) => html`<option value="${t}">${tr(`validate.type.${t}`)}</option>`)}
            </select>
          </p>
        </fieldset>
        <fieldset>
          <legend>${tr('validate.checks')}</legend>
          <p><input id="v-links" type="checkbox" name="links" value="true" /> <label for="v-links">${tr('validate.links')}</label></p>
          <p><input id="v-xsd" type="checkbox" name="xsd" value="true" /> <label for="v-xsd">${tr('validate.xsd')}</label></p>
        </fieldset>
        <p>
          <label for="v-format">${tr('validate.format')}</label>
          <select id="v-format" name="format">
            <option value="html">${tr('validate.format.html')}</option>
            <option value="json">${tr('validate.format.json')}</option>
          </select>
        </p>
        <p class="hint">${tr('validate.time')}</p>
        <p><button type="submit">${tr('validate.submit')}</button></p>
      </form>`,
  });
}

export async function validateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const limits = VALIDATE_LIMITS;
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: limits.maxUploadBytes, files: 1, fields: 20, fieldSize: 4096, parts: 30 } });
    // a feed sent as the body itself, JSON included: the server's JSON parser would hand the route an object (or refuse
    // a broken file with its own words), where the route validates the file as it is
    scope.removeContentTypeParser(['application/json', 'text/plain']); // text/plain: a 415 saying what to send (below)
    scope.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: limits.maxUploadBytes }, (_req, body, done) => done(null, body));
    // a body of another type (curl --data-binary without -H sends a form's type) is told what to send instead
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      if (err.code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw err;
      return sendError(
        reply,
        415,
        `Content-Type ${String(req.headers['content-type'] ?? '(none)').split(';')[0]} is not taken: send a multipart form (the feed as "file"), or the feed itself as the body with Content-Type application/xml, text/xml, application/json, application/geo+json, text/turtle, application/n-triples or application/ld+json`,
        'Content-Type',
      );
    });

    scope.get(
      PATHS.validate,
      {
        schema: {
          summary: 'The form that sends a feed to POST /validate',
          tags: ['validate'],
          response: { 200: answer('The form.', { 'text/html': undefined }) },
        },
      },
      async (req, reply) => {
        const { lang, explicit } = requestLang(req);
        return sendPage(reply, formPage(lang, explicit, req.url), lang);
      },
    );

    scope.post(
      PATHS.validate,
      {
        bodyLimit: limits.maxUploadBytes,
        schema: {
          summary:
            'Validate a feed: a multipart form (file or url, and type, format, links, xsd, strict, failUnder, lang) or the file as the body',
          description:
            'The report of harvester validate, as JSON or HTML (format); x-validation-exit is its exit code. Documented in docs/validate.md.',
          tags: ['validate'],
          response: {
            200: answer('The report.', { 'application/json': { type: 'object' }, 'text/html': undefined }),
            ...errors(400, 413, 415),
            503: answer('The validation did not finish in time.', { 'application/json': ERROR_BODY }),
          },
        },
        serializerCompiler: asJson,
      },
      async (req, reply) => {
        const dir = await mkdtemp(join(tmpdir(), 'hub-validate-'));
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), limits.timeLimitMs);
        try {
          const { p, file } = await readRequest(req, dir);
          const guard = createSsrfGuard(ctx.ssrfAllow ?? []);
          if (p.url) {
            try {
              guard.checkUrl(p.url);
            } catch (err) {
              throw new UsageError(`url: ${(err as SsrfError).message}`, 'url');
            }
          }
          const input: ValidateInput = file ? { file } : { url: p.url!, type: p.type };
          const o: ValidateOptions = {
            source: 'validate',
            uploaded: true,
            guard,
            xsd: p.xsd,
            strict: p.strict,
            ...(p.links ? { links: new LinkChecker({ guard }) } : {}),
            ...(p.failUnder !== undefined ? { failUnder: p.failUnder } : {}),
            maxRecords: limits.maxRecords,
            http: { timeoutMs: Math.min(15_000, limits.timeLimitMs), maxBytes: limits.maxUploadBytes, retries: 0 },
            signal: abort.signal,
          };
          const events = validateSources([input], o);
          const report = await spoolReport(file ? asUpload(events, file) : events, o, p.format === 'html' ? htmlReads : undefined);
          let sending = false;
          try {
            if (abort.signal.aborted)
              return sendError(
                reply,
                503,
                `the validation did not finish within ${limits.timeLimitMs / 1000} s: validate a smaller part of the feed, or run harvester validate`,
              );
            void reply.header('x-validation-exit', String(report.head.exitCode));
            // the page in the language asked for (the form's), else the reader's; JSON is a machine's, without one
            const lang = p.format === 'html' ? chooseLang(p.lang, req).lang : undefined;
            if (lang) void reply.header('Content-Language', lang).header('Vary', 'Accept-Language');
            // written as it is read from the spool; the spool goes when the reply ends (or the client leaves)
            const body = reportStream(lang ? htmlReport(report.head, report.records, lang) : jsonReport(report.head, report.records));
            body.once('close', () => report.close());
            sending = true;
            return reply.type(lang ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8').send(body);
          } finally {
            if (!sending) report.close();
          }
        } finally {
          clearTimeout(timer);
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
