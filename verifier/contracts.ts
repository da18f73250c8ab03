// Contracts, assume-guarantee (docs/federation.md): an intent that implements its side of a
// contract proves the guarantees its side gives, and proves its own assertions assuming only
// what the other side guarantees. Both become ordinary assertions of the model here, so that
// every path a proof takes (`--only`, shards, failures, reports, the language server) carries
// them: the guarantees as assertions tagged with their contract and narrowed by a `scope`, and
// an intent `reach` to the other party with the offers it may assume (`assumes`). Only "announces
// only its announcements" is about the BGP configuration rather than packets: it is decided here,
// without a query (decideAnnouncements).

import type { AssertionModel, ContractGuarantee, ContractModel, NetworkModel } from '../compiler/model.js';
import type { Span } from '../language/diagnostic.js';
import { formatAddress, type Family } from '../language/address.js';
import { entriesOf } from './judge.js';
import { intersect, isEmpty, prefixesToSet, subtract } from './intervals.js';
import { FAMILIES } from './netindex.js';
import { netIndex, simulate } from './simulate.js';
import type { Packet, Verdict } from './verdict.js';

/** The model with its contracts' guarantees after its own assertions, and its reaches to the other parties assuming their offers. */
export function withContractGuarantees(model: NetworkModel): NetworkModel {
  const contracts = model.contracts ?? [];
  if (contracts.length === 0) return model;
  const idx = netIndex(model);
  const own = model.assertions.map((a) => {
    if (a.property !== 'reach' || a.contract || a.assumes) return a;
    const destinations = idx.expand(a.destinations);
    const c = contracts.find((k) => destinations.some((n) => n === k.external || idx.endpoint(n)?.partOf === k.external));
    return c ? { ...a, assumes: assumedOffers(c) } : a;
  });
  return { ...model, assertions: [...own, ...contracts.flatMap((c) => guaranteesOf(model, c))] };
}

function assumedOffers(c: ContractModel): NonNullable<AssertionModel['assumes']> {
  return {
    contract: c.name,
    party: c.them.name,
    external: c.external,
    origin: c.them.origin,
    offers: c.them.offers.map((o) => ({ sources: o.to, destinations: o.at, services: o.services, text: o.text, origin: o.origin })),
  };
}

/** `frankfurt, contracts/frankfurt.plumb:8`: where a contract says it. */
export function contractLine(contract: string, origin: Span): string {
  return `${contract}, ${origin.file}:${origin.start.line}`;
}

/** The guarantees of our side, in a fixed order: offers, accepts only offered, sends only announced, no transit, announces only. */
function guaranteesOf(model: NetworkModel, c: ContractModel): AssertionModel[] {
  const us = c.us.name;
  const them = c.external;
  const tag = (guarantee: ContractGuarantee): { contract: AssertionModel['contract'] } => ({ contract: { name: c.name, party: us, guarantee } });
  const text = (what: string): string => `guarantee ${what} (${c.name})`;
  const idx = netIndex(model);
  const devices = model.devices.map((d) => d.id);
  const ours = model.endpoints.filter((e) => e.kind !== 'external').map((e) => e.name);
  // The other externals, as a whole: a part (`datahub.api`) is within its external.
  const others = model.endpoints.filter((e) => e.kind === 'external' && e.name !== them && e.partOf === undefined).map((e) => e.name);
  const out: AssertionModel[] = [];
  for (const offer of c.us.offers) {
    // Our endpoints with an address the offer is at: an offer is of a service behind the
    // network, not of the devices' own addresses (a gateway's address inside an offered segment
    // is the device's, and its local filter rightly keeps the partner out).
    const at = ours.filter((n) => FAMILIES.some((f) => !isEmpty(intersect(idx.addresses(n, f), prefixesToSet(offer.at, f))))).sort();
    out.push({
      property: 'reach',
      sources: [them],
      destinations: at,
      services: offer.services,
      text: text(offer.text),
      origin: offer.origin,
      scope: { sources: offer.to, destinations: offer.at },
      ...tag('offers'),
    });
  }
  const any = [{}];
  out.push({
    property: 'isolate',
    sources: [them],
    destinations: [...ours, ...others, ...devices].sort(),
    services: any,
    text: text(`${us} accepts from ${c.them.name} only what it offers`),
    origin: c.us.origin,
    scope: { sources: c.them.announces, except: c.us.offers.map((o) => ({ sources: o.to, destinations: o.at, services: o.services })), opening: true },
    ...tag('accepts-only-offered'),
  });
  const announced = c.us.announces.join(', ');
  // What the devices attached to the other party originate themselves (the session on the meet
  // addresses, ICMP errors) passes no filter of theirs: the meet line is the agreement for it.
  // The ICMP errors any device sends about the other party's packets carry the device's own
  // address by necessity (RFC 792, RFC 4443): they are left out too.
  const attached = new Set(model.endpoints.find((e) => e.name === them)?.attachments.map((a) => a.device) ?? []);
  out.push({
    property: 'isolate',
    sources: [...ours, ...others, ...devices.filter((d) => !attached.has(d))].sort(),
    destinations: [them],
    services: any,
    text: text(`${us} sends to ${c.them.name} only from ${announced || 'nothing'}`),
    origin: c.us.announcesOrigin,
    scope: { except: [{ sources: c.us.announces, services: any }, { sources: deviceHosts(model), services: ICMP_ERRORS }] },
    ...tag('sends-only-announced'),
  });
  if (others.length > 0) {
    out.push(
      { property: 'isolate', sources: [them], destinations: others, services: any, text: text(`${us} is no transit from ${c.them.name}`), origin: c.us.origin, ...tag('no-transit') },
      { property: 'isolate', sources: others, destinations: [them], services: any, text: text(`${us} is no transit to ${c.them.name}`), origin: c.us.origin, ...tag('no-transit') },
    );
  }
  out.push({
    property: 'isolate',
    sources: [them],
    destinations: [],
    services: any,
    text: text(`${us} announces to ${c.them.name} only ${announced || 'nothing'}`),
    origin: c.us.announcesOrigin,
    ...tag('announces-only'),
  });
  return out;
}

