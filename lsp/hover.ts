// Hover: what a name resolves to (its declaration, addresses, platform, the policy rules that
// apply to it) and, on an assertion, its proof status. Markdown built from the checked intent
// when the intent has no errors, else from the symbol table's one-line detail. Where it cites a
// place, an intent of several files names the file (`sites.plumb:12`), a one-file intent the line.

import { match } from 'ts-pattern';
import type { Span } from '../language/diagnostic.js';
import type { AssertDecl } from '../language/ast.js';
import type { CheckedIntent, IntentRule, ServiceClause } from '../language/intent.js';
import type { SymbolDef } from '../language/symbols.js';
import { declarationAt } from './ast-query.js';
import { describeSecurity } from './hover-security.js';
import { describeCounterexample, verdictAt, type ProofState } from './verification.js';
import type { Project, ProjectAnalysis, ProjectFile } from './workspace.js';

/** Policy rules listed in one hover; the rest are counted. */
const RULES_SHOWN = 20;

export interface HoverAnswer {
  markdown: string;
  span: Span;
}

export function hoverAt(
  project: Project,
  file: ProjectFile,
  offset: number,
  analysis: ProjectAnalysis,
  proof: ProofState | undefined,
): HoverAnswer | undefined {
  const occurrence = analysis.index.at(file.name, offset);
  if (occurrence) {
    const def = analysis.index.definition(occurrence.key);
    if (def) return { markdown: describeSymbol(def, analysis, project), span: occurrence.span };
  }
  const tree = analysis.result.files.find((f) => f.path === file.name);
  const decl = tree ? declarationAt(tree, offset) : undefined;
  if (decl?.kind === 'assert') return { markdown: describeAssertion(decl, project, proof), span: decl.span };
  if (decl?.kind === 'security') return { markdown: describeSecurity(decl, analysis.result.intent, (span) => cite(span, project)), span: decl.span };
  return undefined;
}

export function describeSymbol(def: SymbolDef, analysis: ProjectAnalysis, project: Project): string {
  const lines = ['```plumb', def.detail, '```'];
  // In an intent of several files, the declaration may be in another one: say which.
  if (def.nameSpan && project.files.size > 1) lines.push(`Declared at \`${cite(def.nameSpan, project)}\``, '');
  const intent = analysis.result.intent;
  lines.push(...(intent ? facts(def, intent, project) : factsFromSymbols(def, analysis, project)));
  return lines.join('\n');
}

/**
 * While the intent has errors there is no checked intent: say what the symbol table and the
 * tree still know (the devices its declaration names, the rules that name it directly).
 */
function factsFromSymbols(def: SymbolDef, analysis: ProjectAnalysis, project: Project): string[] {
  const out: string[] = [];
  if (def.declSpan) {
    for (const o of analysis.index.occurrencesWithin(def.declSpan)) {
      const target = o.declaration ? undefined : analysis.index.definition(o.key);
      if (target?.kind === 'device') out.push(`- \`${target.key}\`: ${target.detail}`);
    }
  }
  if (['segment', 'host', 'group', 'external'].includes(def.kind)) {
    const rules: string[] = [];
    let count = 0;
    const names = (t: { text: string }): boolean => t.text === def.name || t.text === 'any';
    for (const file of analysis.result.files) {
      for (const decl of file.declarations) {
        if (decl.kind !== 'policy') continue;
        for (const rule of decl.rules) {
          if (!rule.sources.some(names) && !rule.destinations.some(names)) continue;
          if (++count <= RULES_SHOWN) rules.push(`- \`${sourceText(rule.span, project) ?? rule.action.text}\` (${cite(rule.span, project)})`);
        }
      }
    }
    if (count > RULES_SHOWN) rules.push(`- … and ${count - RULES_SHOWN} more`);
    if (rules.length > 0) out.push('', 'Policy rules that name it (groups not expanded while the intent has errors):', ...rules);
  }
  return out;
}

