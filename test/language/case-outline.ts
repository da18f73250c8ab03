// The front-end cases' tree baselines (test/language/cases/): a syntax tree, a checked intent or
// a symbol table printed as an indented outline, one field a line, so that a baseline reads like
// the tree it records and its diff names the field that changed. A span prints as
// `LINE:COL-LINE:COL` (with its file in front when a case has several files), a token as its
// text and its span, a list of plain values on one line.

import type { Span } from '../../language/diagnostic.js';

/** How a span is printed: only the positions, or the file and the positions. */
export type SpanPrinter = (span: Span) => string;

export const positionsOnly: SpanPrinter = (span) =>
  `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;

export const withFile: SpanPrinter = (span) => `${span.file}:${positionsOnly(span)}`;

/** The outline of `value` under the heading `key`, ending with a newline. */
export function outline(key: string, value: unknown, printSpan: SpanPrinter): string {
  const lines: string[] = [];
  print(lines, key, value, '', printSpan);
  return lines.join('\n') + '\n';
}

// An item of a list is printed under the key `-`, which takes no colon.
const ITEM = '-';

function print(lines: string[], key: string, value: unknown, indent: string, printSpan: SpanPrinter): void {
  if (value === undefined) return;
  const label = key === ITEM ? ITEM : `${key}:`;
  if (isSpan(value)) {
    lines.push(`${indent}${label} ${printSpan(value)}`);
  } else if (isToken(value)) {
    lines.push(`${indent}${label} ${value.text} @ ${printSpan(value.span)}`);
  } else if (Array.isArray(value)) {
    if (value.every(isPlain)) {
      lines.push(`${indent}${label} [${value.map(plain).join(', ')}]`);
      return;
    }
    lines.push(`${indent}${label}`);
    for (const item of value) print(lines, ITEM, item, `${indent}  `, printSpan);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // A node names its kind and its span on its own line; its other fields follow, indented.
    const kind = typeof record.kind === 'string' ? ` ${record.kind}` : '';
    const span = isSpan(record.span) ? ` @ ${printSpan(record.span)}` : '';
    const fields = Object.entries(record).filter(
      ([field, child]) => child !== undefined && !(field === 'kind' && kind) && !(field === 'span' && span),
    );
    if (key === ITEM && !kind && !span && fields.length > 0) {
      // A plain record in a list starts on the line of its `-`, as in YAML.
      const first = lines.length;
      for (const [field, child] of fields) print(lines, field, child, `${indent}  `, printSpan);
      lines[first] = `${indent}- ${lines[first]!.slice(indent.length + 2)}`;
      return;
    }
    lines.push(`${indent}${label}${kind}${span}${fields.length === 0 && !kind && !span ? ' {}' : ''}`);
    for (const [field, child] of fields) print(lines, field, child, `${indent}  `, printSpan);
  } else {
    lines.push(`${indent}${label} ${plain(value)}`);
  }
}

function isPlain(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

// Strings are quoted (JSON) so that spaces, quotes and escapes in them show exactly.
function plain(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && 'start' in value && 'end' in value && 'file' in value;
}

function isToken(value: unknown): value is { text: string; span: Span } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 2 &&
    typeof (value as { text?: unknown }).text === 'string' &&
    isSpan((value as { span?: unknown }).span)
  );
}
