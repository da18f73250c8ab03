// The one-line declarations, and a site's devices and links: each function gets the cursor on
// the statement's keyword and returns its node. A missing or wrong part fails the statement
// (see parse-cursor.ts). Rules and assertions are in parse-flow.ts, externals' lines in
// parse-external.ts.

import type {
  DeviceDecl,
  DeviceRef,
  GroupDecl,
  HostDecl,
  LinkDecl,
  LinkEnd,
  NetworkDecl,
  PoolDecl,
  RoutingDecl,
  SegmentDecl,
  ServiceDecl,
  ServiceItem,
  Token,
} from './ast.js';
import type { Cursor } from './parse-cursor.js';
import type { Tok } from './tokens.js';

/** Remembers which optional clauses a statement has had, to report a repeated one (P107). */
export class Clauses {
  private readonly seen = new Map<string, Tok>();
  constructor(private readonly c: Cursor) {}

  take(keyword: Tok, what: string, key = keyword.text): void {
    const before = this.seen.get(key);
    if (before) {
      this.c.error('P107', keyword.start, keyword.end, `${key.startsWith('"') ? 'a description' : `\`${key}\``} is given twice in this ${what}`, 'keep one of them', [
        { span: this.c.span(before.start, before.end), message: 'first given here' },
      ]);
    }
    this.seen.set(key, keyword);
  }
}

export function parseNetwork(c: Cursor, inBlock: boolean): NetworkDecl {
  const kw = c.next();
  const name = c.expectName('the network name after `network`');
  const description = c.is('String') || c.is('UnterminatedString') ? c.token(c.next()) : undefined;
  const end = description?.span.end.offset ?? name.span.end.offset;
  c.endStatement(inBlock, '`network` line', 'a network line is `network NAME "description"`');
  return { kind: 'network', name, ...(description ? { description } : {}), span: c.span(kw.start, end) };
}

export function parseRouting(c: Cursor, inBlock: boolean): RoutingDecl {
  const kw = c.next();
  const t = c.peek();
  if (t.kind !== 'Name' || (t.text !== 'static' && t.text !== 'ospf')) {
    c.fail('`static` or `ospf` after `routing`', 'the internal routing is `routing static` (the default) or `routing ospf`');
  }
  const mode = c.token(c.next());
  c.endStatement(inBlock, '`routing` line');
  return { kind: 'routing', mode, span: c.span(kw.start, mode.span.end.offset) };
}

export function parsePool(c: Cursor, inBlock: boolean): PoolDecl {
  const kw = c.next();
  const name = c.expectName('the pool name after `pool`');
  const prefix = c.expectAddressLiteral(true, `the pool's prefix after \`${name.text}\` (e.g. \`10.255.0.0/16\`)`);
  c.endStatement(inBlock, 'pool', 'a pool has one prefix: `pool NAME PREFIX`');
  return { kind: 'pool', name, prefix, span: c.span(kw.start, prefix.span.end.offset) };
}

export function parseDevice(c: Cursor, inBlock: boolean): DeviceDecl {
  const roleTok = c.next();
  const role = c.token(roleTok);
  const name = c.expectName(`the device name after \`${roleTok.text}\``);
  const platform = c.expectName(
    `the platform of \`${name.text}\``,
    'the platform is one of `cisco-iosxe`, `paloalto-panos`, `frr`, `linux`',
  );
  let asn: Token | undefined;
  let loopback: Token | undefined;
  let end = platform.span.end.offset;
  const clauses = new Clauses(c);
  while (!c.atStatementEnd(inBlock)) {
    const t = c.peek();
    if (t.kind === 'Name' && t.text === 'asn') {
      clauses.take(c.next(), 'device');
      asn = c.expectInt('the AS number after `asn`');
      end = asn.span.end.offset;
    } else if (t.kind === 'Name' && t.text === 'loopback') {
      clauses.take(c.next(), 'device');
      loopback = c.expectAddressLiteral(false, 'the loopback address after `loopback` (e.g. `10.255.255.1`)');
      end = loopback.span.end.offset;
    } else {
      c.fail('`asn`, `loopback` or the end of the line', 'a device is `router|firewall NAME PLATFORM [asn N] [loopback ADDR]`');
    }
  }
  c.endStatement(inBlock, 'device');
  return {
    kind: 'device',
    role,
    name,
    platform,
    ...(asn ? { asn } : {}),
    ...(loopback ? { loopback } : {}),
    span: c.span(roleTok.start, end),
  };
}

function parseLinkEnd(c: Cursor, which: string): LinkEnd {
  const device = c.expectDeviceRef(`the ${which} device of the link`, 'a link is `link A -- B`, e.g. `link edge1 -- fw1`');
  if (!c.is('IfPin')) return { device, span: device.span };
  const pin = c.next();
  const ifname: Token = { text: pin.text.slice(1), span: c.span(pin.start + 1, pin.end) };
  return { device, ifname, span: c.span(device.span.start.offset, pin.end) };
}

export function parseLink(c: Cursor, inBlock: boolean): LinkDecl {
  const kw = c.next();
  const a = parseLinkEnd(c, 'first');
  if (c.is('Colon')) {
    c.fail('`--` after the first device', 'an interface name follows its device without spaces: `edge1:Gi2`');
  }
  c.expect('DashDash', `\`--\` between the link's two devices`, 'a link is `link A -- B`');
  const b = parseLinkEnd(c, 'second');
  let prefix: Token | undefined;
  let cost: Token | undefined;
  let end = b.span.end.offset;
  const clauses = new Clauses(c);
  while (!c.atStatementEnd(inBlock)) {
    const t = c.peek();
    if (t.kind === 'Name' && t.text === 'cost') {
      clauses.take(c.next(), 'link');
      cost = c.expectInt('the cost after `cost`');
      end = cost.span.end.offset;
    } else if ((t.kind === 'IPv4' || t.kind === 'IPv6') && !prefix) {
      prefix = c.expectAddressLiteral(true, "the link's prefix (e.g. `10.0.0.0/31`)");
      end = prefix.span.end.offset;
    } else {
      c.fail('the link\'s prefix, `cost` or the end of the line', 'a link is `link A -- B [PREFIX] [cost N]`');
    }
  }
  c.endStatement(inBlock, 'link');
  return {
    kind: 'link',
    a,
    b,
    ...(prefix ? { prefix } : {}),
    ...(cost ? { cost } : {}),
    span: c.span(kw.start, end),
  };
}

export function parseSegment(c: Cursor, inBlock: boolean): SegmentDecl {
  const kw = c.next();
  const name = c.expectName('the segment name after `segment`');
  c.declaring = name;
  const prefixes = [c.expectAddressLiteral(true, `the prefix of segment \`${name.text}\` (e.g. \`10.0.1.0/24\`)`)];
  while (c.is('Comma')) {
    c.expectContinuing('Comma', '`,`');
    prefixes.push(c.expectAddressLiteral(true, 'another prefix after `,`'));
  }
  let at: DeviceRef | undefined;
  let zone: Token | undefined;
  let vlan: Token | undefined;
  let description: Token | undefined;
  let end = prefixes[prefixes.length - 1]!.span.end.offset;
  const clauses = new Clauses(c);
  while (!c.atStatementEnd(inBlock)) {
    const t = c.peek();
    if (t.kind === 'Name' && t.text === 'at') {
      clauses.take(c.next(), 'segment');
      at = c.expectDeviceRef('the gateway device after `at` (e.g. `fra1.fw1`)');
      end = at.span.end.offset;
    } else if (t.kind === 'Name' && t.text === 'zone') {
      clauses.take(c.next(), 'segment');
      zone = c.expectName('the zone name after `zone`');
      end = zone.span.end.offset;
    } else if (t.kind === 'Name' && t.text === 'vlan') {
      clauses.take(c.next(), 'segment');
      vlan = c.expectInt('the VLAN number after `vlan`');
      end = vlan.span.end.offset;
    } else if (t.kind === 'String' || t.kind === 'UnterminatedString') {
      clauses.take(t, 'segment', '"description"');
      description = c.token(c.next());
      end = t.end;
    } else if (t.kind === 'IPv4' || t.kind === 'IPv6') {
      c.fail('`,` between the segment\'s prefixes', `write \`${prefixes[prefixes.length - 1]!.text}, ${t.text}\``);
    } else if (!at && t.kind === 'Name') {
      c.fail('`at` before the gateway device', `write \`at ${c.deviceRefText()}\`: a segment is \`segment NAME PREFIX at DEVICE\``);
    } else {
      c.fail('`at`, `zone`, `vlan`, a description or the end of the line', 'a segment is `segment NAME PREFIX[, PREFIX] at DEVICE [zone Z] [vlan N] ["description"]`');
    }
  }
  if (!at) c.fail('`at` and the gateway device', 'a segment is `segment NAME PREFIX at DEVICE`, e.g. `segment web 10.0.1.0/24 at fra1.fw1`');
  c.endStatement(inBlock, 'segment');
  return {
    kind: 'segment',
    name,
    prefixes,
    at,
    ...(zone ? { zone } : {}),
    ...(vlan ? { vlan } : {}),
    ...(description ? { description } : {}),
    span: c.span(kw.start, end),
  };
}

export function parseHost(c: Cursor, inBlock: boolean): HostDecl {
  const kw = c.next();
  const name = c.expectName('the host name after `host`');
  c.declaring = name;
  const address = c.expectAddressLiteral(false, `the address of host \`${name.text}\` (e.g. \`10.0.1.10\`)`);
  if (!c.isKeyword('in')) {
    c.fail('`in` before the segment', `a host is \`host NAME ADDR in SEGMENT\`, e.g. \`host ${name.text} ${address.text} in web\``);
  }
  c.next();
  const segment = c.expectName('the segment name after `in`');
  c.endStatement(inBlock, 'host');
  return { kind: 'host', name, address, segment, span: c.span(kw.start, segment.span.end.offset) };
}

/** `NAME, NAME, ...`: at least one name; a line may continue after a comma. */
export function parseNameList(c: Cursor, what: string, hint?: string): Token[] {
  const names = [c.expectName(what, hint)];
  while (c.is('Comma')) {
    c.expectContinuing('Comma', '`,`');
    names.push(c.expectName(`another ${what.replace(/^(the|a|an) /, '').replace(/ after .*$/, '')} after \`,\``));
  }
  return names;
}

export function parseGroup(c: Cursor, inBlock: boolean): GroupDecl {
  const kw = c.next();
  const name = c.expectName('the group name after `group`');
  c.declaring = name;
  c.expectContinuing('Equals', `\`=\` after the group name \`${name.text}\``, `a group is \`group ${name.text} = A, B, ...\``);
  const members = parseNameList(c, 'a member name (a segment, host, external or group)');
  if (c.is('Name')) c.fail(`\`,\` after \`${members[members.length - 1]!.text}\``, 'separate the members with commas');
  c.endStatement(inBlock, 'group');
  return { kind: 'group', name, members, span: c.span(kw.start, members[members.length - 1]!.span.end.offset) };
}

const PORT_PROTOCOLS = new Set(['tcp', 'udp']);

function parseServiceItem(c: Cursor, inBlock: boolean): ServiceItem {
  const t = c.peek();
  if (t.kind === 'Int') {
    const protocol = c.token(c.next());
    return { protocol, ports: [], span: protocol.span };
  }
  const protocol = c.expectName('a protocol (`tcp`, `udp`, `icmp` or a number) or a service name', 'a service item is `tcp 80`, `udp 53`, `icmp echo`, `47` or the name of another service');
  let end = protocol.span.end.offset;
  const ports: Token[] = [];
  let icmpType: Token | undefined;
  if (PORT_PROTOCOLS.has(protocol.text)) {
    while (c.is('Int') || c.is('PortRange')) {
      const port = c.token(c.next());
      ports.push(port);
      end = port.span.end.offset;
    }
  } else if (protocol.text === 'icmp' && (c.is('Name') || c.is('Int'))) {
    icmpType = c.token(c.next());
    end = icmpType.span.end.offset;
  }
  if (!c.atStatementEnd(inBlock) && !c.is('Comma')) {
    const hint =
      c.is('Int') || c.is('PortRange')
        ? PORT_PROTOCOLS.has(protocol.text)
          ? undefined
          : 'only `tcp` and `udp` take ports'
        : c.is('Name')
          ? 'separate the items with commas: `tcp 80, udp 53`'
          : undefined;
    c.fail(`\`,\` or the end of the line after the service item \`${c.index.text.slice(protocol.span.start.offset, end)}\``, hint);
  }
  return { protocol, ports, ...(icmpType ? { icmpType } : {}), span: c.span(protocol.span.start.offset, end) };
}

export function parseService(c: Cursor, inBlock: boolean): ServiceDecl {
  const kw = c.next();
  const name = c.expectName('the service name after `service`');
  c.declaring = name;
  c.expectContinuing('Equals', `\`=\` after the service name \`${name.text}\``, `a service is \`service ${name.text} = tcp 8080\``);
  const items = [parseServiceItem(c, inBlock)];
  while (c.is('Comma')) {
    c.expectContinuing('Comma', '`,`');
    items.push(parseServiceItem(c, inBlock));
  }
  c.endStatement(inBlock, 'service');
  return { kind: 'service', name, items, span: c.span(kw.start, items[items.length - 1]!.span.end.offset) };
}
