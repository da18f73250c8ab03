// Structural checks on resolved names: group and service cycles, the shape of externals, links
// that go nowhere. Also computes what later stages need: each group's expansion.

import { match } from 'ts-pattern';
import type { ExternalAsn, ExternalDecl, ServiceDecl, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import { isServiceReference, type Resolution } from './resolve.js';

export interface Structure {
  /** Each group's members with groups expanded: segment, host and external names and device ids, sorted. */
  groupExpansion: Map<string, string[]>;
  /** Each external's `asn` item (the first), if any. */
  externalAsn: Map<string, ExternalAsn>;
}

export function checkStructure(resolution: Resolution, sink: DiagnosticSink): Structure {
  const groupExpansion = expandGroups(resolution, sink);
  checkServiceCycles(resolution, sink);
  const externalAsn = new Map<string, ExternalAsn>();
  for (const ext of resolution.externals) checkExternal(resolution, ext, groupExpansion, externalAsn, sink);
  for (const { decl } of resolution.links) {
    const a = resolution.deviceRefs.get(decl.a.device);
    const b = resolution.deviceRefs.get(decl.b.device);
    if (a && b && a.id === b.id) {
      sink.report(Codes.linkToItself, decl.span, `link connects \`${a.id}\` to itself`, {
        hint: 'a link joins two different devices; give the other end',
      });
    }
  }
  return { groupExpansion, externalAsn };
}

function expandGroups(resolution: Resolution, sink: DiagnosticSink): Map<string, string[]> {
  const byName = new Map(resolution.groups.map((g) => [g.name.text, g]));
  const innerGroups = (name: string): string[] =>
    byName.get(name)!.members.flatMap((m) => {
      const e = resolution.lookup(m);
      return e?.kind === 'group' && byName.has(e.decl.name.text) ? [e.decl.name.text] : [];
    });
  const reported = new Set<string>();
  const order = depthFirst([...byName.keys()], innerGroups, (cycle) => {
    if (reported.has(cycle[0]!)) return;
    cycle.forEach((n) => reported.add(n));
    sink.report(Codes.containsItself, byName.get(cycle[0]!)!.name.span, `group \`${cycle[0]}\` contains itself: ${cycle.join(' -> ')}`, {
      hint: 'remove one of the group references that close the cycle',
    });
  });
  // Post-order: a group's inner groups are expanded before it (except across a cycle, which is
  // an error anyway).
  const done = new Map<string, string[]>();
  for (const name of order) {
    const out = new Set<string>();
    for (const m of byName.get(name)!.members) {
      const e = resolution.lookup(m);
      if (!e) continue;
      if (e.kind === 'group') done.get(e.decl.name.text)?.forEach((n) => out.add(n));
      else if (e.kind === 'segment' || e.kind === 'host' || e.kind === 'external') out.add(e.decl.name.text);
      else if (e.kind === 'device') out.add(e.id);
    }
    done.set(name, [...out].sort());
  }
  return done;
}

function checkServiceCycles(resolution: Resolution, sink: DiagnosticSink): void {
  const byName = new Map<string, ServiceDecl>(resolution.services.map((s) => [s.name.text, s]));
  const inner = (name: string): string[] =>
    byName.get(name)!.items.flatMap((item) => {
      const e = isServiceReference(item) ? resolution.lookup(item.protocol) : undefined;
      return e?.kind === 'service' && byName.has(e.decl.name.text) ? [e.decl.name.text] : [];
    });
  const reported = new Set<string>();
  depthFirst([...byName.keys()], inner, (cycle) => {
    if (reported.has(cycle[0]!)) return;
    cycle.forEach((n) => reported.add(n));
    sink.report(Codes.containsItself, byName.get(cycle[0]!)!.name.span, `service \`${cycle[0]}\` contains itself: ${cycle.join(' -> ')}`, {
      hint: 'remove one of the service references that close the cycle',
    });
  });
}

/**
 * Depth-first search from each root in turn, without recursion (a chain of ten thousand nested
 * groups must not overflow the stack). Calls `onCycle` with each cycle met (from the repeated
 * node back to it) and returns every node in post-order: each after the nodes it reaches.
 */
export function depthFirst(roots: readonly string[], next: (node: string) => string[], onCycle: (cycle: string[]) => void): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  for (const root of roots) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    const path = [root];
    const children = [next(root)];
    const positions = [0];
    while (path.length > 0) {
      const top = path.length - 1;
      const i = positions[top]!;
      if (i < children[top]!.length) {
        positions[top] = i + 1;
        const child = children[top]![i]!;
        const s = state.get(child);
        if (s === undefined) {
          state.set(child, 'open');
          path.push(child);
          children.push(next(child));
          positions.push(0);
        } else if (s === 'open') {
          onCycle([...path.slice(path.indexOf(child)), child]);
        }
      } else {
        state.set(path[top]!, 'done');
        order.push(path[top]!);
        path.pop();
        children.pop();
        positions.pop();
      }
    }
  }
  return order;
}

