// The contracts part of `plumb diff`: what each party of an implemented contract newly allows the
// other to do, or no longer allows, between the two sides' models (`NetworkModel.contracts`).
// An offer is a set of connections (sources in its `to`, destinations in its `at`, its
// services): an offer of the new side that the old side's offers of the same party do not
// cover is newly allowed, narrowed to what is new when an old offer differs from it in `at` or
// in `to` only; the reverse is no longer allowed. Announcements are compared prefix by prefix,
// the meeting point and the AS numbers value by value. Without Z3, from the models alone.

import type { ContractModel, ContractOfferModel, ContractPartyModel, NetworkModel, ServiceModel } from '../compiler/model.js';
import { difference, formatSet, intersect, parseSet } from '../compiler/prefix-set.js';

export interface ContractChange {
  /** The contract as the intent names it (`contracts.frankfurt`). */
  contract: string;
  /** `+` something newly allowed or added, `-` no longer, `~` a value that changed. */
  change: '+' | '-' | '~';
  /** What changed: an offer, an announcement, the meeting point, a party's AS number, the implementation itself. */
  what: 'offer' | 'announcement' | 'meet' | 'asn' | 'implementation';
  /** The party whose line it is (the one that allows, announces or peers). */
  party?: string;
  /** The sentence (`datahub newly allows acme to open ingest (tcp 8443) to 198.51.100.0/26 from 10.20.1.0/24`). */
  text: string;
  /** The contract line on the side that has it (the new side's, else the old one's). */
  line?: { file: string; line: number };
}

export interface ContractsDiff {
  /** How many contracts either side implements (the section is shown when there is one). */
  compared: number;
  changes: ContractChange[];
}

/** The contract changes between two models, in contract order (the new side's first), then party order: ours, then theirs. */
export function diffContracts(oldModel: NetworkModel, newModel: NetworkModel): ContractsDiff {
  const before = new Map((oldModel.contracts ?? []).map((c) => [c.name, c]));
  const after = new Map((newModel.contracts ?? []).map((c) => [c.name, c]));
  const names = [...after.keys(), ...[...before.keys()].filter((n) => !after.has(n))];
  const out: ContractChange[] = [];
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) {
      const c = (b ?? a)!;
      out.push({ contract: name, change: b ? '+' : '-', what: 'implementation', party: c.us.name, text: `${b ? 'implements' : 'no longer implements'} ${name} as ${c.us.name}, with ${c.them.name}`, line: lineOf(c.origin) });
      continue;
    }
    out.push(...meetChanges(a, b));
    for (const [x, y] of [[a.us, b.us], [a.them, b.them]] as const) {
      const other = y === b.us ? b.them.name : b.us.name;
      if (x.asn !== y.asn) out.push({ contract: name, change: '~', what: 'asn', party: y.name, text: `${y.name}'s AS number ${x.asn} -> ${y.asn}`, line: lineOf(y.origin) });
      out.push(...announcementChanges(name, x, y));
      out.push(...offerChanges(name, x, y, other));
    }
  }
  return { compared: names.length, changes: out };
}

function meetChanges(a: ContractModel, b: ContractModel): ContractChange[] {
  const out: ContractChange[] = [];
  const line = lineOf(b.meet.origin);
  const change = (what: string, was: string, now: string): void => {
    if (was !== now) out.push({ contract: b.name, change: '~', what: 'meet', text: `meet: ${what} ${was} -> ${now}`, line });
  };
  change(`${b.us.name}'s address`, `${a.meet.ours}/${a.meet.prefixLength}`, `${b.meet.ours}/${b.meet.prefixLength}`);
  change(`${b.them.name}'s address`, a.meet.theirs, b.meet.theirs);
  change('VLAN', a.meet.vlan === undefined ? 'none' : String(a.meet.vlan), b.meet.vlan === undefined ? 'none' : String(b.meet.vlan));
  return out;
}

