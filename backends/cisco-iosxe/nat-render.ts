// DeviceModel.nat → IOS-XE NAT (docs/backends/cisco-iosxe.md, "Address translation"): `ip nat
// inside` / `ip nat outside` on the model's interfaces, one global line per translation in the
// model's order (IOS applies static entries before dynamic ones, as the compiler orders them),
// and for each PAT a standard access list of its sources and, unless it uses the outside
// interface's own address, a pool of its one address. Each translation line carries `! plumb
// nat` comments (its description and intent span) for the reader; IOS ignores them.
//
// Objects are named by their content (the access list NAT- and a short hash of its entries, the
// pool NAT-POOL- and its address), so that a changed translation is a new line naming new
// objects and the delta never redefines an object a live mapping uses.

import { createHash } from 'node:crypto';
import type { DeviceModel, NatModel, NatTranslation, SourcePat, StaticNat } from '../../compiler/model.js';
import { formatIPv4, mask, network, overlaps, parseAddress, prefixOf, type Prefix } from '../../language/address.js';
import { formatOriginTag } from '../origin-tag.js';
import { iosText } from './text.js';
import { wildcardMask } from './syntax.js';

/** The access list of a PAT's sources is NAT_ACL_PREFIX and a short hash of its entries. */
export const NAT_ACL_PREFIX = 'NAT-';
/** A PAT's one-address pool is NAT_POOL_PREFIX and its address. */
export const NAT_POOL_PREFIX = 'NAT-POOL-';
/** The longest prefix length IOS-XE takes in `ip nat pool` (Cisco-IOS-XE-nat.yang: 1..30). */
export const POOL_MAX_LENGTH = 30;

export interface NatParts {
  /** Standard access lists of the PATs' sources, each a block of lines. */
  acls: string[][];
  /** The global lines: pools, then the translations in the model's order. */
  lines: string[];
}

/** The interface line of an interface on a side of the model's NAT; undefined on neither. */
export function natInterfaceLine(modelName: string, nat: NatModel | undefined): string | undefined {
  if (nat?.inside.includes(modelName)) return ' ip nat inside';
  if (nat?.outside.includes(modelName)) return ' ip nat outside';
  return undefined;
}

/** A standard list's source as `show running-config` prints it: `A` (a host) or `A W`. */
export function standardSource(p: Prefix): string {
  return p.length === 32 ? formatIPv4(p.value) : `${formatIPv4(p.value)} ${wildcardMask(p.length)}`;
}

/** The standard access list of PAT sources: its name (from its entries) and its lines. */
export function natAcl(sources: readonly string[]): { name: string; lines: string[] } {
  const entries = sources.map((s, i) => ` ${(i + 1) * 10} permit ${standardSource(network(prefixOf(s)))}`);
  const hash = createHash('sha256').update(entries.join('\n')).digest('hex').slice(0, 8).toUpperCase();
  const name = `${NAT_ACL_PREFIX}${hash}`;
  return { name, lines: [`ip access-list standard ${name}`, ...entries] };
}

/**
 * The prefix length a one-address pool is written with: the longest at most POOL_MAX_LENGTH of
 * which the address is neither the network nor the broadcast address (IOS allocates neither).
 */
export function poolLength(address: bigint): number {
  for (let len = POOL_MAX_LENGTH; len > 0; len--) {
    const host = address & ~mask(4, len) & 0xffffffffn;
    if (host !== 0n && host !== (~mask(4, len) & 0xffffffffn)) return len;
  }
  throw new Error(`internal: ${formatIPv4(address)} is no host address of any IPv4 network`);
}

function staticLine(t: StaticNat): string {
  const real = network(prefixOf(t.real));
  const mapped = network(prefixOf(t.mapped));
  if (real.family !== 4 || mapped.family !== 4) throw new Error(`internal: IOS-XE translates IPv4 only, not ${t.real} as ${t.mapped}`);
  if (real.length !== mapped.length) throw new Error(`internal: ${t.real} and ${t.mapped} are not of one length`);
  const head = `ip nat ${t.realSide} source static`;
  if (t.service) {
    if (real.length !== 32) throw new Error(`internal: a translation of one service (${t.real}) must be of one address`);
    const protocol = t.service.protocol === 6 ? 'tcp' : 'udp';
    // `extendable`: IOS adds it to a port translation (one address may be published on several ports)
    const extendable = t.realSide === 'inside' ? ' extendable' : '';
    return `${head} ${protocol} ${formatIPv4(real.value)} ${t.service.realPort} ${formatIPv4(mapped.value)} ${t.service.port}${extendable}`;
  }
  if (real.length === 32) return `${head} ${formatIPv4(real.value)} ${formatIPv4(mapped.value)}`;
  return `${head} network ${formatIPv4(real.value)} ${formatIPv4(mapped.value)} /${real.length}`;
}

/** The outside interface (config name) whose primary IPv4 address is `address`, if any. */
function ownInterface(device: DeviceModel, nat: NatModel, configName: (model: string) => string, address: string): string | undefined {
  for (const model of nat.outside) {
    const name = configName(model);
    const i = device.interfaces.find((x) => x.name === name);
    const primary = i?.addresses.find((a) => !a.includes(':'));
    if (primary !== undefined && formatIPv4(prefixOf(primary).value) === address) return name;
  }
  return undefined;
}

function annotations(t: NatTranslation): string[] {
  return [`! plumb nat description ${iosText(t.description)}`, `! plumb nat origin ${formatOriginTag(t.origin)}`];
}

/**
 * The NAT of `device` (its interfaces already under their config names; `configName` maps a
 * model name to one). Undefined without NAT.
 */
export function renderNat(device: DeviceModel, configName: (model: string) => string): NatParts | undefined {
  const nat = device.nat;
  if (!nat) return undefined;
  const acls: string[][] = [];
  const pools: string[] = [];
  const lines: string[] = [];
  const pats: SourcePat[] = [];
  let dynamicSeen = false;
  for (const t of nat.translations) {
    if (t.kind === 'static') {
      // IOS applies every static entry before any dynamic one: the model must say the same
      if (dynamicSeen) throw new Error(`internal: ${device.id}: a static translation after a dynamic one, which IOS-XE would apply first`);
      lines.push(...annotations(t), staticLine(t));
      continue;
    }
    dynamicSeen = true;
    const address = parseAddress(t.address);
    if (!address || address.family !== 4) throw new Error(`internal: IOS-XE translates IPv4 only, not to ${t.address}`);
    for (const other of pats) {
      // IOS has no order among its dynamic mappings: overlapping sources would make the first one's precedence a guess
      if (t.sources.some((s) => other.sources.some((o) => overlaps(prefixOf(s), prefixOf(o))))) {
        throw new Error(`internal: ${device.id}: two source translations overlap (${other.sources.join(', ')} and ${t.sources.join(', ')})`);
      }
    }
    pats.push(t);
    const acl = natAcl(t.sources);
    if (!acls.some((a) => a[0] === acl.lines[0])) acls.push(acl.lines);
    const own = ownInterface(device, nat, configName, t.address);
    let target: string;
    if (own !== undefined) target = `interface ${own}`;
    else {
      const pool = `${NAT_POOL_PREFIX}${t.address}`;
      const line = `ip nat pool ${pool} ${t.address} ${t.address} prefix-length ${poolLength(address.value)}`;
      if (!pools.includes(line)) pools.push(line);
      target = `pool ${pool}`;
    }
    lines.push(...annotations(t), `ip nat inside source list ${acl.name} ${target} overload`);
  }
  return { acls, lines: [...pools, ...lines] };
}

