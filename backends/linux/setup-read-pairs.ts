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
// test/backends/linux-route-pairs.test.ts holds the two to the same answers.

import type { Span } from '../../language/diagnostic.js';
import { writtenRoute, type RouteState } from './setup-read-routes.js';

export interface RouteFrame {
  /** `# route PREFIX` */
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

/** How many pairs `readFramedPair` has read (for the tests, which must see it read). */
let pairsRead = 0;
export function framedPairsRead(): number {
  return pairsRead;
}

/**
 * The pair from `from` (a line's start) when its text is the frame after `state.lastFrame` with
 * `state.lastHop` after each prefix, its second line ending in a line break or the file's end:
 * its route and key taken, and the offset of that end. -1, with nothing read, otherwise. The
 * caller reads pairs only in the batch.
 */
export function readFramedPair(state: PairState, content: string, from: number): number {
  const frame = state.lastFrame?.next;
  const hop = state.lastHop;
  if (frame === undefined || hop === '' || state.routeOrigins.length !== 0) return -1;
  const end = pairEnd(frame, hop, content, from);
  if (end < 0) return -1;
  state.staticRoutes.push(writtenRoute(frame.prefix, state.lastHopNextHop, state.lastHopInterface, undefined, frame.origin));
  state.routeKeys.push(frame.key);
  state.lastFrame = frame;
  pairsRead++;
  return end;
}

/**
 * Where the pair of `frame` and `hop` written from `from` ends (a line break or the file's end
 * follows), or -1. Texts cut and compared whole: V8 compares two strings' characters in bulk.
 */
function pairEnd(frame: RouteFrame, hop: string, content: string, from: number): number {
  let at = from;
  if (content.slice(at, (at += frame.head.length)) !== frame.head) return -1;
  if (content.slice(at, (at += hop.length)) !== hop) return -1;
  if (content.slice(at, (at += frame.tail.length)) !== frame.tail) return -1;
  if (content.slice(at, (at += hop.length)) !== hop) return -1;
  if (at > content.length || (at < content.length && content.charCodeAt(at) !== 0x0a)) return -1;
  return at;
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
      head: ['# route ', route.prefix].join(''),
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
