// `<device>.cfg` (IOS-XE 17, the subset render.ts writes) → DeviceModel with `fib: []`. The
// interface sections are read-interface.ts's; routing, ACLs, zones, vty lines and keys have their
// own files, and what the router prints (a running configuration) is made readable first
// (read-running.ts).
// Strict: a line outside the subset, a value that does not parse, or a reference to an ACL,
// object-group, route-map or prefix-list that is not defined is an R95x diagnostic at the
// file, line and column. Order does not matter where IOS does not care (sections, object
// definitions); `! plumb` annotations restore what the vendor syntax cannot carry.

import type { DeviceModel, InterfaceModel, NatModel, StaticRouteModel } from '../../compiler/model.js';
import type { ReadContext, ReadResult, ReadSecret, RenderedFile } from '../backend.js';
import { canonicalDevice } from '../canonical.js';
import { diagnostic, fileSpan, type Span } from '../../language/diagnostic.js';
import { formatAddress, formatPrefix, network, parseAddress, parsePrefix } from '../../language/address.js';
import { filtersOf } from './acl-merge.js';
import { readAcl, readObjectGroup, type ParsedAcl } from './acl-read.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textAfter, textSpan, wordSpanAt } from '../config-text.js';
import { afterWords, lexSections, PlainLine, ROUTE_ANNOTATION, sectionOfPlain, type IosLine, type Section } from './lines.js';
import { renameInterfaces } from '../interface-names.js';
import { parseOriginTag } from '../origin-tag.js';
import { CONFIG_SUFFIX, IPV6_ACL_SUFFIX, ipv4NetworkText, ipv4Number, isLinkLocal, maskLength, NULL_INTERFACE, VTY_ACL } from './syntax.js';
import { selfPrefixes } from './acl-render.js';
import { checkLocalCovered, extractLocal } from './local-read.js';
import { checkVty, readVtyAcl, readVtyLines } from './vty.js';
import { readRunning } from './read-running.js';
import { addressText, cmp, intOf, IosState, type Family, type IfaceDraft } from './read-state.js';
import { bgpModel, ospfModel, readOspfV2, readOspfV3, readPrefixList, readRouteMap, readRouterBgp, readWrittenEntries } from './read-routing.js';
import { isTakenRoute, RouteOrder, sortedRoutes, WrittenReader } from './read-written.js';
import { WrittenEntries } from './written-entries.js';
import { finishZbf, readZbfSection } from './zbf-read.js';
import { putAuthentication } from './auth.js';
import { familyChecks, guessedRole, readInterface } from './read-interface.js';
import { readNat } from './nat-read.js';

/** `text` is an address of either family (what parseAddress accepts). */
function isAddress(text: string): boolean {
  return ipv4Number(text) !== undefined || (text.includes(':') && parseAddress(text) !== undefined);
}

class IosReader extends IosState {
  /** The keys read (auth.ts). */
  secrets?: ReadSecret[];
  /** How many routes of `statics` were read in place (their order: `written.order`) and line by line (the IPv4 ones': `lineOrder`); whether one is IPv6. */
  private writtenRoutes = 0;
  private lineRoutes = 0;
  private readonly lineOrder = new RouteOrder();
  private ipv6Route = false;
  /** What reads routes and prefix-list entries in place (`inPlace`). */
  private readonly written: WrittenReader | undefined;

  /** `inPlace`: routes and prefix-list entries as Plumb writes them read from the text (read-written.ts). */
  constructor(file: string, inPlace: boolean) {
    super(file);
    this.written = inPlace ? new WrittenReader(file) : undefined;
  }

  read(content: string): void {
    // static routes and prefix-list entries (half the lines of a large router) are read from the
    // text where Plumb wrote them (read-written.ts), and otherwise come as text (PlainLine), read
    // from their words without a line object unless a diagnostic needs one
    const { comments, items } = lexSections(this.file, content, this.written);
    for (const l of comments) this.topAnnotation(l);
    for (const s of items) {
      if ('head' in s && s.head.texts[0] === 'object-group') {
        const g = readObjectGroup(s, this.reporter);
        if (g) {
          this.refs.define(`${g.group.kind} object-group`, g.name, wordSpanAt(s.head, 2));
          this.groups.set(g.name, g.group);
        }
      }
    }
    for (const s of items) {
      if (s instanceof WrittenEntries) readWrittenEntries(this, s);
      else if (s instanceof PlainLine) this.plainSection(s);
      else if (isTakenRoute(s)) {
        this.statics.push(s);
        this.writtenRoutes++;
      }
      else this.section(s);
    }
  }

