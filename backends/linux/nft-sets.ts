// The sets of nftables.conf's `table inet plumb`, read back: named address sets (IPv4 or IPv6
// prefixes that rules name as `@NAME`) and zone sets (`zone_NAME`: a firewall zone's
// interfaces). nft-read.ts reads the table and its chains.

import type { ZoneModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import { ZONE_SET_PREFIX } from './nft-render.js';
import { prefixText, type Err } from './nft-rule.js';
import { wordsOf, type NftBlock } from './nft-syntax.js';

/** The family of an address set (`type ipv4_addr` / `type ipv6_addr`), else undefined. */
export function addressSetFamily(block: NftBlock): 4 | 6 | undefined {
  for (const node of block.body) {
    if (node.kind !== 'statement') continue;
    const w = wordsOf(node).join(' ');
    if (w === 'type ipv4_addr') return 4;
    if (w === 'type ipv6_addr') return 6;
  }
  return undefined;
}

export function readAddressSet(block: NftBlock, family: 4 | 6, err: Err): string[] {
  const prefixes: string[] = [];
  for (const node of block.body) {
    if (node.kind === 'comment') continue;
    if (node.kind !== 'statement') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a set');
      continue;
    }
    const w = wordsOf(node);
    const text = w.join(' ');
    if (text === `type ipv${family}_addr` || text === 'flags interval' || text === 'auto-merge') continue;
    if (w[0] === 'elements' && w[1] === '=' && node.items.length === 3) {
      const v = node.items[2]!;
      for (const e of v.kind === 'set' ? v.elements : [v.word]) {
        const p = prefixText(e.text, family);
        if (p) prefixes.push(p);
        else
          err(
            Codes.readerMalformedValue,
            e.span,
            `\`${e.text}\` is not an ${family === 4 ? 'IPv4' : 'IPv6'} address or prefix`,
          );
      }
      continue;
    }
    err(
      Codes.readerUnknownCommand,
      node.span,
      `unknown set statement \`${text}\``,
      'an address set has `type`, `flags interval`, `auto-merge` and `elements`',
    );
  }
  return prefixes;
}

export function readZoneSet(block: NftBlock, err: Err): ZoneModel | undefined {
  const name = block.head[1]!.text;
  if (!name.startsWith(ZONE_SET_PREFIX)) {
    err(Codes.readerUnknownCommand, block.head[1]!.span, `set \`${name}\` is not a zone set (zone_NAME)`);
    return undefined;
  }
  return { name: name.slice(ZONE_SET_PREFIX.length), interfaces: readIfnameSet(block, err, 'a zone set has `type ifname` and `elements = { "eth1", ... }`') };
}

/** The interface names of a set of `type ifname` (a zone's, a NAT side's), sorted and unique; `shape` is the hint for anything else in it. */
export function readIfnameSet(block: NftBlock, err: Err, shape: string): string[] {
  const names: string[] = [];
  for (const node of block.body) {
    if (node.kind === 'comment') continue;
    if (node.kind !== 'statement') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a set');
      continue;
    }
    const w = wordsOf(node);
    if (w.join(' ') === 'type ifname') continue;
    if (w[0] === 'elements' && w[1] === '=' && node.items.length === 3) {
      const v = node.items[2]!;
      for (const e of v.kind === 'set' ? v.elements : [v.word]) names.push(e.text);
      continue;
    }
    err(Codes.readerUnknownCommand, node.span, `unknown set statement \`${w.join(' ')}\``, shape);
  }
  return [...new Set(names)].sort();
}
