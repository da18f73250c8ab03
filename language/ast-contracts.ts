// The syntax tree of `contract` and `implements` blocks (language/parse-contracts.ts), part of
// the tree of ast.ts, which re-exports it.

import type { DeviceRef, ExternalAnnounce, ExternalPassword, Token } from './ast.js';
import type { Span } from './diagnostic.js';

/**
 * `[export] contract NAME ["desc"] { ... }`: an interconnect two parties agree on. Kept apart from
 * `declarations`: a contract declares no name of the intent's namespace, and an `implements`
 * turns it into an external of the implementing intent (language/contracts.ts).
 */
export interface ContractDecl {
  kind: 'contract';
  exported?: Token;
  name: Token;
  description?: Token;
  items: ContractItem[];
  span: Span;
}

export type ContractItem = ContractParty | ContractMeet | ContractAnnounces | ContractOffers;

/** `party NAME asn N` */
export interface ContractParty {
  kind: 'party';
  name: Token;
  asn: Token;
  span: Span;
}

/** One side of a `meet` line: the party and its address (the first side's with its length). */
export interface MeetSide {
  party: Token;
  address: Token;
}

/** `meet PARTY ADDR/LEN, PARTY ADDR [vlan N]` */
export interface ContractMeet {
  kind: 'meet';
  first: MeetSide;
  second: MeetSide;
  vlan?: Token;
  span: Span;
}

/**
 * `PARTY announces [NAME] PREFIX, ...`: a prefix may carry a name, which offers' `at` and `to`
 * and the other party's intent (`PARTY.NAME`) use for it.
 */
export interface ContractAnnounces {
  kind: 'announces';
  party: Token;
  prefixes: Token[];
  /** The name of each prefix, index for index (undefined: unnamed). */
  names: (Token | undefined)[];
  span: Span;
}

/** `PARTY offers SERVICE, ... [at PREFIX|ADDR|NAME, ...] [to PREFIX|ADDR|NAME, ...]` (a name: an announcement's). */
export interface ContractOffers {
  kind: 'offers';
  party: Token;
  services: Token[];
  at: Token[];
  to: Token[];
  span: Span;
}

/** `implements CONTRACT as PARTY { attach DEVICE; announce REF, ...; [password SECRET] }` */
export interface ImplementsDecl {
  kind: 'implements';
  contract: Token;
  party: Token;
  items: ImplementsItem[];
  span: Span;
}

export type ImplementsItem = ImplementsAttach | ExternalAnnounce | ExternalPassword;

/** `attach DEVICE`: where the meeting point is, on our side (the addresses are the contract's). */
export interface ImplementsAttach {
  kind: 'attach';
  device: DeviceRef;
  span: Span;
}