  /** A route or prefix-list entry as `section` reads it, from its words when they are plain. */
  plainSection(p: PlainLine): void {
    const w = p.words();
    if (w === undefined) return this.section(sectionOfPlain(p));
    let line: IosLine | undefined;
    const lineOf = (): IosLine => (line ??= p.ios());
    if (p.ann === undefined) return readPrefixList(this, w, lineOf, 4);
    const ann = p.ann;
    let annLine: IosLine | undefined;
    // the annotation starts `! plumb route origin ` and a word: afterWords's text, trimmed at the end
    this.staticRoute(w, lineOf, () => ann.raw.trimEnd().slice(ROUTE_ANNOTATION.length), () => (annLine ??= ann.ios()));
  }

  topAnnotation(l: IosLine): void {
    // a route's annotation (most of them) is read with its route (staticRoute), not split here
    if (afterWords(l, '! plumb route ') !== undefined) return;
    const w = l.texts;
    if (w[0] !== '!' || w[1] !== 'plumb') return;
    if (w[2] === 'device' && w[3] === 'origin') {
      this.deviceOrigin = parseOriginTag(textAfter(l, 4));
      if (!this.deviceOrigin) this.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this device annotation does not hold a span');
    } else if (w[2] === 'router-id') {
      this.routerId = addressText(w[3], 4);
      if (!this.routerId) this.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this router-id annotation does not hold an IPv4 address');
    }
  }

  section(s: Section): void {
    const h = s.head;
    const w = h.texts;
    const key = `${w[0]} ${w[1] ?? ''}`;
    if (h.indent > 0) return this.unknown(h);
    if (w[0] === 'hostname' && w.length === 2) {
      this.hostname = w[1];
      this.hostnameSpan = wordSpanAt(h, 1);
      return this.noBody(s);
    }
    if (key === 'ipv6 unicast-routing' && w.length === 2) {
      this.ipv6Routing = true;
      return this.noBody(s);
    }
    if (w[0] === 'end' && w.length === 1) return;
    if (w[0] === 'object-group') return;
    if (w[0] === 'interface' && w.length === 2) return readInterface(this, s);
    if (key === 'router ospf' && w.length === 3) return readOspfV2(this, s);
    if (key === 'router ospfv3' && w.length === 3) return readOspfV3(this, s);
    if (key === 'router bgp' && w.length === 3) return readRouterBgp(this, s);
    if (key === 'ip route' || key === 'ipv6 route') {
      this.noBody(s);
      const ann = s.before[s.before.length - 1];
      const tag = (): string | undefined => (ann === undefined ? undefined : (afterWords(ann, ROUTE_ANNOTATION) ?? routeAnnotation(ann)));
      return this.staticRoute(w, () => h, tag, () => ann!);
    }
    if (key === 'ip access-list' && w[2] === 'standard' && w[3] === VTY_ACL && w.length === 4) return this.vtyAcl(s, 4);
    if (key === 'ipv6 access-list' && w[2] === `${VTY_ACL}${IPV6_ACL_SUFFIX}` && w.length === 3) return this.vtyAcl(s, 6);
    // a standard list is a translation's sources (nat-read.ts) or, unused, read as before
    if (key === 'ip access-list' && w[2] === 'standard' && w.length === 4) return this.nat.standard.push(s), undefined;
    if (key === 'ip access-list') return this.aclSections.push({ section: s, family: 4 }), undefined;
    if (key === 'ipv6 access-list') return this.aclSections.push({ section: s, family: 6 }), undefined;
    if (key === 'line vty' && (w.length === 3 || w.length === 4)) return readVtyLines(s, this.vty, this.reporter, (l) => this.unknown(l, 'vty line'));
    if (key === 'ip prefix-list' || key === 'ipv6 prefix-list') {
      this.noBody(s);
      return readPrefixList(this, w, () => h, w[0] === 'ip' ? 4 : 6);
    }
    if (w[0] === 'route-map') return readRouteMap(this, s);
    if (key === 'ip nat') {
      this.noBody(s);
      return this.nat.lines.push(s), undefined;
    }
    if (readZbfSection(this, s)) return;
    this.unknown(h);
  }

