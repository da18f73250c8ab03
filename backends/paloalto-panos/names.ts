// PAN-OS object names: at most 63 characters (zones 31) of letters, digits, `-`, `_`, `.`,
// starting with a letter or digit; made unique deterministically (`-2`, `-3`… in order of use).
// And the `plumb` annotation comments: `plumb KIND key=value …`, values percent-encoded
// (text-escape.ts) so that a value is one word that cannot end the XML comment.

import { formatIPv4, formatIPv6, network, prefixOf } from '../../language/address.js';
import { escapeText, lineUnsafe, unescapeText } from '../text-escape.js';

export const NAME_MAX = 63;
export const ZONE_NAME_MAX = 31;

/** A letter, digit, `_`, `.` or `-`: what a name may hold. */
const isNameCode = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
/** `-`, `_` or `.`: what a name may not start or end with. */
const isEdgeCode = (c: number): boolean => c === 0x2d || c === 0x5f || c === 0x2e;

/**
 * `text` as a name: every run of other characters (UTF-16 code units) a `-`, no `-` twice in a
 * row, no `-`, `_` or `.` at either end, `x` for nothing, cut to `max` characters. One pass over
 * the text rather than four regular expressions: every security rule's name is made here, and
 * a rule's description (its usual source) is words and an arrow, so the replacements happen.
 */
export function cleanName(text: string, max = NAME_MAX): string {
  let s = '';
  let from = 0; // text[from, i) is copied as it is
  let dash = false; // whether the last character kept is a `-`
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x2d && isNameCode(c)) {
      dash = false;
      continue;
    }
    // a `-` or a character a name cannot hold: one `-`, unless one is just before
    s += text.slice(from, i);
    if (!dash) s += '-';
    dash = true;
    from = i + 1;
  }
  s = from === 0 ? text : s + text.slice(from);
  let start = 0;
  let end = s.length;
  while (start < end && isEdgeCode(s.charCodeAt(start))) start++;
  while (end > start && isEdgeCode(s.charCodeAt(end - 1))) end--;
  if (start === end) return 'x'.slice(0, max);
  end = Math.min(end, start + max);
  while (end > start && isEdgeCode(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

export class NameTable {
  private readonly used = new Set<string>();
  constructor(
    private readonly max = NAME_MAX,
    reserved: string[] = [],
  ) {
    for (const r of reserved) this.used.add(r.toLowerCase());
  }
  /** A unique name derived from `text` (PAN-OS compares names case-insensitively in places). */
  take(text: string): string {
    const base = cleanName(text, this.max);
    let name = base;
    let lower = name.toLowerCase();
    for (let k = 2; this.used.has(lower); k++) {
      const suffix = `-${k}`;
      name = `${base.slice(0, this.max - suffix.length).replace(/[-_.]+$/, '')}${suffix}`;
      lower = name.toLowerCase();
    }
    this.used.add(lower);
    return name;
  }
}

/**
 * Address object names made before, by the prefix's text: every firewall of a network names most
 * of the same prefixes, each parsed and formatted again otherwise. Emptied past KNOWN_NAMES.
 */
const knownNames = new Map<string, string>();
const KNOWN_NAMES = 65_536;

/** The address object name for a prefix: `h-10.0.0.1`, `n-10.0.0.0_24`, `n6-2001-db8--_32`. */
export function addressName(prefix: string): string {
  let name = knownNames.get(prefix);
  if (name === undefined) {
    if (knownNames.size >= KNOWN_NAMES) knownNames.clear();
    knownNames.set(prefix, (name = nameOfPrefix(prefix)));
  }
  return name;
}

/** `addressName`, made from the prefix. */
export function nameOfPrefix(prefix: string): string {
  const p = network(prefixOf(prefix));
  if (p.family === 4) return p.length === 32 ? `h-${formatIPv4(p.value)}` : `n-${formatIPv4(p.value)}_${p.length}`;
  const text = formatIPv6(p.value).replace(/:/g, '-');
  return p.length === 128 ? `h6-${text}` : `n6-${text}_${p.length}`;
}

/** Annotation values: no whitespace (words), no `=`, no `--` or final `-` (the comment's end). */
const encodeAny = (v: string): string =>
  escapeText(v, (c, i, t) => lineUnsafe(c, i, t) || /\s/.test(c) || c === '=' || (c === '-' && (t[i + 1] === '-' || i + 1 === t.length)));

/**
 * `encodeAny`, decided per character code for printable ASCII, as nearly every value is (origin
 * tags, names, prefixes): a space is `%20` and `=` is `%3D` (their UTF-8 bytes), a `-` before
 * another or at the end `%2D`, anything else kept. A `%` (kept or escaped by what follows it)
 * and any character outside printable ASCII leave the whole value to `encodeAny`.
 */
export function encodeAnnotationValue(v: string): string {
  let out = '';
  let kept = 0; // v[kept, i) is copied as it is
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    let escaped: string | undefined;
    if (c === 0x20) escaped = '%20';
    else if (c === 0x3d) escaped = '%3D';
    else if (c === 0x2d) escaped = i + 1 === v.length || v.charCodeAt(i + 1) === 0x2d ? '%2D' : undefined;
    else if (c === 0x25 || c < 0x20 || c > 0x7e) return encodeAny(v);
    if (escaped !== undefined) {
      out += v.slice(kept, i) + escaped;
      kept = i + 1;
    }
  }
  return kept === 0 ? v : out + v.slice(kept);
}

/** `plumb KIND k=v …`, the fields without a value left out (every security rule has one: a loop, no lists made). */
export function annotation(kind: string, fields: [string, string | undefined][]): string {
  let out = `plumb ${kind}`;
  for (let f = 0; f < fields.length; f++) {
    const [k, v] = fields[f]!;
    if (v !== undefined) out += ` ${k}=${encodeAnnotationValue(v)}`;
  }
  return out;
}

/** Parses `plumb KIND k=v …`; undefined when the comment is not a plumb annotation of that kind. */
export function readAnnotation(text: string, kind: string): Map<string, string> | undefined {
  // Split on the single spaces annotation() writes without the regular expression, when the
  // text has no other whitespace (the same words either way)
  const words = OTHER_SPACING.test(text) ? text.split(/\s+/) : text.split(' ');
  if (words[0] !== 'plumb' || words[1] !== kind) return undefined;
  const out = new Map<string, string>();
  for (let k = 2; k < words.length; k++) {
    const w = words[k]!;
    const eq = w.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(w.slice(0, eq), unescapeValue(w.slice(eq + 1)));
  }
  return out;
}

/**
 * `readAnnotation(text, kind)?.get('origin')`. A comment that is `plumb KIND origin=` and a value
 * of printable ASCII without a space (every security rule's and route's comment as written) is
 * those three words however it is split, so its value is cut and decoded with no words, map or
 * regular expression made; anything else goes to readAnnotation.
 */
export function annotatedOrigin(text: string, kind: string): string | undefined {
  const head = ORIGIN_HEADS.get(kind) ?? originHead(kind);
  if (head === undefined || !text.startsWith(head)) return readAnnotation(text, kind)?.get('origin');
  for (let i = head.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e) return readAnnotation(text, kind)?.get('origin');
  }
  return unescapeValue(text.slice(head.length));
}

