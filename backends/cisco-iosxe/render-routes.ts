// The routing lines of render.ts that carry a device's many prefixes: the static routes of both
// families and the route-maps with their exact prefix-lists (redistribution, BGP import and
// export), each block written as one text as its lines are made; and the prefix helpers they
// share with the rest of the renderer.

import { formatIPv4, formatIPv6, network, prefixOf, type Prefix } from '../../language/address.js';
import type { DeviceModel } from '../../compiler/model.js';
import { formatOriginTag } from '../origin-tag.js';
import { LineText } from '../line-text.js';
import { dottedMask, ipv4NumberIn, isLinkLocal, NULL_INTERFACE } from './syntax.js';

export type Family = 4 | 6;

// The model's prefixes are valid (the compiler's, or a reader's that parsed them): IPv6 ones,
// and only they, have a colon.
export const familyOf = (prefix: string): Family => (prefix.includes(':') ? 6 : 4);
export const split = (list: string[]): Record<Family, string[]> => {
  const out: Record<Family, string[]> = { 4: [], 6: [] };
  for (const p of list) out[familyOf(p)].push(p);
  return out;
};

/**
 * A route-map permitting exactly `prefixes` (deny-all when empty), with its prefix-lists: each
 * family's lines as flat parts (LineText.parts: lines joined by line breaks), made at once so
 * that the thousands of entries of a redistribution list do not live as pieces until the file is
 * joined.
 */
export interface RouteMapParts {
  prefixLists: Partial<Record<Family, readonly string[]>>;
  routeMap: string[];
}

function prefixListParts(name: string, family: Family, prefixes: string[]): readonly string[] {
  const kw = family === 4 ? 'ip' : 'ipv6';
  const text = new LineText();
  prefixes.forEach((p, i) => text.push(`${kw} prefix-list ${name} seq ${(i + 1) * 5} permit ${p}`));
  return text.parts();
}

export function exactRouteMap(name: string, prefixes: string[]): RouteMapParts {
  const byFamily = split(prefixes);
  const prefixLists: RouteMapParts['prefixLists'] = {};
  const routeMap: string[] = [];
  let seq = 10;
  for (const family of [4, 6] as const) {
    if (byFamily[family].length === 0) continue;
    // IOS keeps IPv4 and IPv6 prefix-list names apart, but one name per list reads better.
    const pl = family === 6 && byFamily[4].length > 0 ? `${name}-V6` : name;
    prefixLists[family] = prefixListParts(pl, family, byFamily[family]);
    routeMap.push(`route-map ${name} permit ${seq}`, ` match ${family === 4 ? 'ip' : 'ipv6'} address prefix-list ${pl}`, '!');
    seq += 10;
  }
  if (routeMap.length === 0) routeMap.push(`route-map ${name} deny 10`, '!');
  return { prefixLists, routeMap };
}

/** A link-local address as IOS prints it (upper case). */
export function linkLocalText(address: string): string {
  return address.toUpperCase();
}

export function comparePrefix(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}

export function textOf(p: Prefix): string {
  const n = network(p);
  return `${n.family === 4 ? formatIPv4(n.value) : formatIPv6(n.value)}/${n.length}`;
}

/**
 * The static routes' lines of both families, in one pass: each destination parsed once (the two
 * families' blocks are written apart, around the lists and route-maps). Each family's block is
 * flat parts, its lines joined as they are made (LineText.parts): an edge router has thousands.
 */
export function staticRouteLines(device: DeviceModel): Partial<Record<Family, readonly string[]>> {
  const lines: Record<Family, LineText | undefined> = { 4: undefined, 6: undefined };
  for (const r of device.staticRoutes) {
    let family: Family = 4;
    let text = ipv4RouteHead(r.prefix);
    if (text === undefined) {
      const p = prefixOf(r.prefix);
      const n = network(p);
      family = p.family;
      // `A.B.C.D M.M.M.M` (IPv4) or `P/len`, of the network address
      text = p.family === 4 ? `ip route ${formatIPv4(n.value)} ${dottedMask(n.length)}` : `ipv6 route ${formatIPv6(n.value)}/${n.length}`;
    }
    if (r.discard) text += ` ${NULL_INTERFACE}`;
    if (r.interface !== undefined) text += ` ${r.interface}`;
    if (r.nextHop !== undefined) text += ` ${isLinkLocal(r.nextHop) ? linkLocalText(r.nextHop) : r.nextHop}`;
    if (r.distance !== undefined) text += ` ${r.distance}`;
    const block = (lines[family] ??= new LineText());
    block.push(`! plumb route origin ${formatOriginTag(r.origin)}`);
    block.push(text);
  }
  const texts: Partial<Record<Family, readonly string[]>> = {};
  for (const family of [4, 6] as const) {
    const block = lines[family];
    if (block === undefined) continue;
    block.push('!');
    texts[family] = block.parts();
  }
  return texts;
}

/**
 * `ip route A.B.C.D M.M.M.M` for an IPv4 prefix written in its network's canonical form (four
 * parts without leading zeros, a length without one, no host bits: then the address as written
 * is formatIPv4 of the network, as the general path writes it), its address taken as written;
 * undefined for any other text, which the general path parses. Most of a large router's
 * thousands of routes are such prefixes.
 */
export function ipv4RouteHead(prefix: string): string | undefined {
  const slash = prefix.indexOf('/');
  if (slash < 0) return undefined;
  const value = ipv4NumberIn(prefix, 0, slash);
  const end = prefix.length;
  if (value < 0 || end - slash < 2 || end - slash > 3 || (end - slash === 3 && prefix.charCodeAt(slash + 1) === 48)) return undefined;
  let length = 0;
  for (let j = slash + 1; j < end; j++) {
    const d = prefix.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return undefined;
    length = length * 10 + d;
  }
  if (length > 32 || (length < 32 && value % 2 ** (32 - length) !== 0)) return undefined;
  return `ip route ${prefix.slice(0, slash)} ${dottedMask(length)}`;
}