  vtyAcl(s: Section, family: Family): void {
    const which = family === 4 ? 'acl4' : 'acl6';
    if (this.vty[which]) this.reporter.error(Codes.readerDuplicate, textSpan(s.head), `\`${s.head.text.trim()}\` is defined twice`, `The first is on line ${this.vty[which].section.head.line}.`);
    this.vty[which] = readVtyAcl(s, family, this.reporter);
  }

  noBody(s: Section): void {
    for (const l of s.body) if (!l.isComment) this.unknown(l);
  }

  /**
   * A static route from its line's words; `line` makes the line for a diagnostic's span, `tag`
   * is the origin annotation's text above it (if any) and `ann` its line.
   */
  staticRoute(w: readonly string[], line: () => IosLine, tag: () => string | undefined, ann: () => IosLine): void {
    const family: Family = w[0] === 'ip' ? 4 : 6;
    let prefix: string | undefined;
    let i: number;
    let net4 = 0;
    let len4 = 0;
    if (family === 4) {
      // parsed and formatted as numbers: an edge router has thousands of routes (syntax.ts ipv4Number)
      const a = w[2] === undefined ? undefined : ipv4Number(w[2]);
      const len = w[3] === undefined ? undefined : maskLength(w[3], false);
      if (a === undefined || len === undefined) return this.bad(line(), a !== undefined ? 3 : 2, 'not an IPv4 destination and mask');
      prefix = ipv4NetworkText(a, len);
      net4 = len === 0 ? 0 : (a & (0xffffffff << (32 - len))) >>> 0;
      len4 = len;
      i = 4;
    } else {
      const p = parsePrefix(w[2] ?? '');
      if (!p || p.family !== 6) return this.bad(line(), 2, `\`${w[2] ?? ''}\` is not an IPv6 prefix`);
      const net = network(p);
      prefix = formatPrefix(net);
      i = 3;
    }
    // the line's span is made only for a route without an origin annotation (below)
    const route: StaticRouteModel = { prefix, origin: undefined as unknown as Span };
    if (w[i] !== undefined && !isAddress(w[i]!) && !/^\d+$/.test(w[i]!)) route.interface = w[i++]!;
    if (route.interface !== undefined && route.interface.toLowerCase() === NULL_INTERFACE.toLowerCase()) {
      // A route to Null0 is a route to nowhere; a next hop beside it would route somewhere.
      if (w[i] !== undefined && isAddress(w[i]!)) return this.bad(line(), i, `a route to ${NULL_INTERFACE} takes no next hop`);
      delete route.interface;
      route.discard = true;
    }
    const hop4 = family === 4 && w[i] !== undefined ? ipv4Number(w[i]!) : undefined;
    let hop = hop4 ?? -1;
    if (hop4 !== undefined) {
      // a dotted address that parses is written as formatAddress writes it (no leading zeros)
      route.nextHop = w[i]!;
      i++;
    } else if (w[i] !== undefined && isAddress(w[i]!)) {
      const a = parseAddress(w[i]!)!;
      if (a.family !== family) return this.bad(line(), i, `the next hop is not an IPv${family} address`);
      route.nextHop = formatAddress(a);
      if (family === 4) hop = Number(a.value);
      i++;
    }
    if (w[i] !== undefined) {
      const dist = intOf(w[i], 1, 255);
      if (dist === undefined || w.length !== i + 1) return this.unknown(line(), 'static route');
      route.distance = dist;
    }
    if (route.interface === undefined && route.nextHop === undefined && !route.discard) return this.reporter.error(Codes.readerMissingPart, textSpan(line()), 'a static route needs a next hop or an interface');
    if (route.nextHop !== undefined && isLinkLocal(route.nextHop) && route.interface === undefined) return this.reporter.error(Codes.readerMissingPart, textSpan(line()), `the link-local next hop ${route.nextHop} needs its interface`, `Write \`ipv6 route ${prefix} INTERFACE ${w[i - 1]}\`.`);
    const text = tag();
    if (text !== undefined) {
      const origin = parseOriginTag(text);
      if (origin) route.origin = origin;
      else this.reporter.warning(Codes.readerBadAnnotation, textSpan(ann()), 'this route annotation does not hold a span');
    }
    route.origin ??= textSpan(line());
    this.statics.push(route);
    // an IPv6 route, or routes read both ways, are sorted (staticRoutes)
    this.lineRoutes++;
    if (family === 6) this.ipv6Route = true;
    else this.lineOrder.next(net4, len4, hop, route.interface);
  }

