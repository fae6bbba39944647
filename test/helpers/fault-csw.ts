/**
 * A CSW 2.0.2 server whose faults a test switches per request (node:http on loopback, test-only): it serves a
 * catalogue of generated ISO 19139 records (scripts/samples/iso-generator.ts, or any records given) by GetRecords
 * (KVP GET or XML POST; pages capped at `pageCap` as pycsw caps them at server.maxrecords) and GetRecordById, with the
 * capabilities of a real pycsw.
 *
 *   const csw = await faultyCsw({ records: generatedRecords(300), pageCap: 25 });
 *   csw.fault = (req) => (req.page === 3 ? { status: 500 } : undefined);  // a fault per request
 *   csw.spoil(csw.records[51].id, 'entity-in-id');                        // a bad record, wherever it is served
 *   csw.records = csw.records.slice(0, 180);                              // a shrunken catalogue ([] : empty)
 *   csw.records[3] = touched(csw.records[3], new Date());                 // a record modified now (new dateStamp)
 *   ... harvest csw.url ...; csw.requests lists what was asked; await csw.close();
 *
 * Request faults: a status code (with a body), an HTML error page with status 200 (a proxy's 502 page), a hang (no
 * answer until the server closes), a delay, a connection reset, a body cut short (with a Content-Length that
 * matches the cut body, as a buggy server or proxy sends it, or one that does not). Record faults apply to every
 * response that holds the record: an undeclared entity in its fileIdentifier, a mismatched end tag, a DOCTYPE
 * declaring entities on the response, the response cut in the middle of the record, no identificationInfo, the
 * record served as a csw:Record (Dublin Core, not ISO) or as a DataCite record (a format no crosswalk reads); `byId: false` keeps GetRecordById answering the record intact.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { generateIsoRecord, generatedId } from '../../scripts/samples/iso-generator.js';
import { projectPath } from '../../schemas/paths.js';

export interface CatalogueRecord {
  /** The record's fileIdentifier. */
  id: string;
  /** The record: one gmd:MD_Metadata element that declares its namespaces. */
  xml: string;
}

/** The record's metadata date stamp (gmd:dateStamp) as an instant (a date-time without zone is UTC), if it has one. */
export function dateStampOf(r: CatalogueRecord): number | undefined {
  const m = /<gmd:dateStamp>\s*<gco:(?:DateTime|Date)>([^<]+)</.exec(r.xml);
  if (!m) return undefined;
  const text = m[1].trim();
  const t = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(t) ? undefined : t;
}

/** The record modified at `at`: its date stamp set to it and its title changed (what a data centre's edit does). */
export function touched(r: CatalogueRecord, at: Date, note = 'revised'): CatalogueRecord {
  const stamp = at.toISOString().slice(0, 19);
  const xml = r.xml
    .replace(/<gmd:dateStamp>\s*<gco:(DateTime|Date)>[^<]*<\/gco:\1>/, `<gmd:dateStamp><gco:DateTime>${stamp}</gco:DateTime>`)
    .replace(/(<gmd:title\b[^>]*>\s*<gco:CharacterString>)([^<]*)/, `$1$2 (${note} ${stamp})`);
  return { id: r.id, xml };
}

/**
 * The lower bound of a "modified since" constraint (CQL `apiso:Modified >= '...'` or an OGC Filter
 * PropertyIsGreaterThanOrEqualTo on apiso:Modified / dct:modified), if the request has one.
 */
function modifiedSince(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const cql = /(?:apiso:Modified|dct:modified)\s*>=\s*'([^']+)'/i.exec(constraint);
  if (cql) return cql[1];
  const filter =
    /PropertyIsGreaterThanOrEqualTo>\s*<(?:\w+:)?(?:PropertyName|ValueReference)>\s*(?:apiso:Modified|dct:modified)\s*<\/[^>]+>\s*<(?:\w+:)?Literal>([^<]+)</i.exec(
      constraint,
    );
  return filter?.[1];
}

/** `n` generated ISO 19139 records, numbered from `from` (deterministic: the same numbers give the same records). */
export function generatedRecords(n: number, from = 0): CatalogueRecord[] {
  return Array.from({ length: n }, (_, k) => ({ id: generatedId(from + k), xml: generateIsoRecord(from + k) }));
}

