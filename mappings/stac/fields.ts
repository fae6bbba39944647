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
 *   sci:publications[].doi → isReferencedBy (publications about the data: DCAT-AP's dct:isReferencedBy); read from
 *   the document's own fields only (`own`): a collection's summaries list its items' DOIs and papers, which are the
 *   items' (their records hold them), not the collection's identifier;
 * - gsd and raster:spatial_resolution (Raster 2.0, the average size of the pixels in metres) of the document, its
 *   assets and their bands, and raster:bands[].spatial_resolution (Raster 1.x) → gsd (all of them) and
 *   dcat:spatialResolutionInMeters (the finest, describe.ts);
 * - proj:code (Projection 2.0), proj:epsg (1.x), of the document and of its assets → conformsTo, the OGC IRI of the
 *   reference system (http://www.opengis.net/def/crs/EPSG/0/32659), as GeoDCAT-AP and the ISO crosswalk write one; a
 *   code OGC's register has no IRI pattern for here (IAU_2015:49900) is left out;
 * - processing:lineage → provenance (dct:provenance: how the data were processed, in words);
 * - mission, sat:orbit_state → keywords (words a searcher types). View angles (view:*) are numbers per scene, not
 *   words: not mapped.
 */
import type { Identifier, ProvenanceStatement, Standard, VariableMeasured } from '../../schemas/record.js';
import { crsIri, doiIri } from '../../core/vocab.js';
import { doiIdentifier, standards } from '../common.js';
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
  /** Reference systems (proj:code, proj:epsg). */
  conformsTo: Standard[];
  provenance: ProvenanceStatement[];
}

/** A Lookup over several objects (each value read with summaryValues, so summaries, ranges and scalars all work). */
export function lookupIn(...places: (JsonObject | undefined)[]): Lookup {
  return (key) => places.flatMap((p) => (p ? summaryValues(p[key]) : []));
}

const words = (values: unknown[]): string[] => unique(values.flatMap((v) => (str(v) ? [str(v)!] : [])));

/**
 * `lookup` reads every value of a field wherever the document keeps it (summaries included); `own` only the
 * document's own fields (for an item, the same).
 */
export function readFacets(lookup: Lookup, assets: unknown, lang: string, warnings: SourceWarning[], own: Lookup = lookup): Facets {
  const assetList = Object.values(obj(assets) ?? {}).flatMap((a) => (isObject(a) ? [a] : []));
  const bands = [
    ...lookup('bands'),
    ...lookup('eo:bands'),
    ...assetList.flatMap((a) => [...summaryValues(a.bands), ...summaryValues(a['eo:bands'])]),
  ].filter(isObject);
  const rasterBands = [...lookup('raster:bands'), ...assetList.flatMap((a) => summaryValues(a['raster:bands']))].filter(isObject);
  const gsd = unique(
    [
      ...lookup('gsd'),
      ...lookup('eo:gsd'),
      ...bands.map((b) => b.gsd),
      ...bands.map((b) => b['raster:spatial_resolution']),
      ...rasterBands.map((b) => b.spatial_resolution),
      ...assetList.flatMap((a) => [a.gsd, a['raster:spatial_resolution']]),
    ].flatMap((v) => {
      const n = num(v);
      return n !== undefined && n > 0 ? [n] : [];
    }),
  );
  const dois = words(own('sci:doi'));
  const otherIdentifier: Identifier[] = dois.flatMap((d) => {
    const iri = doiIri(d);
    if (!iri) warnings.push(coded('sci:doi', 'stac.doi.invalid', { value: d }));
    return iri ? [doiIdentifier(iri)] : [];
  });
  const isReferencedBy = unique(
    own('sci:publications').flatMap((p) => {
      const iri = doiIri(str(obj(p)?.doi));
      return iri ? [iri] : [];
    }),
  );
  const citation = words(own('sci:citation'))[0];
  const crs = [...lookup('proj:code'), ...lookup('proj:epsg'), ...assetList.flatMap((a) => [a['proj:code'], a['proj:epsg']])].flatMap(
    (v) => {
      // proj:epsg is a number (1.x); proj:code a string "EPSG:32659" (2.0); null says there is none
      const iri = typeof v === 'number' ? crsIri(String(v), 'EPSG') : crsIri(str(v));
      return iri ? [iri] : [];
    },
  );
  const lineage = words(lookup('processing:lineage'));
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
    conformsTo: standards(crs),
    provenance: lineage.length ? [{ '@type': 'dct:ProvenanceStatement', label: { [lang]: lineage.join('\n') } }] : [],
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
