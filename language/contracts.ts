// Contracts (docs/language.md, "Contracts"): after linking, every contract of the intent and its
// modules is checked on its own (check-contracts.ts), and each `implements CONTRACT as PARTY`
// becomes the external of the other party, exactly as if the intent had written it: its `asn`
// and `prefixes` from the contract, its `attach` from the implementation's device and the
// contract's `meet` line, its `announce` and `password` from the implementation. Resolution and
// every check of externals then treat it like any other; the diagnostics point at the contract's
// lines or the implementation's, whichever holds the text. The offers' services resolve after
// resolution, in the contract's module (modules.ts qualified them), and the checked intent
// carries each implementation for the model (compiler/model.ts, ContractModel).

import { formatAddress, parseAddress } from './address.js';
import type { ContractDecl, ExternalDecl, ExternalItem, ImplementsDecl, SourceFile, Token } from './ast.js';
import { checkContract, isAnnouncedName, type ContractShape } from './check-contracts.js';
import type { DiagnosticSink } from './check-common.js';
import { parseInteger } from './check-common.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import type { IntentContract, IntentService, ServiceClause } from './intent.js';
import { ANY } from './prelude.js';
import type { Resolution } from './resolve.js';

/** One implementation whose contract passed its checks: what its external was made from. */
export interface Implementation {
  decl: ImplementsDecl;
  shape: ContractShape;
  us: number;
}

export interface Agreements {
  /** Every contract of the intent and its modules, in file order, with its shape when it is valid. */
  contracts: { decl: ContractDecl; shape?: ContractShape }[];
  implementations: Implementation[];
  /**
   * The parties of the implementations that made no external (a broken contract, say): the
   * intent's uses of their names are not unknown names too, the implementation's error is the report.
   */
  unbuilt: Set<string>;
  /**
   * An implementation names a contract there is none of (P241): the other party's name is not
   * known either, so the intent's unknown endpoints with no near name are not reported too.
   */
  partiesUnknown?: true;
}

/** Checks the contracts and adds each implementation's external to the file that implements it. */
export function joinContracts(files: readonly SourceFile[], sink: DiagnosticSink): { files: SourceFile[]; agreements: Agreements } {
  const agreements: Agreements = { contracts: [], implementations: [], unbuilt: new Set() };
  const byName = new Map<string, { decl: ContractDecl; shape?: ContractShape }>();
  for (const file of files) {
    for (const decl of file.contracts ?? []) {
      const first = byName.get(decl.name.text);
      if (first) {
        sink.report(Codes.contractNameTaken, decl.name.span, `the contract \`${decl.name.text}\` is already declared`, {
          related: [{ span: first.decl.name.span, message: 'first declared here' }],
          hint: 'give each contract its own name',
        });
        continue;
      }
      const shape = checkContract(decl, sink);
      const entry = { decl, ...(shape ? { shape } : {}) };
      byName.set(decl.name.text, entry);
      agreements.contracts.push(entry);
    }
  }
  if (!files.some((f) => f.implements)) return { files: [...files], agreements };
  const declared = new Set(files.flatMap((f) => f.declarations.flatMap((d) => ('name' in d && d.name ? [d.name.text] : []))));
  const done = new Map<string, ImplementsDecl>();
  const out = files.map((file) => {
    if (!file.implements) return file;
    const externals: ExternalDecl[] = [];
    for (const decl of file.implements) {
      const implementation = implement(decl, byName, declared, done, sink);
      if (!implementation) {
        if (!byName.has(decl.contract.text)) agreements.partiesUnknown = true;
        for (const p of byName.get(decl.contract.text)?.decl.items ?? []) if (p.kind === 'party' && p.name.text !== decl.party.text) agreements.unbuilt.add(p.name.text);
        continue;
      }
      agreements.implementations.push(implementation);
      externals.push(externalOf(implementation));
      declared.add(externals.at(-1)!.name.text);
    }
    return { ...file, declarations: [...file.declarations, ...externals] };
  });
  return { files: out, agreements };
}

