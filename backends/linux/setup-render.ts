// setup.sh: a device's addresses, its kernel routes (linux) and forwarding, as iproute2 batch
// commands. Every command is a `replace` or a `set`, so the script is safe to re-run. Comments
// carry what iproute2 has no place for (interface roles, peers, origins), in a form
// setup-read.ts parses back. User text (descriptions, the intent's name, paths in origin tags)
// goes through text.ts; names are checked by render-guard.ts before anything is written.

import type { DeviceModel, InterfaceModel, NetworkModel, StaticRouteModel } from '../../compiler/model.js';
import { formatOriginTag, keepSpanValues, sameSpanValues, type SpanValues } from '../origin-tag.js';
import { aliasText, commentText } from './text.js';
import { sortStaticRoutes } from '../canonical.js';
import { ipv4PrefixOrder } from '../../language/address.js';
import { vlanCommand } from './vlan.js';

export interface SetupOptions {
  /** Write the static routes as kernel routes (linux); an frr device's zebra installs them instead. */
  routes: boolean;
  /** Record `routerId` in a comment (linux has no routing daemon to give it to). */
  routerIdComment: boolean;
}

export const SETUP_FILE = 'setup.sh';
export const BATCH_END = 'PLUMB_EOF';

export function renderSetup(device: DeviceModel, model: NetworkModel, options: SetupOptions): string {
  const out: string[] = [
    '#!/bin/sh',
    `# Addresses${options.routes ? ', routes' : ''} and forwarding of ${device.id} (${device.platform} ${device.role}),`,
    `# compiled by Plumb from the intent "${commentText(model.name)}". Safe to re-run: every command`,
    '# replaces what it sets. Edits are lost when the intent is compiled again.',
    `# device ${device.id} @ ${formatOriginTag(device.origin)}`,
  ];
  if (options.routerIdComment && device.routerId !== undefined) out.push(`# router-id ${device.routerId}`);
  out.push(
    'set -eu',
    ...vlanDevices(device.interfaces),
    'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1',
    RP_FILTER_OFF,
    ...ipv6Switches(device.interfaces),
    ...rpFilters(device.interfaces),
    `ip -batch - <<'${BATCH_END}'`,
  );
  for (const ifc of device.interfaces) interfaceCommands(ifc, out);
  if (!options.routes) {
    out.push(BATCH_END, '');
    return out.join('\n');
  }
  return `${out.join('\n')}${routeCommands(device.staticRoutes)}\n${BATCH_END}\n`;
}

/** Whether the model gives the interface IPv6: an IPv6 address or a link-local address. */
export function hasIpv6(ifc: InterfaceModel): boolean {
  return ifc.linkLocal !== undefined || ifc.addresses.some((a) => a.includes(':'));
}

/** The prefix every link-local address is in; `address flush ... to` it removes IPv6 ones only. */
export const LINK_LOCAL_FLUSH = 'fe80::/10';

/**
 * `sysctl` name of an interface's `disable_ipv6`: sysctl(8) separates the key's parts with
 * dots, so a dot in an interface name (a VLAN, `eth1.100`) is written as a slash.
 */
export function disableIpv6Key(name: string): string {
  return `net.ipv6.conf.${name.replaceAll('.', '/')}.disable_ipv6`;
}

/**
 * IPv6 on exactly the interfaces the model gives it: off (`disable_ipv6=1`: no address, not
 * even the kernel's automatic link-local, and no IPv6 packet in or out) on every other one;
 * on (`=0`) explicitly on these, so that a re-run after the intent changed turns it back on.
 * The loopback is left alone: its `::1` never leaves the host.
 */
function ipv6Switches(interfaces: InterfaceModel[]): string[] {
  return interfaces
    .filter((i) => i.role !== 'loopback')
    .map((i) => `sysctl -qw ${disableIpv6Key(i.name)}=${hasIpv6(i) ? 0 : 1}`);
}

/**
 * The kernel's IPv4 reverse-path check is the larger of `all` and the interface's own
 * `rp_filter`: `all` and `default` (for interfaces made later) are 0, so each interface's own
 * value decides.
 */
export const RP_FILTER_OFF = 'sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0';

/** `rp_filter` of an interface: 1 strict, 2 loose, 0 no check (the model's `urpf`). */
export const RP_FILTER_VALUE = { strict: 1, loose: 2, none: 0 } as const;

/** `sysctl` name of an interface's `rp_filter` (a dot in the name written as a slash). */
export function rpFilterKey(name: string): string {
  return `net.ipv4.conf.${name.replaceAll('.', '/')}.rp_filter`;
}

function rpFilters(interfaces: InterfaceModel[]): string[] {
  return interfaces
    .filter((i) => i.role !== 'loopback')
    .map((i) => `sysctl -qw ${rpFilterKey(i.name)}=${RP_FILTER_VALUE[i.urpf ?? 'none']}`);
}

