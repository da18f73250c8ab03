// IPv4 prefix-list entries read straight from a configuration's text where they are written as
// Plumb writes them (`ip prefix-list NAME seq N permit A.B.C.D/LEN`; read-written.ts hands them
// here). The routers of a large network write the same redistribution lists (at 400 devices,
// 385,000 entries of about 4,800 prefixes, under a few names), and the lines of one router are
// mostly the lines of the router read before it (a site's own segments left out shift a few
// sequence numbers). Each entry's line is kept with what it says, chained in reading order as
// the route heads are (read-written.ts): a line that is the next kept line's text takes it,
// without reading its words. What a line says is a function of its text, and a kept line is
// taken only where the file holds that text, so a changed character is read the word-by-word way.

import { parsePrefix, type Prefix } from '../../language/address.js';
import { ownCopy } from '../origin-tag.js';
import { ByNetwork } from './by-network.js';
import { PlainLine, type IosLine } from './lines.js';
import { ipv4HostBits, ipv4NetworkText } from './syntax.js';
import { digitsWordAt, dottedAt, nameEnd, scanned, wordIs } from './written-scan.js';

/** An entry's line as read and what it says: the list's name, the prefix, its canonical text and its number and length. */
interface EntryLine {
  text: string;
  name: string;
  prefix: Prefix;
  prefixText: string;
  value: number;
  length: number;
  /** The line read right after this one the last time this one was read. */
  next: EntryLine | undefined;
}

/**
 * Consecutive entries of one IPv4 prefix-list, each `seq N permit PREFIX` in Plumb's form; the
 * first entry's line defines the list when it is new (readPrefixList). The prefixes' texts and
 * whether they come in comparePrefixes' order without repeats (as Plumb writes a list) are
 * kept as they are read, so that a route-map of this list alone needs neither a pass over the
 * prefixes nor their texts made again (read-routing.ts routeMapPrefixes).
 */
export class WrittenEntries {
  /** The entries' prefixes (their sequence numbers are checked, not kept: read-state.ts prefixLists). */
  readonly entries: Prefix[] = [];
  /** The entries' prefixes as prefixText gives them, in the same order. */
  readonly texts: string[] = [];
  /** Every prefix is after the one before it in comparePrefixes' order (so none repeats). */
  increasing = true;
  private line: IosLine | undefined;
  private lastValue = -1;
  private lastLength = -1;
  constructor(
    private readonly first: PlainLine,
    readonly name: string,
  ) {}

  /** The first entry's line, as readPrefixList makes it (once). */
  firstLine(): IosLine {
    return (this.line ??= this.first.ios());
  }

  add(e: EntryLine): void {
    // networks of one family: the number, then the length, as comparePrefixes orders them
    if (this.increasing && !(e.value > this.lastValue || (e.value === this.lastValue && e.length > this.lastLength))) this.increasing = false;
    this.lastValue = e.value;
    this.lastLength = e.length;
    this.entries.push(e.prefix);
    this.texts.push(e.prefixText);
  }
}

/** Entry lines read, by prefix (the last line read for each), across files; emptied once ENTRIES_MAX lines were made. */
const ENTRIES_MAX = 1 << 16;
const entryLines = new ByNetwork<EntryLine>(ENTRIES_MAX);
let lastEntry: EntryLine | undefined;

/** How many entry lines are kept, and how many the chain from the last one reaches (for the tests of the bound). */
export function keptEntryLineCounts(): { kept: number; chained: number } {
  const seen = new Set<EntryLine>();
  for (let e = lastEntry; e !== undefined && !seen.has(e); e = e.next) seen.add(e);
  return { kept: entryLines.size, chained: seen.size };
}

let entryGuessesTaken = 0;

/** How many entries were read by the chain's guess (for the tests that it is taken). */
export function entryGuessesTakenCount(): number {
  return entryGuessesTaken;
}

/** `content`'s [at, end) is `text` (a cut compared whole: V8 compares it in bulk, startsWith a character at a time). */
function holds(content: string, at: number, end: number, text: string): boolean {
  return end - at === text.length && content.slice(at, end) === text;
}

/** Follows lastEntry with `e`. */
function chain(e: EntryLine): EntryLine {
  if (lastEntry !== undefined) lastEntry.next = e;
  lastEntry = e;
  return e;
}

/**
 * `ip prefix-list NAME seq N permit A.B.C.D/LEN` in [at, end) with N 1-4294967294 and the prefix
 * a network (no host bits), as readPrefixList reads it: the kept line when the text is one's,
 * else read word by word (and kept). Undefined for anything else.
 */
function entryLine(content: string, at: number, end: number): EntryLine | undefined {
  const guess = lastEntry?.next;
  if (guess !== undefined && holds(content, at, end, guess.text)) {
    lastEntry = guess;
    entryGuessesTaken++;
    return guess;
  }
  // `ip prefix-list ` was matched by lexSections: NAME seq N permit A.B.C.D/LEN, read in one pass
  const ns = at + 15;
  const ne = nameEnd(content, ns, end, false);
  if (ne < 0 || ne === end || !content.startsWith('seq ', ne + 1)) return undefined;
  const seq = digitsWordAt(content, ne + 5, end, 4294967294);
  if (seq < 1 || scanned.at === end || !content.startsWith('permit ', scanned.at + 1)) return undefined;
  const ps = scanned.at + 8;
  const a = dottedAt(content, ps, end);
  const slash = scanned.at;
  if (a < 0 || slash >= end || content.charCodeAt(slash) !== 0x2f) return undefined;
  const length = digitsWordAt(content, slash + 1, end, 32);
  // the length as parsePrefix takes it (no leading zero), and no host bits: the prefix is its network
  if (length < 0 || scanned.at !== end || (end - slash > 2 && content.charCodeAt(slash + 1) === 48)) return undefined;
  if (ipv4HostBits(a, length)) return undefined;
  const kept = entryLines.get(length, a);
  if (kept !== undefined && holds(content, at, end, kept.text)) return chain(kept);
  // the prefix text is canonical (no leading zeros, no host bits): its address and length say
  // its text and parsePrefix's answer for it, which a line kept for the prefix already holds
  let prefix = kept?.prefix;
  if (prefix === undefined) {
    const parsed = parsePrefix(content.slice(ps, end));
    if (parsed === undefined || parsed.family !== 4) return undefined;
    prefix = parsed;
  }
  const name = kept !== undefined && wordIs(content, ns, ne, kept.name) ? kept.name : ownCopy(content.slice(ns, ne));
  const e: EntryLine = { text: ownCopy(content.slice(at, end)), name, prefix, prefixText: kept?.prefixText ?? ipv4NetworkText(a, length), value: a, length, next: undefined };
  // every line made counts toward the bound, one that takes a prefix's place too: then no more
  // than ENTRIES_MAX lines are reachable from the store and the chain at once (a line made after
  // the store is emptied is followed only by lines taken from it or made later)
  entryLines.set(length, a, e);
  return chain(e);
}

/**
 * The entry in [at, end) of `file`'s `content` (line `line`), joined to `previous` when that holds
 * the same list's entries; undefined when the line is not one (entryLine).
 */
export function writtenEntry(file: string, content: string, at: number, end: number, line: number, previous: unknown): WrittenEntries | undefined {
  const e = entryLine(content, at, end);
  if (e === undefined) return undefined;
  const entries = previous instanceof WrittenEntries && previous.name === e.name ? previous : new WrittenEntries(new PlainLine(file, line, at, content.slice(at, end)), e.name);
  entries.add(e);
  return entries;
}
