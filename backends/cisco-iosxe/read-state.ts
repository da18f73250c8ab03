// The IOS-XE reader's state: what the sections say, collected before the model is built (so
// that references may point forward), and the value parsers the reader's files share.

import type { InterfaceRole, StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { formatAddress, formatPrefix, network, parseAddress, type Prefix } from '../../language/address.js';
import type { ObjectGroup } from './acl-read.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textSpan, wordSpanAt } from '../config-text.js';
import { References } from '../references.js';
import { Reporter } from '../reporter.js';
import type { IosLine, Section } from './lines.js';
import { ipv4NetworkText } from './syntax.js';
import type { VtyDraft } from './vty.js';
import type { WrittenEntries } from './written-entries.js';

export type Family = 4 | 6;

export interface IfaceDraft {
  line: IosLine;
  name: string;
  /** The model's name when this subinterface stands for a tagged model interface. */
  modelName?: string;
  annotated: boolean;
  description: string;
  role?: InterfaceRole;
  peer?: { device: string; interface: string };
  segment?: string;
  external?: string;
  zone?: string;
  origin?: Span;
  vlan?: number;
  v4: string[];
  v6: string[];
  /** `ipv6 address FE80::N link-local`, with its line. */
  linkLocal?: [string, IosLine];
  /** `ipv6 nd ra suppress all`: no router advertisements. */
  raSuppressed: boolean;
  /** `ip ospf network point-to-point`, `ospfv3 network point-to-point`. */
  p2p2: boolean;
  p2p3: boolean;
  acl: Record<'in' | 'out', { 4?: [string, Span]; 6?: [string, Span] }>;
  ospf2: boolean;
  ospf3: boolean;
  /** `ip|ipv6 verify unicast source reachable-via MODE allow-default`, per family, with its line. */
  urpf: { 4?: ['strict' | 'loose', IosLine]; 6?: ['strict' | 'loose', IosLine] };
  cost2?: number;
  cost3?: number;
  /** `ip nat inside` or `ip nat outside`, with its line. */
  nat?: ['inside' | 'outside', IosLine];
}

export interface OspfDraft {
  line: IosLine;
  routerId?: string;
  passive: Set<string>;
  redistribute: { protocol: 'static' | 'bgp' | 'connected'; routeMap: string; span: Span }[];
  defaultOriginate: boolean;
}

export interface NeighborDraft {
  line: IosLine;
  address: string;
  remoteAs?: number;
  description: string;
  external?: string;
  origin?: Span;
  maps: { in?: [string, Span]; out?: [string, Span] };
  /** `neighbor A ttl-security hops N`. */
  ttlSecurity?: number;
  /** `neighbor A maximum-prefix N` in the session's address family, with the family. */
  maxPrefixes?: [number, Family, IosLine];
  /** The address families the neighbour is activated in (`neighbor A activate`), with the line. */
  activated: Map<Family, IosLine>;
}

export interface RouteMapEntry {
  action: 'permit' | 'deny';
  seq: number;
  lists: { family: Family; name: string; span: Span }[];
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function prefixText(p: Prefix): string {
  // IPv4 from the texts kept by network (syntax.ts): a router's route-map names thousands of
  // prefixes, the same ones as its neighbours'
  return p.family === 4 ? ipv4NetworkText(Number(p.value), p.length) : formatPrefix(network(p));
}

export function addressText(w: string | undefined, family?: Family): string | undefined {
  if (w === undefined) return undefined;
  const a = parseAddress(w);
  if (!a || (family !== undefined && a.family !== family)) return undefined;
  return formatAddress(a);
}

export function intOf(w: string | undefined, min: number, max: number): number | undefined {
  if (w === undefined || !/^\d+$/.test(w)) return undefined;
  const n = Number(w);
  return n >= min && n <= max ? n : undefined;
}

export class IosState {
  readonly reporter = new Reporter();
  hostname?: string;
  hostnameSpan?: Span;
  deviceOrigin?: Span;
  routerId?: string;
  /** `ipv6 unicast-routing`: the router forwards IPv6. */
  ipv6Routing = false;
  readonly groups = new Map<string, ObjectGroup>();
  readonly groupSections: Section[] = [];
  readonly interfaces: IfaceDraft[] = [];
  ospf2?: OspfDraft;
  ospf3?: OspfDraft;
  bgp?: { line: IosLine; asn: number; routerId?: string; neighbors: Map<string, NeighborDraft>; networks: Set<string>; noDefaultIpv4: boolean };
  readonly statics: StaticRouteModel[] = [];
  readonly aclSections: { section: Section; family: Family }[] = [];
  /** The vty lines and their access lists (vty.ts). */
  readonly vty: VtyDraft = { lines: [] };
  /**
   * Each prefix-list's entries, their prefixes only: a sequence number is checked where it is read
   * and nothing reads it later (at 400 devices the lists have 385,000 entries, an object each).
   * `written`: the block read in place whose entries these are, while they are that block's only.
   */
  readonly prefixLists = new Map<string, { line: IosLine; entries: Prefix[]; written: WrittenEntries | undefined }>();
  readonly routeMaps = new Map<string, RouteMapEntry[]>();
  /** The global `ip nat` lines, in order, and the standard access lists they may name (nat-read.ts). */
  readonly nat: { lines: Section[]; standard: Section[] } = { lines: [], standard: [] };
  /** Object-groups, ACLs, route-maps, prefix-lists, interfaces and neighbours: defined and used. */
  readonly refs = new References({
    namespaces: {
      'network object-group': 'object-group',
      'service object-group': 'object-group',
      'subinterface parent': 'interface',
    },
    hints: {
      'network object-group': 'Define it with `object-group network NAME` or fix the name.',
      'service object-group': 'Define it with `object-group service NAME` or fix the name.',
      'ip access-list': 'Define it with `ip access-list extended NAME` or fix the name.',
      'ipv6 access-list': 'Define it with `ipv6 access-list NAME` or fix the name.',
      'ip nat pool': 'Define it with `ip nat pool NAME A A prefix-length N` or fix the name.',
    },
  });

  constructor(readonly file: string) {}

  unknown(l: IosLine, what = 'line'): void {
    this.reporter.error(Codes.readerUnknownCommand, textSpan(l), `unsupported ${what} \`${l.text.trim()}\``, 'Plumb reads the IOS-XE subset it writes (docs/backends/cisco-iosxe.md).');
  }

  bad(l: IosLine, index: number, message: string): void {
    this.reporter.error(Codes.readerMalformedValue, wordSpanAt(l, index), message);
  }
}
