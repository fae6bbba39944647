/**
 * Content negotiation of the RDF pages (/catalog, /records/{id}): a file suffix (.ttl, .rdf, .jsonld, .nt) wins, then
 * the Accept header (q-values honoured, wildcards allowed), then the route's default.
 */
import { RDF_FORMATS, RDF_MEDIA_TYPE, RDF_SUFFIX, type RdfFormat } from '../mappings/rdf/serialize.js';

/** Media types each serialisation answers to (the first is what Content-Type says). */
const ACCEPTED: Record<RdfFormat, string[]> = {
  turtle: ['text/turtle', 'application/x-turtle', 'text/n3'],
  rdfxml: ['application/rdf+xml', 'application/xml', 'text/xml'],
  jsonld: ['application/ld+json', 'application/json'],
  ntriples: ['application/n-triples', 'text/plain'],
};

/** The serialisation of a path suffix, and the path without it. */
export function suffixFormat(path: string): { format?: RdfFormat; base: string } {
  for (const f of RDF_FORMATS) {
    const s = `.${RDF_SUFFIX[f]}`;
    if (path.endsWith(s)) return { format: f, base: path.slice(0, -s.length) };
  }
  return { base: path };
}

/**
 * The serialisation an Accept header asks for; `fallback` when it names none of ours but accepts anything (or is
 * absent); undefined when it accepts none of ours (a 406).
 */
export function acceptFormat(accept: string | undefined, fallback: RdfFormat): RdfFormat | undefined {
  if (!accept || !accept.trim()) return fallback;
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { type: type.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === '*/*') return fallback;
    for (const f of RDF_FORMATS) if (ACCEPTED[f].includes(r.type)) return f;
    if (r.type.endsWith('/*') && ACCEPTED[fallback].some((t) => t.startsWith(r.type.slice(0, -1)))) return fallback;
  }
  return undefined;
}

export function mediaType(format: RdfFormat): string {
  return `${RDF_MEDIA_TYPE[format]}; charset=utf-8`;
}

export const OFFERED = RDF_FORMATS.map((f) => RDF_MEDIA_TYPE[f]).join(', ');
