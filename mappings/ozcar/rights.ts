/**
 * Rights of an OZCAR dataset (`metadata.dataConstraint`): licence → license, access and use constraint → accessRights,
 * embargo → embargoEndDate (and restricted access), data policy URL → dataPolicy and rights. Pure.
 */
import type { DateLiteral, LicenseDocument, RightsStatement } from '../../schemas/record.js';
import { num, obj, type JsonObject } from '../../core/json.js';
import { accessRightsFromText, EU_ACCESS_RIGHT, knownLicense } from '../../core/vocab.js';
import { httpUrl } from './links.js';
import type { TextReader } from './text.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

export interface RightsFacts {
  license: LicenseDocument[];
  accessRights?: RightsStatement;
  embargoEndDate?: DateLiteral;
  dataPolicy?: string;
  rights: RightsStatement[];
}

/**
 * `harvestedAt` (an ISO dateTime) is the reference of the embargo: the pivot format gives its duration "in days from
 * the current date" and no start date, so the end is computed from the harvest (a warning says so).
 */
export function readRights(t: TextReader, metadata: JsonObject, lang: string, harvestedAt: string, warnings: SourceWarning[]): RightsFacts {
  const dc = obj(metadata.dataConstraint) ?? {};
  const out: RightsFacts = { license: [], rights: [] };

  const licence = obj(dc.licence);
  if (licence) {
    const title = t.text(licence.title);
    const url = httpUrl(t.text(licence.url));
    const known = knownLicense(url) ?? knownLicense(title);
    const iri = known?.iri ?? url;
    if (iri || title) {
      out.license.push({ ...(iri ? { '@id': iri } : {}), '@type': 'dct:LicenseDocument', ...(title ? { label: { '@none': title } } : {}) });
    }
    if (!known) warnings.push(coded('/metadata/dataConstraint/licence', 'ozcar.licence.unknown', { value: String(title ?? url) }));
  }

  const embargo = obj(dc.embargo);
  const days = num(embargo?.duration);
  if (embargo && days !== undefined && days > 0) {
    const from = Date.parse(harvestedAt);
    if (!Number.isNaN(from)) {
      const end = new Date(from + days * 86_400_000).toISOString().slice(0, 10);
      out.embargoEndDate = { '@value': end, '@type': 'xsd:date' };
      warnings.push(coded('/metadata/dataConstraint/embargo/duration', 'ozcar.embargo.computed', { days, end }));
    }
  }

  const constraint = t.text(dc.accessUseConstraint);
  const underEmbargo = out.embargoEndDate !== undefined;
  const accessIri = underEmbargo ? EU_ACCESS_RIGHT + 'RESTRICTED' : accessRightsFromText(constraint);
  if (constraint || accessIri) {
    out.accessRights = {
      ...(accessIri ? { '@id': accessIri } : {}),
      '@type': 'dct:RightsStatement',
      ...(constraint ? { label: { [lang]: constraint } } : {}),
    };
  }

  const policy = httpUrl(t.text(dc.urlDataPolicy));
  if (policy) {
    out.dataPolicy = policy;
    out.rights.push({ '@id': policy, '@type': 'dct:RightsStatement' });
  }
  return out;
}
