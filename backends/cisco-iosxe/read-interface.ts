// The `interface` sections of an IOS-XE configuration (read.ts reads the rest): addresses,
// VLAN, filters, uRPF, OSPF per family, zone membership, OSPF keys (auth.ts) and the `! plumb
// interface` annotation, into an IfaceDraft; and the checks that the families and OSPF network
// types of an interface say what the model says, once its role is known.

import type { InterfaceRole } from '../../compiler/model.js';
import { formatAddress, parsePrefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textAfter, textSpan, wordSpanAt } from '../config-text.js';
import { parseOriginTag } from '../origin-tag.js';
import { ospfAuthLine, secretCommentLine } from './auth.js';
import type { IosLine, Section } from './lines.js';
import { addressText, intOf, type Family, type IfaceDraft, type IosState } from './read-state.js';
import { isLinkLocal, maskLength, OSPF_PROCESS, RA_SUPPRESS, URPF_MODE } from './syntax.js';
import { readText } from './text.js';
import { readZoneMember } from './zbf-read.js';

export function readInterface(reader: IosState, s: Section): void {
  const d: IfaceDraft = {
    line: s.head,
    name: s.head.texts[1]!,
    description: '',
    annotated: false,
    v4: [],
    v6: [],
    raSuppressed: false,
    p2p2: false,
    p2p3: false,
    acl: { in: {}, out: {} },
    ospf2: false,
    ospf3: false,
    urpf: {},
  };
  for (const l of s.body) {
    const w = l.texts;
    const key = w.slice(0, 2).join(' ');
    if (l.isComment) {
      if (w[0] === '!' && w[1] === 'plumb' && w[2] === 'interface') interfaceAnnotation(reader, l, d);
      else secretCommentLine(reader, l);
      continue;
    }
    if (w[0] === 'description') d.description = readText(textAfter(l, 1));
    else if (key === 'encapsulation dot1Q' && w.length === 3) {
      d.vlan = intOf(w[2], 1, 4094);
      if (d.vlan === undefined) reader.bad(l, 2, `\`${w[2]}\` is not a VLAN id (1-4094)`);
    } else if (key === 'ip address' && (w.length === 4 || (w.length === 5 && w[4] === 'secondary'))) {
      const a = addressText(w[2], 4);
      const len = maskLength(w[3]!, false);
      if (!a || len === undefined) reader.bad(l, a ? 3 : 2, `\`${w[2]} ${w[3]}\` is not an IPv4 address and mask`);
      else if ((w.length === 5) !== d.v4.length > 0) reader.reporter.error(Codes.readerContradiction, textSpan(l), 'the first IPv4 address is the primary one; the others are `secondary`');
      else d.v4.push(`${a}/${len}`);
    } else if (key === 'ipv6 address' && w.length === 3) {
      const p = parsePrefix(w[2]!);
      if (!p || p.family !== 6) reader.bad(l, 2, `\`${w[2]}\` is not an IPv6 address with a length`);
      else if (isLinkLocal(formatAddress(p))) reader.reporter.error(Codes.readerInexpressible, textSpan(l), `${w[2]} is a link-local address written as a global one`, 'Write it as `ipv6 address FE80::N link-local`.');
      else d.v6.push(`${formatAddress(p)}/${p.length}`);
    } else if (key === 'ipv6 address' && w.length === 4 && w[3] === 'link-local') {
      const a = addressText(w[2], 6);
      if (!a || !isLinkLocal(a)) reader.bad(l, 2, `\`${w[2]}\` is not an IPv6 link-local address (fe80::/10)`);
      else if (d.linkLocal) reader.reporter.error(Codes.readerDuplicate, textSpan(l), `interface ${d.name} has a second link-local address`, `The first is on line ${d.linkLocal[1].line}.`);
      else d.linkLocal = [a, l];
    } else if ((w[0] === 'ip' || w[0] === 'ipv6') && w.slice(1, 5).join(' ') === 'verify unicast source reachable-via') {
      const family: Family = w[0] === 'ip' ? 4 : 6;
      const mode = w[5] === URPF_MODE.strict ? 'strict' : w[5] === URPF_MODE.loose ? 'loose' : undefined;
      if (mode === undefined || w.length > 7) reader.unknown(l, 'interface line');
      else if (w[6] !== 'allow-default') reader.reporter.error(Codes.readerInexpressible, textSpan(l), `uRPF without \`allow-default\` ignores the default route, which the model's reverse-path check counts`, `Write \`${w.slice(0, 6).join(' ')} allow-default\`.`);
      else d.urpf[family] = [mode, l];
    } else if (w.join(' ') === RA_SUPPRESS) {
      d.raSuppressed = true;
    } else if ((key === 'ip access-group' || key === 'ipv6 traffic-filter') && w.length === 4 && (w[3] === 'in' || w[3] === 'out')) {
      const family: Family = w[0] === 'ip' ? 4 : 6;
      d.acl[w[3]][family] = [w[2]!, wordSpanAt(l, 2)];
    } else if (w.join(' ') === `ip ospf ${OSPF_PROCESS} area 0` || w.join(' ') === `ip ospf ${OSPF_PROCESS} area 0.0.0.0`) d.ospf2 = true;
    else if (w.join(' ') === `ospfv3 ${OSPF_PROCESS} ipv6 area 0` || w.join(' ') === `ospfv3 ${OSPF_PROCESS} ipv6 area 0.0.0.0`) d.ospf3 = true;
    else if (key === 'ip ospf' && w[2] === 'cost' && w.length === 4) {
      d.cost2 = intOf(w[3], 1, 65535);
      if (d.cost2 === undefined) reader.bad(l, 3, `\`${w[3]}\` is not an OSPF cost (1-65535)`);
    } else if (key === 'ospfv3 cost' && w.length === 3) {
      d.cost3 = intOf(w[2], 1, 65535);
      if (d.cost3 === undefined) reader.bad(l, 2, `\`${w[2]}\` is not an OSPF cost (1-65535)`);
    } else if (w.join(' ') === 'ip ospf network point-to-point') d.p2p2 = true;
    else if (w.join(' ') === 'ospfv3 network point-to-point') d.p2p3 = true;
    else if (ospfAuthLine(reader, d.name, l, w)) continue;
    else if (['no shutdown', 'negotiation auto'].includes(w.join(' '))) continue;
    else if (key === 'zone-member security') readZoneMember(reader, d, l);
    else if (key === 'ip nat' && (w[2] === 'inside' || w[2] === 'outside') && w.length === 3) {
      if (d.nat && d.nat[0] !== w[2]) reader.reporter.error(Codes.readerContradiction, textSpan(l), `interface ${d.name} is on both sides of the address translation`, `It is \`ip nat ${d.nat[0]}\` on line ${d.nat[1].line}: keep one.`);
      else d.nat = [w[2], l];
    }
    else reader.unknown(l, 'interface line');
  }
  reader.interfaces.push(d);
}

