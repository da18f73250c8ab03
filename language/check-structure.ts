// Structural checks on resolved names: group and service cycles, the shape of externals, links
// that go nowhere. Also computes what later stages need: each group's expansion.

import { match } from 'ts-pattern';
import type { ExternalAsn, ExternalDecl, GroupDecl, ServiceDecl, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { isServiceReference, type Resolution } from './resolve.js';

export interface Structure {
  /** Each group's members with groups expanded: segment, host and external names, sorted. */
  groupExpansion: Map<string, string[]>;
  /** Each external's `asn` item (the first), if any. */
  externalAsn: Map<string, ExternalAsn>;
}

export function checkStructure(r: Resolution, sink: DiagnosticSink): Structure {
  const groupExpansion = expandGroups(r, sink);
  checkServiceCycles(r, sink);
  const externalAsn = new Map<string, ExternalAsn>();
  for (const ext of r.externals) checkExternal(r, ext, groupExpansion, externalAsn, sink);
  for (const { decl } of r.links) {
    const a = r.deviceRefs.get(decl.a.device);
    const b = r.deviceRefs.get(decl.b.device);
    if (a && b && a.id === b.id) {
      sink.error('P209', decl.span, `link connects \`${a.id}\` to itself`, {
        hint: 'a link joins two different devices; give the other end',
      });
    }
  }
  return { groupExpansion, externalAsn };
}

function expandGroups(r: Resolution, sink: DiagnosticSink): Map<string, string[]> {
  const done = new Map<string, string[]>();
  const byName = new Map(r.groups.map((g) => [g.name.text, g]));
  const reported = new Set<string>();
  const visit = (g: GroupDecl, stack: GroupDecl[]): string[] => {
    const cached = done.get(g.name.text);
    if (cached) return cached;
    if (stack.includes(g)) {
      const cycle = [...stack.slice(stack.indexOf(g)), g].map((x) => x.name.text);
      if (!reported.has(g.name.text)) {
        cycle.forEach((n) => reported.add(n));
        sink.error('P208', g.name.span, `group \`${g.name.text}\` contains itself: ${cycle.join(' -> ')}`, {
          hint: 'remove one of the group references that close the cycle',
        });
      }
      return [];
    }
    const out = new Set<string>();
    for (const m of g.members) {
      const e = r.lookup(m);
      if (!e) continue;
      if (e.kind === 'group') {
        const inner = byName.get(e.decl.name.text);
        if (inner) visit(inner, [...stack, g]).forEach((n) => out.add(n));
      } else if (e.kind === 'segment' || e.kind === 'host' || e.kind === 'external') {
        out.add(e.decl.name.text);
      }
    }
    const sorted = [...out].sort();
    done.set(g.name.text, sorted);
    return sorted;
  };
  for (const g of r.groups) visit(g, []);
  return done;
}

function checkServiceCycles(r: Resolution, sink: DiagnosticSink): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (s: ServiceDecl, path: string[]): void => {
    const name = s.name.text;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      if (!reported.has(name)) {
        const cycle = [...path.slice(path.indexOf(name)), name];
        cycle.forEach((n) => reported.add(n));
        sink.error('P208', s.name.span, `service \`${name}\` contains itself: ${cycle.join(' -> ')}`, {
          hint: 'remove one of the service references that close the cycle',
        });
      }
      return;
    }
    state.set(name, 'visiting');
    for (const item of s.items) {
      const e = (isServiceReference(item) ? r.lookup(item.protocol) : undefined);
      if (e?.kind === 'service') visit(e.decl, [...path, name]);
    }
    state.set(name, 'done');
  };
  for (const s of r.services) visit(s, []);
}

function checkExternal(
  r: Resolution,
  ext: ExternalDecl,
  groups: Map<string, string[]>,
  asns: Map<string, ExternalAsn>,
  sink: DiagnosticSink,
): void {
  let attaches = 0;
  let hasPrefixes = false;
  for (const item of ext.items) {
    match(item)
      .with({ kind: 'asn' }, (a) => {
        const first = asns.get(ext.name.text);
        if (first) {
          sink.error('P210', a.span, `external \`${ext.name.text}\` has more than one \`asn\``, {
            related: [{ span: first.span, message: 'first given here' }],
            hint: 'an external is one autonomous system; keep one `asn` line',
          });
        } else {
          asns.set(ext.name.text, a);
        }
      })
      .with({ kind: 'prefixes' }, () => void (hasPrefixes = true))
      .with({ kind: 'attach' }, () => void attaches++)
      .with({ kind: 'announce' }, (a) => a.refs.forEach((t) => checkAnnounced(r, t, groups, sink)))
      .exhaustive();
  }
  if (attaches === 0) {
    sink.error('P211', ext.name.span, `external \`${ext.name.text}\` is not attached to any device`, {
      hint: 'add `attach SITE.DEVICE address ADDR/LEN peer ADDR` (eBGP) or `... gateway ADDR` (static)',
    });
  }
  if (!hasPrefixes) {
    sink.warning('P603', ext.name.span, `external \`${ext.name.text}\` has no \`prefixes\`: nothing is routed to it and no traffic is admitted from it`, {
      hint: 'list what it owns, e.g. `prefixes 198.51.100.0/24` (or `prefixes 0.0.0.0/0` for the internet)',
    });
  }
}

function checkAnnounced(r: Resolution, t: Token, groups: Map<string, string[]>, sink: DiagnosticSink): void {
  const e = r.lookup(t);
  if (!e) return;
  if (e.kind === 'any' || e.kind === 'external') {
    sink.error('P212', t.span, `\`${t.text}\` is not ours to announce`, {
      hint: 'announce only our own segments and hosts (or groups of them): we are nobody\'s transit',
    });
  } else if (e.kind === 'group') {
    const foreign = (groups.get(e.decl.name.text) ?? []).filter((n) => r.names.get(n)?.kind === 'external');
    if (foreign.length > 0) {
      sink.error('P212', t.span, `group \`${t.text}\` contains external \`${foreign[0]}\`, which is not ours to announce`, {
        hint: 'announce a group of our own segments and hosts only',
      });
    }
  }
}
