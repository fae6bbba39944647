/**
 * FAIR Signposting (https://signposting.org/FAIR/) for a record's page: typed links in the HTTP `Link` header that
 * tell a machine arriving at the landing page where the persistent identifier, the metadata, the licence, the authors
 * and the data are, without reading the HTML (F-UJI and the `signposting` client read them). Level 1:
 * - `cite-as`: the record's DOI, else its Handle (none when it has neither: the hub's page is no persistent id);
 * - `describedby`: the record's DCAT-AP in JSON-LD, Turtle and RDF/XML (GET /records/{id});
 * - `type`: schema.org's AboutPage (a landing page) and Dataset (or WebAPI for a data service);
 * - `license`: the licence IRIs; `author`: the authors' ORCID (or other http) IRIs;
 * - `item`: the download URLs (with their media type), the first ITEMS_MAX.
 * Only plain http(s) URLs are written (no space, quote, `<`, `>` or comma), so that a record's value cannot break the
 * header.
 */
import type { HubRecord } from '../schemas/record.js';
import { authorAgents } from '../mappings/oai-dc.js';
import { globalIdentifiers } from '../mappings/pid.js';

/** Download links written at most (a granule collection may list thousands). */
export const ITEMS_MAX = 50;

const PLAIN = /^https?:\/\/[^\s"<>,]+$/i;
const MEDIA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\/([\w.+-]+\/[\w.+-]+)$/;

/** The `Link` header of a record's page; `metadata(format)` is the absolute URL of its DCAT-AP in that format. */
export function recordSignposts(r: HubRecord, metadata: (format: 'jsonld' | 'ttl' | 'rdf') => string): string {
  const links: string[] = [];
  const add = (url: string | undefined, rel: string, type?: string) => {
    if (url && PLAIN.test(url)) links.push(`<${url}>; rel="${rel}"${type ? `; type="${type}"` : ''}`);
  };
  add(globalIdentifiers(r)[0]?.url, 'cite-as');
  add(metadata('jsonld'), 'describedby', 'application/ld+json');
  add(metadata('ttl'), 'describedby', 'text/turtle');
  add(metadata('rdf'), 'describedby', 'application/rdf+xml');
  add('https://schema.org/AboutPage', 'type');
  add(r['@type'][0] === 'dcat:DataService' ? 'https://schema.org/WebAPI' : 'https://schema.org/Dataset', 'type');
  for (const l of r.license ?? []) add(l['@id'], 'license');
  for (const a of authorAgents(r))
    add(
      [a['@id'], ...(a.identifier ?? [])].find((v) => v && PLAIN.test(v)),
      'author',
    );
  let items = 0;
  for (const d of r.distribution ?? []) {
    if (!d.downloadURL || !PLAIN.test(d.downloadURL) || items >= ITEMS_MAX) continue;
    add(d.downloadURL, 'item', MEDIA.exec(d.mediaType?.['@id'] ?? '')?.[1]);
    items++;
  }
  return [...new Set(links)].join(', ');
}
