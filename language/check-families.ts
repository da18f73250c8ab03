// Address families of assertions and policy rules (P604): an assertion or a rule whose sources
// are all IPv4 and whose destinations are all IPv6 (or the reverse) is about no packet at all.
// `any` has both families; groups are expanded; a host has its address's family, a segment and
// an external the families of their prefixes. A side with no family at all (an external without
// prefixes, a prefix that does not parse) is reported elsewhere (P603, P301) and not here.

import type { Token } from './ast.js';
import { parseAddress, parsePrefix, type Family } from './address.js';
import type { DiagnosticSink } from './check-common.js';
import type { CheckMemo } from './check-memo.js';
import type { Structure } from './check-structure.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import type { Resolution } from './resolve.js';

const FAMILIES: readonly Family[] = [4, 6];

/** An endpoint that a side of a rule or an assertion names, with the families of its addresses. */
interface Member {
  kind: 'segment' | 'host' | 'external' | 'any';
  name: string;
  families: ReadonlySet<Family>;
}

const familyName = (f: Family): string => `IPv${f}`;

/** The families one endpoint (not a group) has, from its declaration. */
function endpointFamilies(resolution: Resolution, name: string): Member | undefined {
  const e = resolution.names.get(name);
  if (!e) return undefined;
  const families = new Set<Family>();
  const add = (family: Family | undefined): void => void (family !== undefined && families.add(family));
  if (e.kind === 'segment') e.decl.prefixes.forEach((t) => add(parsePrefix(t.text)?.family));
  else if (e.kind === 'host') add(parseAddress(e.decl.address.text)?.family);
  else if (e.kind === 'external') {
    for (const item of e.decl.items) if (item.kind === 'prefixes') item.prefixes.forEach((t) => add(parsePrefix(t.text)?.family));
  } else return undefined;
  return { kind: e.kind, name, families };
}

/** The endpoints a side names, groups expanded; `any` stands for both families. */
function sideMembers(resolution: Resolution, structure: Structure, tokens: readonly Token[]): Member[] {
  const out: Member[] = [];
  for (const t of tokens) {
    const e = resolution.lookup(t);
    if (!e) continue;
    if (e.kind === 'any') out.push({ kind: 'any', name: 'any', families: new Set(FAMILIES) });
    else if (e.kind === 'group') {
      for (const n of structure.groupExpansion.get(e.decl.name.text) ?? []) {
        const m = endpointFamilies(resolution, n);
        if (m) out.push(m);
      }
    } else if (e.kind === 'segment' || e.kind === 'host' || e.kind === 'external') {
      const m = endpointFamilies(resolution, e.decl.name.text);
      if (m) out.push(m);
    }
  }
  return out;
}

const familiesOf = (members: readonly Member[]): Family[] => FAMILIES.filter((f) => members.some((m) => m.families.has(f)));

/** `segment \`office\``, `external \`lab6\` or segment \`lab\``, `... or 2 more`. */
function names(members: readonly Member[]): string {
  const shown = members.slice(0, 3).map((m) => `${m.kind} \`${m.name}\``);
  const more = members.length - shown.length;
  if (more > 0) return `${shown.join(', ')} or ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : shown.join('');
}

/**
 * What would give a side the family it lacks: a segment or an external takes another prefix; a
 * host has one address, so another host is needed.
 */
function addition(side: string, members: readonly Member[], family: Family): string {
  const growable = members.filter((m) => m.kind === 'segment' || m.kind === 'external');
  if (growable.length === 0) return `an ${familyName(family)} host among the ${side}`;
  return `an ${familyName(family)} prefix for ${names(growable)}`;
}

/** `memo`: the language server's (check-memo.ts): a policy whose rules reported nothing and whose names did not change is not checked again. */
export function checkFamilies(resolution: Resolution, structure: Structure, sink: DiagnosticSink, memo?: CheckMemo): void {
  // A side's families by name, each group's computed once: rules may name large groups often.
  const cache = new Map<string, Family[]>();
  const tokenFamilies = (t: Token): Family[] => {
    const key = resolution.lookup(t) ? t.text : '';
    let families = cache.get(key);
    if (!families) cache.set(key, (families = familiesOf(sideMembers(resolution, structure, [t]))));
    return families;
  };
  const sideFamilies = (tokens: readonly Token[]): Family[] => FAMILIES.filter((f) => tokens.some((t) => tokenFamilies(t).includes(f)));
  const check = (sources: readonly Token[], destinations: readonly Token[], span: Span, consequence: string): void => {
    const srcFamilies = sideFamilies(sources);
    const dstFamilies = sideFamilies(destinations);
    if (srcFamilies.length === 0 || dstFamilies.length === 0) return;
    if (srcFamilies.some((f) => dstFamilies.includes(f))) return;
    const src = sideMembers(resolution, structure, sources);
    const dst = sideMembers(resolution, structure, destinations);
    // Both sides have exactly one family, and they differ.
    const s = srcFamilies[0]!;
    const d = dstFamilies[0]!;
    sink.report(
      Codes.noCommonFamily,
      span,
      `no address family in common: the sources are ${familyName(s)} only and the destinations ${familyName(d)} only, so ${consequence}`,
      { hint: `add ${addition('sources', src, d)}, or ${addition('destinations', dst, s)}; or name endpoints of one family` },
    );
  };
  for (const a of resolution.assertions) {
    check(a.sources, a.destinations, a.span, `this assertion is about no packet`);
  }
  for (const policy of resolution.policies) {
    if (memo?.replay('families', policy)) continue;
    const before = sink.items.length;
    for (const rule of policy.rules) {
      check(rule.sources, rule.destinations, rule.span, `this rule ${rule.action.text === 'deny' ? 'denies' : 'admits'} no packet`);
    }
    memo?.keep('families', policy, sink.items.length === before || undefined);
  }
}
