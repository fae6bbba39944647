/**
 * The record page: everything the record holds, grouped for a reader (summary, where and when, themes, parties,
 * data access with the OGC services typed for QGIS, licence, quality, variables, links, FAIR report, the original
 * record and the record's DCAT-AP forms). A property the page does not know is still shown, under "other
 * properties", so that nothing the record holds is hidden.
 */
import { conceptLabels } from '../../core/vocab.js';
import type {
  Agent,
  Checksum,
  Concept,
  ContactPoint,
  Distribution,
  HubRecord,
  LangMap,
  LangMapMulti,
  MediaType,
} from '../../schemas/record.js';
import { recordOfIri } from '../../schemas/record.js';
// a coordinate to six decimals at most (about 0.1 m), as the exports write it: 8.945096, not 8.945096154917964
import { coord } from '../../mappings/oai-dc.js';
import { toSchemaOrg } from '../../mappings/schema-org.js';
import type { Parts, StoredRecord } from '../../pipelines/record.js';
import { crsLabel, dateText, iriLabel, languageName, periods, recordBoxes, recordType, serviceLink, type ServiceLink } from './facts.js';
import { html, jsonLdScript, jsonScript, safeUrl, type Html, type Part } from './html.js';
import { codeLabel, pick, type Lang, type Translate, translator } from './i18n.js';
import { layout, PATHS } from './layout.js';
import { catalogueUrl } from './query.js';

export interface RecordPageInput {
  lang: Lang;
  explicitLang: boolean;
  url: string;
  stored: StoredRecord;
  /** Where "back to the results" goes (the catalogue page the reader came from, when known). */
  back?: string;
  /**
   * The hub records the record links (RELATED properties), by id: each one's title, or null when the index does not
   * hold it (pipelines/record.ts linkedRecords). Without it, or for an id it lacks, a hub IRI links its page unchecked.
   */
  linked?: ReadonlyMap<string, LangMap | null>;
  /**
   * The records of the index that name this one as their parent or series and that it does not name itself
   * (pipelines/record.ts recordParts): listed with a series' members, or on their own for another record.
   */
  parts?: Parts;
  /** The server's public base URL (no trailing slash): the schema.org markup's URLs are absolute. */
  baseUrl?: string;
}

/** The properties whose IRIs may name other records of the hub: the page names those by their title. */
export const RELATED = [
  'servesDataset',
  'isPartOf',
  'inSeries',
  'seriesMember',
  'relation',
  'hasVersion',
  'isVersionOf',
  'hasCurrentVersion',
  'previousVersion',
  'replaces',
  'isReplacedBy',
] as const;

/** Properties of HubRecord this page lays out itself; any other one is shown under "other properties". */
const LAID_OUT = new Set<string>([
  ...RELATED,
  '@context',
  '@id',
  '@type',
  'identifier',
  'otherIdentifier',
  'title',
  'description',
  'alternative',
  'keyword',
  'theme',
  'subject',
  'resourceType',
  'spatial',
  'temporal',
  'issued',
  'modified',
  'created',
  'language',
  'publisher',
  'creator',
  'rightsHolder',
  'contactPoint',
  'qualifiedAttribution',
  'funder',
  'distribution',
  'license',
  'accessRights',
  'rights',
  'provenance',
  'conformsTo',
  'conformity',
  'applicableLegislation',
  'spatialResolutionInMeters',
  'spatialResolutionAsText',
  'temporalResolution',
  'accrualPeriodicity',
  'depiction',
  'landingPage',
  'page',
  'isReferencedBy',
  'version',
  'versionNotes',
  'status',
  'bibliographicCitation',
  'endpointURL',
  'endpointDescription',
  'variableMeasured',
  'platform',
  'instrument',
  'processingLevel',
  'dataType',
  'samplingFeature',
  'gsd',
  'embargoEndDate',
  'dataPolicy',
  'granuleCount',
  'isPrimaryTopicOf',
]);

type Row = [string, Part];

