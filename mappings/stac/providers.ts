/**
 * STAC `providers` → agents by role. Pure.
 *
 * | STAC role | DCAT property   | role IRI (INSPIRE ResponsiblePartyRole / ISO 19115-1 CI_RoleCode) |
 * | --------- | --------------- | ---------------------------------------------------------------- |
 * | producer  | dct:creator     | originator (the party that created the resource)                  |
 * | licensor  | dct:rightsHolder| rightsHolder                                                       |
 * | processor | -               | processor                                                          |
 * | host      | dct:publisher   | distributor (the party that makes it available)                    |
 * | (none)    | -               | resourceProvider                                                   |
 *
 * Every provider is also in prov:qualifiedAttribution once per role. The first host is the publisher (DCAT has one).
 * The provider `url` is the agent's homepage. An unknown role is reported and left out of the attributions.
 */
import type { Agent, Attribution } from '../../schemas/record.js';
import { roleIri } from '../../core/vocab.js';
import { arr, obj, str, strings } from '../../core/json.js';
import { attribution, organisationAgent } from '../common.js';
import { resolveHref } from './links.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

const ROLE_CODES: Record<string, string> = {
  producer: 'originator',
  licensor: 'rightsHolder',
  processor: 'processor',
  host: 'distributor',
};

export interface Parties {
  publisher?: Agent;
  creator: Agent[];
  rightsHolder: Agent[];
  qualifiedAttribution: Attribution[];
}

export function readProviders(providers: unknown, path: string, warnings: SourceWarning[]): Parties {
  const out: Parties = { creator: [], rightsHolder: [], qualifiedAttribution: [] };
  arr(providers).forEach((value, i) => {
    const p = obj(value);
    const name = str(p?.name);
    if (!p || !name) {
      warnings.push(coded(`${path}[${i}].name`, 'stac.provider.noName'));
      return;
    }
    const homepage = resolveHref(p.url, undefined);
    if (p.url !== undefined && !homepage) warnings.push(coded(`${path}[${i}].url`, 'stac.provider.url', { url: JSON.stringify(p.url) }));
    const agent = organisationAgent({ '@none': name }, { homepage });
    const roles = strings(p.roles).map((r) => r.toLowerCase());
    if (roles.includes('producer')) out.creator.push(agent);
    if (roles.includes('licensor')) out.rightsHolder.push(agent);
    if (roles.includes('host')) out.publisher ??= agent;
    for (const role of roles.length ? roles : ['(none)']) {
      const code = role === '(none)' ? 'resourceProvider' : ROLE_CODES[role];
      const hadRole = code ? roleIri(code) : undefined;
      if (!hadRole) {
        warnings.push(coded(`${path}[${i}].roles`, 'stac.provider.role', { role }));
        continue;
      }
      out.qualifiedAttribution.push(attribution(agent, hadRole));
    }
  });
  return out;
}