  finish(ctx: ReadContext): DeviceModel {
    const reporter = this.reporter;
    const v6 = this.interfaces.some((d) => d.v6.length > 0 || d.linkLocal) || this.ipv6Route;
    if (v6 && !this.ipv6Routing) reporter.error(Codes.readerMissingPart, fileSpan(this.file), 'the configuration has IPv6 but no `ipv6 unicast-routing`: the router would not forward IPv6', 'Add `ipv6 unicast-routing`.');
    const extended = new Set(this.aclSections.filter((a) => a.family === 4).map((a) => a.section.head.texts[3] ?? ''));
    const { nat, unused } = readNat(this, this.interfaces, extended);
    for (const section of unused) this.aclSections.push({ section, family: 4 });
    const acls: ParsedAcl[] = [];
    for (const { section, family } of this.aclSections) {
      const acl = readAcl(section, family, this.groups, this.refs, reporter);
      if (!acl) continue;
      this.refs.define(aclKind(family), acl.name, textSpan(section.head));
      acls.push(acl);
    }
    const local = new Set(
      this.interfaces.flatMap((d) => [...d.v4, ...d.v6]).map((a) => {
        const p = parsePrefix(a)!;
        return formatPrefix({ family: p.family, value: p.value, length: p.family === 4 ? 32 : 128 });
      }),
    );
    const anyV6 = this.interfaces.some((d) => d.v6.length > 0 || d.linkLocal !== undefined);
    const self = selfPrefixes(this.interfaces.flatMap((d) => [...d.v4, ...d.v6]), anyV6, this.ospf2 !== undefined || this.ospf3 !== undefined);
    const running = ctx.source === 'running';
    const extracted = extractLocal(acls, self, this.groups, reporter, running);
    const localFilter = extracted.local?.filter;
    const filters = filtersOf(extracted.acls, local, reporter, running);
    if (localFilter) {
      if (filters.some((f) => f.name === localFilter.name)) reporter.error(Codes.readerLocalFilterDiffers, fileSpan(this.file), `the local filter ${localFilter.name} is also the name of a filter bound to an interface`);
      else filters.push(localFilter);
      filters.sort((a, b) => cmp(a.name, b.name));
    }
    checkVty(this.vty, localFilter, anyV6, this.file, reporter);

    // The bare physical interface under a tagged subinterface is structure, not a model interface.
    const parents = new Set(this.interfaces.map((d) => d.modelName).filter((n) => n !== undefined));
    const structural = (d: IfaceDraft): boolean =>
      parents.has(d.name) && !d.annotated && d.description === '' && d.v4.length + d.v6.length === 0 && !d.linkLocal && !d.raSuppressed && !d.ospf2 && !d.ospf3 && !d.acl.in[4] && !d.acl.in[6] && !d.acl.out[4] && !d.acl.out[6] && !d.nat;
    // A bare parent shares the interfaces' names but is no interface a route or OSPF may name.
    for (const d of this.interfaces) this.refs.define(structural(d) ? 'subinterface parent' : 'interface', d.name, wordSpanAt(d.line, 1));
    const drafts = this.interfaces.filter((d) => !structural(d));
    const interfaces: InterfaceModel[] = drafts.map((d) => {
      if (!d.role || !d.origin) reporter.warning(Codes.readerBadAnnotation, textSpan(d.line), `interface ${d.name} has no \`! plumb interface\` annotation`, 'Its role and intent line are guessed.');
      const iface: InterfaceModel = {
        name: d.name,
        description: d.description,
        role: d.role ?? guessedRole(d),
        addresses: [...d.v4, ...d.v6],
        origin: d.origin ?? textSpan(d.line),
      };
      if (d.linkLocal) iface.linkLocal = d.linkLocal[0];
      familyChecks(this, d, iface.role);
      if (d.peer) iface.peer = d.peer;
      if (d.segment !== undefined) iface.segment = d.segment;
      if (d.external !== undefined) iface.external = d.external;
      if (d.vlan !== undefined) iface.vlan = d.vlan;
      if (d.zone !== undefined) iface.zone = d.zone;
      for (const dir of ['in', 'out'] as const) {
        const v4 = d.acl[dir][4];
        const v6 = d.acl[dir][6];
        if (v4) this.refs.reference(aclKind(4), v4[0], v4[1], `interface ${d.name}`);
        if (v6) this.refs.reference(aclKind(6), v6[0], v6[1], `interface ${d.name}`);
        const from6 = v6?.[0].endsWith(IPV6_ACL_SUFFIX) ? v6[0].slice(0, -IPV6_ACL_SUFFIX.length) : v6?.[0];
        if (v4 && v6 && from6 !== v4[0]) reporter.error(Codes.readerContradiction, v6[1], `the IPv6 filter ${dir} (${v6[0]}) is not the IPv6 half of ${v4[0]}`, `Apply ${v4[0]}${IPV6_ACL_SUFFIX}.`);
        const name = v4?.[0] ?? from6;
        if (name !== undefined && !(dir === 'in' && name === localFilter?.name)) iface[dir === 'in' ? 'filterIn' : 'filterOut'] = name;
      }
      if (extracted.local) checkLocalCovered(d, iface, extracted.local.lists, reporter);
      const u4 = d.urpf[4];
      const u6 = d.urpf[6];
      const v6On = d.v6.length > 0 || d.linkLocal !== undefined;
      const v4On = d.v4.length > 0 || !v6On;
      if ((u4 && !v4On) || (u6 && !v6On)) reporter.error(Codes.readerContradiction, textSpan((u4 && !v4On ? u4 : u6)![1]), `interface ${d.name} checks the reverse path of a family it has no address of`);
      else if ((u4 || u6) && ((v4On && !u4) || (v6On && !u6) || (u4 && u6 && u4[0] !== u6[0]))) reporter.error(Codes.readerContradiction, textSpan((u4 ?? u6)![1]), `interface ${d.name} checks the reverse path differently in IPv4 and IPv6`, 'The model has one uRPF mode per interface, for both families.');
      const urpf = u4?.[0] ?? u6?.[0];
      if (urpf !== undefined) iface.urpf = urpf;
      return iface;
    });
    const zbf = finishZbf(this, filters, drafts, interfaces);
    interfaces.sort((a, b) => cmp(a.name, b.name));

    let device: DeviceModel = {
      id: ctx.id,
      site: ctx.site,
      name: ctx.name,
      role: ctx.role,
      platform: 'cisco-iosxe',
      stateful: zbf !== undefined,
      // the infrastructure ACL is stateless and no zone-pair names self: the router's own connections are untracked
      ...(zbf !== undefined ? { ownConnectionsUntracked: true as const } : {}),
      ...(this.routerId ? { routerId: this.routerId } : {}),
      interfaces,
      filters,
      zones: zbf?.zones ?? [],
      securityRules: zbf?.securityRules ?? [],
      ...(localFilter ? { localFilter: localFilter.name } : {}),
      staticRoutes: this.staticRoutes(),
      ...(nat ? { nat } : {}),
      fib: [],
      origin: this.deviceOrigin ?? fileSpan(this.file),
    };
    const ospf = ospfModel(this);
    if (ospf) device.ospf = ospf;
    const bgp = bgpModel(this);
    if (bgp) device.bgp = bgp;
    this.secrets = putAuthentication(this, device);
    const renames = new Map(drafts.filter((d) => d.modelName !== undefined).map((d) => [d.name, d.modelName!]));
    if (renames.size > 0) {
      device = renameInterfaces(device, renames);
      if (device.nat) device = { ...device, nat: renamedNat(device.nat, renames) };
      this.secrets = this.secrets?.map((k) => (k.owner?.kind === 'ospf' && renames.has(k.owner.interface) ? { ...k, owner: { kind: 'ospf', interface: renames.get(k.owner.interface)! } } : k));
    }
    this.refs.report(reporter);
    return device;
  }

