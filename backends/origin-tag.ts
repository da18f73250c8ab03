// Origin tags: the intent span a configuration element comes from, written into a comment of the
// rendered file so that a reader recovers it exactly (`read(render(d))` equals `d`, origins
// included). Format: `FILE:LINE:COL-LINE:COL [START,END]` (1-based lines and columns, 0-based
// UTF-16 offsets), e.g. `acme.plumb:31:3-31:40 [812,849]`. Shared by every backend's comments.
// FILE is percent-encoded outside a small safe set (text-escape.ts), so that any path (a line
// break, quotes, spaces, `#`, `;`, `!`, non-ASCII) stays one word of plain ASCII that no config
// language reads as anything but a comment's text, and decodes to the same path.

import type { Span } from '../language/diagnostic.js';
import { escapeText, unescapeText } from './text-escape.js';

/** Characters of a path written as they are; everything else is `%XX`. */
const PATH_SAFE = /^[A-Za-z0-9._/+,=@~:-]$/;

/**
 * The last path encoded and decoded: a file's tags nearly all name the same intent file (tens of
 * thousands of ACL entries at 20,000 rules), and each is escaped or read character by character.
 */
let lastPath = { path: '', encoded: '' };
let lastEncoded = { encoded: '', path: '' };

export function encodePath(path: string): string {
  if (path !== lastPath.path) lastPath = { path, encoded: escapeText(path, (c) => !PATH_SAFE.test(c)) };
  return lastPath.encoded;
}

function decodePath(encoded: string): string {
  if (encoded !== lastEncoded.encoded) lastEncoded = { encoded, path: unescapeText(encoded) };
  return lastEncoded.path;
}

export function formatOriginTag(span: Span): string {
  const { start, end } = span;
  return `${encodePath(span.file)}:${start.line}:${start.column}-${end.line}:${end.column} [${start.offset},${end.offset}]`;
}

const TAG = /^(\S*):(\d+):(\d+)-(\d+):(\d+) \[(\d+),(\d+)\]$/;

/** Parses a tag written by `formatOriginTag`; undefined when `text` is not one. */
export function parseOriginTag(text: string): Span | undefined {
  const m = TAG.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i]);
  return {
    file: decodePath(m[1]!),
    start: { line: n(2), column: n(3), offset: n(6) },
    end: { line: n(4), column: n(5), offset: n(7) },
  };
}

/** The short form people read: `acme.plumb:31`, the path encoded as in a tag. */
export function shortOrigin(span: Span): string {
  return `${encodePath(span.file)}:${span.start.line}`;
}

/** Every tag inside a file's text; PAN-OS writes a tag's space as `%20` (an annotation's value is one word). */
const TAGS_IN_TEXT = /:(\d+):(\d+)-(\d+):(\d+)( |%20)\[(\d+),(\d+)\]/g;

/**
 * `text` with every origin tag in it made unreadable to `parseOriginTag` (its offsets become
 * `[untagged]`) and nothing else changed: a reader then gives each element its own span in the
 * file, as it does for one added by hand (pipeline/config-lines.ts reads the files both ways).
 */
export function withoutOriginTags(text: string): string {
  return text.replace(TAGS_IN_TEXT, ':$1:$2-$3:$4$5[untagged]');
}
