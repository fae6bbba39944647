/**
 * The ISO flavours we map, told apart from the root element (cheap: reads the root start tag only).
 *
 * - iso19139: `gmd:MD_Metadata`, and profiles that extend MD_Metadata under another name and namespace but hold gmd
 *   content (geocat.ch `che:CHE_MD_Metadata`, any `*_MD_Metadata` root whose document declares the gmd namespace);
 * - iso19115-2: `gmi:MI_Metadata` (19139 encoding with the imagery extension);
 * - iso19115-3: `mdb:MD_Metadata` (namespace http://standards.iso.org/iso/19115/-3/mdb/1.0 or /2.0).
 */
import type { RootInfo } from '../../core/xml.js';

export type IsoFlavour = 'iso19139' | 'iso19115-2' | 'iso19115-3';

export const GMD_NS = 'http://www.isotc211.org/2005/gmd';
export const GMI_NS = 'http://www.isotc211.org/2005/gmi';

/** The metadata standard IRI recorded in isPrimaryTopicOf.conformsTo. */
export const STANDARD_IRI: Record<IsoFlavour, string> = {
  iso19139: 'http://www.isotc211.org/2005/gmd',
  'iso19115-2': 'http://www.isotc211.org/2005/gmi',
  'iso19115-3': 'http://standards.iso.org/iso/19115/-3/mdb/2.0',
};

const RE_METADATA_ROOT = /(?:^|_)M[DI]_Metadata$/;
const RE_MDB_NS = /^https?:\/\/standards\.iso\.org\/iso\/19115\/-3\/mdb\//;

/**
 * Flavour of a record from its root element, or undefined when the root is not an ISO metadata record.
 * `text` is consulted only for a profile root that does not declare gmd on its start tag.
 */
export function flavourOfRoot(info: RootInfo, text?: string): IsoFlavour | undefined {
  const { localName, namespaceUri, namespaces } = info;
  if (!RE_METADATA_ROOT.test(localName)) return undefined;
  if (namespaceUri && RE_MDB_NS.test(namespaceUri)) return 'iso19115-3';
  if (localName === 'MI_Metadata' || namespaceUri === GMI_NS) return 'iso19115-2';
  if (localName === 'MD_Metadata' && (namespaceUri === GMD_NS || namespaceUri === undefined)) {
    // Unprefixed or prefix declared on an ancestor (CSW page split without declarations): look at the content.
    if (namespaceUri === GMD_NS) return 'iso19139';
    if (text && text.includes('http://standards.iso.org/iso/19115/-3/mdb/')) return 'iso19115-3';
    return 'iso19139';
  }
  // A profile (che:CHE_MD_Metadata...): gmd content somewhere in the document.
  const declaresGmd = Object.values(namespaces).includes(GMD_NS);
  if (declaresGmd || (text !== undefined && text.includes(GMD_NS))) return 'iso19139';
  if (text !== undefined && text.includes('http://standards.iso.org/iso/19115/-3/mdb/')) return 'iso19115-3';
  return undefined;
}