function checkExternal(
  resolution: Resolution,
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
          sink.report(Codes.externalAsnTwice, a.span, `external \`${ext.name.text}\` has more than one \`asn\``, {
            related: [{ span: first.span, message: 'first given here' }],
            hint: 'an external is one autonomous system; keep one `asn` line',
          });
        } else {
          asns.set(ext.name.text, a);
        }
      })
      .with({ kind: 'prefixes' }, () => void (hasPrefixes = true))
      .with({ kind: 'attach' }, () => void attaches++)
      .with({ kind: 'announce' }, (a) => a.refs.forEach((t) => checkAnnounced(resolution, t, groups, sink)))
      .with({ kind: 'password' }, () => undefined) // check-secrets.ts
      .with({ kind: 'translate' }, { kind: 'publish' }, () => undefined) // check-nat.ts
      .exhaustive();
  }
  // An external of an imported module (its name qualified: `dp.partner`) is a partner's
  // prefixes, named by rules; where it connects is no module's business (docs/language.md, "Modules").
  if (attaches === 0 && !ext.name.text.includes('.')) {
    sink.report(Codes.externalNotAttached, ext.name.span, `external \`${ext.name.text}\` is not attached to any device`, {
      hint: 'add `attach SITE.DEVICE address ADDR/LEN peer ADDR` (eBGP) or `... gateway ADDR` (static)',
    });
  }
  if (!hasPrefixes) {
    sink.report(Codes.externalWithoutPrefixes, ext.name.span, `external \`${ext.name.text}\` has no \`prefixes\`: nothing is routed to it and no traffic is admitted from it`, {
      hint: 'list what it owns, e.g. `prefixes 198.51.100.0/24` (or `prefixes 0.0.0.0/0` for the internet)',
    });
  }
}

function checkAnnounced(resolution: Resolution, t: Token, groups: Map<string, string[]>, sink: DiagnosticSink): void {
  const e = resolution.lookup(t);
  if (!e) return;
  if (e.kind === 'any' || e.kind === 'external') {
    sink.report(Codes.announceNotOurs, t.span, `\`${t.text}\` is not ours to announce`, {
      hint: 'announce only our own segments and hosts (or groups of them): we are nobody\'s transit',
    });
  } else if (e.kind === 'group') {
    const members = groups.get(e.decl.name.text) ?? [];
    const foreign = members.filter((n) => resolution.names.get(n)?.kind === 'external');
    const device = members.find((n) => resolution.devices.has(n));
    if (foreign.length > 0) {
      sink.report(Codes.announceNotOurs, t.span, `group \`${t.text}\` contains external \`${foreign[0]}\`, which is not ours to announce`, {
        hint: 'announce a group of our own segments and hosts only',
      });
    } else if (device !== undefined) {
      sink.report(Codes.announceNotOurs, t.span, `group \`${t.text}\` contains device \`${device}\`, which is not announced: a device's own addresses are our routing's, not an external's`, {
        hint: 'announce a group of our own segments and hosts only',
      });
    }
  }
}