/**
 * The 802.1Q devices of the interfaces with a VLAN (their names are `PORT.N` by now: vlan.ts),
 * created when missing, and their ports up; before the sysctls, which need them to exist.
 */
function vlanDevices(interfaces: InterfaceModel[]): string[] {
  const out: string[] = [];
  for (const i of interfaces) {
    if (i.vlan === undefined || i.role === 'loopback') continue;
    const parent = i.name.slice(0, i.name.length - `.${i.vlan}`.length);
    out.push(vlanCommand(parent, i.name, i.vlan), `ip link set dev ${parent} up`);
  }
  return out;
}

function interfaceCommands(ifc: InterfaceModel, out: string[]): void {
  out.push(`# interface ${ifc.name} ${interfaceMeta(ifc)} @ ${formatOriginTag(ifc.origin)}`);
  if (ifc.description !== '') out.push(`# description ${commentText(ifc.description)}`);
  // The model's link-local replaces the kernel's: none generated from now on, and the one the
  // kernel made when the link came up (or this script's own, on a re-run) removed.
  if (ifc.linkLocal !== undefined)
    out.push(`link set dev ${ifc.name} addrgenmode none`, `address flush dev ${ifc.name} to ${LINK_LOCAL_FLUSH}`);
  out.push(`link set dev ${ifc.name} up`);
  const alias = aliasText(ifc.description);
  if (alias !== '') out.push(`link set dev ${ifc.name} alias "${alias}"`);
  for (const a of ifc.addresses) out.push(`address replace ${a} dev ${ifc.name}`);
  // `nodad`: usable at once (no tentative wait); fe80::1 and fe80::2 are unique on their link.
  if (ifc.linkLocal !== undefined) out.push(`address replace ${ifc.linkLocal}/64 dev ${ifc.name} nodad`);
}

export const META_KEYWORDS = ['to', 'segment', 'external', 'vlan'];

/**
 * `link to DEV IF`, `segment web`, `external internet`, `loopback`, then `vlan N`. A segment's or
 * external's own name follows its role directly unless it is one of the keywords.
 */
function interfaceMeta(ifc: InterfaceModel): string {
  const parts: string[] = [ifc.role];
  const own = ifc.role === 'segment' ? ifc.segment : ifc.role === 'external' ? ifc.external : undefined;
  const ownFirst = own !== undefined && !META_KEYWORDS.includes(own);
  if (ownFirst) parts.push(own);
  if (ifc.peer) parts.push('to', ifc.peer.device, ifc.peer.interface);
  if (ifc.segment !== undefined && !(ownFirst && ifc.role === 'segment')) parts.push('segment', ifc.segment);
  if (ifc.external !== undefined && !(ownFirst && ifc.role === 'external'))
    parts.push('external', ifc.external);
  if (ifc.vlan !== undefined) parts.push('vlan', String(ifc.vlan));
  return parts.join(' ');
}

/**
 * One `route replace` per prefix and distance; several next hops make one ECMP route. A discard
 * route is `route replace blackhole PREFIX`, alone: a blackhole has no next hops to share. Each
 * line starts with its line break. The lines are appended to one text piece by piece, flat texts
 * made once (RouteFrames, HopTexts) and shared by every line: a tree that the file's first reader
 * copies once, flat. Lines concatenated apart and joined in chunks (LineText) were copied twice,
 * through trees of their own.
 *
 * The model's routes come in setup.sh's order, each prefix once: the routes are written as they
 * come while each frame's prefix order (kept with the frame) is greater than the one before,
 * which proves the list sorted without reading each prefix again for `sortStaticRoutes`. The
 * first route that is not (a prefix again, one out of order, one not IPv4 as written) starts the
 * text again from the sorted list.
 */
function routeCommands(routes: StaticRouteModel[]): string {
  const hops = new HopTexts();
  let text = '';
  let before = -1;
  for (const r of routes) {
    const frame = routeFrames.of(r);
    if (frame.order <= before) return sortedRouteCommands(sortStaticRoutes(routes), hops);
    before = frame.order;
    orderedRoutes++;
    if (r.discard) {
      text += discardCommand(r);
      continue;
    }
    // nearly every route: `\n# route PREFIX`, HOP, ` @ TAG\nroute replace PREFIX`, HOP
    text += routeLines(frame, hops.of(r), r);
  }
  return text;
}

/** How many routes `routeCommands` wrote without sorting (for the tests, which must see both ways). */
let orderedRoutes = 0;
export function routesWrittenInOrder(): number {
  return orderedRoutes;
}

