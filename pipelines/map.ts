/**
 * Stage 2 and 3: one raw record -> one normalised, validated record, or a Failure that keeps the raw input.
 * Never throws: whatever a crosswalk throws ends up as a Failure naming the source, the identifier and the stage.
 */
import { pathToFileURL } from 'node:url';
import type { RawRecord, SourceFormat } from '../harvesters/types.js';
import { parseIso, parsedIsoToRecord, type ParsedIso } from '../mappings/iso/index.js';
import { stacToRecord } from '../mappings/stac/index.js';
import { ozcarToRecord } from '../mappings/ozcar/index.js';
import { dcatToRecord } from '../mappings/dcat/index.js';
import { restoToRecord } from '../mappings/resto/index.js';
import { cswRecordToRecord } from '../mappings/dc/index.js';
import type { HubRecord } from '../schemas/record.js';
import { checkRecord } from '../schemas/validate.js';
import { dcatGaps } from '../schemas/dcat-gaps.js';
import { RecordError, SkipRecord, toFailure, type RecordResult } from '../core/result.js';
import { describeJson, recordFormat, type MemberRecord, type SeriesPosition } from '../core/formats.js';
import { parseXml, rootInfo } from '../core/xml.js';
import { hubId } from '../schemas/record.js';
import { coded, sourceWarning, type Phrase, type SourceWarning } from '../core/warnings.js';
import { formatFamily, gapWhere, recordWhere } from '../mappings/fair/where.js';

export interface MapContext {
  /** ISO dateTime of the harvest run, stamped on every record. */
  harvestedAt: string;
}

/** The format of a raw record the harvester did not label: the one detection of core/formats.ts. */
export const detectFormat: (body: RawRecord['body']) => SourceFormat | undefined = recordFormat;

/** The URL part of a location ("https://host/csw page 3 record 7" -> "https://host/csw"; a local path -> file: URL). */
function locationUrl(location: string): string | undefined {
  const first = location.split(/\s/, 1)[0];
  if (/^https?:\/\/\S+$/i.test(first)) return first;
  if (first.startsWith('/')) return pathToFileURL(first).href;
  return undefined;
}

/** A raw record read as far as its crosswalk's input: ISO XML parsed (the other formats arrive parsed). */
type Read = { format: SourceFormat; iso?: ParsedIso };

/** The first stage of a record: its format, and its XML parsed. Throws what the crosswalk would (a Failure of 'map'). */
function readRaw(raw: RawRecord, ctx: MapContext): Read {
  const format = raw.format ?? detectFormat(raw.body);
  if (!format)
    throw new SkipRecord(
      'map',
      `${unknownKind(raw.body)}: not a record format this harvester knows (ISO 19139/19115-2/19115-3, CSW Dublin Core csw:Record, STAC, OZCAR pivot, DCAT, resto, OpenSearch Atom)`,
    );
  if (format !== 'iso19139' && format !== 'iso19115-3') return { format };
  if (typeof raw.body !== 'string') throw new RecordError('map', `an ${format} record must be XML text`);
  const common = commonContext(raw, ctx);
  // a member split from an ISO dataset series knows where it sits in it (harvesters/csw/records.ts aggregateParts)
  const series = raw.context?.series as SeriesPosition | undefined;
  // a series whose harvester names members it gives by reference as records of this source (harvesters/csw/index.ts)
  const memberRecords = raw.context?.memberRecords as MemberRecord[] | undefined;
  return {
    format,
    iso: parseIso(raw.body, {
      ...common,
      ...(raw.line ? { firstLine: raw.line } : {}),
      ...(series ? { series } : {}),
      ...(memberRecords ? { memberRecords } : {}),
    }),
  };
}

function commonContext(raw: RawRecord, ctx: MapContext): { source: string; harvestedAt: string; sourceUrl?: string } {
  const sourceUrl = raw.url ?? locationUrl(raw.location);
  return { source: raw.source, harvestedAt: ctx.harvestedAt, ...(sourceUrl ? { sourceUrl } : {}) };
}

/** The second stage: the crosswalk of the record's format. */
function crosswalk(raw: RawRecord, read: Read, ctx: MapContext): { record: HubRecord; warnings: SourceWarning[] } {
  if (read.iso) return parsedIsoToRecord(read.iso);
  const common = commonContext(raw, ctx);
  switch (read.format) {
    case 'iso19139':
    case 'iso19115-3':
      throw new Error('an ISO record reaches its crosswalk parsed'); // (readRaw parses every one)
    case 'stac-collection':
    case 'stac-item':
    case 'stac-catalog':
      if (typeof raw.body === 'string') throw new RecordError('map', 'a STAC record must be JSON');
      return stacToRecord(raw.body, { ...common, ...(raw.context ?? {}) });
    case 'ozcar-dataset':
      if (typeof raw.body === 'string') throw new RecordError('map', 'an OZCAR dataset must be JSON');
      return ozcarToRecord(raw.body, { ...common, ...(raw.context ?? {}) });
    case 'dcat':
      return dcatToRecord(raw.body, common);
    case 'csw-record':
      if (typeof raw.body !== 'string') throw new RecordError('map', 'a csw:Record must be XML text');
      return cswRecordToRecord(raw.body, common);
    case 'resto-collection':
    case 'resto-product':
    case 'opensearch-entry': {
      const collection = raw.context?.collection;
      // an Atom entry read from a file or split from a CSW response (outputSchema Atom) arrives as its XML text
      const body = read.format === 'opensearch-entry' && typeof raw.body === 'string' ? parseXml(raw.body).root : raw.body;
      return restoToRecord(body, read.format, { ...common, ...(typeof collection === 'string' ? { collection } : {}) });
    }
  }
}

