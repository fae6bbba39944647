/**
 * The SSRF guard: what the hub fetches because a user or a record gave the URL (an uploaded feed's links, a URL posted
 * to /validate, a record's distribution links) may only reach the public internet.
 *
 * - http(s) only;
 * - no loopback, private (RFC 1918, unique-local), link-local (cloud metadata 169.254.169.254, fd00:ec2::254),
 *   CGNAT (100.64/10, where some clouds answer metadata), multicast, broadcast, unspecified, reserved, benchmarking or
 *   documentation address, IPv4 or IPv6, the IPv4-mapped, NAT64 and 6to4 forms of those included: only what ipaddr.js
 *   classifies as global unicast passes;
 * - checked on the address actually connected to: the guard is the DNS lookup of the sockets it opens (its own agents,
 *   never a shared pool), so no DNS rebinding between a check and the connection; a URL whose host is an IP literal
 *   (any spelling: the WHATWG URL parser turns http://2130706433/ and http://0x7f.1/ into 127.0.0.1) is checked before
 *   the request and again at every redirect;
 * - unless the operator allows a host name or an address range explicitly (`allow`: "localhost", "10.0.0.0/8",
 *   "::1/128"); tests allow loopback that way and nothing else.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';

// ipaddr.js is CommonJS: required rather than imported, which spares node's scan of its source for named exports
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

/** A URL or address the guard refuses; `url` is the one refused (maybe a redirect's target). */
export class SsrfError extends Error {
  readonly url: string;
  constructor(url: string, message: string) {
    super(message);
    this.name = 'SsrfError';
    this.url = url;
  }
}

type Range = [IpAddr.IPv4 | IpAddr.IPv6, number];

export interface SsrfGuard {
  /** Throws SsrfError unless the URL is http(s) and its host, when an IP literal, may be reached. */
  checkUrl(url: string): void;
  /** A dns.lookup that refuses a host resolving to an address that may not be reached. */
  lookup: typeof dnsLookup;
  /** Agents whose sockets are opened through `lookup` only. */
  agent: { http: http.Agent; https: https.Agent };
  /** What the operator allowed, for messages. */
  readonly allowed: readonly string[];
}

/** Why an address may not be reached, or undefined when it is a global unicast address. */
export function blockedReason(address: string): string | undefined {
  let ip: IpAddr.IPv4 | IpAddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return `"${address}" is not an IP address`;
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as IpAddr.IPv6;
    if (v6.isIPv4MappedAddress()) return blockedReason(v6.toIPv4Address().toString());
    const range = v6.range();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: that one decides
    const p = v6.parts;
    const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    if (range === 'rfc6052' || range === 'rfc6145') return blockedReason(v4(p[6], p[7]));
    if (range === '6to4') return blockedReason(v4(p[1], p[2]));
    return range === 'unicast' ? undefined : `${address} is not a public address (${range})`;
  }
  const range = (ip as IpAddr.IPv4).range();
  return range === 'unicast' ? undefined : `${address} is not a public address (${range})`;
}

function parseAllow(entry: string): { host: string } | { range: Range } {
  const e = entry.trim();
  if (e.includes('/')) {
    try {
      return { range: ipaddr.parseCIDR(e) };
    } catch {
      throw new Error(`allowed range "${entry}" is not an address range such as 10.0.0.0/8 or ::1/128`);
    }
  }
  if (ipaddr.isValid(e)) {
    const ip = ipaddr.parse(e);
    return { range: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
  }
  if (!/^[a-z0-9.-]+$/i.test(e)) throw new Error(`allowed host "${entry}" is not a host name, an address or a range`);
  return { host: e.toLowerCase() };
}

/**
 * The operator's allow-list, `$HUB_SSRF_ALLOW`: hosts and address ranges, comma-separated (none when unset), each
 * checked here so that a mistake is said when the command starts, naming the variable. The one configuration of
 * every guarded fetch the operator does not configure per command: `POST /validate` and its link checks in
 * `harvester serve`, the member links of ISO series in CSW harvests (harvesters/csw/members.ts).
 */
export function ssrfAllowFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const allow = (env.HUB_SSRF_ALLOW ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (const a of allow) {
    try {
      parseAllow(a);
    } catch (err) {
      throw new Error(`HUB_SSRF_ALLOW: ${(err as Error).message}`);
    }
  }
  return allow;
}

/** The guard with the hosts and ranges the operator allows (none by default). */
export function createSsrfGuard(allow: readonly string[] = []): SsrfGuard {
  const parsed = allow.map(parseAllow);
  const hosts = new Set(parsed.flatMap((p) => ('host' in p ? [p.host] : [])));
  const ranges = parsed.flatMap((p) => ('range' in p ? [p.range] : []));
  const inAllowedRange = (address: string): boolean => {
    try {
      let ip = ipaddr.parse(address);
      if (ip.kind() === 'ipv6' && (ip as IpAddr.IPv6).isIPv4MappedAddress()) ip = (ip as IpAddr.IPv6).toIPv4Address();
      return ranges.some(([r, bits]) => r.kind() === ip.kind() && ip.match([r, bits] as never));
    } catch {
      return false;
    }
  };
  const refused = (address: string): string | undefined => (inAllowedRange(address) ? undefined : blockedReason(address));

  const checkUrl = (url: string): void => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new SsrfError(url, `${url}: not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SsrfError(url, `${url}: only http and https URLs are fetched`);
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (hosts.has(host)) return;
    if (ipaddr.isValid(host)) {
      const why = refused(host);
      if (why) throw new SsrfError(url, `${url}: refused, ${why} (not on the public internet)`);
    }
  };

  const lookup = ((hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: (...args: unknown[]) => void) => {
    const opts: LookupOneOptions | LookupAllOptions = typeof options === 'number' ? { family: options } : (options ?? {});
    const cb = typeof options === 'function' ? (options as (...args: unknown[]) => void) : callback;
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return cb(err);
      if (!hosts.has(hostname.toLowerCase())) {
        for (const a of addresses) {
          const why = refused(a.address);
          if (why) {
            const e = new SsrfError(hostname, `${hostname} resolves to ${a.address}: refused, ${why} (not on the public internet)`);
            (e as Error & { code?: string }).code = 'ERR_SSRF_REFUSED';
            return cb(e);
          }
        }
      }
      if ((opts as LookupAllOptions).all) return cb(null, addresses);
      return cb(null, addresses[0].address, addresses[0].family);
    });
  }) as unknown as typeof dnsLookup;

  return {
    checkUrl,
    lookup,
    agent: {
      http: new http.Agent({ keepAlive: true, lookup }),
      https: new https.Agent({ keepAlive: true, lookup }),
    },
    allowed: [...allow],
  };
}
