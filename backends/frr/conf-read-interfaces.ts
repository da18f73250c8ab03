// The frr.conf reader's global lines (hostname, router-id, version boilerplate) and interface
// blocks with their OSPF settings; the check of each interface's OSPF versions against its
// address families.

import type { Span } from '../../language/diagnostic.js';
import type { InterfaceModel } from '../../compiler/model.js';
import { lineSpan, type ConfigLine } from '../config-text.js';
import { ipv4At, type FrrConfRead, type ReaderState } from './conf-read-state.js';
import { hasIpv6 } from '../linux/setup-render.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { ospfAuthCommand } from './conf-secrets.js';

/** A top-level global or `interface` command; false when `t` is none of them. */
export function topInterfaceCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const span = lineSpan(line);
  const text = t.join(' ');
  if (
    text === 'frr defaults traditional' ||
    (t[0] === 'frr' && t[1] === 'version') ||
    text === 'service integrated-vtysh-config'
  )
    return true;
  if (t[0] === 'hostname' && t.length === 2) {
    state.result.hostname = t[1];
    return true;
  }
  if ((t[0] === 'router-id' && t.length === 2) || (t[0] === 'ip' && t[1] === 'router-id' && t.length === 3)) {
    const id = ipv4At(state, line, t, t.length - 1);
    if (id) state.result.routerId = id;
    return true;
  }
  if ((t[0] === 'interface' || t[0] === 'int') && t.length === 2) {
    state.iface = state.ifs.get(t[1]!) ?? { v4: { span }, v6: { span } };
    state.ifs.set(t[1]!, state.iface);
    state.block = 'interface';
    return true;
  }
  return false;
}

/** A command inside an `interface` block; false when it is not one. */
export function interfaceCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const iface = state.iface;
  if (!iface) return false;
  const span = lineSpan(line);
  const text = t.join(' ');
  const fam =
    t[0] === 'ip' && t[1] === 'ospf' ? iface.v4 : t[0] === 'ipv6' && t[1] === 'ospf6' ? iface.v6 : undefined;
  if (t[0] === 'description') return true;
  if (ospfAuthCommand(state, line, t)) return true;
  if (!fam) return false;
  const rest = t.slice(2).join(' ');
  if (rest === 'area 0' || rest === 'area 0.0.0.0') {
    fam.area = true;
    fam.areaSpan = span;
  }
  else if (
    t[2] === 'cost' &&
    t.length === 4 &&
    /^\d+$/.test(t[3]!) &&
    Number(t[3]) >= 1 &&
    Number(t[3]) <= 65535
  )
    fam.cost = Number(t[3]);
  else if (rest === 'network point-to-point') fam.p2p = span;
  else if (rest === 'passive') fam.passive = true;
  else if (t[2] === 'area')
    state.err(Codes.readerInexpressible, span, `only area 0 is supported, not \`${t.slice(3).join(' ')}\``);
  else state.err(Codes.readerMalformedValue, span, `unknown or malformed OSPF interface setting \`${text}\``);
  fam.span = span;
  return true;
}

/**
 * OSPFv2 runs on an OSPF interface iff the interface has IPv4, OSPFv3 iff it has IPv6 (an IPv6
 * address or a link-local): what the model says of an interface of `ospf.interfaces`. A
 * version on an interface without its family, or missing on one with it, is reported.
 */
export function checkOspfFamilies(
  conf: FrrConfRead,
  interfaces: readonly InterfaceModel[],
  report: (code: DiagnosticCode, span: Span, message: string, hint?: string) => void,
): void {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const o of conf.ospfInterfaces) {
    const ifc = byName.get(o.name);
    if (!ifc) continue;
    const has = { v2: ifc.addresses.some((a) => !a.includes(':')), v3: hasIpv6(ifc) };
    for (const [v, family, command] of [
      ['v2', 'IPv4', 'ip ospf area 0'],
      ['v3', 'IPv6', 'ipv6 ospf6 area 0'],
    ] as const) {
      const name = v === 'v2' ? 'OSPFv2' : 'OSPFv3';
      const at = o[v];
      if (at && !has[v])
        report(
          Codes.readerInexpressible,
          at,
          `${o.name} runs ${name} but has no ${family}${v === 'v3' ? ' (no IPv6 address and no link-local address)' : ' address'}`,
          `the model runs ${name} exactly on the OSPF interfaces with ${family}`,
        );
      else if (!at && has[v])
        report(
          Codes.readerMissingPart,
          o.span,
          `${o.name} is in OSPF and has ${family}, but does not run ${name}`,
          `add \`${command}\` to interface ${o.name}: the model runs ${name} on every OSPF interface with ${family}`,
        );
      // A link is a point-to-point network (no DR election, the adjacency forms at once); a
      // segment is a broadcast network, where other routers may be.
      const p2p = o.p2p[v];
      const network = v === 'v2' ? 'ip ospf network point-to-point' : 'ipv6 ospf6 network point-to-point';
      if (at && ifc.role === 'link' && !p2p)
        report(
          Codes.readerMissingPart,
          at,
          `${o.name} is a link, but its ${name} network is not point-to-point`,
          `add \`${network}\` to interface ${o.name}`,
        );
      else if (at && ifc.role !== 'link' && p2p)
        report(
          Codes.readerInexpressible,
          p2p,
          `${o.name} is a ${ifc.role}, not a link, but its ${name} network is point-to-point`,
          'Plumb runs OSPF point-to-point on links only',
        );
    }
  }
}