/** What a record in no format we know is, for the message of its skip: one message per kind (the pipeline logs each once). */
function unknownKind(body: RawRecord['body']): string {
  if (typeof body !== 'string') return describeJson(body);
  try {
    const root = rootInfo(body);
    const name = root.prefix ? `${root.prefix}:${root.localName}` : root.localName;
    return `a <${name}>${root.namespaceUri ? ` (${root.namespaceUri})` : ''}`;
  } catch {
    return 'an XML document';
  }
}

/** A value for a warning: its JSON text, cut. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

/** What a failure of a record says of it: its source, identifiers, location, raw input. */
function whereOf(raw: RawRecord) {
  return {
    source: raw.source,
    ...(raw.id !== undefined ? { id: raw.id, indexId: hubId(raw.source, raw.id) } : {}),
    ...(raw.idText !== undefined ? { idText: raw.idText } : {}),
    location: raw.location,
    raw: raw.body,
  };
}

/**
 * Map and validate one raw record. An optional value that is not valid is dropped with a warning (schemas/validate.ts
 * checkRecord) naming where it comes from in the source format and the value (the crosswalks check what they read, so
 * this is the rare value they let through); only a missing or broken mandatory value fails the record. The DCAT-AP
 * mandatory values the record lacks (schemas/dcat-gaps.ts) are warnings too: they are never invented. A failure carries
 * the record's identifier at the source (`id`, when the harvester knew it for certain, or the crosswalk read it) and the
 * id of its document in the index (`indexId`), which keeps the record's previous version; otherwise only what the
 * identifier looked like (`idText`).
 */
export function mapRecord(raw: RawRecord, ctx: MapContext): RecordResult<HubRecord> {
  return mapRecords([raw], ctx)[0];
}

/**
 * mapRecord of each raw record, stage by stage over the batch: every record read (XML parsed), then every record
 * crosswalked, then every record checked. The same results as one by one, in the same order, a record's failure its
 * own. Why: each stage is a lot of code (the parser, the ISO readers, the generated validator), and running it over
 * the batch keeps it in the processor's caches and its inline caches warm, where one record at a time evicts the
 * previous stage's each time. Measured on 2,700 ISO files, one core, batches of 16 against 1: parse 12%, crosswalk
 * 24%, validation 39% less time (scripts/bench/stages.ts; docs/validate.md). The parsed trees of a batch are held
 * together: keep batches small (the pipeline's are 25 records).
 */
export function mapRecords(raws: readonly RawRecord[], ctx: MapContext): RecordResult<HubRecord>[] {
  const n = raws.length;
  const out: RecordResult<HubRecord>[] = new Array(n);
  const reads: (Read | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    try {
      reads[i] = readRaw(raws[i], ctx);
    } catch (err) {
      out[i] = toFailure(err, { ...whereOf(raws[i]), stage: 'map' });
    }
  }
  const mapped: ({ record: HubRecord; warnings: SourceWarning[] } | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const read = reads[i];
    if (!read) continue;
    reads[i] = undefined; // the parsed tree goes as soon as its record is made
    try {
      mapped[i] = crosswalk(raws[i], read, ctx);
    } catch (err) {
      out[i] = toFailure(err, { ...whereOf(raws[i]), stage: 'map' });
    }
  }
  for (let i = 0; i < n; i++) {
    const m = mapped[i];
    if (m) out[i] = finishRecord(raws[i], m);
  }
  return out;
}

/** The last stage: the record validated (values dropped, or a failure), its warnings gathered. */
function finishRecord(raw: RawRecord, mapped: { record: HubRecord; warnings: SourceWarning[] }): RecordResult<HubRecord> {
  const id = mapped.record.isPrimaryTopicOf.identifier;
  const checked = checkRecord(mapped.record);
  if (checked.errors.length > 0) {
    return toFailure(new RecordError('validate', 'the normalised record is invalid: ' + checked.errors.slice(0, 5).join('; ')), {
      ...whereOf(raw),
      id,
      indexId: mapped.record.identifier,
      stage: 'validate',
    });
  }
  const family = formatFamily(mapped.record.isPrimaryTopicOf.sourceFormat);
  const warnings: SourceWarning[] = [
    ...mapped.warnings,
    // a value dropped from the normalised record: where it comes from in the source format, and its place in the record
    ...checked.dropped.map((d) =>
      d.why
        ? coded(recordWhere(family, d.at), 'record.value.dropped', { value: shown(d.value), reason: d.why, at: d.at })
        : sourceWarning(recordWhere(family, d.at), `${shown(d.value)} left out: ${d.reason} (the hub record's ${d.at})`),
    ),
    // a DCAT-AP mandatory value missing: where it goes in the source format
    ...dcatGaps(checked.record).map((g) =>
      g.code
        ? coded(gapWhere(family, g.property), 'dcatap.gap', { gap: { code: g.code, ...(g.params ? { params: g.params } : {}) } as Phrase })
        : sourceWarning(gapWhere(family, g.property), `DCAT-AP: ${g.message}`),
    ),
  ];
  return { ok: true, record: checked.record, ...(warnings.length ? { warnings } : {}) };
}