/** ICMP and ICMPv6 errors (unreachable, source quench, redirect, time exceeded, parameter problem; ICMPv6 1-4). */
const ICMP_ERRORS = [...[3, 4, 5, 11, 12].map((t) => ({ protocol: 1, icmpType: t })), ...[1, 2, 3, 4].map((t) => ({ protocol: 58, icmpType: t }))];

/** Every device's own interface addresses, as host prefixes. */
function deviceHosts(model: NetworkModel): string[] {
  const out = new Set<string>();
  for (const d of model.devices) for (const i of d.interfaces) for (const a of i.addresses) out.add(`${a.split('/')[0]!}/${a.includes(':') ? 128 : 32}`);
  return [...out].sort();
}

/**
 * "Announces only its announcements": every BGP session to the other party advertises only
 * prefixes within our announcements. Refuted by the first session (devices and neighbours in
 * order) with a prefix outside them, and a packet the other party could now send to it.
 */
export function decideAnnouncements(model: NetworkModel, a: AssertionModel): Verdict {
  const c = (model.contracts ?? []).find((k) => k.name === a.contract?.name && k.us.name === a.contract?.party);
  if (!c) return { assertion: a, status: 'unknown', reason: `no contract ${a.contract?.name ?? ''} in the model`, millis: 0 };
  const within = (prefix: string, family: Family): boolean => isEmpty(subtract(prefixesToSet([prefix], family), prefixesToSet(c.us.announces, family)));
  for (const d of model.devices) {
    for (const n of d.bgp?.neighbors ?? []) {
      if (n.external !== c.external) continue;
      for (const prefix of n.exportPrefixes) {
        const family: Family = prefix.includes(':') ? 6 : 4;
        if (within(prefix, family)) continue;
        const packet = packetTo(model, c, prefix, family);
        const summary = `${d.id} announces ${prefix} to ${c.them.name} (neighbor ${n.address}), outside ${c.us.name}'s announcements ${c.us.announces.join(', ') || '(none)'} (${contractLine(c.name, c.us.announcesOrigin)})`;
        const traces = packet ? entriesOf(model, [c.external], packet.source).flatMap((ingress) => simulate(model, packet, { ingress })) : [];
        return {
          assertion: a,
          status: 'refuted',
          families: [family],
          counterexample: { summary, packet: packet ?? emptyPacket(family), traces, announcement: { device: d.id, neighbor: n.address, prefix } },
          millis: 0,
        };
      }
    }
  }
  return { assertion: a, status: 'proven', families: FAMILIES.filter((f) => !isEmpty(prefixesToSet(c.us.announces, f))), millis: 0 };
}

/** An ICMP echo request from the other party's first announced address it may send from to the prefix's first host. */
function packetTo(model: NetworkModel, c: ContractModel, prefix: string, family: Family): Packet | undefined {
  const idx = netIndex(model);
  const from = intersect(idx.addresses(c.external, family), prefixesToSet(c.them.announces, family));
  const to = prefixesToSet([prefix], family)[0];
  if (isEmpty(from) || !to) return undefined;
  const host = to[1] > to[0] + 1n ? to[0] + 1n : to[0];
  const [lo, hi] = from[0]!;
  return { family, source: formatAddress({ family, value: hi > lo + 1n ? lo + 1n : lo }), destination: formatAddress({ family, value: host }), protocol: family === 4 ? 1 : 58, icmpType: family === 4 ? 8 : 128 };
}

function emptyPacket(family: Family): Packet {
  return { family, source: family === 4 ? '0.0.0.0' : '::', destination: family === 4 ? '0.0.0.0' : '::', protocol: family === 4 ? 1 : 58 };
}
