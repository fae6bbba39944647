/**
 * Common metadata and extensions that a searcher needs → record facets. Pure.
 *
 * Read through a `Lookup` (all values of a field, wherever the document keeps them: collection summaries and 0.x
 * collection `properties`, item properties), and the assets for band lists:
 * - platform, constellation (and 0.x `eo:platform`, `eo:constellation`) → platform;
 * - instruments (0.x `eo:instrument`) → instrument;
 * - gsd (0.x `eo:gsd`, and each band's gsd) → gsd and dcat:spatialResolutionInMeters;
 * - bands (1.1), `eo:bands` (1.0, 0.x) in summaries, properties and assets → variableMeasured (one per band name);
 * - processing:level → processingLevel;
 * - sci:doi → otherIdentifier (notation = the https://doi.org IRI, agency "DOI"); sci:citation → bibliographicCitation;
 *   sci:publications[].doi → isReferencedBy (publications about the data: DCAT-AP's dct:isReferencedBy);
 * - mission, sat:orbit_state → keywords (words a searcher types). View angles (view:*) are numbers per scene, not
 *   words: not mapped.
 */
import type { Identifier, VariableMeasured } from '../../schemas/record.js';
import { doiIri } from '../../core/vocab.js';
import { doiIdentifier } from '../common.js';
import { isObject, num, obj, str, summaryValues, unique, type JsonObject } from '../../core/json.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

/** Every value of a field in the document (empty when absent). */
export type Lookup = (key: string) => unknown[];

export interface Facets {
  platform: string[];
  instrument: string[];
  gsd: number[];
  processingLevel: string[];
  variableMeasured: VariableMeasured[];
  otherIdentifier: Identifier[];
  isReferencedBy: string[];
  bibliographicCitation?: string;
  keywords: string[];
}

/** A Lookup over several objects (each value read with summaryValues, so summaries, ranges and scalars all work). */
export function lookupIn(...places: (JsonObject | undefined)[]): Lookup {
  return (key) => places.flatMap((p) => (p ? summaryValues(p[key]) : []));
}

const words = (values: unknown[]): string[] => unique(values.flatMap((v) => (str(v) ? [str(v)!] : [])));

export function readFacets(lookup: Lookup, assets: unknown, lang: string, warnings: SourceWarning[]): Facets {
  const bands = [
    ...lookup('bands'),
    ...lookup('eo:bands'),
    ...Object.values(obj(assets) ?? {}).flatMap((a) => [...summaryValues(obj(a)?.bands), ...summaryValues(obj(a)?.['eo:bands'])]),
  ].filter(isObject);
  const gsd = unique(
    [...lookup('gsd'), ...lookup('eo:gsd'), ...bands.map((b) => b.gsd)].flatMap((v) => {
      const n = num(v);
      return n !== undefined && n > 0 ? [n] : [];
    }),
  );
  const dois = words(lookup('sci:doi'));
  const otherIdentifier: Identifier[] = dois.flatMap((d) => {
    const iri = doiIri(d);
    if (!iri) warnings.push(coded('sci:doi', 'stac.doi.invalid', { value: d }));
    return iri ? [doiIdentifier(iri)] : [];
  });
  const isReferencedBy = unique(
    lookup('sci:publications').flatMap((p) => {
      const iri = doiIri(str(obj(p)?.doi));
      return iri ? [iri] : [];
    }),
  );
  const citation = words(lookup('sci:citation'))[0];
  return {
    platform: words([...lookup('platform'), ...lookup('eo:platform'), ...lookup('constellation'), ...lookup('eo:constellation')]),
    instrument: words([...lookup('instruments'), ...lookup('eo:instrument')]),
    gsd,
    processingLevel: words(lookup('processing:level')),
    variableMeasured: unique(
      bands.flatMap((b) => variable(b, lang)),
      (v) => Object.values(v.name)[0],
    ),
    otherIdentifier,
    isReferencedBy,
    ...(citation ? { bibliographicCitation: citation } : {}),
    keywords: words([...lookup('mission'), ...lookup('sat:orbit_state')]),
  };
}

/** One band → schema:PropertyValue: name (else title, else common name), description of what it measures. */
function variable(band: JsonObject, lang: string): VariableMeasured[] {
  const common = str(band['eo:common_name']) ?? str(band.common_name);
  const title = str(band.title);
  const name = str(band.name) ?? title ?? common;
  if (!name) return [];
  const centre = num(band['eo:center_wavelength']) ?? num(band.center_wavelength);
  const fwhm = num(band['eo:full_width_half_max']) ?? num(band.full_width_half_max);
  const parts = [
    title && title !== name ? title : undefined,
    str(band.description),
    common && common !== name ? `common name ${common}` : undefined,
    centre !== undefined ? `centre wavelength ${centre} µm` : undefined,
    fwhm !== undefined ? `full width at half maximum ${fwhm} µm` : undefined,
  ].filter((p): p is string => p !== undefined);
  const unit = str(band.unit);
  return [
    {
      '@type': 'schema:PropertyValue',
      name: { '@none': name },
      ...(parts.length ? { description: { [lang]: parts.join('; ') } } : {}),
      ...(unit ? { unitText: unit } : {}),
    },
  ];
}
