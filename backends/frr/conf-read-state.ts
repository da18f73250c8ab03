// The state shared by the frr.conf reader's parts (conf-read.ts walks the lines; the
// conf-read-*.ts files handle one job's commands each and assemble that job's model).

import { diagnostic, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { BgpModel, OspfModel, StaticRouteModel } from '../../compiler/model.js';
import { formatAddress, parseAddress } from '../../language/address.js';
import { lineSpan, wordSpan, type ConfigLine } from '../config-text.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { References } from '../references.js';
import type { ReadSecret } from '../backend.js';

export interface FrrConfRead {
  hostname?: string;
  routerId?: string;
  staticRoutes: StaticRouteModel[];
  ospf?: OspfModel;
  bgp?: BgpModel;
  /** The interfaces in OSPF, with the area line of each version (checked in read.ts). */
  ospfInterfaces: {
    name: string;
    v2?: Span;
    v3?: Span;
    /** Each version's `network point-to-point` line. */
    p2p: { v2?: Span; v3?: Span };
    span: Span;
  }[];
  diagnostics: Diagnostic[];
  /** The keys the file holds (conf-secrets.ts). */
  secrets?: ReadSecret[];
}

export type Block = 'top' | 'interface' | 'route-map' | 'ospf' | 'ospf6' | 'bgp' | 'af';
export const PARENT: Record<Block, Block | undefined> = {
  top: undefined,
  interface: 'top',
  'route-map': 'top',
  ospf: 'top',
  ospf6: 'top',
  bgp: 'top',
  af: 'bgp',
};

export interface OspfIf {
  area?: boolean;
  /** The `ip ospf area 0` / `ipv6 ospf6 area 0` line. */
  areaSpan?: Span;
  /** The `... network point-to-point` line. */
  p2p?: Span;
  cost?: number;
  passive?: boolean;
  span: Span;
}
export interface RouteMapClause {
  action: 'permit' | 'deny';
  seq: number;
  matches: { family: 4 | 6; list: string; span: Span }[];
  /** `set ipv6 next-hop prefer-global`. */
  preferGlobal?: Span;
  span: Span;
}
export interface NeighborDraft {
  address: string;
  remoteAs?: number;
  description: string;
  external?: string;
  origin?: Span;
  span: Span;
  maps: { dir: 'in' | 'out'; map: string; af: string; span: Span }[];
  activeIn: Set<string>;
  inactiveIn: Set<string>;
  /** The `neighbor X activate` line of each address family. */
  activated: Map<string, Span>;
  /** `neighbor X ttl-security hops N`. */
  ttlSecurity?: number;
  /** `neighbor X maximum-prefix N`, with the address family it is in. */
  maxPrefixes?: { value: number; af: string; span: Span };
}

export const REDIST = ['static', 'bgp', 'connected'] as const;

interface OspfDraft {
  routerId?: string;
  redistribute: { protocol: (typeof REDIST)[number]; map: string; span: Span }[];
  def: boolean;
}

export interface BgpDraft {
  asn: number;
  routerId?: string;
  neighbors: Map<string, NeighborDraft>;
  networks: Set<string>;
  /** FRR's `bgp default ipv4-unicast` (on unless turned off): every session carries IPv4. */
  defaultIpv4: boolean;
  /** The `bgp log-neighbor-changes` line. */
  logNeighborChanges?: Span;
  span: Span;
}

/** Everything read so far, and where in the file's blocks the reader is. */
export interface ReaderState {
  result: FrrConfRead;
  err: (
    code: DiagnosticCode,
    span: Span,
    message: string,
    hint?: string,
    severity?: 'error' | 'warning',
  ) => void;
  ifs: Map<string, { v4: OspfIf; v6: OspfIf }>;
  prefixLists: Map<string, { prefixes: string[]; span: Span }>; // key: `4 NAME` / `6 NAME`
  routeMaps: Map<string, RouteMapClause[]>;
  /** Route-maps and prefix-lists, defined and used. */
  refs: References;
  ospf: { v4?: OspfDraft; v6?: OspfDraft };
  bgp: BgpDraft | undefined;
  neighborTags: Map<string, { external: string; origin: Span }>;
  routeOrigin: Span | undefined;
  block: Block;
  iface: { v4: OspfIf; v6: OspfIf } | undefined;
  clause: RouteMapClause | undefined;
  af: 'ipv4' | 'ipv6' | undefined;
}

export function newReaderState(): ReaderState {
  const diagnostics: Diagnostic[] = [];
  return {
    result: { staticRoutes: [], ospfInterfaces: [], diagnostics },
    err: (code, span, message, hint, severity = 'error') =>
      void diagnostics.push(diagnostic(code, span, message, { severity, hint })),
    ifs: new Map(),
    prefixLists: new Map(),
    routeMaps: new Map(),
    refs: new References(),
    ospf: {},
    bgp: undefined,
    neighborTags: new Map(),
    routeOrigin: undefined,
    block: 'top',
    iface: undefined,
    clause: undefined,
    af: undefined,
  };
}

/** Word `k` of the line as an IPv4 address; reports R902 and gives undefined when it is not one. */
export function ipv4At(state: ReaderState, line: ConfigLine, t: string[], k: number): string | undefined {
  const a = t[k] !== undefined ? parseAddress(t[k]!) : undefined;
  if (a?.family === 4) return formatAddress(a);
  state.err(
    Codes.readerMalformedValue,
    t[k] !== undefined ? wordSpan(line, line.words[k]!) : lineSpan(line),
    `\`${t[k] ?? ''}\` is not an IPv4 address`,
  );
  return undefined;
}