/** A definition list of the rows that have a value. */
function dl(rows: Row[], cls?: string): Html | undefined {
  const kept = rows.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
  if (kept.length === 0) return undefined;
  return html`<dl${cls ? html` class="${cls}"` : ''}>${kept.map(
    ([k, v]) =>
      html`<dt>${k}</dt>
        <dd>${v}</dd>`,
  )}</dl>`;
}

function section(id: string, title: string, ...content: Part[]): Html | undefined {
  const flat = content.filter((c) => c !== undefined && c !== null && c !== '' && !(Array.isArray(c) && c.length === 0));
  if (flat.length === 0) return undefined;
  return html`<section class="block" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${flat}
  </section>`;
}

/** A URL as a link when it is an http(s) or mailto URL, else as text. */
function link(url: string | undefined, text?: string): Html | undefined {
  if (!url) return undefined;
  const shown = text ?? url.replace(/^mailto:/i, '');
  // a record of the hub (a series, its members, the data a service serves): its page here, whatever host its IRI names
  const hub = recordOfIri(url);
  if (hub) return html`<a href="${PATHS.record(hub.id)}">${shown}</a>`;
  const safe = safeUrl(url);
  return safe ? html`<a href="${safe}" rel="nofollow">${shown}</a>` : html`${shown}`;
}

/**
 * A link to another record: a record the hub holds by its title, to its page; one it does not hold as its IRI, said
 * absent (no link to a page that would say "no such record"); any other IRI as link() makes it.
 */
function related(url: string, linked: RecordPageInput['linked'], lang: Lang, keep: Lang | undefined, tr: Translate): Html | undefined {
  const hub = recordOfIri(url);
  const title = hub ? linked?.get(hub.id) : undefined;
  if (!hub || title === undefined) return link(url);
  if (title === null) return html`${url} <small class="absent">(${tr('record.notHeld')})</small>`;
  return html`<a href="${PATHS.record(hub.id)}${keep ? `?lang=${keep}` : ''}">${text(title, lang) ?? url}</a>`;
}

function list(items: Part[]): Html | undefined {
  return items.length
    ? html`<ul>
        ${items.map((i) => html`<li>${i}</li>`)}
      </ul>`
    : undefined;
}

/** The text of a language map in the reader's language, marked with its own language when it differs. */
function text(map: LangMap | undefined, lang: Lang): Html | undefined {
  const p = pick(map, lang);
  if (!p) return undefined;
  return p.lang && p.lang !== lang ? html`<span lang="${p.lang}">${p.text}</span>` : html`${p.text}`;
}

/** Paragraphs of a long text (blank lines or single line breaks). */
function paragraphs(s: string): Html {
  return html`${s
    .split(/\n+/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => html`<p>${l}</p>`)}`;
}

/** Every language of a map other than the one shown, as a disclosure. */
function otherLanguages(map: LangMap | undefined, shown: string | undefined, render: (s: string) => Part = (s) => s): Html | undefined {
  const others = Object.entries(map ?? {}).filter(([l]) => l !== shown && !(shown === undefined && l === '@none'));
  if (others.length === 0) return undefined;
  return html`${others.map(
    ([l, v]) =>
      html`<details class="other-lang"><summary>${l === '@none' ? '—' : l}</summary><div${l !== '@none' ? html` lang="${l}"` : ''}>${render(v)}</div></details>`,
  )}`;
}

function agent(a: Agent, lang: Lang): Html {
  return html`<span class="agent"
    >${a.homepage && safeUrl(a.homepage) ? html`<a href="${safeUrl(a.homepage)}">${text(a.name, lang)}</a>` : text(a.name, lang)}${
      a.mbox ? html` · ${link(a.mbox)}` : ''
    }${(a.identifier ?? []).map((i) => html` · ${link(i)}`)}${a.memberOf ? html` (${agent(a.memberOf, lang)})` : ''}</span
  >`;
}

