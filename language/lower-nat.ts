// Lowering an external's checked `translate` and `publish` lines (check-nat.ts) into the
// CheckedIntent's `IntentExternal.translations`, in the order written: canonical IPv4 prefixes and
// addresses, groups expanded, a published service's one port.

import type { ExternalDecl, Token } from './ast.js';
import { canonicalPrefix, formatAddress, network, parseAddress, parsePrefix, formatPrefix, comparePrefixes, type Prefix } from './address.js';
import { staticTranslationSubject } from './check-nat.js';
import type { EndpointName, IntentTranslation, ServiceClause } from './intent.js';
import type { Resolution } from './resolve.js';

export interface TranslationLowering {
  resolution: Resolution;
  expandEndpoints(tokens: Token[]): EndpointName[];
  serviceClauses(name: string): ServiceClause[];
}

const address = (t: Token): string => {
  const a = parseAddress(t.text);
  return a ? formatAddress(a) : t.text;
};

/** The translations of `ext`, or undefined when it has none. Runs on an intent without errors. */
export function loweredTranslations(ext: ExternalDecl, l: TranslationLowering): IntentTranslation[] | undefined {
  const out: IntentTranslation[] = [];
  for (const item of ext.items) {
    if (item.kind === 'publish') {
      const host = l.resolution.lookup(item.host);
      const clause = l.serviceClauses(item.service.text)[0]!;
      out.push({
        kind: 'publish',
        host: item.host.text,
        address: host?.kind === 'host' ? address(host.decl.address) : '',
        publicAddress: address(item.address),
        service: item.service.text,
        protocol: clause.protocol === 17 ? 17 : 6,
        port: clause.ports?.[0]?.from ?? 0,
        span: item.span,
      });
    } else if (item.kind === 'translate' && item.as) {
      const subject = item.subjects[0]!;
      const s = staticTranslationSubject(l.resolution, ext, subject);
      if (!s) continue;
      out.push({ kind: 'static', realSide: s.side, subject: subject.text, real: s.real, mapped: canonicalPrefix(item.as.text) ?? item.as.text, span: item.span });
    } else if (item.kind === 'translate') {
      const names = item.subjects.filter((t) => !t.text.includes('/'));
      const literals = item.subjects.filter((t) => t.text.includes('/'));
      const subjects = names.length > 0 ? l.expandEndpoints(names) : [];
      const sources: Prefix[] = [];
      for (const name of subjects) sources.push(...ipv4Of(l.resolution, name));
      for (const t of literals) {
        const p = parsePrefix(t.text);
        if (p?.family === 4) sources.push(network(p));
      }
      const unique = [...new Map(sources.map((p) => [formatPrefix(p), p])).values()].sort(comparePrefixes).map(formatPrefix);
      out.push({
        kind: 'overload',
        subjects: [...subjects, ...literals.map((t) => canonicalPrefix(t.text) ?? t.text)],
        sources: unique,
        ...(item.address ? { address: address(item.address) } : {}),
        span: item.span,
      });
    }
  }
  return out.length > 0 ? out : undefined;
}

/** The IPv4 prefixes of a segment or host by name. */
function ipv4Of(resolution: Resolution, name: string): Prefix[] {
  const r = resolution.names.get(name);
  if (r?.kind === 'segment') return r.decl.prefixes.map((t) => parsePrefix(t.text)).filter((p): p is Prefix => p?.family === 4).map(network);
  if (r?.kind === 'host') {
    const a = parseAddress(r.decl.address.text);
    return a?.family === 4 ? [{ family: 4, value: a.value, length: 32 }] : [];
  }
  return [];
}