/** `plumb KIND origin=` by kind (a few kinds: rule, route). */
const ORIGIN_HEADS = new Map<string, string>();

/** `plumb KIND origin=`, or undefined for a kind that is not one plain word (readAnnotation decides those). */
function originHead(kind: string): string | undefined {
  if (!/^[a-z-]+$/.test(kind)) return undefined;
  const head = `plumb ${kind} origin=`;
  if (ORIGIN_HEADS.size < 64) ORIGIN_HEADS.set(kind, head);
  return head;
}

/** Whitespace but a single space. */
const OTHER_SPACING = /[^\S ]| {2}/;

/** A hexadecimal digit's value, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * `unescapeText` of an annotation value, the escapes of one ASCII character (`%20`, `%3D`,
 * `%2D`: a UTF-8 byte below 0x80 is that character) decoded here; a value with any other `%`
 * goes to `unescapeText` whole.
 */
function unescapeValue(v: string): string {
  let at = v.indexOf('%');
  if (at < 0) return v;
  let out = '';
  let kept = 0; // v[kept, at) is copied as it is
  for (; at >= 0; at = v.indexOf('%', kept)) {
    const high = hexValue(v.charCodeAt(at + 1));
    const low = hexValue(v.charCodeAt(at + 2));
    if (high < 0 || high > 7 || low < 0) return unescapeText(v);
    out += v.slice(kept, at) + String.fromCharCode(high * 16 + low);
    kept = at + 3;
  }
  return out + v.slice(kept);
}