export interface CswRequest {
  /** Request number, from 1, in the order they arrived. */
  n: number;
  op: 'GetCapabilities' | 'GetRecords' | 'GetRecordById' | 'other';
  method: string;
  /** The request URL as received (path and query). */
  url: string;
  /** GetRecords: startPosition and maxRecords asked. */
  start?: number;
  max?: number;
  /** GetRecords: the page number when pages are `pageCap` records (1 for startPosition 1..pageCap). */
  page?: number;
  /** GetRecordById: the id asked. */
  id?: string;
  /** GetRecords: the constraint sent (CQL text or the Filter element), if any. */
  constraint?: string;
  /** GetRecords: the lower bound of its "modified since" condition, if it has one (only records stamped since are served). */
  modifiedSince?: string;
  /** The outputSchema asked (GetRecords, GetRecordById): records are served as csw:Record for the CSW namespace. */
  outputSchema?: string;
  /** Identifiers of the records this answer holds (GetRecords, GetRecordById), before any fault. */
  ids: string[];
}

export type Fault =
  | { status: number; body?: string; type?: string }
  /** An HTML error page served with status 200 (a reverse proxy's "502 Bad Gateway" page). */
  | { html: true }
  /** No answer at all until the server closes (the client's timeout decides). */
  | { hang: true }
  /** The normal answer, after a delay. */
  | { delayMs: number }
  /** The connection is closed without an answer. */
  | { reset: true }
  /** The normal answer cut after this share of its bytes (0..1); `lie`: Content-Length says the full length. */
  | { cut: number; lie?: boolean };

export type RecordFault =
  /** `&undeclared;` inside its fileIdentifier (the record fails at parse; the page itself splits fine). */
  | 'entity-in-id'
  /** One mismatched end tag inside the record: the whole page is not well-formed. */
  | 'mismatched-tag'
  /** A DOCTYPE declaring entities on every response holding the record. */
  | 'doctype-entities'
  /** The response ends in the middle of the record (Content-Length of the cut body). */
  | 'truncated'
  /** The record has no identificationInfo (well-formed; no title). */
  | 'no-identification'
  /** The record is served as a csw:Record (Dublin Core), not ISO. */
  | 'not-iso'
  /** The record is served in a format no crosswalk reads (a DataCite record, its identifier the record's). */
  | 'unknown-format';

export interface FaultyCsw {
  /** The endpoint, http://127.0.0.1:PORT/csw. */
  readonly url: string;
  /** The catalogue, in the server's order: assign a shorter list to shrink it, [] to empty it. */
  records: CatalogueRecord[];
  /** Most records per GetRecords answer, whatever is asked (pycsw's server.maxrecords). */
  pageCap: number;
  /** Chooses a fault for a request (undefined: answer normally). */
  fault?: (req: CswRequest) => Fault | undefined;
  /** Whether a GetRecords request matches a record (how the server applies its constraint); default every record. */
  matches?: (r: CatalogueRecord, req: CswRequest) => boolean;
  /** Called for every request before it is answered (e.g. to cut a proxy at a chosen point). */
  onRequest?: (req: CswRequest) => void;
  /** Every request, in order. */
  readonly requests: CswRequest[];
  /** A record fault, applied wherever the record is served (GetRecordById too unless byId is false). */
  spoil(id: string, fault: RecordFault, opts?: { byId?: boolean }): void;
  /** Removes every record fault. */
  mend(): void;
  /** Requests being answered now (from arrival to the end of the answer or of the connection). */
  readonly inFlight: number;
  /** The most requests answered at once since the start (or the last resetPeak). */
  readonly maxInFlight: number;
  resetPeak(): void;
  /** GetRecords requests only. */
  pageRequests(): CswRequest[];
  close(): Promise<void>;
}