function announcementChanges(contract: string, a: ContractPartyModel, b: ContractPartyModel): ContractChange[] {
  const line = lineOf(b.announcesOrigin);
  const added = b.announces.filter((p) => !a.announces.includes(p));
  const removed = a.announces.filter((p) => !b.announces.includes(p));
  return [
    ...added.map((p): ContractChange => ({ contract, change: '+', what: 'announcement', party: b.name, text: `${b.name} may now announce ${p}`, line })),
    ...removed.map((p): ContractChange => ({ contract, change: '-', what: 'announcement', party: b.name, text: `${b.name} may no longer announce ${p}`, line })),
  ];
}

/** What `b` offers that `a` did not (newly allowed), and the reverse (no longer allowed). */
function offerChanges(contract: string, a: ContractPartyModel, b: ContractPartyModel, other: string): ContractChange[] {
  const out: ContractChange[] = [];
  for (const [from, to, change] of [[a.offers, b.offers, '+'], [b.offers, a.offers, '-']] as const) {
    for (const offer of to) {
      const verb = change === '+' ? 'newly allows' : 'no longer allows';
      for (const rest of uncovered(offer, from)) out.push({
        contract,
        change,
        what: 'offer',
        party: b.name,
        text: `${b.name} ${verb} ${other} to open ${servicesText(offer)} to ${rest.at.join(', ')} from ${rest.to.join(', ')}`,
        line: lineOf(offer.origin),
      });
    }
  }
  return out;
}

/**
 * The part of `offer` that none of `others` covers, as boxes of destinations (`at`) and sources
 * (`to`): none when one covers it whole; against an offer of the same services, what lies
 * outside its box (new destinations from every source, then the old destinations from new
 * sources); else the offer as it is.
 */
function uncovered(offer: ContractOfferModel, others: readonly ContractOfferModel[]): { at: string[]; to: string[] }[] {
  const within = (inner: readonly string[], outer: readonly string[]): boolean => minus(inner, outer).length === 0;
  const covers = (o: ContractOfferModel): boolean => servicesCover(o.services, offer.services) && within(offer.at, o.at) && within(offer.to, o.to);
  if (others.some(covers)) return [];
  const same = others.find((o) => servicesKey(o.services) === servicesKey(offer.services) && overlap(o.at, offer.at) && overlap(o.to, offer.to));
  if (!same) return [{ at: offer.at, to: offer.to }];
  const boxes = [
    { at: minus(offer.at, same.at), to: offer.to },
    { at: formatSet(intersect(parseSet(offer.at), parseSet(same.at))), to: minus(offer.to, same.to) },
  ];
  return boxes.filter((x) => x.at.length > 0 && x.to.length > 0);
}

const overlap = (a: readonly string[], b: readonly string[]): boolean => intersect(parseSet(a), parseSet(b)).length > 0;

const minus = (a: readonly string[], b: readonly string[]): string[] => formatSet(difference(parseSet(a), parseSet(b)));

/** Whether every service of `inner` is one of `outer`'s, or `outer` has one of any protocol. */
function servicesCover(outer: readonly ServiceModel[], inner: readonly ServiceModel[]): boolean {
  if (outer.some((s) => s.protocol === undefined)) return true;
  const keys = new Set(outer.map((s) => JSON.stringify(s)));
  return inner.every((s) => keys.has(JSON.stringify(s)));
}

const servicesKey = (services: readonly ServiceModel[]): string => services.map((s) => JSON.stringify(s)).sort().join('|');

/** `ingest (tcp 8443)`: the services as the contract names them, with what they are. */
function servicesText(offer: ContractOfferModel): string {
  return `${offer.serviceNames.join(', ')} (${offer.services.map(serviceText).join(', ')})`;
}

function serviceText(s: ServiceModel): string {
  if (s.protocol === undefined) return 'any protocol';
  const name = s.protocol === 6 ? 'tcp' : s.protocol === 17 ? 'udp' : s.protocol === 1 ? 'icmp' : `protocol ${s.protocol}`;
  if (s.icmpType !== undefined) return `${name} type ${s.icmpType}`;
  if (!s.ports) return name;
  return `${name} ${s.ports.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',')}`;
}

const lineOf = (span: { file: string; start: { line: number } }): { file: string; line: number } => ({ file: span.file, line: span.start.line });