  staticRoutes(): StaticRouteModel[] {
    // The interfaces are defined by now (finish): a use of one that is cannot be reported, and is
    // not recorded (a router's thousands of routes name one or two interfaces).
    let defined: string | undefined;
    for (const s of this.statics) {
      if (s.interface === undefined || s.interface === defined) continue;
      if (this.refs.isDefined('interface', s.interface)) {
        defined = s.interface;
        continue;
      }
      const span = s.origin.file === this.file ? s.origin : fileSpan(this.file);
      this.refs.reference('interface', s.interface, span, `static route ${s.prefix}`);
    }
    // The routes in the reader's order (sortedRoutes): as read when all are IPv4, all were read
    // one way (in place, or line by line when untagged) and each came at or after the one before
    // (as Plumb writes them: a router may have thousands); else sorted.
    const ordered = this.lineRoutes === 0 ? (this.written?.order.ordered ?? true) : this.writtenRoutes === 0 && this.lineOrder.ordered;
    if (ordered && !this.ipv6Route) return this.statics;
    return sortedRoutes(this.statics);
  }
}

/** The text of a route's origin annotation written otherwise than Plumb writes it, if it is one. */
function routeAnnotation(ann: IosLine): string | undefined {
  const aw = ann.texts;
  return aw[1] === 'plumb' && aw[2] === 'route' && aw[3] === 'origin' ? textAfter(ann, 4) : undefined;
}