function implement(
  decl: ImplementsDecl,
  byName: Map<string, { decl: ContractDecl; shape?: ContractShape }>,
  declared: Set<string>,
  done: Map<string, ImplementsDecl>,
  sink: DiagnosticSink,
): Implementation | undefined {
  const lines = checkImplementsLines(decl, sink);
  const entry = byName.get(decl.contract.text);
  if (!entry) {
    sink.report(Codes.unknownContract, decl.contract.span, `no contract \`${decl.contract.text}\``, {
      hint: decl.contract.text.includes('.') ? 'check that the module declares and exports it' : 'declare it, or import the module that keeps it (`import "PATH" as NAME`, then `NAME.CONTRACT`)',
    });
    return undefined;
  }
  const first = done.get(entry.decl.name.text);
  if (first) {
    sink.report(Codes.contractImplementedTwice, decl.contract.span, `\`${decl.contract.text}\` is already implemented`, {
      related: [{ span: first.span, message: 'implemented here' }],
      hint: 'implement each contract once',
    });
    return undefined;
  }
  done.set(entry.decl.name.text, decl);
  const parties = entry.decl.items.filter((i) => i.kind === 'party');
  const us = parties.findIndex((p) => p.name.text === decl.party.text);
  if (us < 0) {
    sink.report(Codes.unknownParty, decl.party.span, `\`${decl.party.text}\` is not a party of the contract \`${decl.contract.text}\``, {
      hint: parties.length > 0 ? `its parties are ${parties.map((p) => `\`${p.name.text}\``).join(' and ')}` : 'the contract declares its parties with `party NAME asn N`',
    });
    return undefined;
  }
  if (!entry.shape || !lines || us > 1) return undefined;
  const them = entry.shape.parties[1 - us]!;
  if (declared.has(them.name.text)) {
    sink.report(Codes.partyNameClash, decl.party.span, `the other party \`${them.name.text}\` becomes an external of this intent, and \`${them.name.text}\` is already declared`, {
      related: [{ span: them.name.span, message: 'the party' }],
      hint: `rename the declaration \`${them.name.text}\` of this intent`,
    });
    return undefined;
  }
  return { decl, shape: entry.shape, us };
}

/** One `attach`, one `announce`, at most one `password` (P455). */
function checkImplementsLines(decl: ImplementsDecl, sink: DiagnosticSink): boolean {
  let ok = true;
  for (const kind of ['attach', 'announce', 'password'] as const) {
    const lines = decl.items.filter((i) => i.kind === kind);
    if (lines.length > 1) {
      ok = false;
      sink.report(Codes.implementsLines, lines[1]!.span, `a second \`${kind}\` line`, {
        related: [{ span: lines[0]!.span, message: 'first given here' }],
        hint: kind === 'attach' ? 'a contract meets at one device: `attach DEVICE` once' : `put everything in one \`${kind}\` line`,
      });
    } else if (lines.length === 0 && kind !== 'password') {
      ok = false;
      const start = decl.span.start;
      const head = { file: decl.span.file, start, end: { ...start, column: start.column + 'implements'.length, offset: start.offset + 'implements'.length } };
      sink.report(Codes.implementsLines, head, `the implementation of \`${decl.contract.text}\` has no \`${kind}\` line`, {
        hint: kind === 'attach' ? 'say where we meet the other party: `attach SITE.DEVICE`' : 'say what we announce to the other party: `announce SEGMENT, ...`',
      });
    }
  }
  return ok;
}

