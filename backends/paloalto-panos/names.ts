// PAN-OS object names: at most 63 characters (zones 31) of letters, digits, `-`, `_`, `.`,
// starting with a letter or digit; made unique deterministically (`-2`, `-3`… in order of use).
// And the `plumb` annotation comments: `plumb KIND key=value …`, values percent-encoded
// (text-escape.ts) so that a value is one word that cannot end the XML comment.

import { formatIPv4, formatIPv6, network, prefixOf } from '../../language/address.js';
import { escapeText, lineUnsafe, unescapeText } from '../text-escape.js';

export const NAME_MAX = 63;
export const ZONE_NAME_MAX = 31;

export function cleanName(text: string, max = NAME_MAX): string {
  let s = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_.]+/, '')
    .replace(/[-_.]+$/, '');
  if (s === '') s = 'x';
  return s.slice(0, max).replace(/[-_.]+$/, '');
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
    for (let k = 2; this.used.has(name.toLowerCase()); k++) {
      const suffix = `-${k}`;
      name = `${base.slice(0, this.max - suffix.length).replace(/[-_.]+$/, '')}${suffix}`;
    }
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** The address object name for a prefix: `h-10.0.0.1`, `n-10.0.0.0_24`, `n6-2001-db8--_32`. */
export function addressName(prefix: string): string {
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

export function annotation(kind: string, fields: [string, string | undefined][]): string {
  const parts = fields.filter((f): f is [string, string] => f[1] !== undefined).map(([k, v]) => `${k}=${encodeAnnotationValue(v)}`);
  return ['plumb', kind, ...parts].join(' ');
}

/** Parses `plumb KIND k=v …`; undefined when the comment is not a plumb annotation of that kind. */
export function readAnnotation(text: string, kind: string): Map<string, string> | undefined {
  const words = text.split(/\s+/);
  if (words[0] !== 'plumb' || words[1] !== kind) return undefined;
  const out = new Map<string, string>();
  for (const w of words.slice(2)) {
    const eq = w.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(w.slice(0, eq), unescapeText(w.slice(eq + 1)));
  }
  return out;
}
