// The device's address translation (`DeviceModel.nat`, compiler/model-nat.ts) in nftables.conf:
// two sets of interface names, `nat_inside` and `nat_outside`, and two NAT chains in the same
// `table inet plumb` (so loading the file replaces them with the rest, and a file without NAT
// leaves none behind). Where each rewrite happens is the platform table's `nat` for nftables
// (language/platforms.ts, docs/architecture.md "NAT"):
//   chain nat_prerouting   type nat hook prerouting priority dstnat: destination rewrites, before
//                          routing and before the forward chain's filters;
//   chain nat_postrouting  type nat hook postrouting priority srcnat: source rewrites, after the
//                          filters, just before the packet leaves.
// A packet crosses from side A to side B when it arrives by an A interface and leaves by a B one:
// postrouting rules match `iifname @nat_A oifname @nat_B` (the kernel gives forwarded packets
// their input interface there, and none to packets the box sends itself, which the model never
// translates); prerouting rules `iifname @nat_A` (where the packet leaves is not known yet, and
// the model's rewrite before routing is the same).
// A NAT statement ends its chain for that packet, so the first rule that applies wins: rules keep
// the model's order within each chain. Each translation's rules sit under a `# @ ORIGIN
// DESCRIPTION` line, as a filter rule's do, and nft-nat-read.ts reads them back.

import type { DeviceModel, NatSide, NatTranslation, StaticNat } from '../../compiler/model.js';
import { parsePrefix } from '../../language/address.js';
import { formatOriginTag, shortOrigin } from '../origin-tag.js';
import { UnrenderableModelError } from '../render-guard.js';
import { commentText, nftCommentString } from './text.js';

export const NAT_PREROUTING_CHAIN = 'nat_prerouting';
export const NAT_POSTROUTING_CHAIN = 'nat_postrouting';
export const NAT_PREROUTING_HEAD = 'type nat hook prerouting priority dstnat';
export const NAT_POSTROUTING_HEAD = 'type nat hook postrouting priority srcnat';
export const NAT_SET: Record<NatSide, string> = { inside: 'nat_inside', outside: 'nat_outside' };

export const other = (side: NatSide): NatSide => (side === 'inside' ? 'outside' : 'inside');
export const L4_NAMES: Record<6 | 17, string> = { 6: 'tcp', 17: 'udp' };

/** The address of a one-address prefix (`10.0.0.5/32` → `10.0.0.5`), else undefined. */
export function hostAddress(prefix: string): string | undefined {
  const p = parsePrefix(prefix);
  return p && p.family === 4 && p.length === 32 ? prefix.slice(0, prefix.indexOf('/')) : undefined;
}

/** One rule of each NAT chain a translation is written as (`pre`: none for PAT). */
interface NatRules {
  pre?: string;
  post: string[];
}

function staticRules(t: StaticNat): NatRules {
  const from = NAT_SET[t.realSide];
  const to = NAT_SET[other(t.realSide)];
  if (t.service) {
    const real = hostAddress(t.real);
    const mapped = hostAddress(t.mapped);
    if (real === undefined || mapped === undefined)
      throw new UnrenderableModelError(`cannot render the translation "${t.description}": a translation of one service maps one address to one address, not ${t.real} to ${t.mapped}`);
    const l4 = L4_NAMES[t.service.protocol];
    return {
      pre: `iifname @${to} ip daddr ${mapped} ${l4} dport ${t.service.port} dnat ip to ${real}:${t.service.realPort}`,
      post: [`iifname @${from} oifname @${to} ip saddr ${real} ${l4} sport ${t.service.realPort} snat ip to ${mapped}:${t.service.port}`],
    };
  }
  return {
    pre: `iifname @${to} ip daddr ${t.mapped} dnat ip prefix to ip daddr map { ${t.mapped} : ${t.real} }`,
    post: [`iifname @${from} oifname @${to} ip saddr ${t.real} snat ip prefix to ip saddr map { ${t.real} : ${t.mapped} }`],
  };
}

function translationRules(t: NatTranslation): NatRules {
  const prefixes = t.kind === 'static' ? [t.real, t.mapped] : [...t.sources, `${t.address}/32`];
  const v6 = prefixes.find((p) => parsePrefix(p)?.family !== 4);
  if (v6 !== undefined)
    throw new UnrenderableModelError(`cannot render the translation "${t.description}": nftables.conf translates IPv4 only, not ${v6}`);
  if (t.kind === 'static') return staticRules(t);
  // One rule per source prefix: an anonymous set would be merged by the kernel and a named one
  // refuses overlapping prefixes; consecutive rules keep the translation's precedence as it is.
  const side = `iifname @${NAT_SET.inside} oifname @${NAT_SET.outside}`;
  return { post: t.sources.map((s) => `${side} ip saddr ${s} snat ip to ${t.address}`) };
}

/** The `nat_inside` and `nat_outside` sets; nothing without NAT. */
export function natSets(device: DeviceModel): string[] {
  const nat = device.nat;
  if (!nat) return [];
  const names = new Set(device.interfaces.map((i) => i.name));
  const out: string[] = [];
  for (const side of ['inside', 'outside'] as const) {
    const stray = nat[side].find((n) => !names.has(n));
    if (stray !== undefined)
      throw new UnrenderableModelError(`cannot render ${JSON.stringify(device.id)}: its NAT ${side} interface ${JSON.stringify(stray)} is not one of its interfaces`);
    out.push(`\tset ${NAT_SET[side]} {`, '\t\ttype ifname');
    if (nat[side].length > 0) out.push(`\t\telements = { ${nat[side].map((i) => `"${i}"`).join(', ')} }`);
    out.push('\t}', '');
  }
  return out;
}

/** The two NAT chains; nothing without NAT. */
export function natChains(device: DeviceModel): string[] {
  const nat = device.nat;
  if (!nat) return [];
  const pre = [`\tchain ${NAT_PREROUTING_CHAIN} {`, `\t\t${NAT_PREROUTING_HEAD}; policy accept;`];
  const post = [`\tchain ${NAT_POSTROUTING_CHAIN} {`, `\t\t${NAT_POSTROUTING_HEAD}; policy accept;`];
  for (const t of nat.translations) {
    const rules = translationRules(t);
    const tag = `\t\t# @ ${formatOriginTag(t.origin)} ${commentText(t.description)}`;
    const comment = nftCommentString(t.description) || nftCommentString(shortOrigin(t.origin));
    const line = (rule: string): string => `\t\t${rule}${comment !== '' ? ` comment "${comment}"` : ''}`;
    if (rules.pre !== undefined) pre.push(tag, line(rules.pre));
    post.push(tag, ...rules.post.map(line));
  }
  return [...pre, '\t}', '', ...post, '\t}', ''];
}
