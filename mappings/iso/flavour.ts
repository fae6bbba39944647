/**
 * The ISO flavours we map, told apart from the root element (cheap: reads the root start tag only).
 *
 * - iso19139: `gmd:MD_Metadata`, and profiles that extend MD_Metadata under another name and namespace but hold gmd
 *   content (geocat.ch `che:CHE_MD_Metadata`, any `*_MD_Metadata` root whose document declares the gmd namespace);
 * - iso19115-2: `gmi:MI_Metadata` (19139 encoding with the imagery extension);
 * - iso19115-3: `mdb:MD_Metadata` (namespace http://standards.iso.org/iso/19115/-3/mdb/1.0 or /2.0).
 */
import type { RootInfo } from '../../core/xml.js';
import { isoFlavour, type IsoFlavour } from '../../core/formats.js';

export type { IsoFlavour } from '../../core/formats.js';

export const GMD_NS = 'http://www.isotc211.org/2005/gmd';
export const GMI_NS = 'http://www.isotc211.org/2005/gmi';

/** The metadata standard IRI recorded in isPrimaryTopicOf.conformsTo. */
export const STANDARD_IRI: Record<IsoFlavour, string> = {
  iso19139: 'http://www.isotc211.org/2005/gmd',
  'iso19115-2': 'http://www.isotc211.org/2005/gmi',
  'iso19115-3': 'http://standards.iso.org/iso/19115/-3/mdb/2.0',
};

/**
 * Flavour of a record from its root element, or undefined when the root is not an ISO metadata record.
 * `text` is consulted only for a profile root that does not declare gmd on its start tag.
 */
export function flavourOfRoot(info: RootInfo, text?: string): IsoFlavour | undefined {
  return isoFlavour(info, text); // the one detection, core/formats.ts
}
