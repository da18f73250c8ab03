// The SMT queries of the assertions. For each address family, one satisfiability question whose
// models are exactly the counterexamples:
//   reach:   a packet of the flow that some path drops (or loses, or loops), or whose reply some
//            path drops; with `via D`, or a delivered packet on a path that avoids D;
//   isolate: a packet of the flow that some path delivers.
// An assertion's `scope` narrows the flow's packets (scope.ts); a `reach` that `assumes` the
// offers of a contract's other party also fails for a packet to that party outside every offer.
// Paths are enumerated concretely (forwarding.ts); Z3 decides the header space along them.

import type { AssertionModel, AssertionScope } from '../compiler/model.js';
import { BITS, type Family } from '../language/address.js';
import { backToLeaf, finalDst, forwardingTree, pathTo, type ForwardingTree, type Leaf, type PathNode, type TreeOptions } from './forwarding.js';
import { intersect, isEmpty, prefixesToSet, subtract, union, type IntervalSet } from './intervals.js';
import { translates } from './nat.js';
import { everyForm, NodeTerms, replyRestores, seenAs } from './nat-terms.js';
import { FAMILIES, type NetIndex } from './netindex.js';
import { scopedAddresses, scopeFormulas, uncoveredFormula } from './scope.js';
import { and, GuardFunctions, inSet, not, or, packetDeclarations, serviceFormula, type PacketTerms } from './smt.js';
import type { Ingress } from './verdict.js';

export const FORWARD: PacketTerms = { src: 'src', dst: 'dst', proto: 'proto', sport: 'sport', dport: 'dport', icmp: 'icmp', est: 'est' };
const REPLY: PacketTerms = { src: 'dst', dst: 'src', proto: 'proto', sport: 'dport', dport: 'sport', icmp: 'ricmp', est: 'true' };
export const VALUE_NAMES = ['src', 'dst', 'proto', 'sport', 'dport', 'icmp', 'est'] as const;

export interface FamilyQuery {
  family: Family;
  /** The SMT-LIB section: declarations, definitions, the assertion, check-sat, get-value (run after a reset). */
  text: string;
  /** The section's declarations, definitions and assertions alone: the question, before its check-sat. */
  question: string;
  /**
   * The goal is false before any solving: no path can fail (reach) or deliver (isolate) for the
   * flow's addresses and services, so the question is unsatisfiable and needs no solver.
   */
  unsatisfiable: boolean;
}

/** The flow of an assertion with `any` expanded, and the assertion's scope. */
export interface ExpandedFlow {
  sources: string[];
  destinations: string[];
  scope?: AssertionScope;
}

export function expandFlow(idx: NetIndex, a: AssertionModel): ExpandedFlow {
  return { sources: idx.expand(a.sources), destinations: idx.expand(a.destinations), ...(a.scope ? { scope: a.scope } : {}) };
}

/** The addresses of one end of the flow, within the scope's prefixes. */
export function endAddresses(idx: NetIndex, flow: ExpandedFlow, end: 'sources' | 'destinations', family: Family): IntervalSet {
  const within = flow.scope?.[end];
  return flow[end].reduce<IntervalSet>((acc, n) => union(acc, scopedAddresses(idx, n, family, within)), []);
}

/** The families in which both ends of the flow have addresses (within its scope). */
export function familiesOf(idx: NetIndex, flow: ExpandedFlow): Family[] {
  return FAMILIES.filter((f) => !isEmpty(endAddresses(idx, flow, 'sources', f)) && !isEmpty(endAddresses(idx, flow, 'destinations', f)));
}