/** The NAT's sides under the model's names of the interfaces (renameInterfaces leaves them). */
function renamedNat(nat: NatModel, renames: Map<string, string>): NatModel {
  const n = (name: string): string => renames.get(name) ?? name;
  return { ...nat, inside: nat.inside.map(n).sort(cmp), outside: nat.outside.map(n).sort(cmp) };
}

function aclKind(family: Family): string {
  return family === 4 ? 'ip access-list' : 'ipv6 access-list';
}

/**
 * The device a configuration says. `inPlace: false` reads every route and prefix-list entry
 * line by line (the tests hold the reading in place to it).
 */
export function readIosxe(files: RenderedFile[], ctx: ReadContext, { inPlace = true }: { inPlace?: boolean } = {}): ReadResult {
  if (ctx.source === 'running') return readRunning(files, ctx, (f, c) => readIosxeFile(f, c, inPlace));
  const file = files.find((f) => f.path.endsWith(CONFIG_SUFFIX));
  if (!file) {
    const message = `no IOS-XE configuration (${ctx.name}${CONFIG_SUFFIX}) for ${ctx.id}`;
    return { diagnostics: [diagnostic(Codes.readerFileMissing, fileSpan(`${ctx.name}${CONFIG_SUFFIX}`), message)] };
  }
  return readIosxeFile(file, ctx, inPlace);
}

/** One configuration file (Plumb's, or a running configuration made readable: read-running.ts). */
function readIosxeFile(file: RenderedFile, ctx: ReadContext, inPlace: boolean): ReadResult {
  const reader = new IosReader(file.path, inPlace);
  reader.read(file.content);
  const device = reader.finish(ctx);
  if (reader.hostname === undefined) reader.reporter.error(Codes.readerMissingPart, fileSpan(file.path), 'the configuration has no `hostname`');
  else if (reader.hostname !== ctx.name) reader.reporter.warning(Codes.readerOtherDevice, reader.hostnameSpan ?? fileSpan(file.path), `hostname ${reader.hostname} is not the device's name ${ctx.name}`, 'Check that this file is the device\'s own.');
  return { device: canonicalDevice(device), diagnostics: reader.reporter.diagnostics, ...(reader.secrets ? { secrets: reader.secrets } : {}) };
}
