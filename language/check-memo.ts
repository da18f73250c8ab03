// What one analysis's checks keep for the next analysis of the same intent: the language server
// checks the whole intent again on every keystroke, while an edit changes a declaration or two.
// The incremental parser (lsp/incremental-parse.ts) keeps the AST objects of the text an edit did
// not touch (a policy block is a chunk of its own), so an object seen again is unchanged text.
// The CLI passes no memo.
//
// Two kinds of replay, both only of outcomes that are certain to be the same:
//
// - Per policy (families, devices, usage): what a policy's rules produced is kept by the policy
//   object and replayed while no name its rules use has changed. A name has changed when its
//   declaration is another object than in the last analysis (or it appeared or went), or when a
//   name it reaches has: a group through its members, a service through the services it names,
//   a host through its segment. Those are every way a rule's families, the devices its groups
//   hold, and the declarations it keeps in use depend on other declarations. A policy whose rules
//   reported anything is always checked again (a report's message may name a place that moved).
// - Whole checks that read no policy, assertion or `manage` line (addresses, NAT, platforms,
//   values, secrets): skipped while every declaration they may read is the same object, in the
//   same order, each name is of the same kind (a policy's own content is not read by them), the
//   files are the same, and the check reported nothing the last time.

import type { PolicyDecl } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { isServiceReference, type NamedEntity, type Resolution } from './resolve.js';

/** The checks run per policy. */
export type PolicyCheck = 'families' | 'devices' | 'usage';

/** The checks that read no policy, assertion or `manage` line. */
export type NetworkCheck = 'addresses' | 'nat' | 'platforms' | 'values' | 'secrets';

interface Snapshot {
  /** The declaration behind each name and device id (see identity). */
  identities: Map<string, object>;
  /** Each name's kind, and `device` for device ids. */
  kinds: Map<string, string>;
  /** What the network checks read, flattened (see networkInputs). */
  network: unknown[];
}

export class CheckMemo {
  private last: Snapshot | undefined;
  private quiet = new Set<NetworkCheck>();
  private kept = new Map<PolicyCheck, Map<PolicyDecl, unknown>>();
  // The analysis under way: committed by `end`, so that one that threw leaves the last
  // completed analysis's memo as it was.
  private next: Snapshot | undefined;
  private nextQuiet = new Set<NetworkCheck>();
  private nextKept = new Map<PolicyCheck, Map<PolicyDecl, unknown>>();
  private changed = new Set<string>();
  private replayable = false;
  private sameNetwork = false;

  /** The resolution is complete: what changed since the last analysis. */
  begin(resolution: Resolution): void {
    const identities = new Map<string, object>();
    const kinds = new Map<string, string>();
    for (const [name, entity] of resolution.names) {
      identities.set(name, identity(name, entity));
      kinds.set(name, entity.kind);
    }
    for (const [id, device] of resolution.devices) {
      identities.set(id, device.decl);
      kinds.set(id, 'device');
    }
    const network = networkInputs(resolution);
    this.next = { identities, kinds, network };
    this.nextQuiet = new Set();
    this.nextKept = new Map();
    this.changed = new Set();
    const last = this.last;
    this.replayable = last !== undefined;
    this.sameNetwork = false;
    if (!last) return;
    let sameKinds = kinds.size === last.kinds.size;
    for (const [name, id] of identities) {
      if (last.identities.get(name) === id) continue;
      this.changed.add(name);
      if (last.kinds.get(name) !== kinds.get(name) || kinds.get(name) !== 'policy') sameKinds = false;
    }
    for (const name of last.identities.keys()) {
      if (!identities.has(name)) {
        this.changed.add(name);
        sameKinds = false;
      }
    }
    this.sameNetwork = sameKinds && sameList(network, last.network);
    if (this.changed.size > 0) this.spread(resolution);
  }

