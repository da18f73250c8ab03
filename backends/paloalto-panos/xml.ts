// A small XML layer for PAN-OS configs. Writing: a tree of elements and comments printed with
// two-space indentation and exact escaping, so output is byte-stable and comments sit where the
// reader expects them. Reading: fast-xml-parser's validator decides well-formedness (with line
// and column); a positional parser then builds the same tree with the line and column of every
// element, which fast-xml-parser's object output does not keep and R95x diagnostics need.
// This is the PAN-OS backend's escaping layer for user text: every element text and attribute
// value is written through `panosText` (and entity escaping) and read back through `decode`;
// comments hold only `plumb` annotations, escaped by names.ts.

import { XMLValidator } from 'fast-xml-parser';
import type { Span } from '../../language/diagnostic.js';
import { LineText } from '../line-text.js';
import { escapeText as percentEscape, isPlainLineText, isRepeatedSpace, lineUnsafe, unescapeText } from '../text-escape.js';

export interface XmlElement {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text content of a leaf element (trimmed, entities and %-escapes decoded); undefined when it has none. */
  text?: string;
  /** The same as PAN-OS stores it: entities decoded, %-escapes kept (filled in by the parser). */
  stored?: string;
  /** Position of `<` (filled in by the parser). */
  span?: Span;
}

export interface XmlComment {
  kind: 'comment';
  text: string;
}

export type XmlNode = XmlElement | XmlComment;

export function el(name: string, content?: XmlNode[] | string, attrs: Record<string, string> = {}): XmlElement {
  if (typeof content === 'string') return { kind: 'element', name, attrs, children: [], text: content };
  return { kind: 'element', name, attrs, children: content ?? [] };
}

/** `<entry name="N">…</entry>` */
export function entry(name: string, content?: XmlNode[] | string): XmlElement {
  return el('entry', content, { name });
}

export function comment(text: string): XmlComment {
  if (text.includes('--') || text.endsWith('-')) throw new Error(`internal: XML comment cannot hold ${JSON.stringify(text)}`);
  return { kind: 'comment', text };
}

/** `<name><member>a</member>…</name>` */
export function members(name: string, values: string[]): XmlElement {
  return el(
    name,
    values.map((v) => el('member', v)),
  );
}

/**
 * What a PAN-OS value cannot carry as written, %-escaped: besides what no line may hold
 * (text-escape.ts; XML 1.0 refuses most control characters even as references), whitespace
 * PAN-OS and its `set` form trim or collapse (a space at the ends or after a space, and any
 * whitespace but the plain space), and `"`, which would close the quoted value in the `set` form
 * (the CLI has no escape for it).
 */
export function panosText(s: string): string {
  // Nearly every value is plain printable ASCII: then only `"` and a repeated space are left to decide.
  if (isPlainLineText(s) && !s.includes('"') && !s.includes('  ')) return s;
  return percentEscape(
    s,
    (c, i, t) => lineUnsafe(c, i, t) || c === '"' || isRepeatedSpace(c, i, t) || (/\s/.test(c) && c !== ' '),
  );
}

export function escapeText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  const text = escapeText(s);
  return text.includes('"') ? text.replace(/"/g, '&quot;') : text;
}

export function printXml(root: XmlElement, header: XmlComment[] = []): string {
  const out = new LineText();
  out.push('<?xml version="1.0"?>');
  for (const c of header) out.push(`<!-- ${c.text} -->`);
  const pads: string[] = [];
  const walk = (node: XmlNode, depth: number): void => {
    const pad = (pads[depth] ??= '  '.repeat(depth));
    if (node.kind === 'comment') {
      out.push(`${pad}<!-- ${node.text} -->`);
      return;
    }
    let attrs = '';
    for (const k in node.attrs) attrs += ` ${k}="${escapeAttr(panosText(node.attrs[k]!))}"`;
    if (node.text !== undefined) out.push(`${pad}<${node.name}${attrs}>${escapeText(panosText(node.text))}</${node.name}>`);
    else if (node.children.length === 0) out.push(`${pad}<${node.name}${attrs}/>`);
    else {
      out.push(`${pad}<${node.name}${attrs}>`);
      for (const c of node.children) walk(c, depth + 1);
      out.push(`${pad}</${node.name}>`);
    }
  };
  walk(root, 0);
  out.push(''); // the text ends with a line break
  return out.text();
}

