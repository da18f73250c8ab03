// Network address translation in the model (`DeviceModel.nat`): which interfaces of a device are
// inside and outside, and the translations of packets that cross between the two. Part of the
// NetworkModel (compiler/model.ts re-exports every type here); docs/architecture.md ("NAT", in
// "What a NetworkModel means") is the meaning the verifier, the simulator, the backends and the
// emulator share. The platform table says where in a hop each translation happens
// (language/platforms.ts, `nat`).

import type { Span } from '../language/diagnostic.js';

/** The two sides of a translating device. */
export type NatSide = 'inside' | 'outside';

/**
 * A device's translations. A packet *crosses from side A to side B* when it arrives by an
 * interface of side A and leaves by one of side B; an interface on neither side (and a packet
 * the device originates or receives itself) is never translated. Per crossing, at most one
 * translation rewrites the packet's source and at most one its destination: the first in
 * `translations` that applies to that address.
 */
export interface NatModel {
  /** Interface names, sorted; an interface is on one side at most. */
  inside: string[];
  outside: string[];
  /** In order of precedence (the compiler puts static translations before dynamic ones). */
  translations: NatTranslation[];
}

export type NatTranslation = StaticNat | SourcePat;

/**
 * A static 1:1 prefix translation, stateless in meaning and both ways: addresses of `real` on
 * `realSide` appear on the other side as the addresses of `mapped` with the same host bits
 * (`real` and `mapped` have the same length).
 *  - A packet crossing from `realSide` to the other side with its source in `real` gets it
 *    mapped into `mapped`;
 *  - a packet crossing from the other side to `realSide` with its destination in `mapped` gets
 *    it mapped back into `real`.
 * `realSide: 'inside'` says "ours appear to them as" (and, with one address and a service,
 * publishes a server); `realSide: 'outside'` says "theirs appear to us as" (a partner whose
 * addresses overlap ours).
 */
export interface StaticNat {
  kind: 'static';
  realSide: NatSide;
  /** Canonical prefixes of one family and one length. */
  real: string;
  mapped: string;
  /**
   * Only packets of one service are translated (a published server): on the way to `realSide`
   * those with this protocol and destination port `port` (rewritten to `realPort`), on the way
   * out those with this protocol and source port `realPort` (rewritten to `port`). Other packets
   * are not translated by this entry. Absent: every packet, ports kept.
   */
  service?: { protocol: 6 | 17; port: number; realPort: number };
  /** "web appears as 203.0.113.10 (https)", for traces and reports. */
  description: string;
  origin: Span;
}

/**
 * Dynamic source translation with ports (PAT, `overload`, `masquerade`): a packet crossing from
 * inside to outside with its source in `sources` gets the source `address` (the outside
 * interface's own address or a pool's); its source port is kept (the platforms keep it when no
 * other connection holds it, and the proofs are about one connection). Stateful in meaning: only
 * the replies of such connections are translated back (see "NAT" in docs/architecture.md); a
 * packet from outside to `address` opens nothing and is not translated.
 */
export interface SourcePat {
  kind: 'pat';
  /** Canonical prefixes, sorted. */
  sources: string[];
  /** One address (no length), of the family of `sources`. Pools of several addresses are not modelled yet. */
  address: string;
  description: string;
  origin: Span;
}