/** The other party as an external of the implementing intent (see the header). */
function externalOf({ decl, shape, us }: Implementation): ExternalDecl {
  const ourParty = shape.parties[us]!;
  const them = shape.parties[1 - us]!;
  const meet = shape.meet;
  const firstIsUs = meet.first.party.text === ourParty.name.text;
  const ours = firstIsUs ? meet.first.address : withLength(meet.second.address, shape.prefixLength);
  const theirs = firstIsUs ? meet.second.address : withoutLength(meet.first.address);
  const announces = shape.announces.get(them.name.text)!.line;
  const items: ExternalItem[] = [
    { kind: 'asn', asn: them.asn, span: them.span },
    { kind: 'prefixes', prefixes: announces.prefixes, span: announces.span },
  ];
  for (const item of decl.items) {
    if (item.kind === 'attach') {
      items.push({ kind: 'attach', device: item.device, address: ours, peer: theirs, ...(meet.vlan ? { vlan: meet.vlan } : {}), span: item.span });
    } else items.push(item);
  }
  const parts = [...(shape.parts.get(them.name.text)?.values() ?? [])].map((p) => ({ name: p.name, prefix: p.prefix }));
  return { kind: 'external', name: { text: them.name.text, span: them.name.span }, items, ...(parts.length > 0 ? { parts } : {}), span: decl.span };
}

const withLength = (t: Token, length: number): Token => ({ text: `${t.text}/${length}`, span: t.span });
const withoutLength = (t: Token): Token => ({ text: t.text.split('/')[0]!, span: t.span });

/**
 * After resolution: every offered service must be a service (P244); each use is a reference for
 * the language server. Returns the services' clauses by name, for the checked intent.
 */
export function resolveOffers(agreements: Agreements, resolution: Resolution, sink: DiagnosticSink): void {
  // A contract is a symbol of the language server: its definition, and each implementation's reference to it.
  for (const { decl } of agreements.contracts) {
    const local = decl.name.text.slice(decl.name.text.lastIndexOf('.') + 1);
    resolution.symbols.definitions.push({ key: decl.name.text, name: local, kind: 'contract', nameSpan: decl.name.span, declSpan: decl.span, detail: `contract ${decl.name.text}` });
  }
  const known = new Set(agreements.contracts.map((c) => c.decl.name.text));
  for (const file of resolution.files) for (const i of file.implements ?? []) if (known.has(i.contract.text)) resolution.symbols.references.push({ span: i.contract.span, key: i.contract.text });
  // The other party's named announcements, where its contract's offers use them (`at api`).
  for (const { shape, us } of agreements.implementations) {
    const them = shape.parties[1 - us]!.name.text;
    const named = shape.parts.get(them) ?? new Map();
    for (const { line } of shape.offers) {
      for (const t of line.party.text === them ? line.at : line.to) if (isAnnouncedName(t) && named.has(t.text)) resolution.symbols.references.push({ span: t.span, key: `${them}.${t.text}` });
    }
  }
  checkOurAsn(agreements, resolution, sink);
  for (const { decl } of agreements.contracts) {
    for (const item of decl.items) {
      if (item.kind !== 'offers') continue;
      for (const t of item.services) {
        const found = resolution.lookup(t);
        if (found && (found.kind === 'service' || found.kind === 'builtin-service' || found.kind === 'any')) {
          resolution.symbols.references.push({ span: t.span, key: t.text });
          continue;
        }
        sink.report(Codes.offeredServiceUnknown, t.span, found ? `\`${t.text}\` is a ${found.kind}, not a service` : `no service \`${t.text}\` in the contract's module`, {
          hint: "an offer names services of the contract's own module, of its imports (`NAME.SERVICE`) or built-in ones",
        });
      }
    }
  }
}