export function buildQuery(idx: NetIndex, a: AssertionModel, flow: ExpandedFlow, family: Family): FamilyQuery {
  const enc = new Encoder(idx, family, flow, a);
  const network = a.property === 'reach' ? enc.reachFailure(a.via) : enc.isolateLeak();
  // A reach to a contract's other party also fails for a packet that party does not offer.
  const goal = a.property === 'reach' && a.assumes ? or([network, uncoveredFormula(idx, a.assumes, FORWARD, family)]) : network;
  const scope = scopeFormulas(a.scope, FORWARD, family);
  const w = BITS[family];
  const service = serviceFormula(a.services, FORWARD, family);
  const lines = [
    ...packetDeclarations(family),
    // The reply of an ICMP echo request is an echo reply (ICMPv6: 128 -> 129).
    '(define-fun ricmp () (_ BitVec 8) (ite (= proto #x01) #x00 #x81))',
    '(define-fun has-reply () Bool (not (and (or (= proto #x01) (= proto #x3a)) (not (or (and (= proto #x01) (= icmp #x08)) (and (= proto #x3a) (= icmp #x80)))))))',
    ...enc.guards.definitions,
    ...enc.definitions,
    `(assert ${inSet('src', enc.srcAll, w)})`,
    `(assert ${inSet('dst', enc.dstAll, w)})`,
    `(assert ${service})`,
    ...scope.map((x) => `(assert ${x})`),
    // reach: the connection's first packet (TCP: a SYN, neither ACK nor RST).
    ...(a.property === 'reach' ? ['(assert (not est))'] : []),
    `(assert ${goal})`,
  ];
  const answer = [
    '(check-sat)',
    '(echo "@reason")',
    '(get-info :reason-unknown)',
    '(echo "@values")',
    `(get-value (${VALUE_NAMES.join(' ')}))`,
    '(echo "@end")',
  ];
  const question = lines.join('\n');
  return { family, text: `${question}\n${answer.join('\n')}`, question, unsatisfiable: goal === 'false' || service === 'false' || scope.includes('false') };
}

/** Leaves whose packets may be delivered: those that leave the network, and those to a device itself. */
const delivers = (leaf: Leaf): boolean => leaf.end.kind === 'exit' || leaf.end.kind === 'to-device';

const sharedTrees = new WeakMap<NetIndex, Map<string, ForwardingTree>>();
const MAX_SHARED_TREES = 20_000;

class Encoder {
  readonly guards: GuardFunctions;
  readonly definitions: string[] = [];
  readonly srcAll: IntervalSet;
  readonly dstAll: IntervalSet;
  private readonly w: number;
  private readonly permits = new Map<string, string>();
  private readonly replyFails = new Map<string, string>();

  /** The model translates addresses somewhere (docs/architecture.md, "NAT"). */
  private readonly nat: boolean;
  /** With NAT: per source, the destinations by which it sees the flow's destinations. */
  private readonly views = new Map<string, IntervalSet>();
  private readonly terms: NodeTerms;

  constructor(
    private readonly idx: NetIndex,
    private readonly family: Family,
    private readonly flow: ExpandedFlow,
    assertion: Pick<AssertionModel, 'property' | 'services'>,
  ) {
    this.w = BITS[family];
    this.nat = translates(idx.model.devices);
    this.srcAll = endAddresses(idx, flow, 'sources', family);
    this.dstAll = this.nat ? this.translatedDestinations(assertion) : endAddresses(idx, flow, 'destinations', family);
    // Filters judge translated packets too: no pruning of rules by the flow's addresses then.
    this.guards = new GuardFunctions(
      idx,
      family,
      this.nat
        ? {}
        : {
            f: { src: this.srcAll, dst: this.dstAll },
            r: { src: this.dstAll, dst: this.srcAll },
          },
    );
    this.terms = new NodeTerms(family, this.definitions, (n) => this.treeKeyOf(n), (n) => this.terms.at(n, 'f', FORWARD));
  }

  /** With NAT: reach is about each source's view of the destinations, isolate about every form of them (within the scope). */
  private translatedDestinations(a: Pick<AssertionModel, 'property' | 'services'>): IntervalSet {
    const within = this.flow.scope?.destinations;
    const scoped = (set: IntervalSet): IntervalSet => (within ? intersect(set, prefixesToSet(within, this.family)) : set);
    let all: IntervalSet = [];
    for (const source of this.flow.sources) {
      let view: IntervalSet = [];
      for (const dest of this.flow.destinations) {
        view = union(view, scoped(a.property === 'reach' ? seenAs(this.idx, this.family, source, dest, a.services) : everyForm(this.idx, this.family, dest)));
      }
      this.views.set(source, view);
      all = union(all, view);
    }
    return all;
  }

