// A small XML layer for PAN-OS configs. Writing: a tree of elements and comments printed with
// two-space indentation and exact escaping, so output is byte-stable and comments sit where the
// reader expects them. Reading (xml-parse.ts): the same tree with the line and column of every
// element; fast-xml-parser's validator decides the well-formedness of anything but a plain document.
// This is the PAN-OS backend's escaping layer for user text: every element text and attribute
// value is written through `panosText` (and entity escaping) and read back through `decode` (xml-parse.ts);
// comments hold only `plumb` annotations, escaped by names.ts.

import type { Span } from '../../language/diagnostic.js';
import { LineText } from '../line-text.js';
import { escapeText as percentEscape, isPlainLineText, isRepeatedSpace, lineUnsafe } from '../text-escape.js';
import { NO_ATTRS, NO_CHILDREN } from './xml-parse.js';

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
  /**
   * Set on an element the renderer puts under several parents (render-policy.ts): it is never
   * changed, so the printers may keep what they made of it for its next parent.
   */
  shared?: true;
  /**
   * Set on an element that prints itself (render-rule.ts, a security rule): printXml and set.ts
   * hand it its depth or path instead of walking its children.
   */
  printer?: ElementPrinter;
}

/** How an element prints itself, line for line what printXml and set.ts would make of its children. */
export interface ElementPrinter {
  /** Pushes the element's lines at `depth` (indented by `pad`); `child` prints a child element as printXml does. */
  xmlLines(depth: number, pad: string, out: LineText, child: (node: XmlNode, depth: number, out: LineText) => void): void;
  /** Hands the element's set lines under `path` to `out`; `child` flattens a child element under `path` as set.ts does. */
  setLines(path: string, out: (line: string) => void, child: (node: XmlElement, path: string) => void): void;
}

export interface XmlComment {
  kind: 'comment';
  text: string;
}

export type XmlNode = XmlElement | XmlComment;

export function el(name: string, content?: XmlNode[] | string, attrs: Record<string, string> = NO_ATTRS): XmlElement {
  if (typeof content === 'string') return { kind: 'element', name, attrs, children: NO_CHILDREN, text: content };
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
export function members(name: string, values: readonly string[]): XmlElement {
  const children: XmlNode[] = [];
  for (const v of values) children.push(el('member', v));
  return el(name, children);
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

/**
 * Not printable ASCII words one space apart with no `"`, `%`, `&`, `<` or `>`: a text without any
 * of these, as nearly every value is, is left as it is by `panosText` and the entity escaping.
 */
const NOT_XML_PLAIN = /[^!#$'-;=?-~ ]|^ | $| {2}/;

/** Whether `panosText` and the entity escaping leave `s` as it is (see NOT_XML_PLAIN). */
export function isXmlPlain(s: string): boolean {
  return !NOT_XML_PLAIN.test(s);
}

/** `escapeText(panosText(s))`. */
export function xmlText(s: string): string {
  return isXmlPlain(s) ? s : escapeText(panosText(s));
}

/** `escapeAttr(panosText(s))`. */
export function xmlAttr(s: string): string {
  return isXmlPlain(s) ? s : escapeAttr(panosText(s));
}

export function printXml(root: XmlElement, header: XmlComment[] = []): string {
  const out = new LineText();
  out.push('<?xml version="1.0"?>');
  for (const c of header) out.push(`<!-- ${c.text} -->`);
  const pads: string[] = [];
  /** A shared element's lines (joined) as printed at a depth, for its next parent at that depth. */
  const printed = new Map<XmlElement, { depth: number; text: string }>();
  const walk = (node: XmlNode, depth: number, out: LineText): void => {
    const pad = (pads[depth] ??= '  '.repeat(depth));
    if (node.kind === 'comment') {
      out.push(`${pad}<!-- ${node.text} -->`);
      return;
    }
    if (node.shared === true) {
      let seen = printed.get(node);
      if (seen === undefined || seen.depth !== depth) {
        const lines = new LineText();
        walkElement(node, depth, pad, lines);
        seen = { depth, text: lines.text() };
        printed.set(node, seen);
      }
      out.push(seen.text);
      return;
    }
    walkElement(node, depth, pad, out);
  };
  const walkElement = (node: XmlElement, depth: number, pad: string, out: LineText): void => {
    if (node.printer !== undefined) {
      node.printer.xmlLines(depth, pad, out, walk);
      return;
    }
    let attrs = '';
    for (const k in node.attrs) attrs += ` ${k}="${xmlAttr(node.attrs[k]!)}"`;
    if (node.text !== undefined) out.push(`${pad}<${node.name}${attrs}>${xmlText(node.text)}</${node.name}>`);
    else if (node.children.length === 0) out.push(`${pad}<${node.name}${attrs}/>`);
    else {
      out.push(`${pad}<${node.name}${attrs}>`);
      for (const c of node.children) walk(c, depth + 1, out);
      out.push(`${pad}</${node.name}>`);
    }
  };
  walk(root, 0, out);
  out.push(''); // the text ends with a line break
  return out.text();
}

export { NO_ATTRS, NO_CHILDREN, parseXml, type XmlError } from './xml-parse.js';

export function elements(node: XmlElement): XmlElement[] {
  return node.children.filter((c): c is XmlElement => c.kind === 'element');
}

export function comments(node: XmlElement): string[] {
  return node.children.filter((c): c is XmlComment => c.kind === 'comment').map((c) => c.text);
}
