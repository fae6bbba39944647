/**
 * CSW requests as pure functions: the GetCapabilities URL, GetRecords as KVP (GET) or XML (POST), for
 * CSW 2.0.2 and 3.0, and the constraints (CQL text or OGC/FES Filter, plus the incremental
 * "modified since" condition).
 */
import { NS } from './records.js';

export type CswVersion = '2.0.2' | '3.0.0';

/** Prefixes a GetRecords XML body declares, so that typeNames, queryables and filters may use them. */
const PREFIXES: Record<string, string> = {
  csw: NS.csw202,
  csw30: NS.csw30,
  ogc: 'http://www.opengis.net/ogc',
  fes: 'http://www.opengis.net/fes/2.0',
  gml: 'http://www.opengis.net/gml',
  gmd: NS.gmd,
  gmi: NS.gmi,
  mdb: NS.mdb20,
  apiso: 'http://www.opengis.net/cat/csw/apiso/1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  dct: 'http://purl.org/dc/terms/',
  ows: NS.ows,
};

/** A constraint ready to send: CQL text or one Filter element (ogc:Filter for 2.0.2, fes:Filter for 3.0). */
export type Constraint = { cql: string } | { filter: string };

export interface GetRecordsParams {
  version: CswVersion;
  outputSchema: string;
  typeNames: string;
  startPosition: number;
  maxRecords: number;
  constraint?: Constraint;
  /** Default 'full'. */
  elementSetName?: 'brief' | 'summary' | 'full';
}

/** Keys this harvester sets in a KVP URL (compared case-insensitively with those already in the configured URL). */
const OWN_KEYS = new Set([
  'service',
  'version',
  'request',
  'acceptversions',
  'typenames',
  'resulttype',
  'elementsetname',
  'outputschema',
  'startposition',
  'maxrecords',
  'constraintlanguage',
  'constraint_language_version',
  'constraint',
  'namespace',
  'id',
]);

