/**
 * What the pages read out of a record, as plain values: its boxes for the map, its periods, its type, the title and
 * snippet of a result with the searched words marked, and the OGC web services among its distributions (typed so that a user
 * can add them to QGIS). Pure functions of the record; the templates only lay them out.
 */
import type { DateLiteral, HubRecord } from '../../schemas/record.js';
import { geometryBox, iriTail, parseBboxWkt, type IndexType } from '../../mappings/index-doc.js';
import { hasTerms, highlight, highlightTerms, parseUserQuery } from '../../pipelines/search-text.js';
import { Html } from './html.js';
import { pick, type Lang } from './i18n.js';

// the OGC web services among a record's distributions: typed in mappings/services.ts (the OGC API - Records links use
// them too)
export { serviceLink, type ServiceLink, type ServiceType } from '../../mappings/services.js';

export type Box = [number, number, number, number];

/** Every box of the record ([west, south, east, north]; west > east across the antimeridian). */
export function recordBoxes(r: HubRecord): Box[] {
  const out: Box[] = [];
  for (const loc of r.spatial ?? []) {
    const b = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : loc.geometry ? geometryBox(loc.geometry) : undefined;
    if (b) out.push([b.west, b.south, b.east, b.north]);
  }
  return out;
}

export function recordType(r: HubRecord): IndexType {
  if (r['@type'][0] === 'dcat:DataService') return 'service';
  if (r['@type'][0] === 'dcat:DatasetSeries') return 'series';
  return 'dataset';
}

/** A date literal as written by its precision: 2019, 2019-06, 2019-06-30, 2019-06-30 14:05 UTC. */
export function dateText(d: DateLiteral | undefined): string | undefined {
  if (!d) return undefined;
  if (d['@type'] !== 'xsd:dateTime') return d['@value'];
  const t = Date.parse(d['@value']);
  if (Number.isNaN(t)) return d['@value'];
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The record's periods as [start, end] texts; an absent end is undefined (ongoing). */
export function periods(r: HubRecord): { start?: string; end?: string }[] {
  return (r.temporal ?? [])
    .map((p) => ({ start: dateText(p.startDate), end: dateText(p.endDate) }))
    .filter((p) => p.start !== undefined || p.end !== undefined);
}

/** A text of a record as safe HTML, the searched words marked, with its language when it has one. */
export interface MarkedText {
  html: Html;
  lang?: string;
}

/**
 * The title and the snippet of a result as the search marks them (pipelines/search-text.ts, as GET /search does):
 * every word of the query in any spelling, the beginnings of `word*`, the words near those typed after a typing-
 * tolerant search (`fuzzy`), never an excluded word. The title is whole; the snippet is at most `max` characters of
 * the description in the page's language, placed where the words are, else of the first description in another
 * language that holds them.
 */
export function markedTexts(
  r: HubRecord,
  q: string | undefined,
  fuzzy: boolean,
  lang: Lang,
  max = 280,
): { title?: MarkedText; snippet?: MarkedText } {
  let terms = highlightTerms(parseUserQuery(undefined), false);
  try {
    terms = highlightTerms(parseUserQuery(q), fuzzy);
  } catch {
    // a query the search refused never reaches a result list; nothing to mark
  }
  const title = pick(r.title, lang);
  const titleHtml = title && highlight(title.text, terms, 10_000);
  const preferred = pick(r.description, lang);
  const others = Object.entries(r.description ?? {})
    .filter(([l]) => l !== (preferred?.lang ?? '@none'))
    .map(([l, text]) => ({ text, lang: l === '@none' ? undefined : l }));
  let snippet: MarkedText | undefined;
  for (const d of preferred ? [preferred, ...others] : others) {
    const hl = highlight(d.text, terms, max);
    if (!hl) continue;
    const found = { html: new Html(hl.html), ...(d.lang ? { lang: d.lang } : {}) };
    snippet ??= found;
    if (!hasTerms(terms)) break;
    if (hl.marked) {
      snippet = found;
      break;
    }
  }
  return {
    ...(titleHtml ? { title: { html: new Html(titleHtml.html), ...(title.lang ? { lang: title.lang } : {}) } } : {}),
    ...(snippet ? { snippet } : {}),
  };
}

/** A readable name for an IRI of a code list: its last path segment ("…/file-type/TIFF" → "TIFF"). */
export function iriLabel(iri: string): string {
  return iriTail(iri);
}

/** EPSG names (the EPSG registry's own) of reference systems the hub's sources name most; others by their code. */
const EPSG_NAMES: Record<string, string> = {
  '4326': 'WGS 84',
  '4979': 'WGS 84 (3D)',
  '3857': 'WGS 84 / Pseudo-Mercator',
  '4258': 'ETRS89',
  '4937': 'ETRS89 (3D)',
  '3034': 'ETRS89-extended / LCC Europe',
  '3035': 'ETRS89-extended / LAEA Europe',
  '4171': 'RGF93 v1',
  '2154': 'RGF93 v1 / Lambert-93',
  '27572': 'NTF (Paris) / Lambert zone II',
  '2972': 'RGFG95 / UTM zone 22N',
  '2975': 'RGR92 / UTM zone 40S',
  '5490': 'RGAF09 / UTM zone 20N',
  '4269': 'NAD83',
  '4283': 'GDA94',
  '7844': 'GDA2020',
};

/**
 * A coordinate reference system's name for a reader, from its OGC IRI: "EPSG:2154 (RGF93 v1 / Lambert-93)", UTM zones
 * and the French conic conformal zones by their rule, another EPSG code by its code alone; undefined when the IRI
 * is no CRS (a specification).
 */
export function crsLabel(iri: string): string | undefined {
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84$/.test(iri)) return 'CRS84 (WGS 84, longitude, latitude)';
  const code = /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/(\d+)$/.exec(iri)?.[1];
  if (!code) return undefined;
  const n = Number(code);
  const name =
    EPSG_NAMES[code] ??
    (n >= 32601 && n <= 32660
      ? `WGS 84 / UTM zone ${n - 32600}N`
      : n >= 32701 && n <= 32760
        ? `WGS 84 / UTM zone ${n - 32700}S`
        : n >= 25828 && n <= 25838
          ? `ETRS89 / UTM zone ${n - 25800}N`
          : n >= 3942 && n <= 3950
            ? `RGF93 v1 / CC${n - 3900}`
            : undefined);
  return name ? `EPSG:${code} (${name})` : `EPSG:${code}`;
}

const LANGUAGE_NAMES = new Map<Lang, Intl.DisplayNames>();

/**
 * A language's name in the reader's language ("allemand", "German") from its EU authority IRI or code (DEU, the
 * ISO 639 three-letter code the authority uses), by the ICU data Node carries; the code itself when ICU knows none.
 */
export function languageName(iriOrCode: string, lang: Lang): string {
  const code = iriTail(iriOrCode);
  let names = LANGUAGE_NAMES.get(lang);
  if (!names) LANGUAGE_NAMES.set(lang, (names = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' })));
  try {
    return names.of(code.toLowerCase()) ?? code;
  } catch {
    return code; // not a well-formed language subtag
  }
}
