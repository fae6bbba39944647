/**
 * OZCAR Theia categories: the `theiaCategories` of every observation of a pivot dataset must be categories of the
 * Theia/OZCAR variable thesaurus, and narrow ones (the official importer refuses the others). Without the thesaurus
 * dump (not reachable offline) the hub knows the category IRIs of schemas/ozcar/theia-categories.json (with their
 * source); an operator gives the full thesaurus as a SKOS file (`--thesaurus FILE`: Turtle, N-Triples, TriG, N-Quads or
 * RDF/XML), read with n3 / rdfxml-streaming-parser: every skos:Concept is known, one with skos:narrower (or named by
 * another's skos:broader) is broad, and its narrower concepts are named in the warning.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Quad } from 'n3';
import { isObject } from '../core/json.js';
import { UsageError } from '../core/result.js';
import { coded, phrase, phraseText, type Phrase, type SourceWarning } from '../core/warnings.js';
import { projectPath } from '../schemas/paths.js';

export interface TheiaThesaurus {
  /** Where it comes from: "built-in list (...)" or the SKOS file, in English (the report's options say it). */
  origin: string;
  /** The same as a phrase of core/texts, for the warnings that name it. */
  said: Phrase;
  /** Every category IRI known. */
  known: ReadonlySet<string>;
  /** Broad category IRI -> its narrower category IRIs. */
  narrower: ReadonlyMap<string, readonly string[]>;
}

interface Builtin {
  base: string;
  broad: Record<string, string[]>;
  leaves: string[];
  same: Record<string, string>;
}

let builtin: TheiaThesaurus | undefined;

/** The category IRIs known from public Theia/OZCAR code and data (schemas/ozcar/theia-categories.json). */
export function builtinThesaurus(): TheiaThesaurus {
  if (builtin) return builtin;
  const data = JSON.parse(readFileSync(projectPath('schemas', 'ozcar', 'theia-categories.json'), 'utf8')) as Builtin;
  const iri = (k: string) => data.base + k;
  const narrower = new Map(Object.entries(data.broad).map(([k, v]) => [iri(k), v.map(iri)]));
  const known = new Set([...narrower.keys(), ...data.leaves.map(iri)]);
  const said = phrase('theia.origin.builtin', { count: known.size });
  builtin = { origin: phraseText(said), said, known, narrower };
  return builtin;
}

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** Reads a SKOS thesaurus file. A UsageError names the file when it cannot be read or holds no concept. */
export async function readThesaurus(file: string): Promise<TheiaThesaurus> {
  const quads: Quad[] = [];
  try {
    // the parsers load only when a thesaurus is given (most runs never need them)
    if (/^\.(rdf|xml|owl)$/i.test(extname(file))) {
      const { RdfXmlParser } = await import('rdfxml-streaming-parser');
      await new Promise<void>((resolve, reject) => {
        const parser = new RdfXmlParser();
        createReadStream(file)
          .on('error', reject)
          .pipe(parser)
          .on('data', (q: Quad) => quads.push(q))
          .on('error', reject)
          .on('end', resolve);
      });
    } else {
      const { Parser } = await import('n3');
      quads.push(...new Parser().parse(readFileSync(file, 'utf8')));
    }
  } catch (err) {
    throw new UsageError(
      `--thesaurus ${file}: not a SKOS file this harvester reads (Turtle, N-Triples, TriG, N-Quads, RDF/XML): ${(err as Error).message}`,
      '--thesaurus',
    );
  }
  const known = new Set<string>();
  const narrower = new Map<string, string[]>();
  const link = (broad: string, narrow: string) => {
    const list = narrower.get(broad) ?? [];
    if (!list.includes(narrow)) list.push(narrow);
    narrower.set(broad, list);
  };
  for (const q of quads) {
    const s = q.subject.value;
    const p = q.predicate.value;
    const o = q.object.value;
    if (p === RDF_TYPE && o === SKOS + 'Concept') known.add(s);
    else if (p === SKOS + 'narrower') link(s, o);
    else if (p === SKOS + 'broader') link(o, s);
  }
  for (const [b, list] of narrower) {
    known.add(b);
    for (const n of list) known.add(n);
  }
  if (known.size === 0) throw new UsageError(`--thesaurus ${file}: no skos:Concept in it`, '--thesaurus');
  const said = phrase('theia.origin.skos', { file, count: known.size });
  return { origin: phraseText(said), said, known, narrower };
}

/**
 * Warnings for the Theia categories of an OZCAR pivot dataset's observations that are unknown or broad, each at its
 * JSON Pointer in the dataset (`/observations/3/observedProperty/theiaCategories/0`).
 */
export function theiaCategoryWarnings(dataset: unknown, thesaurus: TheiaThesaurus): SourceWarning[] {
  const out: SourceWarning[] = [];
  const observations = isObject(dataset) && Array.isArray(dataset.observations) ? dataset.observations : [];
  observations.forEach((o, j) => {
    const cats = isObject(o) && isObject(o.observedProperty) ? o.observedProperty.theiaCategories : undefined;
    if (!Array.isArray(cats)) return;
    cats.forEach((c, k) => {
      if (typeof c !== 'string') return;
      const at = `/observations/${j}/observedProperty/theiaCategories/${k}`;
      const narrower = thesaurus.narrower.get(c);
      if (narrower) {
        const names = narrower.length
          ? narrower.map((n) => n.replace(/^https:\/\/w3id\.org\/ozcar-theia\//, '')).join(', ')
          : phrase('theia.narrowerCategories');
        out.push(coded(at, 'theia.category.broad', { category: c, names }));
      } else if (!thesaurus.known.has(c)) {
        out.push(coded(at, 'theia.category.unknown', { category: c, origin: thesaurus.said }));
      }
    });
  });
  return out;
}
