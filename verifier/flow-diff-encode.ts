// One side of a flow comparison: "a packet from endpoint A is delivered to endpoint B" in one
// NetworkModel, as SMT-LIB text over the verifier's packet fields, and the same question answered
// concretely by the simulator. The formula is the verifier's own reading of delivery (queries.ts,
// `isolate`): forwarding paths enumerated concretely from each of A's entries (forwarding.ts),
// every guard on a path as the first-match function of smt.ts, delivered when some path leaves by
// one of B's attachments with a destination of B, or when both addresses lie in a segment
// attached at the entry. No connection state: a flow is the first packet of a connection.

import type { NetworkModel } from '../compiler/model.js';
import { BITS, parseAddress, type Family } from '../language/address.js';
import { forwardingTree, pathTo } from './forwarding.js';
import { contains, intersect, isEmpty, type IntervalSet } from './intervals.js';
import type { NetIndex } from './netindex.js';
import { FORWARD } from './queries.js';
import { deliveredTo, netIndex, simulate } from './simulate.js';
import { and, GuardFunctions, inSet, or } from './smt.js';
import type { Packet } from './verdict.js';

/**
 * Whether `name` is an end of flows in the model: an endpoint, or a device (its own addresses:
 * what `manage` and the routing sessions let reach it, what it originates).
 */
export function isFlowEnd(idx: NetIndex, name: string): boolean {
  return idx.endpoint(name) !== undefined || idx.isDevice(name);
}

/** "Some path delivers the packet (src, dst, proto, …) from A to B" in one model. */
export interface DeliveryFormula {
  /** Function definitions the formula uses, every name starting with the side's prefix. */
  definitions: string[];
  formula: string;
}

/**
 * The delivery formula of A -> B in one family, for sources and destinations within `space`
 * when given (else all of A's and B's addresses). `prefix` names this side's functions, so that
 * two sides can share one script. Endpoints the model lacks deliver nothing ('false'). Rules
 * that cannot match inside the space are left out (smt.ts), so two sides whose filters differ
 * only outside it give the same text.
 */
export function deliveryFormula(
  idx: NetIndex,
  family: Family,
  source: string,
  destination: string,
  prefix: string,
  space: { src?: IntervalSet; dst?: IntervalSet } = {},
): DeliveryFormula {
  const w = BITS[family];
  const within = (set: IntervalSet, limit: IntervalSet | undefined): IntervalSet =>
    limit ? intersect(set, limit) : set;
  const sa = within(idx.addresses(source, family), space.src);
  const sb = within(idx.addresses(destination, family), space.dst);
  if (!isFlowEnd(idx, source) || !isFlowEnd(idx, destination) || isEmpty(sa) || isEmpty(sb))
    return { definitions: [], formula: 'false' };
  const guards = new GuardFunctions(idx, family, { f: { src: sa, dst: sb } });
  // An endpoint is reached where it attaches; a device, past its local filter (a to-device leaf).
  const toDevice = idx.isDevice(destination);
  const exits = new Set(toDevice ? [] : idx.entries(destination).map((e) => `${e.device}\u0000${e.interface}`));
  const delivered: string[] = [];
  for (const entry of idx.entries(source)) {
    const same = idx
      .attachedAt(entry.device, entry.interface)
      .filter((x) => x.kind === 'segment')
      .map((x) => {
        const set = idx.addresses(x.name, family);
        return isEmpty(set) ? 'false' : and([inSet('src', set, w), inSet('dst', set, w)]);
      });
    const paths: string[] = [];
    for (const leaf of forwardingTree(idx, family, entry, sb).leaves) {
      const reached = toDevice
        ? leaf.end.kind === 'to-device' && leaf.end.device === destination
        : leaf.end.kind === 'exit' && exits.has(`${leaf.end.device}\u0000${leaf.end.interface}`);
      if (!reached) continue;
      const good = intersect(leaf.dst, sb);
      if (isEmpty(good)) continue;
      const passes = pathTo(leaf.node).flatMap((n) => n.guards.map((g) => guards.apply(g, FORWARD, 'f')));
      // dst is in B (asserted once below): the leaf's part of B needs only its hull within B.
      paths.push(and([inSet('dst', hullWithin(good, sb), w), ...passes]));
    }
    delivered.push(or([...same, ...paths]));
  }
  // Within a given space the caller asserts it: the formula repeats only what is narrower.
  const formula = and([
    space.src ? 'true' : inSet('src', sa, w),
    space.dst ? 'true' : inSet('dst', sb, w),
    or(delivered),
  ]);
  return {
    definitions: guards.definitions.map((d) =>
      d.replace(/^\(define-fun g(\d+) /, `(define-fun ${prefix}g$1 `),
    ),
    formula: formula.replace(/\(g(\d+) src(?=[ )])/g, `(${prefix}g$1 src`),
  };
}

/**
 * The fewest intervals whose addresses within `universe` are exactly `part` (a subset of it):
 * neighbouring intervals of `part` join across gaps that hold nothing of `universe`. An
 * endpoint's addresses have a hole at every device address; this keeps those holes out of
 * each path's formula.
 */
export function hullWithin(part: IntervalSet, universe: IntervalSet): IntervalSet {
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of part) {
    const last = out[out.length - 1];
    if (last && isEmpty(intersect(universe, [[last[1] + 1n, lo - 1n]]))) last[1] = hi;
    else out.push([lo, hi]);
  }
  return out;
}

/** Whether the simulator delivers `packet` from A to B along some path from one of A's entries. */
export function deliversConcretely(
  model: NetworkModel,
  source: string,
  destination: string,
  packet: Packet,
): boolean {
  const idx = netIndex(model);
  const src = parseAddress(packet.source);
  if (!src || !isFlowEnd(idx, source) || !isFlowEnd(idx, destination)) return false;
  if (!contains(idx.addresses(source, src.family), src.value)) return false;
  return idx
    .entries(source)
    .some((ingress) =>
      simulate(model, packet, { ingress }).some((t) => deliveredTo(model, t, [destination])),
    );
}