const CAPS = readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8');
const HTML_502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p>
<hr><address>Apache/2.4.57 (Debian) Server at catalogue.example.org Port 443</address></body></html>`;
const NS =
  'xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dct="http://purl.org/dc/terms/" ' +
  'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:ows="http://www.opengis.net/ows"';

/** A record with its fault applied; `cutHere` marks where a 'truncated' record cuts the response. */
const CUT_MARK = '\u0000CUT\u0000';
function spoilt(r: CatalogueRecord, fault: RecordFault | undefined): string {
  switch (fault) {
    case undefined:
    case 'doctype-entities':
      return r.xml;
    case 'entity-in-id':
      return r.xml.replace(`>${r.id}</gco:CharacterString>`, `>${r.id}&undeclared;</gco:CharacterString>`);
    case 'mismatched-tag':
      return r.xml.replace('</gmd:dateStamp>', '</gmd:dateStampp>');
    case 'truncated': {
      const at = r.xml.indexOf('<gmd:identificationInfo>');
      return r.xml.slice(0, at) + CUT_MARK + r.xml.slice(at);
    }
    case 'no-identification':
      return r.xml.replace(/<gmd:identificationInfo>[\s\S]*<\/gmd:identificationInfo>/, '');
    case 'not-iso':
      return `<csw:Record ${NS}><dc:identifier>${r.id}</dc:identifier><dc:title>A Dublin Core record</dc:title><dc:type>dataset</dc:type></csw:Record>`;
    case 'unknown-format':
      return `<resource xmlns="http://datacite.org/schema/kernel-4"><identifier identifierType="DOI">${r.id}</identifier><titles><title>A DataCite record</title></titles></resource>`;
  }
}

function respond(res: ServerResponse, body: string, type = 'application/xml; charset=UTF-8', status = 200): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': type, 'content-length': bytes.length });
  res.end(bytes);
}

export async function faultyCsw(opts: { records: CatalogueRecord[]; pageCap?: number }): Promise<FaultyCsw> {
  const requests: CswRequest[] = [];
  const spoilt_ = new Map<string, { fault: RecordFault; byId: boolean }>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let url = '';

  const flight = { now: 0, max: 0 };
  const state: FaultyCsw = {
    get inFlight() {
      return flight.now;
    },
    get maxInFlight() {
      return flight.max;
    },
    resetPeak() {
      flight.max = flight.now;
    },
    get url() {
      return url;
    },
    records: opts.records,
    pageCap: opts.pageCap ?? 25,
    requests,
    spoil(id, fault, o = {}) {
      spoilt_.set(id, { fault, byId: o.byId ?? true });
    },
    mend() {
      spoilt_.clear();
    },
    pageRequests: () => requests.filter((r) => r.op === 'GetRecords'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  /** The body of an answer and the faults of the records it holds. */
  function answer(req: CswRequest, params: Map<string, string>): { body: string; status?: number; records: RecordFault[] } {
    if (req.op === 'GetCapabilities') return { body: CAPS.replaceAll('http://127.0.0.1:8765/', url), records: [] };
    if (req.op === 'GetRecords') {
      // a "modified since" condition: only the records whose date stamp is at or after it (as pycsw reads apiso:Modified)
      const since = req.modifiedSince !== undefined ? Date.parse(req.modifiedSince) : undefined;
      const all = state.records.filter(
        (r) => (since === undefined || (dateStampOf(r) ?? -Infinity) >= since) && (state.matches?.(r, req) ?? true),
      );
      const start = Math.max(1, req.start ?? 1);
      const take = Math.max(0, Math.min(req.max ?? 10, state.pageCap, all.length - start + 1));
      const page = all.slice(start - 1, start - 1 + take);
      req.ids = page.map((r) => r.id);
      const next = start + take > all.length ? 0 : start + take;
      // Dublin Core asked for (e.g. a brief listing): every record as a csw:Record, no record fault applies
      const dc = /opengis\.net\/cat\/csw/.test(req.outputSchema ?? '');
      const faults = page.map((r) => (dc ? 'not-iso' : spoilt_.get(r.id)?.fault));
      return {
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<csw:GetRecordsResponse ${NS} version="2.0.2"><csw:SearchStatus timestamp="2026-12-01T00:00:00Z"/>` +
          `<csw:SearchResults numberOfRecordsMatched="${all.length}" numberOfRecordsReturned="${take}" nextRecord="${next}" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">` +
          page.map((r, k) => spoilt(r, faults[k])).join('\n') +
          `</csw:SearchResults></csw:GetRecordsResponse>`,
        records: dc ? [] : faults.filter((f): f is RecordFault => f !== undefined),
      };
    }
    if (req.op === 'GetRecordById') {
      const r = state.records.find((x) => x.id === req.id);
      if (!r) {
        return {
          status: 404,
          body: `<ows:ExceptionReport ${NS} version="1.2.0"><ows:Exception exceptionCode="NotFound" locator="id"><ows:ExceptionText>no record ${req.id}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
          records: [],
        };
      }
      req.ids = [r.id];
      const s = spoilt_.get(r.id);
      const fault = s?.byId ? s.fault : undefined;
      return {
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<csw:GetRecordByIdResponse ${NS}>${spoilt(r, fault)}</csw:GetRecordByIdResponse>`,
        records: fault ? [fault] : [],
      };
    }
    void params;
    return {
      status: 400,
      body: `<ows:ExceptionReport ${NS} version="1.2.0"><ows:Exception exceptionCode="OperationNotSupported" locator="request"/></ows:ExceptionReport>`,
      records: [],
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const params = new Map([...u.searchParams].map(([k, v]) => [k.toLowerCase(), v] as [string, string]));
    const request = (
      params.get('request') ??
      /<(?:[\w]+:)?(GetRecords|GetRecordById|GetCapabilities)\b/.exec(body)?.[1] ??
      ''
    ).toLowerCase();
    const op: CswRequest['op'] =
      request === 'getcapabilities'
        ? 'GetCapabilities'
        : request === 'getrecords'
          ? 'GetRecords'
          : request === 'getrecordbyid'
            ? 'GetRecordById'
            : 'other';
    const r: CswRequest = { n: requests.length + 1, op, method: req.method ?? 'GET', url: req.url ?? '/', ids: [] };
    if (op === 'GetRecords') {
      r.start = Number(params.get('startposition') ?? /startPosition="(\d+)"/.exec(body)?.[1] ?? 1);
      r.max = Number(params.get('maxrecords') ?? /maxRecords="(\d+)"/.exec(body)?.[1] ?? 10);
      r.page = Math.floor((r.start - 1) / state.pageCap) + 1;
      const constraint = params.get('constraint') ?? /<(?:\w+:)?Constraint\b[\s\S]*<\/(?:\w+:)?Constraint>/.exec(body)?.[0];
      if (constraint) r.constraint = constraint;
      const since = modifiedSince(constraint);
      if (since !== undefined) r.modifiedSince = since;
    }
    if (op === 'GetRecordById') r.id = params.get('id');
    const schema = params.get('outputschema') ?? /outputSchema="([^"]*)"/.exec(body)?.[1];
    if (schema) r.outputSchema = schema;
    const a = answer(r, params);
    requests.push(r);
    state.onRequest?.(r);
    const fault = state.fault?.(r);
    let text = a.body;
    if (a.records.includes('doctype-entities')) {
      text = text.replace(/^(<\?xml[^>]*\?>\n)/, `$1<!DOCTYPE csw:GetRecordsResponse [\n  <!ENTITY hub "hub">\n]>\n`);
    }
    const cutAt = text.indexOf(CUT_MARK);
    if (cutAt >= 0) text = text.slice(0, cutAt);
    if (!fault) return respond(res, text, undefined, a.status ?? 200);
    if ('status' in fault) return respond(res, fault.body ?? `error ${fault.status}`, fault.type ?? 'text/plain', fault.status);
    if ('html' in fault) return respond(res, HTML_502, 'text/html; charset=UTF-8');
    if ('hang' in fault) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if ('delayMs' in fault) {
      hanging.add(res);
      const t = setTimeout(() => {
        hanging.delete(res);
        respond(res, text, undefined, a.status ?? 200);
      }, fault.delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if ('reset' in fault) {
      req.socket.destroy();
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.subarray(0, Math.floor(bytes.length * fault.cut));
    res.writeHead(200, { 'content-type': 'application/xml; charset=UTF-8', 'content-length': fault.lie ? bytes.length : cut.length });
    if (fault.lie) {
      res.write(cut);
      res.socket?.destroy();
    } else res.end(cut);
  }

  const server = createServer((req, res) => {
    flight.now++;
    flight.max = Math.max(flight.max, flight.now);
    res.on('close', () => flight.now--);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/csw`;
  return state;
}