  /** A change reaches the groups, services and hosts that name what changed. */
  private spread(resolution: Resolution): void {
    const namedBy = new Map<string, string[]>();
    const edge = (used: string, by: string): void => {
      const list = namedBy.get(used);
      if (list) list.push(by);
      else namedBy.set(used, [by]);
    };
    for (const g of resolution.groups) for (const m of g.members) edge(m.text, g.name.text);
    for (const s of resolution.services) for (const item of s.items) if (isServiceReference(item)) edge(item.protocol.text, s.name.text);
    for (const h of resolution.hosts) edge(h.segment.text, h.name.text);
    const work = [...this.changed];
    while (work.length > 0) {
      for (const by of namedBy.get(work.pop()!) ?? []) {
        if (this.changed.has(by)) continue;
        this.changed.add(by);
        work.push(by);
      }
    }
  }

  /** Whether the network check may be skipped: it would report nothing again. */
  skips(check: NetworkCheck): boolean {
    if (!this.sameNetwork || !this.quiet.has(check)) return false;
    this.nextQuiet.add(check);
    return true;
  }

  /** The network check ran: whether it reported anything. */
  ran(check: NetworkCheck, reported: boolean): void {
    if (!reported) this.nextQuiet.add(check);
  }

  /** What `check` kept for `policy` in the last analysis, if none of the names its rules use changed. */
  replay<T>(check: PolicyCheck, policy: PolicyDecl): T | undefined {
    if (!this.replayable) return undefined;
    const value = this.kept.get(check)?.get(policy);
    if (value === undefined) return undefined;
    if (this.changed.size > 0) {
      const names = namesUsed(policy);
      for (const name of this.changed) if (names.has(name)) return undefined;
    }
    this.keep(check, policy, value);
    return value as T;
  }

  /** What `check` produced for `policy` (undefined: nothing to replay). */
  keep(check: PolicyCheck, policy: PolicyDecl, value: unknown): void {
    if (value === undefined) return;
    let map = this.nextKept.get(check);
    if (!map) this.nextKept.set(check, (map = new Map()));
    map.set(policy, value);
  }

  /** The analysis completed: what it kept replaces the last one's. */
  end(): void {
    this.last = this.next;
    this.quiet = this.nextQuiet;
    this.kept = this.nextKept;
    this.next = undefined;
    this.nextQuiet = new Set();
    this.nextKept = new Map();
  }
}

/**
 * The declaration object a name stands for. A policy's entity is a copy made by the resolver on
 * every run; its rules are the parsed policy's own list. A contract party's part (`PARTY.NAME`)
 * is made anew on every run too: it counts as changed every time.
 */
function identity(name: string, entity: NamedEntity): object {
  if (entity.kind === 'policy') return entity.decl.rules;
  if (entity.kind === 'external' && name.includes('.')) return {};
  return entity.decl;
}

/** Every declaration (and file) a network check may read, flattened in order. */
function networkInputs(r: Resolution): unknown[] {
  const out: unknown[] = [r.network, r.routing];
  for (const f of r.files) out.push(f.path);
  out.push(...r.pools, ...r.sites, ...r.segments, ...r.hosts, ...r.groups, ...r.externals, ...r.services, ...r.secrets, ...r.survives);
  for (const l of r.links) out.push(l.decl, l.site);
  for (const d of r.devices.values()) out.push(d.id, d.decl);
  return out;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The names a policy's rules use (kept by the policy object: its text does not change). */
const used = new WeakMap<PolicyDecl, Set<string>>();

function namesUsed(policy: PolicyDecl): Set<string> {
  let names = used.get(policy);
  if (names) return names;
  names = new Set();
  for (const rule of policy.rules) {
    for (const t of rule.sources) names.add(t.text);
    for (const t of rule.destinations) names.add(t.text);
    for (const t of rule.services) names.add(t.text);
  }
  used.set(policy, names);
  return names;
}

/** Runs a network check, or skips it where the memo says it would report nothing again. */
export function networkCheck(memo: CheckMemo | undefined, check: NetworkCheck, sink: DiagnosticSink, run: () => void): void {
  if (!memo) return run();
  if (memo.skips(check)) return;
  const before = sink.items.length;
  run();
  memo.ran(check, sink.items.length > before);
}