  reachFailure(via: string | undefined): string {
    const fails: string[] = [];
    for (const a of this.flow.sources) {
      const sa = this.idx.addresses(a, this.family);
      if (isEmpty(sa)) continue;
      const entries = this.idx.entries(a);
      if (entries.length === 0) fails.push(this.in('src', sa));
      for (const e of entries) {
        const same = this.sameSegment(e, 'src', 'dst');
        const leafFails: string[] = [];
        for (const leaf of this.tree(e, this.dstAll).leaves) {
          if (!delivers(leaf)) {
            leafFails.push(this.leafIn(leaf, leaf.dst, 'dst', FORWARD, 'f'));
            continue;
          }
          const good = backToLeaf(leaf, intersect(finalDst(leaf), this.deliverable(leaf, this.flow.destinations)));
          const bad = subtract(leaf.dst, good);
          if (!isEmpty(bad)) leafFails.push(this.leafIn(leaf, bad, 'dst', FORWARD, 'f'));
          if (isEmpty(good)) continue;
          const permit = this.permit(leaf.node, 'f', FORWARD, []);
          const avoids = via !== undefined && !pathTo(leaf.node).some((n) => n.device === via);
          const failure = avoids ? 'true' : or([not(permit), and([permit, 'has-reply', this.replyFailure(this.statefulOn(leaf.node), leaf)])]);
          leafFails.push(and([this.leafIn(leaf, good, 'dst', FORWARD, 'f'), failure]));
        }
        fails.push(and([this.in('src', sa), this.seenBy(a), not(same), or(leafFails)]));
        if (via !== undefined) fails.push(and([this.in('src', sa), same]));
      }
    }
    return or(fails);
  }

  isolateLeak(): string {
    const leaks: string[] = [];
    for (const a of this.flow.sources) {
      const sa = this.idx.addresses(a, this.family);
      if (isEmpty(sa)) continue;
      for (const e of this.idx.entries(a)) {
        const same = this.sameSegment(e, 'src', 'dst');
        const delivered: string[] = [];
        for (const leaf of this.tree(e, this.dstAll).leaves) {
          if (!delivers(leaf)) continue;
          const good = backToLeaf(leaf, intersect(finalDst(leaf), this.deliverable(leaf, this.flow.destinations)));
          if (isEmpty(good)) continue;
          delivered.push(and([this.leafIn(leaf, good, 'dst', FORWARD, 'f'), this.permit(leaf.node, 'f', FORWARD, [])]));
        }
        leaks.push(and([this.in('src', sa), this.seenBy(a), or([same, or(delivered)])]));
      }
    }
    return or(leaks);
  }

  /**
   * The reply (entering at the destination's side) fails on some path, given the state. A reply
   * of a forward path that translated answers the packet as it arrived, and is translated back
   * where the forward packet was: one question per such path.
   */
  private replyFailure(state: readonly string[], forward: Leaf): string {
    const translated = forward.src !== undefined || forward.final !== undefined;
    const key = `${state.join('\u0000')}${translated ? `\u0000${this.treeKeyOf(forward.node)}` : ''}`;
    const known = this.replyFails.get(key);
    if (known !== undefined) return known;
    const role = `r${this.replyFails.size}`;
    const arrived = translated ? this.terms.at(forward.node, 'f', FORWARD) : FORWARD;
    const base: PacketTerms = translated ? { src: arrived.dst, dst: arrived.src, proto: 'proto', sport: arrived.dport, dport: arrived.sport, icmp: 'ricmp', est: 'true' } : REPLY;
    const options: TreeOptions | undefined = translated ? { restores: replyRestores(this.idx, forward.node) } : undefined;
    const replyDst = translated ? (forward.src ?? this.srcAll) : this.srcAll;
    // The reply's source: the destination the forward packet arrived with.
    const from = (set: IntervalSet): string => (translated ? inSet(base.src, set, this.w) : this.in('dst', set));
    const fails: string[] = [];
    for (const b of this.flow.destinations) {
      const sb = this.idx.addresses(b, this.family);
      if (isEmpty(sb)) continue;
      const entries = this.idx.entries(b);
      if (entries.length === 0) fails.push(from(sb));
      for (const e of entries) {
        const same = this.sameSegment(e, 'dst', 'src');
        const leafFails: string[] = [];
        for (const leaf of this.tree(e, replyDst, options ?? 'reply').leaves) {
          if (!delivers(leaf)) {
            leafFails.push(this.leafIn(leaf, leaf.dst, 'src', base, role));
            continue;
          }
          const good = backToLeaf(leaf, intersect(finalDst(leaf), this.deliverable(leaf, this.flow.sources)));
          const bad = subtract(leaf.dst, good);
          if (!isEmpty(bad)) leafFails.push(this.leafIn(leaf, bad, 'src', base, role));
          if (!isEmpty(good)) leafFails.push(and([this.leafIn(leaf, good, 'src', base, role), not(this.permit(leaf.node, role, base, state))]));
        }
        fails.push(and([from(sb), not(same), or(leafFails)]));
      }
    }
    const name = `reply-fails-${this.replyFails.size}`;
    this.definitions.push(`(define-fun ${name} () Bool ${or(fails)})`);
    this.replyFails.set(key, name);
    return name;
  }

