// JSON with the place of every value, for the readers of `ip -j` output (ip-json-read.ts): a
// difference or an error then points at the member it comes from (`"dst":"10.9.0.0/24"`), on the
// line `ip -j -p` (pretty) prints it, or at its column on the one line of `ip -j`.

import type { Span } from '../../language/diagnostic.js';

export type JsonValue =
  | { kind: 'object'; members: Map<string, JsonMember>; span: Span }
  | { kind: 'array'; items: JsonValue[]; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  | { kind: 'null'; span: Span };

export interface JsonMember {
  value: JsonValue;
  /** From the key's opening quote to the end of the value. */
  span: Span;
}

const MAX_DEPTH = 32;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

/** Parses `content` (one JSON value, or several in a row as `ip -j` prints per family); throws JsonSyntaxError. */
export function parseJsonValues(file: string, content: string): JsonValue[] {
  const lineStarts = [0];
  for (let k = 0; k < content.length; k++) if (content[k] === '\n') lineStarts.push(k + 1);
  const pos = (offset: number): Span['start'] => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1, offset };
  };
  const span = (from: number, to: number): Span => ({ file, start: pos(from), end: pos(to) });
  let i = 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, span(i, Math.min(i + 1, content.length)));
  };
  const blank = (): void => {
    while (i < content.length && ' \t\r\n'.includes(content[i]!)) i++;
  };
  const expect = (c: string): void => {
    blank();
    if (content[i] !== c) fail(`\`${c}\` expected`);
    i++;
  };
  const string = (): string => {
    if (content[i] !== '"') fail('a string expected');
    const from = i;
    i++;
    while (i < content.length && content[i] !== '"') i += content[i] === '\\' ? 2 : 1;
    if (i >= content.length) fail('a string is never closed');
    i++;
    try {
      return JSON.parse(content.slice(from, i)) as string;
    } catch {
      throw new JsonSyntaxError('a malformed string (an escape JSON does not have)', span(from, i));
    }
  };
  /** `ip -j` nests four deep; a hostile file is refused long before the stack is at risk. */
  let depth = 0;
  const value = (): JsonValue => {
    blank();
    const from = i;
    const c = content[i];
    if ((c === '{' || c === '[') && depth >= MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} deep`);
    if (c === '{' || c === '[') depth++;
    try {
      return nested(from, c);
    } finally {
      if (c === '{' || c === '[') depth--;
    }
  };
  const nested = (from: number, c: string | undefined): JsonValue => {
    if (c === '{') {
      i++;
      const members = new Map<string, JsonMember>();
      blank();
      if (content[i] === '}') i++;
      else
        for (;;) {
          blank();
          const keyAt = i;
          const key = string();
          expect(':');
          const v = value();
          members.set(key, { value: v, span: span(keyAt, v.span.end.offset) });
          blank();
          if (content[i] === ',') i++;
          else if (content[i] === '}') {
            i++;
            break;
          } else fail('`,` or `}` expected');
        }
      return { kind: 'object', members, span: span(from, i) };
    }
    if (c === '[') {
      i++;
      const items: JsonValue[] = [];
      blank();
      if (content[i] === ']') i++;
      else
        for (;;) {
          items.push(value());
          blank();
          if (content[i] === ',') i++;
          else if (content[i] === ']') {
            i++;
            break;
          } else fail('`,` or `]` expected');
        }
      return { kind: 'array', items, span: span(from, i) };
    }
    if (c === '"') return { kind: 'string', value: string(), span: span(from, i) };
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(content.slice(i, i + 40));
    if (!m) return fail('a JSON value expected');
    i += m[0].length;
    const s = span(from, i);
    if (m[0] === 'true' || m[0] === 'false') return { kind: 'boolean', value: m[0] === 'true', span: s };
    if (m[0] === 'null') return { kind: 'null', span: s };
    return { kind: 'number', value: Number(m[0]), span: s };
  };
  const out: JsonValue[] = [];
  for (blank(); i < content.length; blank()) out.push(value());
  return out;
}

/** A member's string value, or undefined. */
export function stringAt(o: JsonValue | undefined, key: string): string | undefined {
  const v = o?.kind === 'object' ? o.members.get(key)?.value : undefined;
  return v?.kind === 'string' ? v.value : undefined;
}

/** A member's number value, or undefined. */
export function numberAt(o: JsonValue | undefined, key: string): number | undefined {
  const v = o?.kind === 'object' ? o.members.get(key)?.value : undefined;
  return v?.kind === 'number' ? v.value : undefined;
}

/** A member's value, or undefined. */
export function memberAt(o: JsonValue | undefined, key: string): JsonMember | undefined {
  return o?.kind === 'object' ? o.members.get(key) : undefined;
}
