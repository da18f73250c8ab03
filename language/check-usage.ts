// Unused declarations (P601): a segment, host, group, service or external that no rule,
// assertion, `manage` line or announcement uses, directly or through a used group or service.

import type { PolicyDecl, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import type { CheckMemo } from './check-memo.js';
import { Codes } from './diagnostics/index.js';
import { isServiceReference, type Resolution, type Resolved } from './resolve.js';

/**
 * `memo`: the language server's (check-memo.ts): the declarations each policy keeps in use are
 * kept by the policy, and replayed while none of the names its rules use changed.
 */
export function checkUsage(resolution: Resolution, sink: DiagnosticSink, memo?: CheckMemo): void {
  let used = new Set<string>();
  // A worklist, not recursion: groups may nest thousands deep.
  const work: (Resolved | undefined)[] = [];
  const visit = (first: Resolved | undefined): void => {
    work.push(first);
    while (work.length > 0) {
      const e = work.pop();
      if (!e || e.kind === 'any' || e.kind === 'builtin-service' || e.kind === 'device') continue;
      const name = (e.decl.name as Token).text;
      if (used.has(name)) continue;
      used.add(name);
      if (e.kind === 'group') e.decl.members.forEach((m) => work.push(resolution.lookup(m)));
      if (e.kind === 'service') e.decl.items.forEach((i) => work.push(isServiceReference(i) ? resolution.lookup(i.protocol) : undefined));
      // A used host keeps its segment in use: the segment holds the host's address.
      if (e.kind === 'host') work.push(resolution.lookup(e.decl.segment));
    }
  };
  const visitAll = (tokens: Token[]): void => tokens.forEach((t) => visit(resolution.lookup(t)));
  const visitRules = (policy: PolicyDecl): void => {
    for (const rule of policy.rules) {
      visitAll(rule.sources);
      visitAll(rule.destinations);
      visitAll(rule.services);
    }
  };
  if (memo) {
    // Each policy's own closure (what it keeps in use, on its own): their union is the closure of all.
    const all = new Set<string>();
    for (const policy of resolution.policies) {
      let kept = memo.replay<string[]>('usage', policy);
      if (!kept) {
        used = new Set();
        visitRules(policy);
        kept = [...used];
        memo.keep('usage', policy, kept);
      }
      for (const name of kept) all.add(name);
    }
    used = all;
  } else {
    for (const policy of resolution.policies) visitRules(policy);
  }
  for (const a of resolution.assertions) {
    visitAll(a.sources);
    visitAll(a.destinations);
    visitAll(a.services);
  }
  for (const m of resolution.manages) {
    visitAll(m.devices);
    visitAll(m.sources);
    visitAll(m.services);
  }
  for (const d of resolution.securities) visitAll(d.devices);
  for (const ext of resolution.externals) for (const item of ext.items) if (item.kind === 'announce') visitAll(item.refs);
  const unused = (kind: string, name: Token, hint: string, exported?: Token): void => {
    // An exported declaration is there for the importers of its module, whoever they are.
    if (used.has(name.text) || exported) return;
    sink.report(Codes.unusedDeclaration, name.span, `${kind} \`${name.text}\` is not used by any rule, assertion or announcement`, { hint });
  };
  for (const s of resolution.segments) {
    unused('segment', s.name, 'a segment no rule mentions can only talk inside itself; add a rule or remove it');
  }
  for (const h of resolution.hosts) unused('host', h.name, 'use it in a rule or an assertion, or remove it');
  for (const g of resolution.groups) unused('group', g.name, 'use it in a rule or an assertion, or remove it', g.exported);
  for (const s of resolution.services) unused('service', s.name, 'use it in a rule or an assertion, or remove it', s.exported);
  for (const e of resolution.externals) {
    unused('external', e.name, 'no traffic is allowed to or from it; add a rule or remove it', e.exported);
  }
}