  /**
   * Destinations of a leaf that count as delivered to one of `endpoints`: at its exit, those of
   * the endpoints attached there; at a device (past its local filter), that device's own
   * addresses when it is one of them.
   */
  private deliverable(leaf: Leaf, endpoints: readonly string[]): IntervalSet {
    const end = leaf.end;
    if (end.kind === 'to-device') return endpoints.includes(end.device) && this.idx.isDevice(end.device) ? this.idx.ownAddresses(end.device, this.family) : [];
    if (end.kind !== 'exit') return [];
    let set: IntervalSet = [];
    for (const name of endpoints) {
      if (this.idx.isDevice(name)) continue;
      if (this.idx.entries(name).some((i) => i.device === end.device && i.interface === end.interface)) {
        set = union(set, this.idx.addresses(name, this.family));
      }
    }
    return set;
  }

  /** Both addresses in one segment attached at the entry: the packet crosses no device. */
  private sameSegment(e: Ingress, from: 'src' | 'dst', to: 'src' | 'dst'): string {
    return or(
      this.idx
        .attachedAt(e.device, e.interface)
        .filter((x) => x.kind === 'segment')
        .map((x) => {
          const set = this.idx.addresses(x.name, this.family);
          return isEmpty(set) ? 'false' : and([this.in(from, set), this.in(to, set)]);
        }),
    );
  }

  private tree(e: Ingress, dst: IntervalSet, options: TreeOptions | 'reply' = {}): ForwardingTree {
    // A reply's tree that translates back belongs to its forward path alone.
    if (options !== 'reply' && options.restores && options.restores.size > 0) return forwardingTree(this.idx, this.family, e, dst, options);
    // With NAT, source rules apply to the forward packets' sources (a reply's may be any).
    if (this.nat && options !== 'reply') return this.sharedTree(e, dst, `${this.srcAll.map(([l, h]) => `${l}-${h}`).join(',')}`, { src: this.srcAll });
    return this.sharedTree(e, dst, this.nat ? 'reply' : '', {});
  }

  private sharedTree(e: Ingress, dst: IntervalSet, extra: string, options: TreeOptions): ForwardingTree {
    // Trees depend only on the model, the entry and the destinations: assertions share them.
    let shared = sharedTrees.get(this.idx);
    if (!shared) sharedTrees.set(this.idx, (shared = new Map()));
    const key = `${this.family}\u0000${e.device}\u0000${e.interface}\u0000${dst.map(([l, h]) => `${l}-${h}`).join(',')}${extra ? `\u0000${extra}` : ''}`;
    let t = shared.get(key);
    if (!t) {
      t = forwardingTree(this.idx, this.family, e, dst, options);
      if (shared.size >= MAX_SHARED_TREES) shared.clear();
      shared.set(key, t);
    }
    return t;
  }

  /** "The packet passes every guard from the entry to this node", one definition per node. */
  private permit(node: PathNode, role: string, terms: PacketTerms, state: readonly string[]): string {
    const key = `${role}\u0000${this.treeKeyOf(node)}`;
    const known = this.permits.get(key);
    if (known !== undefined) return known;
    const parent = node.parent ? this.permit(node.parent, role, terms, state) : 'true';
    // Connection state admits a reply through the device's filters, never through uRPF.
    const byState = state.includes(node.device);
    // A device that leaves its own connections untracked decides their replies by its local filter.
    const untracked = byState && this.idx.device(node.device)?.ownConnectionsUntracked === true;
    const own = node.guards
      .filter((g) => !byState || g.stage === 'urpf' || g.stage === 'nat' || (untracked && g.stage === 'local'))
      .map((g) => this.guards.apply(g, this.nat ? this.terms.at('at' in g && g.at ? g.at : node, role, terms) : terms, terms === FORWARD ? 'f' : 'r'));
    const body = and([parent, ...own]);
    let name = body;
    if (body !== 'true' && body !== 'false' && own.length > 0) {
      name = `p${this.permits.size}`;
      this.definitions.push(`(define-fun ${name} () Bool ${body})`);
    }
    this.permits.set(key, name);
    return name;
  }