/** A one-hop route's two lines: `\n# route PREFIX`, HOP, ` @ TAG\nroute replace PREFIX`, HOP, then its metric. */
function routeLines(frame: RouteFrame, hop: string, r: StaticRouteModel): string {
  const metric = r.distance !== undefined ? ` metric ${r.distance}` : '';
  return frame.head + hop + frame.middle + hop + metric;
}

/** A discard route's two lines. */
function discardCommand(r: StaticRouteModel): string {
  const metric = r.distance !== undefined ? ` metric ${r.distance}` : '';
  return `\n# route ${r.prefix}${hopText(r)} @ ${formatOriginTag(r.origin)}\nroute replace ${BLACKHOLE_TYPE} ${r.prefix}${metric}`;
}

/** `routeCommands` of routes in setup.sh's order, a prefix and distance of several next hops grouped. */
function sortedRouteCommands(sorted: StaticRouteModel[], hops: HopTexts): string {
  let text = '';
  for (let i = 0; i < sorted.length;) {
    const first = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.prefix === first.prefix && sorted[j]!.distance === first.distance && !sorted[j]!.discard && !first.discard) j++;
    if (j - i === 1) {
      text += first.discard ? discardCommand(first) : routeLines(routeFrames.of(first), hops.of(first), first);
      i = j;
      continue;
    }
    const metric = first.distance !== undefined ? ` metric ${first.distance}` : '';
    for (let k = i; k < j; k++) {
      const r = sorted[k]!;
      text += `\n# route ${r.prefix}${hopText(r)} @ ${formatOriginTag(r.origin)}`;
    }
    let hopsText = '';
    for (let k = i; k < j; k++) hopsText += ` nexthop${hopText(sorted[k]!)}`;
    text += `\nroute replace ${first.prefix}${hopsText}${metric}`;
    i = j;
  }
  return text;
}

/** The text around a one-hop route's hop text: `\n# route PREFIX` before it, ` @ TAG\nroute replace PREFIX` after it. */
interface RouteFrame {
  span: SpanValues;
  prefix: string;
  head: string;
  middle: string;
  /** `ipv4PrefixOrder` of the prefix: -1 when not IPv4 as written. */
  order: number;
}

/**
 * Route frames by their origin's start offset, across devices: the routers of a large network
 * route to the same prefixes with the same origins (at 400 devices, 385,000 routes on 80 Linux
 * routers, 4,828 origins), and a frame looked up costs less than a tag formatted again. A frame is
 * used only for a route of the same prefix and an origin of the same values; cleared when full,
 * so that it never holds more than FRAMES_MAX.
 */
const FRAMES_MAX = 1 << 16;

class RouteFrames {
  private readonly frames = new Map<number, RouteFrame>();

  of(r: StaticRouteModel): RouteFrame {
    const origin = r.origin;
    const known = this.frames.get(origin.start.offset);
    if (known !== undefined && known.prefix === r.prefix && sameSpanValues(known.span, origin)) return known;
    const span: SpanValues = { file: '', startLine: 0, startColumn: 0, startOffset: 0, endLine: 0, endColumn: 0, endOffset: 0 };
    keepSpanValues(span, origin);
    // joined, not concatenated: flat strings, which every route's line then takes whole
    const frame = {
      span,
      prefix: r.prefix,
      head: ['\n# route ', r.prefix].join(''),
      middle: [' @ ', formatOriginTag(origin), '\nroute replace ', r.prefix].join(''),
      order: ipv4PrefixOrder(r.prefix),
    };
    if (this.frames.size >= FRAMES_MAX) this.frames.clear();
    this.frames.set(origin.start.offset, frame);
    return frame;
  }
}

const routeFrames = new RouteFrames();

/**
 * `hopText` of routes without `discard`, the last one kept: a router's routes mostly go through
 * the same next hop and interface, and its text is then made once for all of them.
 */
class HopTexts {
  private nextHop: string | undefined;
  private interface: string | undefined;
  private text: string | undefined;

  of(r: StaticRouteModel): string {
    if (this.text === undefined || r.nextHop !== this.nextHop || r.interface !== this.interface) {
      this.nextHop = r.nextHop;
      this.interface = r.interface;
      this.text = hopText(r);
      return this.text;
    }
    return this.text;
  }
}

/** The iproute2 route type of a discard route (StaticRouteModel.discard). */
export const BLACKHOLE_TYPE = 'blackhole';

function hopText(r: StaticRouteModel): string {
  // joined, not concatenated: a flat string (HopTexts gives it to every route of a router, twice)
  const parts: string[] = [];
  if (r.discard) parts.push(' ', BLACKHOLE_TYPE);
  if (r.nextHop !== undefined) parts.push(' via ', r.nextHop);
  if (r.interface !== undefined) parts.push(' dev ', r.interface);
  return parts.join('');
}
