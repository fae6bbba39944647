/** What the OAI-PMH and DCAT tests share: an index of every fixture family harvested at known times, and XML reading. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { XMLParser } from 'fast-xml-parser';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { venvBin } from '../../scripts/services/python.js';
import { fixtureRecords, indexRecords } from './fixture-index.js';

/** When each family was "harvested": its records' datestamp. */
export const HARVESTED: Record<string, string> = {
  iso19139: '2026-11-20T08:00:00Z',
  'iso19115-3': '2026-11-21T09:30:00Z',
  stac: '2026-11-22T10:15:30Z',
  ozcar: '2026-11-23T23:59:59Z',
};

/** The fixture records with the datestamps above. */
export async function datedFixtures(): Promise<HubRecord[]> {
  const records = await fixtureRecords();
  for (const r of records) r.isPrimaryTopicOf.harvestedAt = { '@value': HARVESTED[r.isPrimaryTopicOf.sourceId], '@type': 'xsd:dateTime' };
  return records;
}

export async function indexDatedFixtures(client: Client, alias: string): Promise<HubRecord[]> {
  const records = await datedFixtures();
  // each source's records written at its harvest time: their OAI-PMH datestamp (indexed_at)
  for (const source of new Set(records.map((r) => r.isPrimaryTopicOf.sourceId))) {
    const mine = records.filter((r) => r.isPrimaryTopicOf.sourceId === source);
    await indexRecords(client, alias, mine, 'fixtures', { clock: () => new Date(HARVESTED[source]) });
  }
  return records;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  isArray: (name) => ['header', 'record', 'set', 'setSpec', 'identifier', 'metadataFormat', 'adminEmail'].includes(name),
});

export interface OaiDoc {
  request: { '#text': string; [attr: string]: string };
  error?: { '@code': string; '#text': string };
  [verb: string]: unknown;
}

/** The OAI-PMH element of a response. */
export function readOai(xml: string): OaiDoc {
  return (parser.parse(xml) as { 'OAI-PMH': OaiDoc })['OAI-PMH'];
}

/**
 * test/api/oai_clients.py (Sickle, oaipmh-scythe) with these arguments, run asynchronously (the server answering it
 * lives in the calling process): the JSON document it prints.
 */
export async function oaiClients<T>(...args: string[]): Promise<T> {
  const r = await promisify(execFile)(venvBin('python'), [projectPath('test', 'api', 'oai_clients.py'), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  return JSON.parse(r.stdout) as T;
}
