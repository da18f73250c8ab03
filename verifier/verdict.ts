// The verifier's results: verdicts with counterexamples, the concrete packet and its trace.
// Shared by the CLI (reports), the language server and the emulator (replays packets).

import type { Diagnostic, Span } from '../language/diagnostic.js';
import type { AssertionModel, NextHopModel, RouteProtocol } from '../compiler/model.js';

export type TcpFlag = 'syn' | 'ack' | 'rst' | 'fin';

/** One concrete packet. Ports only for TCP/UDP, the ICMP type only for ICMP/ICMPv6. */
export interface Packet {
  family: 4 | 6;
  source: string;
  destination: string;
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
  icmpType?: number;
  /** TCP only, sorted; filters look only at whether ACK or RST is set. */
  tcpFlags?: TcpFlag[];
}

/**
 * Where a packet enters the network: a device and the interface it arrives by; the interface is
 * empty (`''`) for a packet the device originates itself (a device as an assertion's source).
 */
export interface Ingress {
  device: string;
  interface: string;
}

/**
 * Where a decision is taken: the inbound or outbound filter of an interface, a firewall's zone
 * policy (forwarded packets), the device's local filter (packets to the device itself), uRPF
 * on the source of a packet entering by an interface, or connection state before any rule (an
 * unsolicited ICMP error on a device whose conntrack calls it invalid: verifier/conntrack.ts).
 */
export type FilterStage = 'in' | 'security' | 'out' | 'local' | 'urpf' | 'state';

/** One filter's decision about the packet at a hop. */
export interface FilterDecision {
  stage: FilterStage;
  /**
   * Filter name (`in`/`out`/`local`), `security` for a firewall's zone policy, the uRPF mode
   * (`strict`, `loose`) for `urpf`, or `conntrack` for `state`.
   */
  filter: string;
  /**
   * The number of the matching rule in its list, counted from 1 as every report shows it (`rule 2`
   * is the list's second rule); absent when no rule matched (the default action).
   */
  rule?: number;
  action: 'permit' | 'deny';
  /** True when a stateful device admitted the packet as the reply of a connection it admitted. */
  byState?: boolean;
  description: string;
  /** The intent line of the matching rule. */
  origin?: Span;
  /**
   * The matching rule in the configuration Plumb writes for the device (`plumb verify` adds it,
   * pipeline/native-rules.ts): the file as `plumb compile -o` lays it out, the line, and the
   * line's text, which carries the device's own sequence number or name for the rule.
   */
  config?: { file: string; line: number; text: string };
}

export interface Hop {
  device: string;
  ingress: string;
  egress?: string;
  /** The FIB entry used, with the next hop taken (one ECMP branch). */
  route?: { prefix: string; protocol: RouteProtocol; nextHop: NextHopModel };
  decisions: FilterDecision[];
  /** The address translations the device applied to the packet, in the order it applied them. */
  translations?: NatStep[];
}

/**
 * One address translation at a hop: the field's address (and port, where it changed) before and
 * after. `restore`: a reply translated back by the connection its first packet opened.
 */
export interface NatStep {
  field: 'source' | 'destination';
  kind: 'static' | 'pat' | 'restore';
  before: string;
  after: string;
  beforePort?: number;
  afterPort?: number;
  /** The translation's description (a restore: that of the translation it undoes). */
  description: string;
  origin?: Span;
}

export type TraceOutcome =
  | { kind: 'delivered'; device: string; interface: string; endpoints: string[] }
  | { kind: 'dropped'; device: string; stage: FilterStage }
  | { kind: 'no-route'; device: string }
  /** Routed by a discard route (StaticRouteModel.discard): dropped on purpose, not a black hole. */
  | { kind: 'discarded'; device: string; prefix: string }
  /** Addressed to the device itself, and admitted by its local filter (when it has one). */
  | { kind: 'to-device'; device: string }
  | { kind: 'lost'; device: string; interface: string }
  | { kind: 'loop'; device: string; interface: string }
  | { kind: 'same-segment'; endpoint: string };

/** One path of one packet (one ECMP branch), hop by hop. */
export interface Trace {
  packet: Packet;
  entry: Ingress;
  hops: Hop[];
  outcome: TraceOutcome;
  /** The packet as it ended (delivered, dropped, ...), when a device on the way translated it. */
  translated?: Packet;
}

export interface Counterexample {
  /** What went wrong, in one sentence. */
  summary: string;
  packet: Packet;
  /** The forward traces (every ECMP branch) of the packet. */
  traces: Trace[];
  /** The reply's traces, when the failure is about the reply. */
  reply?: { packet: Packet; traces: Trace[] };
  /**
   * A contract's "announces only its announcements" refuted: the session (device, neighbour
   * address) that advertises a prefix outside our announcements; `packet` is one the other party
   * could now send to that prefix.
   */
  announcement?: { device: string; neighbor: string; prefix: string };
}

/**
 * `vacuous`: the assertion is about no packet (its ends have no address family in common, or one
 * end has no addresses): neither proven nor refuted, and no failure.
 */
export type VerdictStatus = 'proven' | 'refuted' | 'unknown' | 'vacuous';

export interface Verdict {
  assertion: AssertionModel;
  status: VerdictStatus;
  /**
   * The address families the assertion was decided over: those in which both of its ends have
   * addresses ([4, 6], [4] when only IPv4 is shared, [] when vacuous). Set by the verifier.
   */
  families?: (4 | 6)[];
  /** Why a verdict is unknown (timeout, solver crash...) or vacuous, or a note on a proven one. */
  reason?: string;
  counterexample?: Counterexample;
  millis: number;
  /**
   * Under failures (verifier/failures.ts): the links and devices failed in the network of this
   * verdict (the refuting or undecided failure set; empty when proven under every set).
   */
  failed?: string[];
  /** Under failures: how many failure sets were proven (pruning leaves out those that cannot matter). */
  failureSets?: number;
}

export interface VerificationStats {
  assertions: number;
  proven: number;
  refuted: number;
  unknown: number;
  /** Assertions about no packet (status `vacuous`). */
  vacuous: number;
  /** Calls into Z3 (a batch of questions counts once; the screen's call for a batch counts, the fresh call for what it left does not). */
  queries: number;
  /** Time to start the Z3 workers (once per run). */
  startupMillis: number;
  totalMillis: number;
  workers: number;
  /** Workers restarted after a crash, an exhausted heap or a hang. */
  restarts: number;
  /** Under failures: per failure budget, how many assertions survive it; absent when none has one. */
  failures?: FailureStats[];
  /** Under failures: distinct failed networks re-converged and proven. */
  failedNetworks?: number;
}

/** `verify --failures N` and `under` clauses: per budget, how many assertions survive it. */
export interface FailureStats {
  /** `any 1 failure`, `failure of fra1.r1 -- fra1.r2`. */
  budget: string;
  survived: number;
  assertions: number;
}

export interface VerificationReport {
  verdicts: Verdict[];
  diagnostics: Diagnostic[];
  stats: VerificationStats;
}