/** The attached device speaks BGP as our party (P456); a device without an AS number is P504's. */
function checkOurAsn(agreements: Agreements, resolution: Resolution, sink: DiagnosticSink): void {
  for (const { decl, shape, us } of agreements.implementations) {
    const party = shape.parties[us]!;
    for (const item of decl.items) {
      if (item.kind !== 'attach') continue;
      const asn = resolution.deviceRefs.get(item.device)?.decl.asn;
      if (!asn || parseInteger(asn.text) === parseInteger(party.asn.text)) continue;
      sink.report(Codes.partyAsnNotDevice, item.span, `\`${deviceText(item)}\` has AS number ${asn.text}, and our party \`${party.name.text}\` has ${party.asn.text}`, {
        related: [
          { span: party.span, message: 'the contract gives our party this AS number' },
          { span: asn.span, message: 'the device\'s AS number' },
        ],
        hint: 'the other party peers with the contract\'s AS number: give the device that one, or attach a device that has it',
      });
    }
  }
}

const deviceText = (item: { device: { site?: Token; device: Token } }): string => (item.device.site ? `${item.device.site.text}.${item.device.device.text}` : item.device.device.text);

/** Each implementation, for the checked intent (language/intent.ts, IntentContract). */
export function checkedContracts(agreements: Agreements, services: readonly IntentService[], texts: ReadonlyMap<string, string>): IntentContract[] {
  const clausesOf = new Map(services.map((s) => [s.name, s.clauses]));
  const textOf = (span: Span): string => (texts.get(span.file) ?? '').slice(span.start.offset, span.end.offset).replace(/\s+/g, ' ');
  return agreements.implementations.map(({ decl, shape, us }) => {
    const party = (i: number): IntentContract['us'] => {
      const p = shape.parties[i]!;
      const announces = shape.announces.get(p.name.text)!;
      return {
        name: p.name.text,
        asn: parseInteger(p.asn.text)!,
        span: p.span,
        announces: announces.prefixes,
        announcesSpan: announces.line.span,
        offers: shape.offers
          .filter((o) => o.line.party.text === p.name.text)
          .map((o) => ({
            services: o.line.services.map((t) => t.text),
            serviceNames: o.line.services.map((t) => textOf(t.span)),
            clauses: uniqueClauses(o.line.services.flatMap((t): ServiceClause[] => (t.text === ANY ? [{}] : (clausesOf.get(t.text) ?? [])))),
            at: o.at,
            to: o.to,
            text: textOf(o.line.span),
            span: o.line.span,
          })),
      };
    };
    const meet = shape.meet;
    const firstIsUs = meet.first.party.text === shape.parties[us]!.name.text;
    const [ours, theirs] = firstIsUs ? [meet.first.address, meet.second.address] : [meet.second.address, meet.first.address];
    const them = party(1 - us);
    return {
      name: decl.contract.text,
      us: party(us),
      them,
      external: them.name,
      meet: {
        ours: canonicalAddress(ours),
        theirs: canonicalAddress(theirs),
        prefixLength: shape.prefixLength,
        ...(meet.vlan ? { vlan: parseInteger(meet.vlan.text)! } : {}),
        span: meet.span,
      },
      span: headerSpan(shape.decl),
      implementsSpan: decl.span,
    };
  });
}

/** What `plumb contract check` prints of a contract. */
export interface ContractSummary {
  name: string;
  span: Span;
  /** Absent when the contract has errors. */
  parties?: string[];
  announced?: number;
  offers?: number;
}

export function contractSummaries(agreements: Agreements): ContractSummary[] {
  return agreements.contracts.map(({ decl, shape }) => ({
    name: decl.name.text,
    span: headerSpan(decl),
    ...(shape
      ? {
          parties: shape.parties.map((p) => p.name.text),
          announced: [...shape.announces.values()].reduce((n, a) => n + a.prefixes.length, 0),
          offers: shape.offers.length,
        }
      : {}),
  }));
}

const canonicalAddress = (t: Token): string => formatAddress(parseAddress(t.text.split('/')[0]!)!);

/** `contract NAME ["description"]`: the header line of the block. */
function headerSpan(decl: ContractDecl): Span {
  return { file: decl.span.file, start: decl.span.start, end: (decl.description ?? decl.name).span.end };
}

function uniqueClauses(clauses: ServiceClause[]): ServiceClause[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