export interface XmlError {
  message: string;
  line: number;
  column: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Entities, then the %-escapes of `panosText`. */
function decode(s: string): string {
  return unescapeText(decodeEntities(s));
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

/** Parses a document: the root element, or an error with its position. */
export function parseXml(file: string, text: string): { root?: XmlElement; error?: XmlError } {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return { error: { message: valid.err.msg, line: valid.err.line, column: valid.err.col } };
  const lineStarts = [0];
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
  const posOf = (offset: number): { line: number; column: number; offset: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1, offset };
  };
  // The spans are asked for in document order: a line cursor that only moves forward finds them.
  let lineAt = 0;
  const posAhead = (offset: number): { line: number; column: number; offset: number } => {
    while (lineAt + 1 < lineStarts.length && lineStarts[lineAt + 1]! <= offset) lineAt++;
    return { line: lineAt + 1, column: offset - lineStarts[lineAt]! + 1, offset };
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let textBuf = '';
  let i = 0;
  const fail = (message: string, at: number): { error: XmlError } => {
    const p = posOf(at);
    return { error: { message, line: p.line, column: p.column } };
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    textBuf += text.slice(i, lt);
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push({ kind: 'comment', text: text.slice(lt + 4, end).trim() });
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      i = text.indexOf('?>', lt) + 2;
      continue;
    }
    if (text.startsWith('<!', lt)) return fail('CDATA sections and declarations are not part of a PAN-OS config', lt);
    const gt = text.indexOf('>', lt);
    const tag = text.slice(lt + 1, gt);
    const span = (): Span => {
      const s = posAhead(lt);
      const e = posAhead(gt + 1);
      return { file, start: s, end: e };
    };
    if (tag.startsWith('/')) {
      const open = stack.pop()!;
      if (open.children.length === 0 && textBuf.trim() !== '') {
        // PAN-OS trims a stored value; the %-escapes keep the text's own edge whitespace
        open.stored = decodeEntities(textBuf);
        open.text = unescapeText(open.stored.trim());
      }
      else if (open.children.length === 0 && textBuf !== '' && textBuf.trim() === '') open.text = undefined;
      textBuf = '';
      i = gt + 1;
      continue;
    }
    if (textBuf.trim() !== '' && stack.length > 0 && stack[stack.length - 1]!.children.length > 0) {
      return fail('text mixed with elements', lt);
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^[^\s/>]+/.exec(body)!;
    const attrs: Record<string, string> = {};
    const attrText = body.slice(nameMatch[0].length);
    if (attrText !== '') {
      const re = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(attrText)) !== null) attrs[m[1]!] = decode(m[3] ?? m[4] ?? '');
    }
    const node: XmlElement = { kind: 'element', name: nameMatch[0], attrs, children: [], span: span() };
    const parent = stack[stack.length - 1];
    if (parent) {
      if (parent.children.length === 0 && textBuf.trim() !== '') return fail('text mixed with elements', lt);
      parent.children.push(node);
    } else root = node;
    textBuf = '';
    if (!selfClosing) stack.push(node);
    i = gt + 1;
  }
  return root ? { root } : fail('no root element', 0);
}

export function elements(node: XmlElement): XmlElement[] {
  return node.children.filter((c): c is XmlElement => c.kind === 'element');
}

export function comments(node: XmlElement): string[] {
  return node.children.filter((c): c is XmlComment => c.kind === 'comment').map((c) => c.text);
}