/** The configured URL with our KVP parameters set; other parameters of the URL (e.g. `?config=`) are kept. */
export function withKvp(base: string, params: [string, string][]): string {
  const u = new URL(base);
  const kept = [...u.searchParams].filter(([k]) => !OWN_KEYS.has(k.toLowerCase()));
  // Encoded by hand: URLSearchParams writes spaces as '+', which some CSW servers read literally inside CQL.
  u.search = [...kept, ...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return u.toString();
}

/** GetCapabilities, preferring CSW 2.0.2 (the version every server speaks) when the server offers both. */
export function capabilitiesUrl(base: string): string {
  return withKvp(base, [
    ['service', 'CSW'],
    ['request', 'GetCapabilities'],
    ['acceptVersions', '2.0.2,3.0.0'],
  ]);
}

/**
 * GetRecords as KVP. CSW 3.0 differs from 2.0.2: no resultType (3.0 always returns results), no
 * constraint_language_version.
 */
export function getRecordsUrl(base: string, p: GetRecordsParams): string {
  const params: [string, string][] = [
    ['service', 'CSW'],
    ['version', p.version],
    ['request', 'GetRecords'],
    ['typeNames', p.typeNames],
    ...(p.version === '2.0.2' ? [['resultType', 'results'] as [string, string]] : []),
    ['elementSetName', p.elementSetName ?? 'full'],
    ['outputSchema', p.outputSchema],
    ['startPosition', String(p.startPosition)],
    ['maxRecords', String(p.maxRecords)],
  ];
  if (p.constraint) {
    const isCql = 'cql' in p.constraint;
    params.push(['constraintLanguage', isCql ? 'CQL_TEXT' : 'FILTER']);
    if (p.version === '2.0.2') params.push(['constraint_language_version', '1.1.0']);
    params.push([
      'constraint',
      isCql ? (p.constraint as { cql: string }).cql : withOwnNamespace((p.constraint as { filter: string }).filter, p.version),
    ]);
  }
  return withKvp(base, params);
}

/** The GetRecordById URL of one record (its address at the source, for provenance and error reports). */
export function getRecordByIdUrl(base: string, p: { version: CswVersion; outputSchema: string; id: string }): string {
  return withKvp(base, [
    ['service', 'CSW'],
    ['version', p.version],
    ['request', 'GetRecordById'],
    ['id', p.id],
    ['elementSetName', 'full'],
    ['outputSchema', p.outputSchema],
  ]);
}

/** GetRecords as an XML document (POST). CSW 3.0 has no resultType attribute (pycsw validates and refuses it). */
export function getRecordsBody(p: GetRecordsParams): string {
  const c = p.version === '3.0.0' ? 'csw30' : 'csw';
  // A CSW 3.0 body does not mention the 2.0.2 namespace: pycsw picks the version of a POST by
  // searching the body for "cat/csw/2.0.2".
  const decls = Object.entries(PREFIXES)
    .filter(([k]) => (p.version === '3.0.0' ? k !== 'csw' : k !== 'csw30'))
    .map(([k, v]) => `xmlns:${k}="${v}"`)
    .join(' ');
  let constraint = '';
  if (p.constraint) {
    const inner = 'cql' in p.constraint ? `<${c}:CqlText>${escapeText(p.constraint.cql)}</${c}:CqlText>` : p.constraint.filter;
    constraint = `<${c}:Constraint version="${p.version === '3.0.0' ? '2.0.0' : '1.1.0'}">${inner}</${c}:Constraint>`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${c}:GetRecords ${decls} service="CSW" version="${p.version}"${p.version === '2.0.2' ? ' resultType="results"' : ''} ` +
    `startPosition="${p.startPosition}" maxRecords="${p.maxRecords}" outputSchema="${escapeAttr(p.outputSchema)}">` +
    `<${c}:Query typeNames="${escapeAttr(p.typeNames)}"><${c}:ElementSetName>${p.elementSetName ?? 'full'}</${c}:ElementSetName>${constraint}</${c}:Query>` +
    `</${c}:GetRecords>`
  );
}

/** The queryable for "modified since": apiso:Modified when advertised (ISO application profile), else dct:modified. */
export function modifiedQueryable(queryables: string[], typeNames: string): string {
  const iso = queryables.includes('apiso:Modified') || (queryables.length === 0 && !typeNames.startsWith('csw'));
  return iso ? 'apiso:Modified' : 'dct:modified';
}

/**
 * The configured constraint combined with `modified >= since` (incremental harvest):
 * CQL → `(cql) AND q >= 'since'`; Filter → `<Filter><And>{filter content}{q >= since}</And></Filter>`;
 * no constraint → the CQL condition alone.
 */
export function combineConstraint(
  configured: Constraint | undefined,
  modifiedSince: string | undefined,
  queryable: string,
  version: CswVersion,
): Constraint | undefined {
  if (modifiedSince === undefined) return configured;
  const cqlCond = `${queryable} >= '${modifiedSince.replace(/'/g, "''")}'`;
  if (configured === undefined) return { cql: cqlCond };
  if ('cql' in configured) return { cql: `(${configured.cql}) AND ${cqlCond}` };
  const f = splitFilter(configured.filter);
  const p = f.prefix ? `${f.prefix}:` : '';
  const fes = f.namespace === PREFIXES.fes || (f.namespace === undefined && version === '3.0.0');
  const prop = fes ? 'ValueReference' : 'PropertyName';
  const cond =
    `<${p}PropertyIsGreaterThanOrEqualTo><${p}${prop}>${queryable}</${p}${prop}>` +
    `<${p}Literal>${escapeText(modifiedSince)}</${p}Literal></${p}PropertyIsGreaterThanOrEqualTo>`;
  return { filter: `${f.startTag}<${p}And>${f.content}${cond}</${p}And></${f.name}>` };
}

/** A Filter element split into its start tag, name, prefix, namespace and content. Throws on anything else. */
export function splitFilter(filter: string): { startTag: string; name: string; prefix: string; namespace?: string; content: string } {
  const text = filter.trim().replace(/^<\?xml[^>]*\?>\s*/, '');
  const m = /^<(([\w.-]+):)?Filter\b([^>]*?)(\/?)>/.exec(text);
  if (!m) throw new Error('a Filter constraint must be one <ogc:Filter> or <fes:Filter> element');
  const name = m[1] ? `${m[2]}:Filter` : 'Filter';
  const prefix = m[2] ?? '';
  const decl = new RegExp(`xmlns${prefix ? ':' + prefix : ''}\\s*=\\s*["']([^"']*)["']`).exec(m[3]);
  const end = `</${name}>`;
  if (m[4] === '/') return { startTag: m[0].replace(/\/>$/, '>'), name, prefix, namespace: decl?.[1], content: '' };
  if (!text.endsWith(end)) throw new Error(`a Filter constraint must end with ${end}`);
  return {
    startTag: m[0],
    name,
    prefix,
    ...(decl ? { namespace: decl[1] } : {}),
    content: text.slice(m[0].length, text.length - end.length),
  };
}

/** A Filter sent by KVP must declare its own prefix: add ogc (2.0.2) or fes (3.0) when it does not. */
function withOwnNamespace(filter: string, version: CswVersion): string {
  const f = splitFilter(filter);
  if (f.namespace !== undefined) return filter.trim();
  const uri = PREFIXES[f.prefix] ?? (version === '3.0.0' ? PREFIXES.fes : PREFIXES.ogc);
  const start = f.startTag.replace(/^<([\w.:-]+)/, `<$1 ${f.prefix ? `xmlns:${f.prefix}` : 'xmlns'}="${uri}"`);
  return `${start}${f.content}</${f.name}>`;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
