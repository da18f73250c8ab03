// The forward chain of nftables.conf read back: connection tracking (statefulness and the drop
// of invalid packets), the jumps that bind filters to interfaces and the zone policy, and the
// final accept. nft-read.ts reads the table and the other chains.

import type { Span } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { References } from '../references.js';
import { INVALID_DROP, statementText } from './nft-input.js';
import type { NftReadResult } from './nft-read.js';
import { ZONE_CHAIN } from './nft-render.js';
import type { Err } from './nft-rule.js';
import { wordsOf, type NftBlock, type NftItem, type NftStatement } from './nft-syntax.js';

/** `ct state established,related accept`, also with the states as a set. */
function isConntrackAccept(node: NftStatement): boolean {
  const it = node.items;
  const states =
    it[2]?.kind === 'set'
      ? it[2].elements
          .map((e) => e.text)
          .sort()
          .join(',')
      : it[2]?.kind === 'word'
        ? it[2].word.text.split(',').sort().join(',')
        : '';
  const w = stripComment(wordsOf(node));
  return (
    w.length === 4 &&
    w[0] === 'ct' &&
    w[1] === 'state' &&
    w[3] === 'accept' &&
    states === 'established,related'
  );
}

/**
 * A rule with the verdict `accept` written among the forward chain's jumps (by hand, on a running
 * box): a packet it matches skips the jumps after it. `jumps`: how many filter jumps came before
 * it; `zonesAfter`: whether the jump to the zone policy follows it.
 */
export interface ForwardAccept {
  node: NftStatement;
  jumps: number;
  zonesAfter: boolean;
}

export function readForward(
  chain: NftBlock,
  chains: Map<string, NftBlock>,
  refs: References,
  result: NftReadResult,
  err: Err,
  handAccepts?: ForwardAccept[],
): void {
  let accepts = false;
  let policyAccepts = false;
  let jumpsToZones = false;
  let dropsInvalid: Span | undefined;
  for (const node of chain.body) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    const w = stripComment(wordsOf(node));
    const text = w.join(' ');
    if (/^type filter hook forward priority (filter|0)$/.test(text) || text === 'policy drop') continue;
    if (text === 'policy accept') {
      policyAccepts = true; // what passes every jump is forwarded, as with a final accept
      continue;
    }
    if (isConntrackAccept(node)) {
      result.stateful = true;
      continue;
    }
    if (statementText(node) === INVALID_DROP) {
      dropsInvalid = node.span;
      continue;
    }
    if (text === 'accept') {
      accepts = true;
      continue;
    }
    if (accepts) {
      err(
        Codes.readerInexpressible,
        node.span,
        "this rule follows the forward chain's accept and is never reached",
        'put the jumps before the final accept',
      );
      continue;
    }
    const jump = /^(iifname|oifname) (\S+) jump (\S+)$/.exec(text);
    if (jump && quotedWord(node.items[1])) {
      const target = jump[3]!;
      refs.reference('chain', target, node.span, 'the forward chain');
      result.bindings.push({
        interface: jump[2]!,
        direction: jump[1] === 'iifname' ? 'in' : 'out',
        filter: target,
        span: node.span,
      });
      continue;
    }
    if (text === `jump ${ZONE_CHAIN}`) {
      for (const a of handAccepts ?? []) a.zonesAfter = true;
      jumpsToZones = true;
      refs.reference('chain', ZONE_CHAIN, node.span, 'the forward chain');
      continue;
    }
    if (handAccepts && w[w.length - 1] === 'accept') {
      handAccepts.push({ node, jumps: result.bindings.length, zonesAfter: false });
      continue;
    }
    err(
      Codes.readerUnknownCommand,
      node.span,
      `the forward chain holds only the connection-tracking rule, jumps to filters and a final accept, not \`${text}\``,
    );
  }
  if (chains.has(ZONE_CHAIN) && !jumpsToZones) {
    err(
      Codes.readerInexpressible,
      chain.span,
      `the forward chain never jumps to ${ZONE_CHAIN}: the zone policy would not apply`,
      `add \`jump ${ZONE_CHAIN}\``,
    );
  }
  if (result.stateful && !dropsInvalid)
    err(
      Codes.readerMissingPart,
      chain.span,
      'the forward chain of a stateful device does not drop packets of invalid connection state',
      `add \`${INVALID_DROP}\` first`,
    );
  if (!result.stateful && dropsInvalid)
    err(
      Codes.readerInexpressible,
      dropsInvalid,
      `\`${INVALID_DROP}\` on a device that tracks no connections`,
      'a stateless device decides each packet by its filters alone',
    );
  if (!accepts && !policyAccepts)
    err(
      Codes.readerInexpressible,
      chain.span,
      'the forward chain never accepts: the device would forward nothing',
      'end the chain with `accept` (the filters it jumps to decide)',
    );
}

function quotedWord(item: NftItem | undefined): boolean {
  return item?.kind === 'word' && item.word.quoted;
}

function stripComment(words: string[]): string[] {
  const i = words.indexOf('comment');
  return i >= 0 ? words.slice(0, i) : words;
}
