/**
 * The identifiers that name the same dataset wherever the hub harvests it from: data centres' catalogues harvest each
 * other, so one dataset often reaches the hub by two sources, each copy keeping the identifiers the data centre gave
 * it. Two records of different sources that share one of these keys are copies of one dataset (pipelines/duplicates.ts
 * links them). A key is a scheme prefix and a normalised value, one keyword each:
 *
 * | key | from | normalised |
 * | --- | --- | --- |
 * | `doi:10.1234/abc` | a DOI among the record's identifiers (`otherIdentifier`, the source's own identifier), any spelling | the bare DOI, lower case (DOIs ignore case) |
 * | `hdl:20.500.1/abc` | a Handle (same places, mappings/pid.ts) | the bare handle, lower case |
 * | `id:…` | the source's own record identifier (ISO fileIdentifier, STAC item id, OZCAR id) | trimmed, lower case (UUIDs are written in both cases) |
 * | `iri:https://…` | another identifier that is an http(s) IRI (not a DOI or Handle resolver URL) | as given, without a trailing slash |
 *
 * A record identifier shorter than MIN_ID_LENGTH characters or made of digits only (`42`, `20190001`) is left out:
 * such identifiers are numbers within one catalogue, not names of a dataset, and two catalogues' record 42 are
 * unrelated. Other identifiers without a scheme (a code of a local register) are left out for the same reason.
 */
import { doiIri } from '../core/vocab.js';
import type { HubRecord } from '../schemas/record.js';
import { globalIdentifiers } from './pid.js';

/** Shortest record identifier taken as a key (a UUID has 36 characters; a STAC product name dozens). */
export const MIN_ID_LENGTH = 8;

/** Whether a source's record identifier names a dataset beyond its catalogue (see the file comment). */
export function identifierIsKey(id: string): boolean {
  const t = id.trim();
  return t.length >= MIN_ID_LENGTH && !/^\d+$/.test(t);
}

/** The keys of a record, each once, in the order of the table above. */
export function dupKeys(r: HubRecord): string[] {
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  for (const pid of globalIdentifiers(r)) {
    if (pid.scheme === 'doi') add('doi:' + pid.url.slice('https://doi.org/'.length).toLowerCase());
    else add('hdl:' + pid.url.slice('https://hdl.handle.net/'.length).toLowerCase());
  }
  const own = r.isPrimaryTopicOf.identifier;
  if (typeof own === 'string' && identifierIsKey(own)) add('id:' + own.trim().toLowerCase());
  for (const i of r.otherIdentifier ?? []) {
    const n = typeof i.notation === 'string' ? i.notation.trim() : '';
    if (!/^https?:\/\/\S+$/i.test(n) || doiIri(n) || /^https?:\/\/hdl\.handle\.net\//i.test(n)) continue;
    add('iri:' + n.replace(/\/+$/, ''));
  }
  return keys;
}

function hostOf(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
}

/**
 * The hosts a record's dataset lives on: of its landing pages, of its own identifier and of its other identifiers when
 * they are http(s) IRIs (not DOI or Handle resolvers), lower case, without `www.`. The copy whose hosts are its own
 * source's site is the original (pipelines/duplicates.ts).
 */
export function dupHosts(r: HubRecord): string[] {
  const hosts = [
    ...(r.landingPage ?? []).map((p) => hostOf(p['@id'])),
    hostOf(r.isPrimaryTopicOf.identifier),
    ...(r.otherIdentifier ?? []).map((i) => (/doi\.org|handle\.net/i.test(i.notation ?? '') ? undefined : hostOf(i.notation))),
  ];
  return [...new Set(hosts.filter((h): h is string => h !== undefined))];
}
