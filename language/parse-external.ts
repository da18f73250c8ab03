// The lines of an `external NAME { ... }` block: `asn`, `prefixes`, `attach`, `announce`.

import type { ExternalAnnounce, ExternalAsn, ExternalAttach, ExternalPrefixes, Token } from './ast.js';
import type { Cursor } from './parse-cursor.js';
import { Clauses, parseNameList } from './parse-statements.js';

export function parseExternalAsn(c: Cursor): ExternalAsn {
  const kw = c.next();
  const asn = c.expectInt('the AS number after `asn`');
  c.endStatement(true, '`asn` line');
  return { kind: 'asn', asn, span: c.span(kw.start, asn.span.end.offset) };
}

export function parseExternalPrefixes(c: Cursor): ExternalPrefixes {
  const kw = c.next();
  const prefixes = [c.expectAddressLiteral(true, 'a prefix after `prefixes` (e.g. `198.51.100.0/24`)')];
  while (c.is('Comma')) {
    c.expectContinuing('Comma', '`,`');
    prefixes.push(c.expectAddressLiteral(true, 'another prefix after `,`'));
  }
  if (c.is('IPv4') || c.is('IPv6')) c.fail('`,` between the prefixes', 'separate the prefixes with commas');
  c.endStatement(true, '`prefixes` line');
  return { kind: 'prefixes', prefixes, span: c.span(kw.start, prefixes[prefixes.length - 1]!.span.end.offset) };
}

export function parseExternalAttach(c: Cursor): ExternalAttach {
  const kw = c.next();
  const device = c.expectDeviceRef('the device after `attach` (e.g. `fra1.edge1`)');
  let address: Token | undefined;
  let peer: Token | undefined;
  let gateway: Token | undefined;
  let vlan: Token | undefined;
  let end = device.span.end.offset;
  const clauses = new Clauses(c);
  const shape = 'an attach is `attach DEVICE address ADDR/LEN peer ADDR|gateway ADDR [vlan N]`';
  while (!c.atStatementEnd(true)) {
    const t = c.peek();
    const word = t.kind === 'Name' ? t.text : '';
    if (word === 'address') {
      clauses.take(c.next(), 'attach');
      address = c.expectAddressLiteral(true, 'our address and its length after `address` (e.g. `169.254.10.1/30`)');
      end = address.span.end.offset;
    } else if (word === 'peer' || word === 'gateway') {
      const kwTok = c.next();
      clauses.take(kwTok, 'attach');
      if ((word === 'peer' && gateway) || (word === 'gateway' && peer)) {
        c.error('P107', kwTok.start, kwTok.end, 'an attach has `peer` (eBGP) or `gateway` (static), not both', 'keep `peer` when the external has an `asn`, else `gateway`');
      }
      const value = c.expectAddressLiteral(false, `the ${word} address after \`${word}\``);
      if (word === 'peer') peer = value;
      else gateway = value;
      end = value.span.end.offset;
    } else if (word === 'vlan') {
      clauses.take(c.next(), 'attach');
      vlan = c.expectInt('the VLAN number after `vlan`');
      end = vlan.span.end.offset;
    } else if ((t.kind === 'IPv4' || t.kind === 'IPv6') && !address) {
      c.fail('`address` before our address on the attachment', `write \`address ${t.text}\`; ${shape}`);
    } else {
      c.fail('`address`, `peer`, `gateway`, `vlan` or the end of the line', shape);
    }
  }
  if (!address) c.fail('`address` and our address on the attachment', shape);
  if (!peer && !gateway) c.fail('`peer ADDR` or `gateway ADDR`', shape);
  c.endStatement(true, 'attach');
  return {
    kind: 'attach',
    device,
    address,
    ...(peer ? { peer } : {}),
    ...(gateway ? { gateway } : {}),
    ...(vlan ? { vlan } : {}),
    span: c.span(kw.start, end),
  };
}

export function parseExternalAnnounce(c: Cursor): ExternalAnnounce {
  const kw = c.next();
  const refs = parseNameList(c, 'a segment, host or group after `announce`');
  if (c.is('Name')) c.fail(`\`,\` after \`${refs[refs.length - 1]!.text}\``, 'separate the names with commas');
  c.endStatement(true, '`announce` line');
  return { kind: 'announce', refs, span: c.span(kw.start, refs[refs.length - 1]!.span.end.offset) };
}
