// The checks of one contract on its own (docs/language.md, "Contracts"): its two parties and
// their AS numbers, the meeting point's address plan, each party's announcements (canonical and
// disjoint from the other's), and where each offer lies. None of them needs a network: `plumb
// contract check` runs them on a contract module alone. Whether an implementing intent keeps the
// contract (what it announces, what its policy lets through) is the verifier's to prove.

import type { ContractAnnounces, ContractDecl, ContractMeet, ContractOffers, ContractParty, Token } from './ast.js';
import { BITS, comparePrefixes, containsPrefix, formatPrefix, network, overlaps, parseAddress, parsePrefix, type Prefix } from './address.js';
import { readAddress, readNetwork } from './check-addresses.js';
import { parseInteger, type DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import { suggest } from './suggest.js';

const MAX_ASN = 4294967295;

/** A contract that passed its checks: what an implementation and the model are built from. */
export interface ContractShape {
  decl: ContractDecl;
  parties: [ContractParty, ContractParty];
  meet: ContractMeet;
  /** The subnet's length, from the first side of `meet`. */
  prefixLength: number;
  /** Each party's `announces` line and its prefixes, canonical and sorted, by party name. */
  announces: Map<string, { line: ContractAnnounces; prefixes: string[] }>;
  /** The offers in source order, `at` and `to` canonical and sorted (the defaults filled in, names read). */
  offers: { line: ContractOffers; at: string[]; to: string[] }[];
  /** Each party's named announcements (`api 198.51.100.0/26`), by party name then name. */
  parts: Map<string, Map<string, AnnouncedPart>>;
}

/** A named prefix of a party's `announces` line. */
export interface AnnouncedPart {
  name: Token;
  prefix: Token;
  /** Canonical. */
  canonical: string;
}

/** An entry of an offer's `at` or `to` that names an announcement rather than giving a prefix. */
export const isAnnouncedName = (t: Token): boolean => /^[A-Za-z]/.test(t.text);

/** Checks a contract; its shape when it has no error. */
export function checkContract(decl: ContractDecl, sink: DiagnosticSink): ContractShape | undefined {
  const before = sink.items.length;
  const parties = checkParties(decl, sink);
  const partyNames = new Set(parties.map((p) => p.name.text));
  const isParty = (t: Token): boolean => {
    if (partyNames.has(t.text)) return true;
    if (parties.length > 0) {
      sink.report(Codes.unknownParty, t.span, `\`${t.text}\` is not a party of the contract \`${decl.name.text}\``, {
        hint: `its parties are ${parties.map((p) => `\`${p.name.text}\``).join(' and ')}`,
      });
    }
    return false;
  };
  const meet = checkMeet(decl, isParty, sink);
  const announced = new Map<string, { line: ContractAnnounces; prefixes: Prefix[] }>();
  const parts = new Map<string, Map<string, AnnouncedPart>>();
  for (const line of decl.items) {
    if (line.kind !== 'announces' || !isParty(line.party)) continue;
    const first = announced.get(line.party.text);
    if (first) {
      sink.report(Codes.contractLines, line.party.span, `\`${line.party.text}\` has a second \`announces\` line`, {
        related: [{ span: first.line.span, message: 'first given here' }],
        hint: 'list all of its prefixes on one line',
      });
      continue;
    }
    const prefixes = line.prefixes.flatMap((t) => readNetwork(t, sink) ?? []);
    announced.set(line.party.text, { line, prefixes });
    parts.set(line.party.text, namedParts(line, partyNames, sink));
  }
  for (const p of parties) {
    if (!announced.has(p.name.text)) {
      sink.report(Codes.contractLines, p.name.span, `the party \`${p.name.text}\` has no \`announces\` line`, {
        hint: `say what it may announce: \`${p.name.text} announces PREFIX, ...\``,
      });
    }
  }
  checkOverlap(parties, announced, sink);
  const offers: ContractShape['offers'] = [];
  for (const line of decl.items) {
    if (line.kind !== 'offers' || !isParty(line.party)) continue;
    const other = parties.find((p) => p.name.text !== line.party.text)?.name.text;
    const own = announced.get(line.party.text)?.prefixes ?? [];
    const theirs = other === undefined ? [] : (announced.get(other)?.prefixes ?? []);
    const named = (party: string | undefined, other: string | undefined): Names => ({ party: party ?? 'the other party', own: parts.get(party ?? '') ?? new Map(), other: parts.get(other ?? '') ?? new Map(), otherParty: other ?? 'the other party' });
    const at = within(line.at, own, `${line.party.text}'s announcements`, named(line.party.text, other), 'at', sink);
    const to = within(line.to, theirs, `${other ?? 'the other party'}'s announcements`, named(other, line.party.text), 'to', sink);
    offers.push({ line, at: sorted(line.at.length > 0 ? at : own), to: sorted(line.to.length > 0 ? to : theirs) });
  }
  if (sink.items.length > before || parties.length !== 2 || !meet) return undefined;
  const announces = new Map([...announced].map(([name, a]) => [name, { line: a.line, prefixes: sorted(a.prefixes) }]));
  return { decl, parties: [parties[0]!, parties[1]!], meet: meet.line, prefixLength: meet.length, announces, offers, parts };
}

