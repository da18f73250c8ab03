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
const encode = (v: string): string =>
  escapeText(v, (c, i, t) => lineUnsafe(c, i, t) || /\s/.test(c) || c === '=' || (c === '-' && (t[i + 1] === '-' || i + 1 === t.length)));

export function annotation(kind: string, fields: [string, string | undefined][]): string {
  const parts = fields.filter((f): f is [string, string] => f[1] !== undefined).map(([k, v]) => `${k}=${encode(v)}`);
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