function contact(c: ContactPoint): Html {
  return html`<span class="contact"
    >${c.fn}${c.organizationName && c.organizationName !== c.fn ? html`, ${c.organizationName}` : ''}${
      c.hasEmail ? html` · ${link(c.hasEmail)}` : ''
    }${c.hasTelephone ? html` · ${link(c.hasTelephone, c.hasTelephone.replace(/^tel:/, ''))}` : ''}${c.hasURL ? html` · ${link(c.hasURL)}` : ''}${
      c.hasUID ? html` · ${link(c.hasUID)}` : ''
    }${c.note ? html` · ${c.note}` : ''}</span
  >`;
}

function sizeText(bytes: number | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function serviceBox(s: ServiceLink, tr: Translate): Html {
  return html`<div class="service" data-service="${s.type}">
    <p class="qgis">${tr('record.service.qgis', s.type)}</p>
    ${dl([
      [tr('record.service.url'), html`<code class="service-url">${s.url}</code>`],
      [tr('record.service.layer'), s.layer ? html`<code class="layer">${s.layer}</code>` : undefined],
      [
        tr('record.service.capabilities'),
        html`<a
          class="capabilities"
          href="${s.capabilities}"
          data-service="${s.type}"
          ${s.layer ? html` data-layer="${s.layer}"` : ''}
          type="application/xml"
          >${s.capabilities}</a
        >`,
      ],
    ])}
  </div>`;
}

function distribution(d: Distribution, i: number, lang: Lang, tr: Translate): Html {
  const title = pick(d.title, lang)?.text;
  const service = serviceLink(d, title);
  const format = d.format ? (pick(d.format.label, lang)?.text ?? (d.format['@id'] ? iriLabel(d.format['@id']) : undefined)) : undefined;
  const heading = service ? tr('record.service', service.type) : (title ?? format ?? `${tr('record.distribution')} ${i + 1}`);
  return html`<li class="distribution">
    <h3>${heading}${service && title ? html` — <span class="layer-title">${title}</span>` : ''}</h3>
    ${d.description ? html`<div class="desc">${text(d.description, lang)}</div>` : ''} ${service ? serviceBox(service, tr) : ''}
    ${dl([
      [tr('record.download'), d.downloadURL ? link(d.downloadURL) : undefined],
      [tr('record.accessUrl'), d.downloadURL === d.accessURL ? undefined : link(d.accessURL)],
      [tr('record.format'), format],
      [tr('record.mediaType'), mediaTypeText(d.mediaType)],
      [
        tr('record.license'),
        d.license ? (link(d.license['@id'], pick(d.license.label, lang)?.text) ?? text(d.license.label, lang)) : undefined,
      ],
      [tr('record.rightsStatement'), d.rights ? (text(d.rights.label, lang) ?? link(d.rights['@id'])) : undefined],
      [tr('record.protocol'), d.protocol],
      [tr('record.function'), d.function ? codeLabel(lang, 'function', d.function) : undefined],
      [tr('record.size'), sizeText(d.byteSize)],
      [tr('record.checksum'), d.checksum ? checksumText(d.checksum) : undefined],
      [tr('record.compressFormat'), mediaTypeText(d.compressFormat)],
      [tr('record.packageFormat'), mediaTypeText(d.packageFormat)],
      [tr('record.conformsTo'), list((d.conformsTo ?? []).map((c) => link(c['@id'])))],
      [tr('record.issued'), dateText(d.issued)],
      [tr('record.modified'), dateText(d.modified)],
      [tr('record.language'), (d.language ?? []).map((l) => languageName(l['@id'], lang)).join(', ') || undefined],
      [tr('record.status'), conceptText(d.status, lang)],
      [tr('record.availability'), conceptText(d.availability, lang)],
      [
        tr('record.resolution'),
        [d.spatialResolutionInMeters !== undefined ? `${d.spatialResolutionInMeters} m` : undefined, d.temporalResolution]
          .filter((x) => x !== undefined)
          .join(', ') || undefined,
      ],
      [tr('record.page'), list((d.page ?? []).map((u) => link(u['@id'])))],
    ])}
  </li>`;
}

/** A concept by its label in the page's language, else by its IRI. */
function conceptText(c: Concept | undefined, lang: Lang): Part | undefined {
  return c && (text(c.prefLabel, lang) ?? iriLabel(c['@id']));
}

/** An IANA media type IRI as the type it names (text/csv). */
function mediaTypeText(m: MediaType | undefined): string | undefined {
  return m?.['@id'].replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, '');
}

