/**
 * The DCAT-AP mandatory values a record lacks: ONE rule, used by the validation report and by the MQA's "DCAT-AP
 * conformance" indicator.
 *
 * Placeholder of the DCAT-AP export's own rule (being written on the `rdf` branch as `dcatGaps(record)`): same shape;
 * this file re-exports theirs once it lands, and nothing else changes. Until then: the DCAT-AP 3.0.1 mandatory
 * properties of the classes the record is (dcat:Dataset: dct:title, dct:description; dcat:Distribution:
 * dcat:accessURL; dcat:DataService: dct:title, dcat:endpointURL; foaf:Agent: foaf:name).
 */
import type { HubRecord, LangMap } from '../../schemas/record.js';

/** One mandatory value missing: the DCAT-AP property, the record's JSON path, and why. */
export interface DcatGap {
  /** e.g. `dct:description`, `dcat:accessURL`. */
  property: string;
  /** Where in the normalised record, e.g. `/distribution/0/accessURL`. */
  path: string;
  message: string;
}

const hasText = (m: LangMap | undefined): boolean => !!m && Object.values(m).some((v) => v.trim() !== '');

export function dcatGaps(record: HubRecord): DcatGap[] {
  const gaps: DcatGap[] = [];
  const service = record['@type'][0] === 'dcat:DataService';
  const cls = service ? 'dcat:DataService' : 'dcat:Dataset';
  if (!hasText(record.title)) gaps.push({ property: 'dct:title', path: '/title', message: `a ${cls} must have a title` });
  if (!service && !hasText(record.description))
    gaps.push({ property: 'dct:description', path: '/description', message: 'a dcat:Dataset must have a description' });
  if (service && !record.endpointURL?.length)
    gaps.push({ property: 'dcat:endpointURL', path: '/endpointURL', message: 'a dcat:DataService must have an endpoint URL' });
  record.distribution?.forEach((d, i) => {
    if (!d.accessURL)
      gaps.push({
        property: 'dcat:accessURL',
        path: `/distribution/${i}/accessURL`,
        message: 'a dcat:Distribution must have an access URL',
      });
  });
  if (record.publisher && !hasText(record.publisher.name))
    gaps.push({ property: 'foaf:name', path: '/publisher/name', message: 'the publisher (a foaf:Agent) must have a name' });
  return gaps;
}
