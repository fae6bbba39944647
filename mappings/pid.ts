/**
 * The global persistent identifiers of a record: DOIs and Handles, in resolver form. This is what a Dataverse needs
 * to import a harvested record (its generic oai_dc importer refuses a record whose `dc:identifier` values hold no
 * `doi:`, `hdl:`, `https://doi.org/` or `https://hdl.handle.net/` identifier), so the OAI-PMH `pid` set, the oai_dc
 * crosswalk and the index fields `has_doi` / `pid` all use this one rule.
 *
 * Where they are looked for: the record's other identifiers (`adms:identifier`, e.g. an ISO citation identifier or an
 * OZCAR DOI) and the source's own record identifier. A DOI is a whole value (`10.x/...`, `doi:10.x/...`, a doi.org or
 * dx.doi.org URL), never one cited inside a longer text; a Handle is `hdl:prefix/suffix`, an hdl.handle.net URL, or a
 * `prefix/suffix` value whose schemaAgency names the Handle system.
 */
import { doiIri } from '../core/vocab.js';
import type { HubRecord } from '../schemas/record.js';

export type PidScheme = 'doi' | 'handle';

export interface Pid {
  scheme: PidScheme;
  /** Resolver form: https://doi.org/10.x/y or https://hdl.handle.net/prefix/suffix. */
  url: string;
}

const HANDLE_URL = /^(?:hdl:\s*|https?:\/\/hdl\.handle\.net\/)(\d[0-9A-Za-z]*(?:\.[0-9A-Za-z]+)*\/\S+)$/i;
const BARE_HANDLE = /^(\d[0-9A-Za-z]*(?:\.[0-9A-Za-z]+)*\/\S+)$/;

/** Resolver URL of a Handle given as `hdl:...` or an hdl.handle.net URL (or bare, when the agency says Handle). */
export function handleUrl(text: string, agency?: string): string | undefined {
  const t = text.trim();
  const m = HANDLE_URL.exec(t) ?? (agency && /handle|hdl/i.test(agency) && !/^10\./.test(t) ? BARE_HANDLE.exec(t) : null);
  return m ? 'https://hdl.handle.net/' + m[1] : undefined;
}

/** The record's DOIs first, then its Handles, each once, in resolver form. */
export function globalIdentifiers(record: HubRecord): Pid[] {
  const dois: string[] = [];
  const handles: string[] = [];
  const candidates: { text: string; agency?: string }[] = [
    ...(record.otherIdentifier ?? []).map((i) => ({ text: i.notation, agency: i.schemaAgency })),
    { text: record.isPrimaryTopicOf.identifier },
  ];
  for (const c of candidates) {
    if (typeof c.text !== 'string') continue;
    const doi = doiIri(c.text);
    if (doi) {
      if (!dois.includes(doi)) dois.push(doi);
      continue;
    }
    const hdl = handleUrl(c.text, c.agency);
    if (hdl && !handles.includes(hdl)) handles.push(hdl);
  }
  return [...dois.map((url) => ({ scheme: 'doi' as const, url })), ...handles.map((url) => ({ scheme: 'handle' as const, url }))];
}
