// IOS-XE ACL address operands written as Plumb writes them, found by their numbers (acl-read.ts
// readAddress asks here first; any other spelling is read by its words there, and reported).

import type { Prefix } from '../../language/address.js';
import { ByNetwork } from './by-network.js';
import { ipv4NumberIn } from './syntax.js';

/**
 * The operand `A M` (a wildcard when `wildcard`) written as Plumb writes it, both numbers dotted
 * without leading zeros (ipv4NumberIn) and the mask contiguous: the one frozen list of its
 * network, as readAddress's reading by words (acl-read.ts) gives it; undefined for any other words,
 * which that reading decides (and reports). Found by numbers rather than by the words: two words
 * hashed and looked up cost more than reading them (an entry has two operands, a large list thousands).
 */
export function writtenOperand(w: string, m: string, wildcard: boolean): readonly Prefix[] | undefined {
  const a = ipv4NumberIn(w, 0, w.length);
  if (a < 0) return undefined;
  const v = ipv4NumberIn(m, 0, m.length);
  if (v < 0) return undefined;
  const length = maskBits(wildcard ? ~v >>> 0 : v);
  if (length < 0) return undefined;
  const net = length === 0 ? 0 : (a & (0xffffffff << (32 - length))) >>> 0;
  let one = operands.get(length, net);
  if (one === undefined) {
    one = Object.freeze([Object.freeze({ family: 4, value: BigInt(net), length } as Prefix)]);
    operands.set(length, net, one);
  }
  return one;
}

/** The length of the contiguous IPv4 mask `m` (a number), -1 when it is not one. */
function maskBits(m: number): number {
  const length = Math.clz32(~m);
  return (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0) === m ? length : -1;
}

/** writtenOperand's lists, by length and network; emptied past 65,536. */
const operands = new ByNetwork<readonly Prefix[]>(1 << 16);

/** How many operands writtenOperand keeps (for the tests of the bound). */
export function keptOperandCount(): number {
  return operands.size;
}