function checkParties(decl: ContractDecl, sink: DiagnosticSink): ContractParty[] {
  const parties: ContractParty[] = [];
  for (const line of decl.items) {
    if (line.kind !== 'party') continue;
    const same = parties.find((p) => p.name.text === line.name.text);
    if (same) {
      sink.report(Codes.contractNameTaken, line.name.span, `the party \`${line.name.text}\` is given twice`, {
        related: [{ span: same.name.span, message: 'first given here' }],
        hint: 'a contract is between two different parties',
      });
      continue;
    }
    const asn = parseInteger(line.asn.text);
    if (asn === undefined || asn < 1 || asn > MAX_ASN) {
      sink.report(Codes.contractAsn, line.asn.span, `AS number ${line.asn.text} is out of range`, { hint: `an AS number is 1 to ${MAX_ASN}` });
    } else {
      const twin = parties.find((p) => parseInteger(p.asn.text) === asn);
      if (twin) {
        sink.report(Codes.contractAsn, line.asn.span, `\`${line.name.text}\` has the AS number of \`${twin.name.text}\``, {
          related: [{ span: twin.asn.span, message: 'the same AS number here' }],
          hint: 'the parties peer with eBGP: each has its own AS number',
        });
      }
    }
    parties.push(line);
  }
  if (parties.length !== 2) {
    sink.report(Codes.contractLines, parties[2]?.span ?? decl.name.span, `the contract \`${decl.name.text}\` has ${parties.length} ${parties.length === 1 ? 'party' : 'parties'}`, {
      hint: 'a contract is between exactly two parties: `party NAME asn N`, twice',
    });
  }
  return parties;
}

function checkMeet(decl: ContractDecl, isParty: (t: Token) => boolean, sink: DiagnosticSink): { line: ContractMeet; length: number } | undefined {
  const lines = decl.items.filter((i): i is ContractMeet => i.kind === 'meet');
  if (lines.length !== 1) {
    sink.report(Codes.contractLines, lines[1]?.span ?? decl.name.span, lines.length === 0 ? `the contract \`${decl.name.text}\` has no \`meet\` line` : 'a second `meet` line', {
      ...(lines[0] && lines[1] ? { related: [{ span: lines[0].span, message: 'first given here' }] } : {}),
      hint: 'a contract has one meeting point: `meet PARTY ADDR/LEN, PARTY ADDR [vlan N]`',
    });
    if (lines.length === 0) return undefined;
  }
  const line = lines[0]!;
  const before = sink.items.length;
  if (isParty(line.first.party) && isParty(line.second.party) && line.first.party.text === line.second.party.text) {
    sink.report(Codes.contractLines, line.second.party.span, `the meeting point names \`${line.first.party.text}\` twice`, { hint: 'name each party once, with its address' });
  }
  const subnet = parsePrefix(line.first.address.text);
  const theirs = readAddress(line.second.address, sink);
  if (!subnet) sink.report(Codes.invalidAddress, line.first.address.span, `invalid address \`${line.first.address.text}\``, { hint: 'write an address and its subnet\'s length, e.g. `169.254.10.1/30`' });
  const plan = 'the meeting point is a subnet both addresses lie in, e.g. `meet acme 169.254.10.1/30, datahub 169.254.10.2`';
  if (subnet && theirs) {
    const net = network(subnet);
    const bits = BITS[subnet.family];
    const broadcast = net.value | ((1n << BigInt(bits - subnet.length)) - 1n);
    if (subnet.family !== theirs.family) {
      sink.report(Codes.meetAddresses, line.second.address.span, `\`${line.second.address.text}\` is not of the family of \`${line.first.address.text}\``, { hint: plan });
    } else if ((theirs.value & ~((1n << BigInt(bits - subnet.length)) - 1n)) !== net.value) {
      sink.report(Codes.meetAddresses, line.second.address.span, `\`${line.second.address.text}\` is outside the subnet ${formatPrefix(net)}`, { hint: plan });
    } else if (theirs.value === subnet.value) {
      sink.report(Codes.meetAddresses, line.second.address.span, `both parties have the address \`${line.second.address.text}\``, { hint: 'each party has its own address in the subnet' });
    } else if (subnet.family === 4 && subnet.length <= 30) {
      for (const [t, value] of [[line.first.address, subnet.value], [line.second.address, theirs.value]] as const) {
        if (value !== net.value && value !== broadcast) continue;
        sink.report(Codes.meetAddresses, t.span, `\`${t.text.split('/')[0]}\` is the ${value === net.value ? 'network' : 'broadcast'} address of ${formatPrefix(net)}`, {
          hint: 'give each party an address between the two',
        });
      }
    }
  }
  if (line.vlan) {
    const vlan = parseInteger(line.vlan.text);
    if (vlan === undefined || vlan < 1 || vlan > 4094) sink.report(Codes.meetAddresses, line.vlan.span, `VLAN ${line.vlan.text} is out of range`, { hint: 'a VLAN is 1 to 4094' });
  }
  if (sink.items.length > before || !subnet) return undefined;
  return { line, length: subnet.length };
}

