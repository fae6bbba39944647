/**
 * The licence a record's licence IRI names, as core/vocab.ts recognises it, remembered per IRI: a catalogue names a few
 * licences many times over, and both methodologies ask about each distribution's (MQA: a known licence; F-UJI: one
 * registered at SPDX). A pure function of the IRI, so remembering it changes nothing but the time.
 */
import { knownLicense } from '../../core/vocab.js';

type Known = ReturnType<typeof knownLicense>;

/** IRIs remembered at most (then forgotten all at once): bounded memory whatever the catalogue. */
const LIMIT = 4096;
const seen = new Map<string, Known>();

/** knownLicense(iri), remembered. */
export function knownLicenseOf(iri: string | undefined): Known {
  if (!iri) return undefined;
  let known = seen.get(iri);
  if (known === undefined && !seen.has(iri)) {
    if (seen.size >= LIMIT) seen.clear();
    known = knownLicense(iri);
    seen.set(iri, known);
  }
  return known;
}