/**
 * What IPv6 and OSPF on an interface must be for the model to say what the router does: no
 * router advertisements where IPv6 is on; OSPFv3 exactly where IPv6 is on and OSPFv2 where IPv4
 * is (the model runs OSPF on an interface in both); point-to-point on links, as both ends say.
 */
export function familyChecks(reader: IosState, d: IfaceDraft, role: InterfaceRole): void {
  const span = textSpan(d.line);
  const v6 = d.v6.length > 0 || d.linkLocal !== undefined;
  const v4 = d.v4.length > 0 || !v6;
  if (v6 && !d.raSuppressed) reader.reporter.error(Codes.readerMissingPart, span, `interface ${d.name} has IPv6 but no \`${RA_SUPPRESS}\`: it would send router advertisements`, `Add \`${RA_SUPPRESS}\` to the interface.`);
  if (!d.ospf2 && !d.ospf3) {
    if (d.p2p2 || d.p2p3) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} sets an OSPF network type but runs no OSPF`);
    return;
  }
  if (d.ospf3 && !v6) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} runs OSPFv3 but has no IPv6 address`);
  if (d.ospf2 && !v4) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} runs OSPFv2 but has no IPv4 address`);
  if (!d.ospf3 && v6) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} runs OSPF for IPv4 but not OSPFv3, though it has IPv6`, `Add \`ospfv3 ${OSPF_PROCESS} ipv6 area 0\`: Plumb runs OSPF on every address family of an interface.`);
  if (!d.ospf2 && d.v4.length > 0) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} runs OSPFv3 but not OSPFv2, though it has IPv4`, `Add \`ip ospf ${OSPF_PROCESS} area 0\`: Plumb runs OSPF on every address family of an interface.`);
  for (const [on, p2p, line] of [
    [d.ospf2, d.p2p2, 'ip ospf network point-to-point'],
    [d.ospf3, d.p2p3, 'ospfv3 network point-to-point'],
  ] as const) {
    if (on && role === 'link' && !p2p) reader.reporter.error(Codes.readerMissingPart, span, `link interface ${d.name} lacks \`${line}\``, 'Both ends of a link must agree on the network type, as Plumb writes them.');
    if (p2p && (!on || role !== 'link')) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} has \`${line}\` but is no link running that OSPF`);
  }
}

function interfaceAnnotation(reader: IosState, l: IosLine, d: IfaceDraft): void {
  const w = l.texts;
  let i = 3;
  d.annotated = true;
  const fail = (): void => reader.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this interface annotation cannot be read', 'Expected `! plumb interface role ROLE [peer DEVICE IFACE] [segment S] [external E] [zone Z] origin SPAN`.');
  while (i < w.length) {
    const k = w[i];
    if (k === 'model-name' && w[i + 1] !== undefined) d.modelName = w[i + 1]!;
    else if (k === 'role' && ['link', 'segment', 'external', 'loopback'].includes(w[i + 1] ?? '')) d.role = w[i + 1] as InterfaceRole;
    else if (k === 'peer' && w[i + 2] !== undefined) {
      d.peer = { device: w[i + 1]!, interface: w[i + 2]! };
      i++;
    } else if (k === 'segment' && w[i + 1] !== undefined) d.segment = w[i + 1]!;
    else if (k === 'external' && w[i + 1] !== undefined) d.external = w[i + 1]!;
    else if (k === 'zone' && w[i + 1] !== undefined) d.zone = w[i + 1]!;
    else if (k === 'origin') {
      d.origin = parseOriginTag(textAfter(l, i + 1));
      if (!d.origin) fail();
      return;
    } else return fail();
    i += 2;
  }
}

/**
 * An interface's role where no annotation says it (a running configuration: pipeline/running.ts
 * then puts the intent's role in its place): a loopback by name, a link where OSPF runs
 * point-to-point or not at all, else a segment (OSPF on a segment is broadcast and passive), so
 * the point-to-point check does not fault a segment.
 */
export function guessedRole(d: IfaceDraft): InterfaceRole {
  if (d.name.toLowerCase().startsWith('loopback')) return 'loopback';
  return (d.ospf2 || d.ospf3) && !d.p2p2 && !d.p2p3 ? 'segment' : 'link';
}