function facts(def: SymbolDef, intent: CheckedIntent, project: Project): string[] {
  const platformOf = (id: string): string => intent.devices.find((d) => d.id === id)?.platform ?? '?';
  return match(def.kind)
    .with('device', () => {
      const d = intent.devices.find((x) => x.id === def.key);
      if (!d) return [];
      const out = [`**${d.role}** \`${d.id}\` in site \`${d.site}\`, platform **${d.platform}**`];
      if (d.asn !== undefined) out.push(`- ASN ${d.asn}`);
      if (d.loopbacks.length > 0) out.push(`- loopback ${d.loopbacks.join(', ')}`);
      const gateways = intent.segments.filter((s) => s.gateway === d.id).map((s) => `\`${s.name}\` ${s.prefixes.join(', ')}`);
      if (gateways.length > 0) out.push(`- gateway of ${gateways.join('; ')}`);
      const attached = intent.externals.filter((e) => e.attachments.some((a) => a.device === d.id)).map((e) => `\`${e.name}\``);
      if (attached.length > 0) out.push(`- attaches ${attached.join(', ')}`);
      return out;
    })
    .with('site', () => {
      const devices = intent.devices.filter((d) => d.site === def.key).map((d) => `\`${d.name}\` (${d.platform})`);
      return [`**site** \`${def.key}\`: ${devices.length > 0 ? devices.join(', ') : 'no devices'}`];
    })
    .with('segment', () => {
      const s = intent.segments.find((x) => x.name === def.key);
      if (!s) return [];
      const where = `${s.zone ? `, zone \`${s.zone}\`` : ''}${s.vlan !== undefined ? `, vlan ${s.vlan}` : ''}`;
      return [
        `**segment** \`${s.name}\`: ${s.prefixes.join(', ')}`,
        `- gateway \`${s.gateway}\` (${platformOf(s.gateway)})${where}`,
        ...rulesFor([s.name], intent, project),
      ];
    })
    .with('host', () => {
      const h = intent.hosts.find((x) => x.name === def.key);
      if (!h) return [];
      const seg = intent.segments.find((s) => s.name === h.segment);
      return [
        `**host** \`${h.name}\`: ${h.address} in segment \`${h.segment}\``,
        ...(seg ? [`- gateway \`${seg.gateway}\` (${platformOf(seg.gateway)})`] : []),
        ...rulesFor([h.name, h.segment], intent, project),
      ];
    })
    .with('external', () => {
      const e = intent.externals.find((x) => x.name === def.key);
      if (!e) return [];
      const routing = e.asn !== undefined ? `, eBGP ASN ${e.asn}` : ', static routes';
      const out = [`**external** \`${e.name}\`: ${e.prefixes.join(', ') || 'no prefixes'}${routing}`];
      for (const a of e.attachments) {
        const next = `${a.peer ? ` peer ${a.peer}` : ''}${a.gateway ? ` gateway ${a.gateway}` : ''}`;
        out.push(`- attached at \`${a.device}\` (${platformOf(a.device)}) ${a.address}${next}`);
      }
      if (e.announce.length > 0) out.push(`- announced to it: ${e.announce.map((n) => `\`${n}\``).join(', ')}`);
      return [...out, ...rulesFor([e.name], intent, project)];
    })
    .with('group', () => {
      const g = intent.groups.find((x) => x.name === def.key);
      if (!g) return [];
      return [
        `**group** \`${g.name}\`: ${g.expanded.map((n) => `\`${n}\``).join(', ') || 'empty'}`,
        ...rulesFor(g.expanded, intent, project),
      ];
    })
    .with('service', 'builtin-service', () => {
      const s = intent.services.find((x) => x.name === def.key);
      return s ? [`**service** \`${s.name}\`: ${s.clauses.map(describeClause).join(', ')}`] : [];
    })
    .with('pool', () => {
      const p = intent.pools.find((x) => x.name === def.key);
      return p ? [`**pool** \`${p.name}\`: ${p.prefix}`] : [];
    })
    .with('secret', () => {
      const s = intent.secrets?.find((x) => x.name === def.key);
      if (!s) return [];
      const where = s.source === 'env' ? `the environment variable \`${s.location}\`` : `the file \`${s.location}\``;
      return [`**secret** \`${s.name}\`: read by \`plumb compile\` from ${where}; its value is never shown`];
    })
    .with('network', 'policy', 'builtin-endpoint', 'contract', () => [])
    .exhaustive();
}

/** The policy rules whose sources or destinations include one of `names` (or `any`). */
function rulesFor(names: readonly string[], intent: CheckedIntent, project: Project): string[] {
  const set = new Set(names);
  const hits = (list: readonly string[]): boolean => list.some((n) => n === 'any' || set.has(n));
  const shown: string[] = [];
  let count = 0;
  const show = (r: IntentRule, role: string): void => {
    if (++count <= RULES_SHOWN) shown.push(`- \`${sourceText(r.span, project) ?? r.action}\` (${role}, ${cite(r.span, project)})`);
  };
  for (const r of intent.rules) {
    const from = hits(r.sourcesExpanded);
    const to = hits(r.destinationsExpanded);
    if (from || to) show(r, from && to ? 'from and to' : from ? 'from' : 'to');
  }
  if (count === 0) return ['', 'No policy rule applies: all its traffic to and from other endpoints is denied.'];
  if (count > RULES_SHOWN) shown.push(`- … and ${count - RULES_SHOWN} more`);
  return ['', 'Policy rules that apply:', ...shown];
}

function describeAssertion(decl: AssertDecl, project: Project, proof: ProofState | undefined): string {
  const text = sourceText(decl.span, project) ?? 'assert';
  const verdict = verdictAt(proof, decl.span);
  let status: string;
  if (!proof) status = 'not verified yet: save the file to prove it';
  else if (proof.status === 'running') status = 'verifying…';
  else if (proof.status === 'unavailable' || proof.status === 'failed') status = `not verified (${proof.message ?? proof.status})`;
  else if (!verdict) status = 'not verified (the intent did not compile)';
  else {
    status = `**${verdict.status}** in ${verdict.millis} ms${verdict.reason ? ` (${verdict.reason})` : ''}`;
    const counterexample = describeCounterexample(verdict.counterexample);
    if (counterexample) status += `\n\nCounterexample: ${counterexample}`;
  }
  return ['```plumb', text, '```', `Proof status: ${status}`].join('\n');
}

/** Where a span starts: `line 12` in an intent of one file, `sites.plumb:12` in one of several. */
export function cite(span: Span, project: Project): string {
  return project.files.size > 1 ? `${span.file}:${span.start.line}` : `line ${span.start.line}`;
}

function sourceText(span: Span, project: Project): string | undefined {
  const file = project.fileByName(span.file);
  if (!file) return undefined;
  // A rule's first line, read from a bounded slice of the text (a rule may span many lines).
  const text = file.text.slice(span.start.offset, Math.min(span.end.offset, span.start.offset + 1000)).split('\n')[0]!;
  return text.replace(/#.*$/, '').replace(/\s+/g, ' ').trim();
}

export function describeClause(c: ServiceClause): string {
  const proto = c.protocol === 6 ? 'tcp' : c.protocol === 17 ? 'udp' : c.protocol === 1 ? 'icmp' : c.protocol === undefined ? 'any' : `protocol ${c.protocol}`;
  const ports = c.ports?.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(' ');
  const icmp = c.icmpType !== undefined ? ` type ${c.icmpType}` : '';
  return `${proto}${ports ? ` ${ports}` : ''}${icmp}`;
}
