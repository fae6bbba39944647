/**
 * STAC `license` → dct:license. Pure.
 *
 * - an SPDX id ("CC-BY-4.0") → the licence's canonical IRI and label when vocab.ts knows it (as ISO and OZCAR do),
 *   else https://spdx.org/licenses/{id};
 * - an SPDX expression ("MIT OR Apache-2.0") → one document per licence it names (a `WITH` exception is not a licence);
 * - `other` (1.1), `proprietary` and `various` (1.0 and older) → the `license` links (href + title), else the word as
 *   a label with a warning (nothing tells the terms).
 */
import type { LicenseDocument } from '../../schemas/record.js';
import { knownLicense } from '../../core/vocab.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

export const SPDX_LICENSES = 'https://spdx.org/licenses/';

/** Values that say "see the license link". */
const LINKED = new Set(['other', 'proprietary', 'various']);
const SPDX_ID = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

export function readLicense(
  value: string | undefined,
  links: { href: string; title?: string }[],
  warnings: SourceWarning[],
): LicenseDocument[] {
  const fromLinks = (label: string): LicenseDocument[] =>
    links.map((l) => ({ '@id': l.href, '@type': 'dct:LicenseDocument', label: { '@none': l.title ?? label } }));
  if (!value) {
    if (links.length) return fromLinks('licence');
    warnings.push(coded('license', 'stac.license.missing'));
    return [];
  }
  if (LINKED.has(value.toLowerCase())) {
    if (links.length) return fromLinks(value);
    warnings.push(coded('license', 'stac.license.noLink', { value }));
    return [{ '@type': 'dct:LicenseDocument', label: { '@none': value } }];
  }
  const ids = value
    .replace(/[()]/g, ' ')
    .split(/\s+(?:AND|OR)\s+/i)
    .map((part) => part.replace(/\s+WITH\s+.*$/i, '').trim())
    .filter(Boolean);
  if (!ids.every((id) => SPDX_ID.test(id))) {
    warnings.push(coded('license', 'stac.license.notSpdx', { value }));
    return [{ '@type': 'dct:LicenseDocument', label: { '@none': value } }];
  }
  // a licence we know gets the same IRI whatever the source (ISO, OZCAR, STAC), so that the licence facet agrees
  return ids.map((id) => {
    const known = knownLicense(id);
    return { '@id': known?.iri ?? SPDX_LICENSES + id, '@type': 'dct:LicenseDocument', label: { '@none': known?.label ?? id } };
  });
}
