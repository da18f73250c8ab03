// Reading a PAN-OS XML document into the tree of xml.ts, with the line and column of every element
// (R95x diagnostics need them; fast-xml-parser's object output does not keep them).
//
// Two paths, one tree. `parsePlain` reads a plain document in one pass: the declaration Plumb
// writes, elements with ASCII names, attributes written ` name="value"`, the five named entities,
// comments, and text only as an element's whole content; it answers nothing at the first thing
// outside that. Every plain document is well formed (fast-xml-parser's validator accepts it:
// test/backends/panos-xml-parse.test.ts), so it is not validated again. Anything else (a running
// configuration in another form, a hand edit, hostile text) is decided by the validator, with its
// message, line and column, and read by `parseValidated`, as before. Both build the same tree
// (the test holds them to each other), so a document reads the same whichever path takes it.

import { createRequire } from 'node:module';
import type { XMLValidator as Validator } from 'fast-xml-parser';
import { unescapeText } from '../text-escape.js';
import { ReadDocument, ReadElement } from './read-element.js';
import type { XmlElement, XmlNode } from './xml.js';

export { ReadElement } from './read-element.js';

export interface XmlError {
  message: string;
  line: number;
  column: number;
}

/** Parses a document: the root element, or an error with its position. */
export function parseXml(file: string, text: string): { root?: XmlElement; error?: XmlError } {
  const root = parsePlain(file, text);
  if (root) return { root };
  const valid = validator().validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return { error: { message: valid.err.msg, line: valid.err.line, column: valid.err.col } };
  return parseValidated(file, text);
}

/**
 * The attributes of an element without any, and the children of an element without any: one
 * frozen value each, shared by every such element (a large rulebase has hundreds of thousands),
 * not an empty object and array per element. Frozen, so that a write meant for one element fails
 * loudly instead of reaching them all: code that adds to such an element gives it its own first.
 */
export const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
export const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

let loaded: typeof Validator | undefined;

/** fast-xml-parser's validator, loaded when a document first needs it (Plumb's own output never does). */
function validator(): typeof Validator {
  return (loaded ??= (createRequire(import.meta.url)('fast-xml-parser') as { XMLValidator: typeof Validator }).XMLValidator);
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

/**
 * Where the tag opened at `lt` ends: its first `>` outside a quoted attribute value (XML allows
 * `>` in a value, and a tag cut at it would misread the rest), or -1 when a value holds a `<`,
 * which XML refuses and fast-xml-parser's validator lets through: a device would reject the file.
 */
function tagEnd(text: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      else if (c === 0x3c) return -1;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
  }
  return text.indexOf('>', lt);
}