function checkOverlap(parties: ContractParty[], announced: Map<string, { prefixes: Prefix[]; line: ContractAnnounces }>, sink: DiagnosticSink): void {
  const [a, b] = parties.map((p) => announced.get(p.name.text));
  if (!a || !b) return;
  for (const [i, p] of b.prefixes.entries()) {
    const clash = a.prefixes.findIndex((q) => overlaps(p, q));
    if (clash < 0) continue;
    const theirs = a.line.prefixes.find((t) => sameNetwork(t, a.prefixes[clash]!))!;
    const ours = b.line.prefixes.find((t) => sameNetwork(t, p)) ?? b.line.prefixes[i]!;
    sink.report(Codes.announcementsOverlap, ours.span, `\`${ours.text}\` of \`${b.line.party.text}\` overlaps \`${theirs.text}\` of \`${a.line.party.text}\``, {
      related: [{ span: theirs.span, message: `announced by ${a.line.party.text}` }],
      hint: 'each address belongs to one party: the two announcements must be disjoint',
    });
  }
}

const sameNetwork = (t: Token, p: Prefix): boolean => {
  const q = parsePrefix(t.text);
  return q !== undefined && comparePrefixes(q, p) === 0;
};

/** The names an offer's `at` or `to` may use: the announcements of the party whose addresses it gives. */
interface Names {
  party: string;
  own: Map<string, AnnouncedPart>;
  otherParty: string;
  other: Map<string, AnnouncedPart>;
}

/**
 * The `at` or `to` prefixes (an address is its /32 or /128, a name its announcement's prefix),
 * each within one of `outer`.
 */
function within(tokens: Token[], outer: Prefix[], what: string, names: Names, clause: 'at' | 'to', sink: DiagnosticSink): Prefix[] {
  const out: Prefix[] = [];
  for (const t of tokens) {
    if (isAnnouncedName(t)) {
      const part = names.own.get(t.text);
      if (part) {
        const p = parsePrefix(part.canonical);
        if (p) out.push(p);
        continue;
      }
      const near = suggest(t.text, names.own.keys());
      const theirs = names.other.has(t.text);
      sink.report(Codes.unknownAnnouncedName, t.span, `\`${names.party}\` announces nothing named \`${t.text}\``, {
        hint: theirs
          ? `\`${t.text}\` is ${names.otherParty}'s: an offer's \`${clause}\` names ${clause === 'at' ? "the offering party's" : "the other party's"} announcements`
          : near !== undefined
            ? `did you mean \`${near}\`?`
            : names.own.size > 0
              ? `${names.party} names ${[...names.own.keys()].map((n) => `\`${n}\``).join(', ')}`
              : `name the prefix in its announces line: \`${names.party} announces ${t.text} PREFIX, ...\``,
      });
      continue;
    }
    const address = t.text.includes('/') ? undefined : parseAddress(t.text);
    const p = address ? { ...address, length: BITS[address.family] } : readNetwork(t, sink);
    if (!p) continue;
    if (outer.length > 0 && !outer.some((o) => containsPrefix(o, p))) {
      sink.report(Codes.offerOutsideAnnouncements, t.span, `\`${t.text}\` is not within ${what}`, {
        hint: `an offer's \`at\` lies within the offering party's announcements, its \`to\` within the other party's: ${outer.map(formatPrefix).join(', ')}`,
      });
      continue;
    }
    out.push(p);
  }
  return out;
}

/** The named prefixes of an `announces` line; a name given twice, or a party's name, is P247. */
function namedParts(line: ContractAnnounces, partyNames: ReadonlySet<string>, sink: DiagnosticSink): Map<string, AnnouncedPart> {
  const out = new Map<string, AnnouncedPart>();
  line.prefixes.forEach((prefix, i) => {
    const name = line.names[i];
    if (!name) return;
    const first = out.get(name.text);
    if (first || partyNames.has(name.text)) {
      sink.report(Codes.announcedNameTaken, name.span, first ? `\`${name.text}\` already names ${first.prefix.text}` : `\`${name.text}\` is a party's name`, {
        ...(first ? { related: [{ span: first.name.span, message: 'first named here' }] } : {}),
        hint: 'give each named prefix a name of its own, other than the parties\'',
      });
      return;
    }
    const p = parsePrefix(prefix.text);
    if (p) out.set(name.text, { name, prefix, canonical: formatPrefix(network(p)) });
  });
  return out;
}

function sorted(prefixes: Prefix[]): string[] {
  return [...new Set([...prefixes].sort(comparePrefixes).map((p) => formatPrefix(network(p))))];
}
