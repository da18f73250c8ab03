// The model of contracts (docs/federation.md): what an intent that implements a contract keeps of
// it (`NetworkModel.contracts`), and what the verifier adds to assertions to prove a side's
// guarantees and to assume the other side's (`AssertionModel.contract`, `scope`, `assumes`).
// Part of the NetworkModel (compiler/model.ts re-exports every type here).

import type { Span } from '../language/diagnostic.js';
import type { ServiceModel } from './model.js';

/** One `implements` of a contract: this intent's party (`us`) and the other (`them`). */
export interface ContractModel {
  /** The contract's name as this intent names it (qualified when imported: `shared.frankfurt`). */
  name: string;
  us: ContractPartyModel;
  them: ContractPartyModel;
  /** The endpoint (an external) that stands for the other party in this model: `them.name`. */
  external: string;
  /** The `meet` line: the peering subnet's two addresses (ours with its length) and VLAN. */
  meet: { ours: string; theirs: string; prefixLength: number; vlan?: number; origin: Span };
  /** The contract's header line (`contract NAME { ...`), in the contract's own file. */
  origin: Span;
  /** This intent's `implements` line. */
  implementsOrigin: Span;
}

export interface ContractPartyModel {
  /** The party's name in the contract (`party NAME asn N`). */
  name: string;
  asn: number;
  /** The `party` line. */
  origin: Span;
  /** What it may announce and send from: canonical prefixes, sorted (`NAME announces P, ...`). */
  announces: string[];
  /** The `announces` line. */
  announcesOrigin: Span;
  /** What it offers the other party, in source order (`NAME offers SVC, ... [at P, ...] [to P, ...]`). */
  offers: ContractOfferModel[];
}

/** `NAME offers SERVICE, ... [at PREFIX, ...] [to PREFIX, ...]`: the other party may open these connections. */
export interface ContractOfferModel {
  /** The services, resolved in the contract's own module. */
  services: ServiceModel[];
  /** Their names as written (for reports). */
  serviceNames: string[];
  /** Destinations on the offering side: canonical prefixes, sorted (default: its `announces`). */
  at: string[];
  /** Sources on the other side allowed to connect: canonical prefixes, sorted (default: the other's `announces`). */
  to: string[];
  /** The line as written, without its comment (`datahub offers ingest to 10.20.1.0/24`). */
  text: string;
  origin: Span;
}

export type ContractGuarantee = 'offers' | 'accepts-only-offered' | 'sends-only-announced' | 'no-transit' | 'announces-only';

/** Packets with source within `sources`, destination within `destinations`, of the services (prefixes; absent: any). */
export interface PacketBox {
  sources?: string[];
  destinations?: string[];
  services: ServiceModel[];
}

export interface AssertionScope {
  sources?: string[];
  destinations?: string[];
  except?: PacketBox[];
  opening?: true;
}

export interface AssumedOffers {
  contract: string;
  /** The other party, and the external that stands for it. */
  party: string;
  external: string;
  /** Its `party` line (where "it offers nothing" is said). */
  origin: Span;
  /** Its offers: sources (`to`), destinations (`at`) and services, with the line as written. */
  offers: (PacketBox & { text: string; origin: Span })[];
}
