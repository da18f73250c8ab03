// Text from the input (source lines, strings, file names, configuration files) made safe for the
// outputs that print it. A terminal obeys escape sequences and a bidi control reorders what
// follows it, so text for people shows every such character as an escape (`\x1b`, `\u202e`)
// and a long source line only as a window around the span. JSON escapes everything itself
// except a lone surrogate, which strict parsers reject; it becomes U+FFFD. The machine formats
// of the CLI (XML, GitHub commands, DOT) have their escapers in cli/report/escape.ts.

/**
 * Characters a terminal would act on or that change how the text around them reads: C0 controls
 * except tab, DEL, C1 controls (0x9b is a one-byte CSI), the bidi marks, embeddings, overrides
 * and isolates, the Unicode line and paragraph separators, and lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character a terminal would act on shown as an escape; tabs stay. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** `text` with each lone surrogate replaced by U+FFFD, so that any UTF-8 or JSON reader takes it. */
export function wellFormedText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** JSON text of `value` (2-space indented) whose strings are all well-formed Unicode. */
export function wellFormedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? wellFormedText(v) : v), 2);
}

/** How much of a long source line is shown, in UTF-16 code units of the line. */
export const EXCERPT_WIDTH = 120;
/** How much of the line before the span a cut excerpt keeps. */
export const EXCERPT_CONTEXT = 40;

export interface Excerpt {
  /** The shown part of the line, escaped, with `…` where it was cut. */
  text: string;
  /** What goes before the marks: spaces as wide as the excerpt before the span, tabs kept. */
  lead: string;
  /** How many marks go under the span (at least one). */
  marks: number;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * The part of `line` to show for the span [start, end) (0-based code units): the whole line when
 * it is short, else a window of EXCERPT_WIDTH units that starts EXCERPT_CONTEXT before the span
 * (a span longer than the window is cut too). Never splits a surrogate pair.
 */
export function excerpt(line: string, start: number, end: number): Excerpt {
  const s = Math.min(Math.max(start, 0), line.length);
  const e = Math.min(Math.max(end, s), line.length);
  let from = 0;
  let to = line.length;
  if (line.length > EXCERPT_WIDTH) {
    from = Math.max(0, s - EXCERPT_CONTEXT);
    to = Math.min(line.length, from + EXCERPT_WIDTH);
    from = Math.max(0, to - EXCERPT_WIDTH);
    if (from > 0 && isLow(line.charCodeAt(from)) && isHigh(line.charCodeAt(from - 1))) from++;
    if (to < line.length && isHigh(line.charCodeAt(to - 1)) && isLow(line.charCodeAt(to))) to++;
  }
  const before = visibleText(line.slice(from, Math.min(Math.max(s, from), to)));
  const marked = visibleText(line.slice(Math.min(Math.max(s, from), to), Math.min(Math.max(e, from), to)));
  const text = `${from > 0 ? '…' : ''}${visibleText(line.slice(from, to))}${to < line.length ? '…' : ''}`;
  // Tabs stay in the lead so that the marks line up in any tab width.
  const lead = `${from > 0 ? ' ' : ''}${before.replace(/[^\t]/g, ' ')}`;
  return { text, lead, marks: Math.max(1, marked.length) };
}