/** The general reader of a document the validator accepted. */
export function parseValidated(file: string, text: string): { root?: XmlElement; error?: XmlError } {
  // The document counts the lines for an error's position as it does for an element's span.
  const document = new ReadDocument(file, text);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let textBuf = '';
  let i = 0;
  const fail = (message: string, at: number): { error: XmlError } => {
    const p = document.position(at);
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
    const gt = tagEnd(text, lt);
    if (gt < 0) return fail("'<' in an attribute value: XML allows it only as &lt;", lt);
    const tag = text.slice(lt + 1, gt);
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
    const node = new ReadElement(nameMatch[0], attrs, [], document, lt);
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

/** The declaration printXml writes. */
const DECLARATION = '<?xml version="1.0"?>';
const NAMED_ENTITIES = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;'];

/**
 * `decodeEntities` of a text whose every `&` starts one of the five named entities (parsePlain
 * has checked each with `namedEntityAt`): each told by its second and third letters, with no
 * regular expression and no callback per entity (every `->` of a rule's description is a `&gt;`).
 */
export function decodeNamedEntities(s: string): string {
  let out = '';
  let from = 0;
  for (let at = s.indexOf('&'); at >= 0; at = s.indexOf('&', from)) {
    out += s.slice(from, at);
    const c = s.charCodeAt(at + 1);
    let length: number;
    if (c === 0x67) { out += '>'; length = 4; } // &gt;
    else if (c === 0x6c) { out += '<'; length = 4; } // &lt;
    else if (c === 0x71) { out += '"'; length = 6; } // &quot;
    else if (s.charCodeAt(at + 2) === 0x6d) { out += '&'; length = 5; } // &amp;
    else { out += "'"; length = 6; } // &apos;
    from = at + length;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** The length of the named entity at `at` (text[at] is `&`), or 0. */
function namedEntityAt(text: string, at: number): number {
  for (const e of NAMED_ENTITIES) if (text.startsWith(e, at)) return e.length;
  return 0;
}

const isNameStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

/**
 * Names seen before, so that a document's thousands of `<entry>` and `<member>` share one string
 * each: a small table by length and first and last character, each slot the last name seen there.
 */
class Names {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(512);
  of(text: string, from: number, to: number): string {
    const slot = ((to - from) * 61 + text.charCodeAt(from) * 7 + text.charCodeAt(to - 1)) & 511;
    const seen = this.slots[slot];
    if (seen !== undefined && seen.length === to - from && text.startsWith(seen, from)) return seen;
    const name = text.slice(from, to);
    this.slots[slot] = name;
    return name;
  }
}

/**
 * A plain document's tree (see the header), or undefined when the document is not plain: then
 * the validator and `parseValidated` decide. On a plain document, the tree is the one
 * `parseValidated` builds, spans included.
 *
 * The tree is most of what a read-back allocates, and it lives until the read-back ends, so the
 * collector copies it: an element's children are gathered on one stack shared by the whole
 * parse and copied into an array of their exact number when the element closes (an array grown
 * by `push` keeps room for 17 from its second child on: most of a rulebase's arrays hold one to
 * three); a leaf's text is shared with an earlier leaf of the same text (`any`, a zone, an
 * address object: most of a rule's members); a comment is cut once, already trimmed.
 */
export function parsePlain(file: string, text: string): XmlElement | undefined {
  const n = text.length;
  const names = new Names();
  const texts = new Names();
  const stack: XmlElement[] = [];
  /** The children of the open elements, each element's after its parent's (`firstChild`). */
  const pending: XmlNode[] = [];
  let top = 0;
  /** Where each open element's children start in `pending`. */
  const firstChild: number[] = [];
  let root: XmlElement | undefined;
  let i = text.startsWith(DECLARATION) ? DECLARATION.length : 0;
  const document = new ReadDocument(file, text);
  for (;;) {
    // Text up to the next `<`: only whitespace (space, tab, line breaks), unless it is the whole
    // content of the element the next tag closes.
    const from = i;
    let blank = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x3c) break;
      if (c !== 0x0a && c !== 0x20 && c !== 0x09 && c !== 0x0d) {
        blank = false;
        if (c === 0x26) {
          const length = namedEntityAt(text, i);
          if (length === 0) return undefined;
          i += length;
          continue;
        }
      }
      i++;
    }
    const depth = stack.length;
    const open = depth > 0 ? stack[depth - 1] : undefined;
    /** Whether the open element has a child so far. */
    const parentOfSome = depth > 0 && top > firstChild[depth - 1]!;
    if (i >= n) return open === undefined && blank ? root : undefined;
    const next = text.charCodeAt(i + 1);
    if (!blank && (next !== 0x2f || open === undefined || parentOfSome)) return undefined;
    if (next === 0x21) {
      // `<!--` … `-->`: a comment; the first `-->` after `<!` ends it whether its text starts at
      // `<!--` (the validator) or `<!` (parseValidated)
      if (!text.startsWith('<!--', i)) return undefined;
      const end = text.indexOf('-->', i + 2);
      if (end < i + 4) return undefined;
      if (open) {
        // the spaces around the text left out before the cut; `trim` takes any other whitespace
        let a = i + 4;
        let b = end;
        while (a < b && text.charCodeAt(a) === 0x20) a++;
        while (b > a && text.charCodeAt(b - 1) === 0x20) b--;
        pending[top++] = { kind: 'comment', text: text.slice(a, b).trim() };
      }
      i = end + 3;
      continue;
    }
    if (next === 0x2f) {
      // `</name>`, closing the open element
      if (open === undefined) return undefined;
      const at = i + 2;
      if (!text.startsWith(open.name, at) || text.charCodeAt(at + open.name.length) !== 0x3e) return undefined;
      const first = firstChild[depth - 1]!;
      if (parentOfSome) {
        open.children = pending.slice(first, top);
        top = first;
      } else if (i > from) {
        if (!blank) {
          const raw = texts.of(text, from, i);
          if (raw.trim() !== '') {
            // PAN-OS trims a stored value; the %-escapes keep the text's own edge whitespace
            open.stored = raw.includes('&') ? decodeNamedEntities(raw) : raw;
            open.text = unescapeText(open.stored.trim());
          } else open.text = undefined;
        } else open.text = undefined;
      }
      stack.pop();
      firstChild.pop();
      i = at + open.name.length + 1;
      continue;
    }
    // `<name attr="value" …>` or `…/>`: one root, names and attributes as printXml writes them
    if (root !== undefined && open === undefined) return undefined;
    const lt = i;
    let j = lt + 1;
    if (!isNameStart(text.charCodeAt(j))) return undefined;
    while (isNameChar(text.charCodeAt(++j)));
    const name = names.of(text, lt + 1, j);
    // most elements have no attribute: they share NO_ATTRS
    let attrs: Record<string, string> = NO_ATTRS;
    for (;;) {
      if (text.charCodeAt(j) !== 0x20) break;
      const nameFrom = j + 1;
      if (!isNameStart(text.charCodeAt(nameFrom))) return undefined;
      j = nameFrom;
      while (isNameChar(text.charCodeAt(++j)));
      if (text.charCodeAt(j) !== 0x3d || text.charCodeAt(j + 1) !== 0x22) return undefined;
      const valueFrom = j + 2;
      let entities = false;
      for (j = valueFrom; ; ) {
        const c = text.charCodeAt(j);
        if (c === 0x22) break;
        // NaN past the end fails every comparison: refused too
        if (!(c >= 0x20) || c === 0x3c || c === 0x3e) return undefined;
        if (c === 0x26) {
          const length = namedEntityAt(text, j);
          if (length === 0) return undefined;
          entities = true;
          j += length;
        } else j++;
      }
      const attr = names.of(text, nameFrom, valueFrom - 2);
      const raw = text.slice(valueFrom, j);
      const value = unescapeText(entities ? decodeNamedEntities(raw) : raw);
      if (attrs === NO_ATTRS) {
        // an entry's `name` makes an object the size of one field, not an empty object's four
        if (attr === 'name') attrs = { name: value };
        else {
          attrs = {};
          attrs[attr] = value;
        }
      } else {
        if (Object.prototype.hasOwnProperty.call(attrs, attr)) return undefined;
        attrs[attr] = value;
      }
      j++;
    }
    const selfClosing = text.charCodeAt(j) === 0x2f;
    const gt = selfClosing ? j + 1 : j;
    if (text.charCodeAt(gt) !== 0x3e) return undefined;
    const node = new ReadElement(name, attrs, NO_CHILDREN, document, lt);
    // an element's children are an array of their own once it closes (a leaf shares NO_CHILDREN)
    if (open) pending[top++] = node;
    else root = node;
    if (!selfClosing) {
      stack.push(node);
      firstChild.push(top);
    }
    i = gt + 1;
  }
}