  private nodeKeys = new WeakMap<PathNode, string>();
  private treeKeyOf(node: PathNode): string {
    let k = this.nodeKeys.get(node);
    if (k === undefined) {
      k = `n${this.nodeKeyCount++}`;
      this.nodeKeys.set(node, k);
    }
    return k;
  }
  private nodeKeyCount = 0;

  private statefulOn(node: PathNode): string[] {
    return [...new Set(pathTo(node).map((n) => n.device).filter((d) => this.idx.device(d)?.stateful))].sort();
  }

  /**
   * The packet of a leaf has destinations in `set` (the leaf's coordinates): `v`, the forward
   * packet's 'src' or 'dst' that the tree's entry destination is, unless translations stand
   * between (a reply answering a translated packet, one translated back on the way).
   */
  private leafIn(leaf: Leaf, set: IntervalSet, v: 'src' | 'dst', base: PacketTerms, role: string): string {
    if (!this.nat) return this.in(v, set);
    return and([this.coordsIn(leaf, set, v, base, role), this.takes(leaf.node, role, base)]);
  }

  /** The packet takes the path to `node`: the translations' conditions on the way (which outcome of each). */
  private takes(node: PathNode, role: string, base: PacketTerms): string {
    const key = `${role}\u0000${this.treeKeyOf(node)}`;
    const known = this.paths.get(key);
    if (known !== undefined) return known;
    const parent = node.parent ? this.takes(node.parent, role, base) : 'true';
    const own = node.guards.filter((g) => g.stage === 'nat').map((g) => this.guards.apply(g, this.terms.at(g.at, role, base)));
    let name = and([parent, ...own]);
    if (own.length > 0 && name !== 'true' && name !== 'false') {
      const body = name;
      name = `path${this.paths.size}`;
      this.definitions.push(`(define-fun ${name} () Bool ${body})`);
    }
    this.paths.set(key, name);
    return name;
  }
  private readonly paths = new Map<string, string>();

  private coordsIn(leaf: Leaf, set: IntervalSet, v: 'src' | 'dst', base: PacketTerms, role: string): string {
    if (!leaf.coords && base.dst === v) return this.in(v, set);
    if (isEmpty(set)) return 'false';
    if (!leaf.coords) return inSet(base.dst, set, this.w);
    // Below a reply's destination restored: stated on that node's terms, with what arrived there.
    const coords = leaf.coords;
    let prev: PathNode | undefined = coords.parent;
    while (prev && prev.incoming === undefined) prev = prev.parent;
    const arrived = prev ? this.coordsIn({ ...leaf, coords: prev }, coords.incoming!, v, base, role) : this.coordsIn({ dst: [], node: leaf.node, end: leaf.end }, coords.incoming!, v, base, role);
    return and([inSet(this.terms.at(coords, role, base).dst, set, this.w), arrived]);
  }

  /** With NAT: the destination is one by which source endpoint `a` sees the flow's destinations. */
  private seenBy(a: string): string {
    const view = this.views.get(a);
    return view === undefined ? 'true' : this.in('dst', view);
  }

  /**
   * `v` (the forward packet's 'src' or 'dst') is in the set. The query asserts src in srcAll and
   * dst in dstAll, so only the part of the set inside them counts: none is false, all of them
   * true. That leaves out terms no packet of the query can satisfy, and shows a goal that is
   * false before solving.
   */
  private in(v: 'src' | 'dst', set: IntervalSet): string {
    const universe = v === 'src' ? this.srcAll : this.dstAll;
    const part = intersect(set, universe);
    if (isEmpty(part)) return 'false';
    if (isEmpty(subtract(universe, part))) return 'true';
    return inSet(v, part, this.w);
  }
}
