// A Linux box's running interfaces, routes and sysctls as the kernel prints them: `ip -j -d
// address show` (ip-addr.json), `ip -j route show table main` and `ip -j -6 route show table
// main` (ip-route.json, ip-route6.json; `-p` pretty output too) and the sysctls setup.sh sets
// (sysctl.txt, `KEY = VALUE` lines as sysctl(8) prints them). What the kernel makes by itself
// (lo's 127.0.0.1/8 and ::1, the connected routes, the automatic link-local of an interface
// that has an IPv6 address), the management port eth0 (the platform table never gives it) and
// ports that are down without addresses are not the model's: the first are skipped, the others
// listed as unmanaged. read-running.ts joins this with the ruleset and, for FRR, frr.conf.

import { diagnostic, fileSpan, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { InterfaceModel, StaticRouteModel } from '../../compiler/model.js';
import { formatAddress, parseAddress, parsePrefix, canonicalPrefix, formatPrefix } from '../../language/address.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { sortStaticRoutes } from '../canonical.js';
import { lineSpan, readLines } from '../config-text.js';
import { JsonSyntaxError, memberAt, numberAt, parseJsonValues, stringAt, type JsonValue } from './json-spans.js';
import type { RpFilterRead } from './setup-read-urpf.js';
import type { VlanDevice } from './vlan.js';
import { isLinkLocal } from './setup-read-ipv6.js';

/** The management port: Plumb never gives it (language/platforms.ts), so it is not the model's. */
export const MANAGEMENT_PORT = 'eth0';

export interface RunningStateFiles {
  addresses: { path: string; content: string };
  routes: { path: string; content: string }[];
  sysctl: { path: string; content: string };
}

export interface RunningStateRead {
  /** Under the Linux names (a VLAN interface is `PORT.N`). */
  interfaces: InterfaceModel[];
  vlans: Map<string, VlanDevice>;
  /** Routes the kernel holds besides the connected ones (and, `frrRoutes` skipped, FRR's own). */
  staticRoutes: StaticRouteModel[];
  /** Each interface's effective `rp_filter` (the larger of `all` and its own). */
  rpFilter: RpFilterRead;
  unmanaged: Span[];
  diagnostics: Diagnostic[];
}

/** The route protocols of FRR's daemons (/etc/iproute2/rt_protos.d/frr.conf): frr.conf says them. */
const FRR_PROTOCOLS = new Set([
  'zebra', 'bgp', 'isis', 'ospf', 'rip', 'ripng', 'nhrp', 'eigrp', 'ldp', 'sharp', 'pbr', 'static', 'openfabric',
  '11', '186', '187', '188', '189', '190', '191', '192', '193', '194', '195', '196', '197',
]);

/** The kernel's automatic link-local address of a MAC address (EUI-64). */
function eui64LinkLocal(mac: string | undefined): string | undefined {
  const b = mac?.split(':').map((x) => parseInt(x, 16));
  if (!b || b.length !== 6 || b.some((x) => Number.isNaN(x))) return undefined;
  const w = [(b[0]! ^ 2) * 256 + b[1]!, b[2]! * 256 + 0xff, 0xfe * 256 + b[3]!, b[4]! * 256 + b[5]!];
  return formatAddress(parseAddress(`fe80::${w.map((x) => x.toString(16)).join(':')}`)!);
}

export function readRunningState(files: RunningStateFiles, options: { frrRoutes: boolean }): RunningStateRead {
  const diagnostics: Diagnostic[] = [];
  const err = (code: DiagnosticCode, span: Span, message: string, hint?: string): void =>
    void diagnostics.push(diagnostic(code, span, message, { hint }));
  const unmanaged: Span[] = [];
  const parse = (f: { path: string; content: string }): JsonValue[] => {
    try {
      return parseJsonValues(f.path, f.content).flatMap((v) => (v.kind === 'array' ? v.items : [v]));
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      err(Codes.readerMalformedValue, e.span, `${f.path} is not the JSON \`ip -j\` prints: ${e.message}`);
      return [];
    }
  };

  // Interfaces.
  const links = parse(files.addresses);
  const vlans = new Map<string, VlanDevice>();
  for (const l of links) {
    const info = memberAt(memberAt(l, 'linkinfo')?.value, 'info_data')?.value;
    if (stringAt(memberAt(l, 'linkinfo')?.value, 'info_kind') !== 'vlan') continue;
    const name = stringAt(l, 'ifname');
    const parent = stringAt(l, 'link');
    const id = numberAt(info, 'id');
    if (name !== undefined && parent !== undefined && id !== undefined) vlans.set(name, { name, parent, id });
  }
  const parents = new Set([...vlans.values()].map((v) => v.parent));
  const interfaces: InterfaceModel[] = [];
  const read = new Set<string>();
  for (const l of links) {
    const nameMember = memberAt(l, 'ifname');
    const name = stringAt(l, 'ifname');
    if (!nameMember || name === undefined) {
      err(Codes.readerMissingPart, l.span, `an interface of ${files.addresses.path} without \`ifname\``);
      continue;
    }
    const flags = memberAt(l, 'flags')?.value;
    const up = flags?.kind === 'array' && flags.items.some((f) => f.kind === 'string' && f.value === 'UP');
    const addrInfo = memberAt(l, 'addr_info')?.value;
    const addresses: string[] = [];
    const linkLocals: string[] = [];
    for (const a of addrInfo?.kind === 'array' ? addrInfo.items : []) {
      const local = stringAt(a, 'local');
      const length = numberAt(a, 'prefixlen');
      const p = local !== undefined && length !== undefined ? parsePrefix(`${local}/${length}`) : undefined;
      if (!p) {
        err(Codes.readerMalformedValue, a.span, `an address of ${name} that is not an address with its length`);
        continue;
      }
      const text = formatPrefix(p);
      if (name === 'lo' && (canonicalPrefix(text) === '127.0.0.0/8' || text === '::1/128')) continue;
      if (p.family === 6 && isLinkLocal(text)) linkLocals.push(formatAddress({ family: 6, value: p.value }));
      else addresses.push(text);
    }
    const isVlanPort = parents.has(name) && addresses.length === 0;
    if (name === MANAGEMENT_PORT || (!up && addresses.length === 0 && linkLocals.length === 0)) {
      unmanaged.push(nameMember.span);
      continue;
    }
    if (isVlanPort || (name === 'lo' && addresses.length === 0)) continue;
    // The model's link-local replaces the kernel's automatic one; an interface with only the
    // automatic one and no IPv6 address has IPv6 all the same, and that link-local is its own.
    const automatic = eui64LinkLocal(stringAt(l, 'address'));
    const own = linkLocals.filter((a) => a !== automatic);
    const hasGlobal6 = addresses.some((a) => a.includes(':'));
    const linkLocal = own[0] ?? (hasGlobal6 ? undefined : linkLocals[0]);
    const vlan = vlans.get(name);
    interfaces.push({
      name,
      description: stringAt(l, 'ifalias') ?? '',
      role: name === 'lo' ? 'loopback' : 'link',
      addresses: [...addresses.filter((a) => !a.includes(':')), ...addresses.filter((a) => a.includes(':'))],
      ...(linkLocal !== undefined && name !== 'lo' ? { linkLocal } : {}),
      ...(vlan ? { vlan: vlan.id } : {}),
      origin: nameMember.span,
    });
    read.add(name);
  }
  interfaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Routes.
  const staticRoutes: StaticRouteModel[] = [];
  for (const [k, f] of files.routes.entries()) {
    const six = /6/.test(f.path.slice(f.path.lastIndexOf('/') + 1)) || k === 1;
    for (const r of parse(f)) {
      const dst = memberAt(r, 'dst');
      const text = stringAt(r, 'dst');
      if (!dst || text === undefined) {
        err(Codes.readerMissingPart, r.span, `a route of ${f.path} without \`dst\``);
        continue;
      }
      const protocol = stringAt(r, 'protocol') ?? (numberAt(r, 'protocol') !== undefined ? String(numberAt(r, 'protocol')) : undefined);
      const type = stringAt(r, 'type') ?? 'unicast';
      if (protocol === 'kernel' || ['local', 'broadcast', 'multicast', 'anycast'].includes(type)) continue;
      if (options.frrRoutes && protocol !== undefined && FRR_PROTOCOLS.has(protocol)) continue;
      const family = text === 'default' ? (six ? 6 : 4) : text.includes(':') ? 6 : 4;
      const prefix = canonicalPrefix(text === 'default' ? (family === 6 ? '::/0' : '0.0.0.0/0') : text.includes('/') ? text : `${text}/${family === 6 ? 128 : 32}`);
      if (!prefix) {
        err(Codes.readerMalformedValue, dst.span, `\`${text}\` is not a route destination`);
        continue;
      }
      if (type === 'blackhole') {
        const metric = numberAt(r, 'metric');
        const distance = metric === undefined || (family === 6 && metric === 1024) ? undefined : metric;
        staticRoutes.push({ prefix, discard: true, ...(distance !== undefined ? { distance } : {}), origin: dst.span });
        continue;
      }
      if (type !== 'unicast') {
        err(Codes.readerInexpressible, dst.span, `a ${type} route to ${prefix}`, 'the model\'s routes forward to a next hop or out of an interface');
        continue;
      }
      const nexthops = memberAt(r, 'nexthops')?.value;
      const hops = nexthops?.kind === 'array' ? nexthops.items : [r];
      if (hops.some((h) => stringAt(h, 'dev') === MANAGEMENT_PORT)) {
        unmanaged.push(dst.span);
        continue;
      }
      const metric = numberAt(r, 'metric');
      const distance = metric === undefined || (family === 6 && metric === 1024) ? undefined : metric;
      for (const h of hops) {
        const gateway = stringAt(h, 'gateway');
        const dev = stringAt(h, 'dev');
        const via = gateway !== undefined ? parseAddress(gateway) : undefined;
        if (gateway !== undefined && !via) {
          err(Codes.readerMalformedValue, dst.span, `the next hop \`${gateway}\` of ${prefix} is not an address`);
          continue;
        }
        if (!via && dev === undefined) {
          err(Codes.readerMissingPart, dst.span, `the route to ${prefix} has no next hop and no interface`);
          continue;
        }
        staticRoutes.push({
          prefix,
          ...(via ? { nextHop: formatAddress(via) } : {}),
          ...(dev !== undefined ? { interface: dev } : {}),
          ...(distance !== undefined ? { distance } : {}),
          origin: dst.span,
        });
      }
    }
  }

  // Sysctls.
  const rpFilter: RpFilterRead = { byInterface: new Map() };
  const rp = new Map<string, { value: number; span: Span }>();
  const disabled = new Map<string, { value: number; span: Span }>();
  const forwarding: { v4?: { value: string; span: Span }; v6?: { value: string; span: Span } } = {};
  for (const line of readLines(files.sysctl.path, files.sysctl.content, { commentChars: '#;', quotes: false })) {
    if (line.texts.length === 0) continue;
    const m = /^\s*([^\s=]+)\s*=\s*(\S*)\s*$/.exec(line.text);
    const span = lineSpan(line);
    if (!m) {
      err(Codes.readerMalformedValue, span, `\`${line.text.trim()}\` is not a \`KEY = VALUE\` line of sysctl`);
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    const rpm = /^net\.ipv4\.conf\.([^.]+)\.rp_filter$/.exec(key);
    const dm = /^net\.ipv6\.conf\.([^.]+)\.disable_ipv6$/.exec(key);
    if (key === 'net.ipv4.ip_forward') forwarding.v4 = { value, span };
    else if (key === 'net.ipv6.conf.all.forwarding') forwarding.v6 = { value, span };
    else if (rpm && /^[012]$/.test(value)) rp.set(rpm[1]!.replaceAll('/', '.'), { value: Number(value), span });
    else if (dm && /^[01]$/.test(value)) disabled.set(dm[1]!.replaceAll('/', '.'), { value: Number(value), span });
    else unmanaged.push(span);
  }
  const start = fileSpan(files.sysctl.path);
  for (const [v, key] of [['v4', 'net.ipv4.ip_forward'], ['v6', 'net.ipv6.conf.all.forwarding']] as const) {
    const f = forwarding[v];
    if (!f) err(Codes.readerMissingPart, start, `${files.sysctl.path} does not say \`${key}\``, `capture it with \`sysctl ${key}\``);
    else if (f.value !== '1')
      err(Codes.readerInexpressible, f.span, `${v === 'v4' ? 'IPv4' : 'IPv6'} forwarding is off (\`${key} = ${f.value}\`): the device forwards nothing`, 'the model\'s devices forward');
  }
  const all = rp.get('all');
  if (all) rpFilter.all = all.span;
  else err(Codes.readerMissingPart, start, `${files.sysctl.path} does not say \`net.ipv4.conf.all.rp_filter\``, 'the kernel checks the larger of `all` and the interface\'s own');
  rpFilter.default = rp.get('default')?.span ?? start;
  for (const [name, s] of [...rp, ...disabled]) {
    if (!read.has(name) && !['all', 'default', 'lo'].includes(name) && !parents.has(name)) unmanaged.push(s.span);
  }
  for (const i of interfaces) {
    if (i.role === 'loopback') continue;
    const own = rp.get(i.name);
    if (!own) {
      err(Codes.readerMissingPart, start, `${files.sysctl.path} does not say \`rp_filter\` of ${i.name}`, `capture \`net.ipv4.conf.${i.name.replaceAll('.', '/')}.rp_filter\``);
      rpFilter.byInterface.set(i.name, { value: 0, span: start });
    } else {
      rpFilter.byInterface.set(i.name, { value: Math.max(own.value, all?.value ?? 0) as 0 | 1 | 2, span: own.span });
    }
    const d = disabled.get(i.name);
    const v6 = i.linkLocal !== undefined || i.addresses.some((a) => a.includes(':'));
    if (!v6 && d?.value !== 1)
      err(
        Codes.readerInexpressible,
        d?.span ?? i.origin,
        `${i.name} has no IPv6 address but IPv6 is on (\`disable_ipv6 = ${d?.value ?? 'unknown'}\`): it would forward IPv6 the model does not give it`,
        `\`sysctl -w net.ipv6.conf.${i.name.replaceAll('.', '/')}.disable_ipv6=1\``,
      );
  }
  return { interfaces, vlans, staticRoutes: sortStaticRoutes(staticRoutes), rpFilter, unmanaged, diagnostics };
}
