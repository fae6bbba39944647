/**
 * ISO dataset series (gmd:DS_Series, DS_Aggregate, DS_Initiative... of ISO 19139; mda:DS_Series... of ISO 19115-3,
 * whose own record is `has` instead of `seriesMetadata`) and their members, as DCAT 3 / DCAT-AP 3 link
 * them: a member's record says which series it is in (dcat:inSeries, DCAT 3's main property), and the series' record
 * names its members (dcat:seriesMember, the inverse DCAT 3 section 7 allows in addition to it, never instead; DCAT-AP 3
 * lists it under Dataset Series, and its shapes warn about a series no member points at).
 *
 * The harvesters split an aggregate into records (harvesters/csw/records.ts aggregateParts): the series (mapped from
 * its seriesMetadata) and each member embedded as a full record (composedOf/DS_DataSet/has/MD_Metadata), which comes
 * with `series: { id, position, of }`. Both sides name a member by the same rule (memberId), so that the series' list
 * and the members' records agree without either seeing the other's record:
 * - its own fileIdentifier (19115-3: metadataIdentifier code);
 * - else, when the series has one, `{series id}/member-{position}` (position: 1-based, among the embedded members in
 *   document order). Position rather than title: titles repeat among the members of one series (granules and tiles
 *   named by the same pattern, NASA SMAP granules whose first citation is titled "dataset-id"), a position is unique
 *   in its document by construction, and a series grows by members appended at its end, which moves no one's position;
 * - else (the series has no fileIdentifier either) the member's own rule (its resource identifier, else the sha256 of
 *   its text), which the series cannot compute: it is then left out of the series' list, with a warning; its record
 *   still exists.
 * Members given by reference only (`has xlink:href`: Northwest Knowledge Network's 142 LiDAR tiles) are not in the
 * document: the series' record says so in a warning naming how many and the first link (never silently dropped),
 * except those its harvester names as records of the same source (`memberRecords`: a link that is a GetRecordById of
 * the harvested CSW, whose `id` is the member's fileIdentifier; harvesters/csw/index.ts): the series names them by
 * that identifier. The crosswalk never reads an identifier from a URL itself: a link to another catalogue names a
 * record of that catalogue, not of this source.
 */
import { all, attr, namedChildren, type XNode } from '../../core/xml.js';
import { recordIri } from '../../schemas/record.js';
import { DIALECTS } from './dialect.js';
import type { IsoFlavour, MemberRecord, SeriesPosition } from '../../core/formats.js';

export type { SeriesPosition } from '../../core/formats.js';
import { coded, phrase, type SourceWarning } from '../../core/warnings.js';

/** What the series record reads of its aggregate: its members embedded and by reference. */
export interface AggregateMembers {
  /** The aggregate's root element name (DS_Series...). */
  root: string;
  /** Its encoding: ISO 19139 (gmd:DS_Series; also 19115-2) or ISO 19115-3 (mda:DS_Series). */
  flavour: IsoFlavour;
  /** Embedded member records (the MD_Metadata / MI_Metadata nodes), in document order. */
  members: XNode[];
  /** xlink:href of the members given by reference only. */
  refs: string[];
  /**
   * Members that are aggregates themselves (19115-3 allows composedOf/DS_Series...): their element name and how many
   * records they hold beyond their own (read as one member each, from their own `has`; theirs are not split out).
   */
  nested: { name: string; records: number }[];
}

const METADATA = /(?:^|_)M[DI]_Metadata$/;

/** The members of an aggregate document's root: embedded and by reference. */
export function aggregateMembers(rootName: string, root: XNode, flavour: IsoFlavour = 'iso19139'): AggregateMembers {
  const members: XNode[] = [];
  const refs: string[] = [];
  const nested: AggregateMembers['nested'] = [];
  for (const [name, resource] of all(root, 'composedOf').flatMap((c) => namedChildren(c))) {
    for (const has of all(resource, 'has')) {
      const inner = namedChildren(has).filter(([n]) => METADATA.test(n));
      if (inner.length > 0) members.push(...inner.map(([, node]) => node));
      else {
        const ref = attr(has, 'href');
        if (ref) refs.push(ref);
      }
    }
    const held = all(resource, 'composedOf', '*', 'has').length;
    if (held > 0) nested.push({ name, records: held });
  }
  return { root: rootName, flavour, members, refs, nested };
}

/** A member's identifier by the rule both sides share, or undefined when only the member's own crosswalk can tell it. */
export function memberId(fileId: string | undefined, series: SeriesPosition): string | undefined {
  if (fileId) return fileId;
  return series.id ? `${series.id}/member-${series.position}` : undefined;
}

/**
 * The series' side: the IRIs of its embedded members' records (dcat:seriesMember), then those of the members given by
 * reference that its harvester names as records of this source (`named`, MemberRecord), and the warnings about
 * members it cannot name (no identifier either side can compute) or does not hold (by reference, not named).
 */
export function seriesMembers(
  source: string,
  seriesId: string | undefined,
  agg: AggregateMembers,
  named: readonly MemberRecord[] = [],
): { seriesMember: string[]; warnings: SourceWarning[] } {
  const warnings: SourceWarning[] = [];
  const seriesMember: string[] = [];
  const unnamed: number[] = [];
  agg.members.forEach((md, k) => {
    const id = memberId(DIALECTS[agg.flavour].fileIdentifier(md), {
      ...(seriesId ? { id: seriesId } : {}),
      position: k + 1,
      of: agg.members.length,
    });
    if (id) seriesMember.push(recordIri(source, id));
    else unnamed.push(k + 1);
  });
  // a link named twice with different identifiers (relative, under different xml:base) names no one for certain
  const ids = new Map<string, string | null>();
  for (const m of named) ids.set(m.href, ids.has(m.href) && ids.get(m.href) !== m.id ? null : m.id);
  const refs = agg.refs.filter((ref) => {
    const id = ids.get(ref.trim());
    if (id) seriesMember.push(recordIri(source, id));
    return !id;
  });
  const p = aggregatePrefix(agg.flavour);
  const name = `${p}:${agg.root}${seriesId ? ` "${seriesId}"` : ''}`;
  const idName = agg.flavour === 'iso19115-3' ? 'metadataIdentifier' : 'fileIdentifier';
  if (unnamed.length > 0)
    warnings.push(
      coded(`${p}:composedOf/${p}:DS_DataSet/${p}:has`, 'iso.series.unnamedMembers', {
        name,
        members: unnamed.join(', '),
        count: agg.members.length,
        idName,
      }),
    );
  if (agg.nested.length > 0)
    warnings.push(
      coded(`${p}:composedOf`, 'iso.series.nestedAggregates', {
        name,
        count: agg.nested.length,
        aggregates: agg.nested.map((n) => phrase('iso.series.aggregateHolding', { element: `${p}:${n.name}`, records: n.records })),
        held: agg.nested.reduce((k, n) => k + n.records, 0),
      }),
    );
  if (refs.length > 0)
    warnings.push(
      coded(`${p}:composedOf/${p}:DS_DataSet/${p}:has/@xlink:href`, 'iso.series.byReference', {
        name,
        count: refs.length,
        first: refs[0],
      }),
    );
  return { seriesMember: [...new Set(seriesMember)], warnings };
}

/** The prefix an aggregate's elements are named with in messages: gmd (ISO 19139, 19115-2) or mda (ISO 19115-3). */
export function aggregatePrefix(flavour: IsoFlavour): 'gmd' | 'mda' {
  return flavour === 'iso19115-3' ? 'mda' : 'gmd';
}
