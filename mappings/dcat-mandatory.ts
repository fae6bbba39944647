/**
 * The DCAT-AP 3.0.1 mandatory values a record lacks (base shapes, sh:minCount 1): what leaves a record out of the
 * DCAT-AP export by default (`--include-nonconforming` keeps it). Mandatory values are never invented: a record
 * without them is still served by OAI-PMH and search, only not claimed as DCAT-AP.
 *
 * Interim: the record model's own rule (branch `rdf`) replaces this function; callers use only `missingMandatory`.
 */
import type { HubRecord } from '../schemas/record.js';

function empty(map: Record<string, unknown> | undefined): boolean {
  return !map || Object.values(map).every((v) => (typeof v === 'string' ? v.trim() === '' : v === undefined));
}

/** Each mandatory value the record lacks, as a short reason ("dataset without description"); [] when it has them all. */
export function missingMandatory(record: HubRecord): string[] {
  const out: string[] = [];
  const service = record['@type'][0] === 'dcat:DataService';
  const kind = service ? 'service' : record['@type'][0] === 'dcat:DatasetSeries' ? 'series' : 'dataset';
  if (empty(record.title)) out.push(`${kind} without title`);
  if (!service && empty(record.description)) out.push(`${kind} without description`);
  if (service && !(record.endpointURL?.length ?? 0)) out.push('service without endpoint URL');
  if ((record.distribution ?? []).some((d) => !d.accessURL)) out.push('distribution without access URL');
  for (const a of [record.publisher, ...(record.creator ?? [])]) if (a && empty(a.name)) out.push('agent without name');
  return [...new Set(out)];
}
