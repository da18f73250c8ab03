// setup.sh's one-hop routes read two lines at a time. setup-render.ts writes such a route as
// `# route PREFIX HOP @ TAG` and `route replace PREFIX HOP`, and the routers of a network route to
// the same prefixes with the same origins in the same order, each through its own few hops (at
// 400 devices, 80 Linux routers' 385,200 routes are of 4,816 prefixes). A frame is such a pair's
// text but its hop, learned from a pair the line-by-line reading read (setup-read.ts
// `writtenRouteLine`), with what that reading made of it: the prefix's text and key and the tag's
// span. Frames are linked in the order they were met, so that the pair after a frame is most
// likely the frame after it. A pair whose text is the predicted frame's with the reader's last
// hop in both places is read by comparing texts: the lines' reading depends on nothing but their
// text, so it would make the same route. Any other text goes to that reading, which learns again.
// The pairs predicted after a frame are compared as one block: their texts joined with the hop
// between them, one cut of the file compared whole (V8 compares a cut of a file through a call
// into the runtime, so one comparison of a block costs less than four a pair).
// test/backends/linux-route-pairs.test.ts holds the two to the same answers.

import type { Span } from '../../language/diagnostic.js';
import { writtenRoute, type RouteState } from './setup-read-routes.js';

export interface RouteFrame {
  /** `\n# route PREFIX`: the line break before the comment, then its words up to the hop */
  readonly head: string;
  /** ` @ TAG\nroute replace PREFIX` */
  readonly tail: string;
  /** The tag's text, to tell this frame from one of the same prefix and another tag. */
  readonly tag: string;
  readonly prefix: string;
  /** `ipv4Key` of the prefix. */
  readonly key: number;
  readonly origin: Span;
  /** The frame whose pair followed this one's last. */
  next: RouteFrame | undefined;
}

/** The part of the reader's state a pair reads and changes. */
export interface PairState extends RouteState {
  /** The frame of the last pair read in place or learned, in this file. */
  lastFrame: RouteFrame | undefined;
  /** How many pairs the last `readFramedPairs` read. */
  framedPairCount: number;
}

/**
 * Frames by prefix key, across files; one a prefix (a prefix met with another tag replaces its
 * frame). Emptied past FRAMES_MAX: the links of the frames still held lead to dropped ones only
 * until their pairs are learned again.
 */
const FRAMES_MAX = 65_536;
const frames = new Map<number, RouteFrame>();

/** How many frames are kept (for the tests of the bound). */
export function keptRouteFrameCount(): number {
  return frames.size;
}

/** How many pairs `readFramedPairs` has read (for the tests, which must see it read). */
let pairsRead = 0;
export function framedPairsRead(): number {
  return pairsRead;
}

/** Pairs compared as one block at most: a block's text is made for it, wasted past a pair that differs. */
const BLOCK_MAX = 32;
/** The block's texts around its hops, and where each pair ends in its joined text (reused). */
const blockTexts: string[] = [];
const blockFrames: RouteFrame[] = [];
const blockEnds: number[] = [];

/**
 * The pairs from `from` (a line's start) whose texts are the frames after `state.lastFrame`, each
 * with `state.lastHop` after its prefix, each pair's second line ending in a line break or the
 * file's end: their routes and keys taken, their number in `state.framedPairCount`, and the offset
 * where the last one ends. -1, with nothing read, when not even the first pair is such a text. The
 * caller reads pairs only in the batch.
 */
export function readFramedPairs(state: PairState, content: string, from: number): number {
  const first = state.lastFrame?.next;
  const hop = state.lastHop;
  if (first === undefined || hop === '' || state.routeOrigins.length !== 0 || from === 0) return -1;
  // the frames along the links, their texts joined with the hop after each: the text of the
  // pairs as they follow one another, from the line break before the first
  blockTexts.length = 0;
  blockFrames.length = 0;
  blockEnds.length = 0;
  let length = 0;
  for (let frame: RouteFrame | undefined = first; frame !== undefined && blockFrames.length < BLOCK_MAX; frame = frame.next) {
    blockTexts.push(frame.head, frame.tail);
    blockFrames.push(frame);
    blockEnds.push((length += frame.head.length + frame.tail.length + 2 * hop.length));
  }
  blockTexts.push('');
  const text = blockTexts.join(hop);
  const start = from - 1;
  const count = blockFrames.length;
  let read = pairsMatching(content, start, text, count) ? count : 0;
  if (read === 0) {
    // the pairs before the first that differs: the most that match, by halves
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (pairsMatching(content, start, text, mid)) low = mid;
      else high = mid - 1;
    }
    read = low;
  }
  if (read === 0) return -1;
  const { staticRoutes, routeKeys, lastHopNextHop, lastHopInterface } = state;
  for (let k = 0; k < read; k++) {
    const frame = blockFrames[k]!;
    staticRoutes.push(writtenRoute(frame.prefix, lastHopNextHop, lastHopInterface, undefined, frame.origin));
    routeKeys.push(frame.key);
  }
  state.lastFrame = blockFrames[read - 1]!;
  state.framedPairCount = read;
  pairsRead += read;
  return start + blockEnds[read - 1]!;
}

/**
 * Whether the file from `start` is the first `count` pairs of the block's `text`, a line break or
 * the file's end after them. A cut of the file compared whole: V8 compares two strings'
 * characters in bulk.
 */
function pairsMatching(content: string, start: number, text: string, count: number): boolean {
  const length = blockEnds[count - 1]!;
  const end = start + length;
  if (end > content.length || (end < content.length && content.charCodeAt(end) !== 0x0a)) return false;
  return content.slice(start, end) === (length === text.length ? text : text.slice(0, length));
}

/**
 * After the line-by-line reading of a `# route` comment (its tag from `tagFrom` to the line break
 * before `routeFrom`) and of the route line after it (from `routeFrom`), which took the last
 * static route with that comment's origin: the frame of the route's prefix and that tag, kept
 * and linked after the last one. A frame is a text and what the lines' reading makes of it: the
 * prefix's text and key are the route's, and its origin is the one read from that tag's text.
 */
export function learnPair(state: PairState, content: string, tagFrom: number, routeFrom: number): void {
  const route = state.staticRoutes[state.staticRoutes.length - 1]!;
  const key = state.routeKeys[state.routeKeys.length - 1]!;
  const tagText = content.slice(tagFrom, routeFrom - 1);
  let frame = frames.get(key);
  // a key has one prefix text; a prefix met with another tag (the same origin written otherwise
  // too) takes a frame of its own
  if (frame === undefined || frame.tag !== tagText) {
    // joined: texts of their own, not views of the file (which they would keep alive)
    const tag = [tagText].join('');
    frame = {
      head: ['\n# route ', route.prefix].join(''),
      tail: [' @ ', tag, '\nroute replace ', route.prefix].join(''),
      tag,
      prefix: route.prefix,
      key,
      origin: route.origin,
      next: undefined,
    };
    if (frames.size >= FRAMES_MAX) frames.clear();
    frames.set(key, frame);
  }
  if (state.lastFrame !== undefined) state.lastFrame.next = frame;
  state.lastFrame = frame;
}
