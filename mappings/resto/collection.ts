/**
 * A resto 2 collection (`collections.json` entries: name, model, license, osDescription, statistics; or the collection
 * descriptions resto is loaded with, whose osDescription is per language) -> a dcat:Dataset. Pure.
 *
 * osDescription is the collection's OpenSearch description: LongName (else ShortName) is the title, Description the
 * description (its HTML removed), Tags the keywords, Contact an e-mail of the contact point, Developer (resto also
 * wrote "Developper") the name of it, Attribution a rights statement. statistics.facets give the platforms,
 * instruments, product types and processing levels found in the collection, statistics.count its products.
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import { isObject, num, obj, str, type JsonObject } from '../../core/json.js';
import { RecordError } from '../../core/result.js';
import { EU_ACCESS_RIGHT, langKey } from '../../core/vocab.js';
import type { ContactPoint, HubRecord, LangMap, LangMapMulti, LicenseDocument } from '../../schemas/record.js';
import { assignValues, contactPoint, DATASET, isEmail, recordHead } from '../common.js';
import { plain, restoCatalogRecord, textOf, type RestoContext } from './common.js';

/** osDescription by language: `{ en: {...}, fr: {...} }`, or one description (`@none`). */
function descriptions(os: unknown): [string, JsonObject][] {
  const o = obj(os);
  if (!o) return [];
  if ('ShortName' in o || 'LongName' in o || 'Description' in o) return [['@none', o]];
  return Object.entries(o)
    .filter((e): e is [string, JsonObject] => isObject(e[1]))
    .map(([lang, d]) => [langKey(lang) === '@none' ? lang : langKey(lang), d]);
}

function langMap(ds: [string, JsonObject][], pick: (d: JsonObject) => string | undefined): LangMap | undefined {
  const out: LangMap = {};
  for (const [lang, d] of ds) {
    const v = pick(d);
    if (v) out[lang] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The names of the facets of one kind in statistics.facets (`{ platform: { S2A: 120, S2B: 80 } }`). */
function facet(stats: JsonObject | undefined, ...names: string[]): string[] {
  const facets = obj(stats?.facets);
  const out: string[] = [];
  for (const n of names) for (const k of Object.keys(obj(facets?.[n]) ?? {})) if (!out.includes(k)) out.push(k);
  return out;
}

/** resto 2's license object: its description (shortName, url) per language or as is. */
function license(l: unknown): LicenseDocument[] {
  const o = obj(l);
  if (!o) return typeof l === 'string' && l.trim() ? [{ '@type': 'dct:LicenseDocument', label: { '@none': l.trim() } }] : [];
  const d = obj(o.description);
  const desc = d && ('url' in d || 'shortName' in d) ? d : (obj(d?.en) ?? obj(Object.values(d ?? {})[0]));
  const url = str(desc?.url);
  const label = str(desc?.shortName) ?? str(o.licenseId);
  if (!url && !label) return [];
  return [
    {
      ...(url && /^https?:\/\//.test(url) ? { '@id': url } : {}),
      '@type': 'dct:LicenseDocument',
      ...(label ? { label: { '@none': label } } : {}),
    },
  ];
}

export function restoCollectionToRecord(json: JsonObject, ctx: RestoContext): { record: HubRecord; warnings: SourceWarning[] } {
  const warnings: SourceWarning[] = [];
  const id = str(json.name) ?? str(json.id);
  if (!id) throw new RecordError('map', 'a resto collection needs a name');
  const ds = descriptions(json.osDescription);
  const title = langMap(ds, (d) => textOf(d.LongName) ?? textOf(d.ShortName)) ?? { '@none': id };
  if (ds.length === 0) warnings.push(coded('osDescription', 'resto.description.missing'));
  const keyword: LangMapMulti = {};
  for (const [lang, d] of ds) {
    const tags = (textOf(d.Tags) ?? '').split(/[\s,]+/).filter(Boolean);
    if (tags.length) keyword[lang] = [...new Set(tags)];
  }
  const first = ds[0]?.[1];
  const email = textOf(first?.Contact);
  const who = textOf(first?.Developer) ?? textOf(first?.Developper);
  const contacts: ContactPoint[] = [];
  if (who || email) {
    contacts.push(contactPoint(who ? 'individual' : 'organisation', who ?? email!, email && isEmail(email) ? { email } : {}));
  }
  const attribution = langMap(ds, (d) => textOf(d.Attribution));
  const stats = obj(json.statistics);
  const status = str(json.status) ?? str(json.visibility);
  const record = assignValues(recordHead(ctx.source, id, DATASET, title), {
    description: langMap(ds, (d) => plain(d.Description)),
    keyword,
    contactPoint: contacts,
    license: license(json.license),
    accessRights: status === 'public' ? { '@id': `${EU_ACCESS_RIGHT}PUBLIC`, '@type': 'dct:RightsStatement' as const } : undefined,
    rights: attribution ? [{ '@type': 'dct:RightsStatement' as const, label: attribution }] : [],
    platform: facet(stats, 'platform'),
    instrument: facet(stats, 'instrument'),
    processingLevel: facet(stats, 'processingLevel'),
    dataType: facet(stats, 'productType'),
    granuleCount: num(stats?.count),
    isPrimaryTopicOf: restoCatalogRecord(id, 'resto-collection', json, ctx),
  }) as HubRecord;

  return { record, warnings };
}