/** A checksum as people compare it with their tool's: the algorithm's usual name, then the digest (`SHA-256 9f86…`). */
function checksumText(c: Checksum): Html {
  const name = c.algorithm['@id']
    .replace(/^.*#checksumAlgorithm_/, '')
    .toUpperCase()
    .replace(/^SHA(\d{3})$/, 'SHA-$1')
    .replace(/^SHA3_/, 'SHA3-')
    .replace(/^BLAKE2B/, 'BLAKE2b-');
  return html`${name} <code class="checksum">${c.checksumValue}</code>`;
}

/** Any JSON value, readable: what the page has no layout for (other properties, a FAIR report of unknown shape). */
function anyValue(v: unknown, depth = 0): Part {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return safeUrl(v) && /^https?:/i.test(v) ? link(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (depth > 6) return JSON.stringify(v);
  if (Array.isArray(v)) return list(v.map((x) => anyValue(x, depth + 1)));
  const o = v as Record<string, unknown>;
  if (typeof o['@value'] === 'string') return o['@value'];
  return dl(
    Object.entries(o)
      .filter(([k]) => k !== '@type')
      .map(([k, x]) => [k, anyValue(x, depth + 1)] as Row),
  );
}

function keywordLinks(map: LangMapMulti | undefined, lang: Lang, keep: string | undefined): Html | undefined {
  if (!map) return undefined;
  const entries = Object.entries(map);
  if (entries.length === 0) return undefined;
  return html`<ul class="tags">
    ${entries.flatMap(([l, words]) =>
      words.map(
        (w) =>
          html`<li${l !== lang && l !== '@none' ? html` lang="${l}"` : ''}><a href="${catalogueUrl({ filters: { keyword: [w] }, page: 1 }, keep)}">${w}</a></li>`,
      ),
    )}
  </ul>`;
}

/** The same dataset from other sources (pipelines/duplicates.ts): "also from" on the copy listed, the listed one on a copy. */
function copiesNote(stored: StoredRecord, tr: ReturnType<typeof translator>, keep: Lang | undefined): Html | string {
  const dup = stored.dup;
  if (!dup) return '';
  const to = (id: string) => {
    const source = id.slice(0, Math.max(0, id.indexOf(':'))) || id;
    return html`<a href="${PATHS.record(id)}${keep ? `?lang=${keep}` : ''}" data-copy="${id}">${source}</a>`;
  };
  if (dup.primary === false && dup.of) return html`<p class="copies copy-of">${tr('record.copyOf')} ${to(dup.of)}</p>`;
  if (!dup.also?.length) return '';
  const links = dup.also.map((id, i) => (i === 0 ? to(id) : html`, ${to(id)}`));
  return html`<p class="copies also-from">${tr('record.alsoFrom')} ${links}</p>`;
}

export function recordPage(input: RecordPageInput): Html {
  const { lang, stored } = input;
  const r: HubRecord = stored.record;
  const tr = translator(lang);
  const keep = input.explicitLang ? lang : undefined;
  const title = pick(r.title, lang);
  const desc = pick(r.description, lang);
  const cr = r.isPrimaryTopicOf;
  const boxes = recordBoxes(r);
  const when = periods(r);
  const services = (r.endpointURL ?? []).map((u) =>
    serviceLink({ '@type': 'dcat:Distribution', accessURL: u, ...(r.conformsTo ? { conformsTo: r.conformsTo } : {}) }),
  );
  const others = Object.entries(r).filter(([k]) => !LAID_OUT.has(k));
  const standards = (r.conformsTo ?? []).map((c) => ({ iri: c['@id'], crs: crsLabel(c['@id']) }));
  const rel = (urls: string[] | undefined) => list((urls ?? []).map((u) => related(u, input.linked, lang, keep, tr)));
  const parts =
    input.parts?.records.map(
      (p) => html`<a href="${PATHS.record(p.id)}${keep ? `?lang=${keep}` : ''}">${text(p.title, lang) ?? p.id}</a>`,
    ) ?? [];
  const moreParts = (input.parts?.total ?? 0) - parts.length;
  const withParts = (urls: string[] | undefined) =>
    list([
      ...(urls ?? []).map((u) => related(u, input.linked, lang, keep, tr)),
      ...parts,
      ...(moreParts > 0
        ? [
            html`<a class="more" href="${catalogueUrl({ filters: { partOf: [stored.id] }, page: 1 }, keep)}"
              >${tr('record.partsMore', moreParts)}</a
            >`,
          ]
        : []),
    ]);
  const isSeries = r['@type'][0] === 'dcat:DatasetSeries';

  const body = html`<p class="back"><a href="${input.back ?? catalogueUrl({ filters: {}, page: 1 }, keep)}">${tr('record.back')}</a></p>
<article class="record" data-id="${stored.id}">
<header>
  <p class="meta"><span class="type">${tr(`type.${recordType(r)}`)}</span> · <span class="source">${stored.source}</span></p>
  <h1${title?.lang && title.lang !== lang ? html` lang="${title.lang}"` : ''}>${title?.text ?? stored.id}</h1>
  ${otherLanguages(r.title, title?.lang)}
  ${copiesNote(stored, tr, keep)}
</header>
${section(
  'summary',
  tr('record.summary'),
  desc
    ? html`<div class="description" ${desc.lang && desc.lang !== lang ? html` lang="${desc.lang}"` : ''}>${paragraphs(desc.text)}</div>`
    : undefined,
  otherLanguages(r.description, desc?.lang, paragraphs),
  dl([
    [
      tr('record.identifiers'),
      list([
        html`<code>${stored.id}</code>`,
        ...(r.otherIdentifier ?? []).map((i) => html`${link(i.notation)}${i.schemaAgency ? html` (${i.schemaAgency})` : ''}`),
      ]),
    ],
    [tr('record.resourceType'), list((r.resourceType ?? []).map((c) => conceptText(c, lang)))],
    [tr('record.language'), (r.language ?? []).map((l) => languageName(l['@id'], lang)).join(', ')],
    [tr('record.alternative'), list(Object.values(r.alternative ?? {}).flat())],
    [tr('record.version'), r.version],
    [tr('record.versionNotes'), r.versionNotes ? text(r.versionNotes, lang) : undefined],
    [tr('record.status'), conceptText(r.status, lang)],
    [tr('record.citation'), r.bibliographicCitation],
  ]),
)}
${section(
  'where',
  tr('record.where'),
  boxes.length
    ? html`<div id="map" class="map small" data-static="${PATHS.static}" data-mode="record"></div>
        ${jsonScript('footprints', [{ id: stored.id, title: title?.text ?? stored.id, boxes }])}
        ${jsonScript('map-messages', {
          label: tr('map.label'),
          keys: tr('map.keys.record'),
          zoomIn: tr('map.zoomIn'),
          zoomOut: tr('map.zoomOut'),
        })}`
    : undefined,
  list(
    (r.spatial ?? []).map(
      (s) =>
        html`${s.prefLabel ? text(s.prefLabel, lang) : ''}${
          s.bbox
            ? html` <code
                >${
                  recordBoxes({ ...r, spatial: [s] })[0]
                    ?.map(coord)
                    .join(', ') ?? s.bbox['@value']
                }</code
              >`
            : ''
        }${
          s.geometry && !s.bbox ? html` <code>${s.geometry['@value'].slice(0, 200)}</code>` : ''
        }${s['@id'] ? html` ${link(s['@id'])}` : ''}`,
    ),
  ),
  dl([
    [
      tr('record.resolution'),
      [
        ...(r.spatialResolutionInMeters !== undefined ? [`${r.spatialResolutionInMeters} m`] : []),
        ...(r.spatialResolutionAsText ?? []),
        ...(r.gsd ?? []).map((m) => `GSD ${m} m`),
      ].join(', '),
    ],
  ]),
)}
${section(
  'when',
  tr('record.when'),
  list(when.map((p) => `${p.start ?? '…'} – ${p.end ?? tr('record.open')}`)),
  dl([
    [tr('record.issued'), dateText(r.issued)],
    [tr('record.modified'), dateText(r.modified)],
    [tr('record.created'), dateText(r.created)],
    [
      tr('record.frequency'),
      r.accrualPeriodicity
        ? link(r.accrualPeriodicity['@id'], codeLabel(lang, 'frequency', iriLabel(r.accrualPeriodicity['@id'])))
        : undefined,
    ],
    [tr('record.temporalResolution'), r.temporalResolution],
  ]),
)}
${section(
  'themes',
  tr('record.themes'),
  dl([
    [
      tr('record.theme'),
      list(
        (r.theme ?? []).map((c) => {
          const label = text(conceptLabels(c, lang), lang) ?? (c['@id'] ? iriLabel(c['@id']) : c.notation);
          const scheme = c.inScheme?.title ? pick(c.inScheme.title, lang)?.text : undefined;
          return html`${c['@id'] ? html`<a href="${catalogueUrl({ filters: { theme: [c['@id']] }, page: 1 }, keep)}">${label}</a>` : label}${scheme ? html` <span class="scheme">(${scheme})</span>` : ''}`;
        }),
      ),
    ],
    [
      tr('record.subject'),
      list((r.subject ?? []).map((c) => text(c.prefLabel, lang) ?? c.notation ?? (c['@id'] ? iriLabel(c['@id']) : ''))),
    ],
    [tr('record.keywords'), keywordLinks(r.keyword, lang, keep)],
  ]),
)}
${section(
  'parties',
  tr('record.parties'),
  dl([
    [tr('record.publisher'), r.publisher ? agent(r.publisher, lang) : undefined],
    [tr('record.creator'), list((r.creator ?? []).map((a) => agent(a, lang)))],
    [tr('record.rightsHolder'), list((r.rightsHolder ?? []).map((a) => agent(a, lang)))],
    [tr('record.funder'), list((r.funder ?? []).map((a) => agent(a, lang)))],
    [tr('record.contact'), list((r.contactPoint ?? []).map(contact))],
    [
      tr('record.roles'),
      list(
        (r.qualifiedAttribution ?? []).map(
          (q) => html`${codeLabel(lang, 'role', iriLabel(q.hadRole))}${tr('colon')} ${agent(q.agent, lang)}`,
        ),
      ),
    ],
  ]),
)}
${section(
  'access',
  tr('record.access'),
  services.some(Boolean)
    ? html`<ul class="distributions">
        ${services.map((s) =>
          s
            ? html`<li class="distribution">
                <h3>${tr('record.service', s.type)}</h3>
                ${serviceBox(s, tr)}
              </li>`
            : '',
        )}
      </ul>`
    : undefined,
  r.distribution?.length
    ? html`<ul class="distributions">
        ${r.distribution.map((d, i) => distribution(d, i, lang, tr))}
      </ul>`
    : undefined,
  dl([
    [tr('record.endpoint'), list((r.endpointURL ?? []).map((u) => link(u)))],
    [tr('record.endpointDescription'), list((r.endpointDescription ?? []).map((u) => link(u)))],
    [tr('record.servesDataset'), rel(r.servesDataset)],
  ]),
)}
${section(
  'rights',
  tr('record.rights'),
  dl([
    [tr('record.license'), list((r.license ?? []).map((l) => link(l['@id'], pick(l.label, lang)?.text) ?? text(l.label, lang)))],
    [
      tr('record.accessRights'),
      r.accessRights ? (text(r.accessRights.label, lang) ?? link(r.accessRights['@id'], iriLabel(r.accessRights['@id'] ?? ''))) : undefined,
    ],
    [tr('record.rightsStatement'), list((r.rights ?? []).map((x) => text(x.label, lang) ?? link(x['@id'])))],
    [tr('record.dataPolicy'), text(r.dataPolicy, lang)],
    [tr('record.embargo'), dateText(r.embargoEndDate)],
  ]),
)}
${section(
  'quality',
  tr('record.quality'),
  dl([
    [tr('record.provenance'), list((r.provenance ?? []).map((p) => text(p.label, lang)))],
    [
      tr('record.conformity'),
      list(
        (r.conformity ?? []).map(
          (c) =>
            html`${text(c.specification.title, lang) ?? link(c.specification['@id'])}:
              <strong
                >${
                  c.pass === true ? tr('record.conformant') : c.pass === false ? tr('record.notConformant') : tr('record.notEvaluated')
                }</strong
              >${c.explanation ? html` — ${text(c.explanation, lang)}` : ''}`,
        ),
      ),
    ],
    // reference systems are standards in GeoDCAT-AP: named apart, as a reader knows them
    [tr('record.crs'), list(standards.flatMap((c) => (c.crs ? [link(c.iri, c.crs)] : [])))],
    [tr('record.conformsTo'), list(standards.flatMap((c) => (c.crs ? [] : [link(c.iri)])))],
    [tr('record.applicableLegislation'), list((r.applicableLegislation ?? []).map((l) => link(l['@id'])))],
  ]),
)}
${section(
  'measures',
  tr('record.measures'),
  r.variableMeasured?.length
    ? html`<table class="variables">
        <thead>
          <tr>
            <th scope="col">${tr('record.variable')}</th>
            <th scope="col">${tr('record.unit')}</th>
          </tr>
        </thead>
        <tbody>
          ${r.variableMeasured.map(
            (v) =>
              html`<tr>
                <td>
                  ${v.propertyID && safeUrl(v.propertyID) ? html`<a href="${safeUrl(v.propertyID)}">${text(v.name, lang)}</a>` : text(v.name, lang)}${
                    v.description ? html`<br /><small>${text(v.description, lang)}</small>` : ''
                  }
                </td>
                <td>${v.unitText ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : undefined,
  dl([
    [tr('record.platform'), (r.platform ?? []).join(', ')],
    [tr('record.instrument'), (r.instrument ?? []).join(', ')],
    [tr('record.processingLevel'), (r.processingLevel ?? []).join(', ')],
    [tr('record.dataType'), (r.dataType ?? []).join(', ')],
    [tr('record.samplingFeature'), list((r.samplingFeature ?? []).map((s) => link(s)))],
    [tr('record.granules'), r.granuleCount?.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR')],
  ]),
)}
${section(
  'links',
  tr('record.links'),
  dl([
    [tr('record.landingPage'), list((r.landingPage ?? []).map((u) => link(u['@id'])))],
    [tr('record.page'), list((r.page ?? []).map((u) => link(u['@id'])))],
    [tr('record.isPartOf'), rel(r.isPartOf)],
    [tr('record.inSeries'), rel(r.inSeries)],
    [tr('record.seriesMember'), isSeries ? withParts(r.seriesMember) : rel(r.seriesMember)],
    [tr('record.parts'), isSeries ? undefined : withParts(undefined)],
    [tr('record.relation'), rel(r.relation)],
    [tr('record.isReferencedBy'), list((r.isReferencedBy ?? []).map((u) => link(u)))],
    [tr('record.hasVersion'), rel(r.hasVersion)],
    [tr('record.isVersionOf'), rel(r.isVersionOf)],
    [tr('record.hasCurrentVersion'), rel(r.hasCurrentVersion)],
    [tr('record.previousVersion'), rel(r.previousVersion)],
    [tr('record.replaces'), rel(r.replaces)],
    [tr('record.isReplacedBy'), rel(r.isReplacedBy)],
    // previews are links, not images: a page of the hub loads nothing from another host
    [tr('record.depiction'), list((r.depiction ?? []).map((u) => link(u)))],
  ]),
)}
${section(
  'fair',
  tr('record.fair'),
  stored.quality
    ? dl([
        [
          tr('facet.rating'),
          stored.quality.rating
            ? html`<strong class="rating rating-${stored.quality.rating}">${codeLabel(lang, 'rating', stored.quality.rating)}</strong>`
            : undefined,
        ],
        [tr('record.fair.mqa'), stored.quality.mqa !== undefined ? `${stored.quality.mqa} / 405` : undefined],
        [tr('record.fair.fuji'), stored.quality.fuji !== undefined ? String(stored.quality.fuji) : undefined],
      ])
    : html`<p>${tr('record.fair.none')}</p>`,
)}
${section('other', tr('record.other'), others.length ? dl(others.map(([k, v]) => [k, anyValue(v)] as Row)) : undefined)}
${section(
  'origin',
  tr('record.catalogRecord'),
  dl([
    [tr('record.sourceId'), html`<a href="${PATHS.sourceRuns(cr.sourceId)}">${cr.sourceId}</a>`],
    [tr('record.sourceFormat'), cr.sourceFormat],
    [tr('record.sourceUrl'), link(cr.sourceUrl)],
    [tr('record.identifiers'), html`<code>${cr.identifier}</code>`],
    [tr('record.metadataDate'), dateText(cr.modified)],
    [tr('record.harvestedAt'), dateText(cr.harvestedAt)],
    [tr('record.standard'), link(cr.conformsTo?.['@id'])],
    [tr('record.metadataContact'), list((cr.contactPoint ?? []).map(contact))],
    [tr('record.language'), (cr.language ?? []).map((l) => languageName(l['@id'], lang)).join(', ')],
  ]),
)}
<section class="block" aria-labelledby="dcat"><h2 id="dcat">${tr('record.dcat')}</h2>
<p>${tr('record.dcat.hint')}</p>
<ul class="forms">
  <li><a href="${PATHS.dcat(stored.id, 'jsonld')}" type="application/ld+json">JSON-LD</a></li>
  <li><a href="${PATHS.dcat(stored.id, 'ttl')}" type="text/turtle">Turtle</a></li>
  <li><a href="${PATHS.dcat(stored.id, 'rdf')}" type="application/rdf+xml">RDF/XML</a></li>
  <li><a href="${PATHS.dcat(stored.id, 'nt')}" type="application/n-triples">N-Triples</a></li>
</ul>
<p><code>${r['@id']}</code></p>
</section>
</article>`;

  return layout({
    lang,
    explicitLang: input.explicitLang,
    title: title?.text ?? stored.id,
    url: input.url,
    section: 'catalogue',
    body,
    head: html`<link rel="stylesheet" href="${PATHS.leaflet}/leaflet.css" />
      <link rel="alternate" type="application/ld+json" href="${PATHS.dcat(stored.id, 'jsonld')}" />
      ${
        input.baseUrl
          ? jsonLdScript(
              toSchemaOrg(r, {
                pageUrl: input.baseUrl + PATHS.record(stored.id),
                lang,
                catalogue: { name: tr('site.name'), url: input.baseUrl + PATHS.catalogue },
                recordPage: (id) => input.baseUrl + PATHS.record(id),
              }),
            )
          : ''
      }`,
    scripts: boxes.length
      ? html`<script src="${PATHS.leaflet}/leaflet.js" defer></script>
          <script type="module" src="${PATHS.static}/js/catalogue-map.js"></script>`
      : '',
  });
}
