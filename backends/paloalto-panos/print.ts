// The two files of a rendered config from one walk of its tree: the XML as xml.ts's `printXml`
// prints it and the `.set` text as set.ts's `forEachSetLine` flattens it (each line ended by a
// line break), instead of a second walk of the whole tree for the set lines, a leaf's value
// decided once for both (test/backends/panos-print.test.ts holds the two to printXml and setLines).

import { LineText } from '../line-text.js';
import { flatten, forEachSetLine, memberCount, quote, stored } from './set.js';
import { elements, isXmlPlain, panosText, printXml, xmlAttr, xmlText, type XmlComment, type XmlElement } from './xml.js';

/** Where an element stands for the set lines, besides under a set line's path. */
const OUTSIDE = 0;
/** The device's `vsys`: its entries are virtual systems. */
const VSYS = 1;
/** A virtual system: each of its elements starts set lines (`set NAME …`, no `vsys` prefix). */
const VSYS_ENTRY = 2;

class Printer {
  readonly out = new LineText();
  set = '';
  private readonly pads: string[] = [];

  /** The device entry, as forEachSetLine finds it: its sections start the set lines. */
  constructor(private readonly device: XmlElement | undefined) {}

  private line(text: string): void {
    this.set += `${text}\n`;
  }

  /** `node` printed at `depth`; `path` is its set words when it is under a set line's start. */
  element(node: XmlElement, depth: number, path: string | undefined, place: number): void {
    const pad = (this.pads[depth] ??= '  '.repeat(depth));
    let attrs = '';
    for (const k in node.attrs) attrs += ` ${k}="${xmlAttr(node.attrs[k]!)}"`;
    const text = node.text;
    const members = path === undefined ? 0 : memberCount(node);
    if (path !== undefined) {
      if (members > 0) {
        let values = '';
        let first = true;
        for (const k of node.children) {
          if (k.kind !== 'element') continue;
          values += first ? quote(stored(k)) : ` ${quote(stored(k))}`;
          first = false;
        }
        this.line(`${path} ${members === 1 ? values : `[ ${values} ]`}`);
      } else if (members === 0) {
        // set.ts's stored(node), with the printed text's panosText when it is the same
        const value = (node.stored ?? (text === undefined ? '' : isXmlPlain(text) ? text : panosText(text))).trim();
        this.line(value !== '' ? `${path} ${quote(value)}` : path);
      }
    }
    if (text !== undefined) {
      this.out.push(`${pad}<${node.name}${attrs}>${xmlText(text)}</${node.name}>`);
      // a text beside elements (never in a rendered tree): printed without them, flattened with them
      if (path !== undefined && members < 0) flatten(node, path, (l) => this.line(l));
      return;
    }
    if (node.children.length === 0) {
      this.out.push(`${pad}<${node.name}${attrs}/>`);
      return;
    }
    this.out.push(`${pad}<${node.name}${attrs}>`);
    const inner = depth + 1;
    for (const c of node.children) {
      if (c.kind === 'comment') {
        this.out.push(`${(this.pads[inner] ??= '  '.repeat(inner))}<!-- ${c.text} -->`);
        continue;
      }
      if (path !== undefined) {
        // under a start: a value list or a leaf is its own line, a container's elements go deeper
        this.element(c, inner, members < 0 ? `${path} ${c.name === 'entry' ? quote(panosText(c.attrs.name ?? '')) : c.name}` : undefined, OUTSIDE);
      } else if (node === this.device) {
        if (c.name === 'vsys') this.element(c, inner, undefined, VSYS);
        else this.element(c, inner, `set ${c.name}`, OUTSIDE);
      } else if (place === VSYS) this.element(c, inner, undefined, c.name === 'entry' ? VSYS_ENTRY : OUTSIDE);
      else if (place === VSYS_ENTRY) this.element(c, inner, `set ${c.name}`, OUTSIDE);
      else this.element(c, inner, undefined, OUTSIDE);
    }
    this.out.push(`${pad}</${node.name}>`);
  }
}

/**
 * `printXml(root, header)` and the lines of `forEachSetLine(root)`, each ended by a line break,
 * for a tree in which no element appears twice (as the renderer builds it).
 */
export function printPanos(root: XmlElement, header: XmlComment[]): { xml: string; set: string } {
  const devices = elements(root).find((e) => e.name === 'devices');
  const device = elements(devices ?? root).find((e) => e.name === 'entry');
  if (device && !printedWithChildren(root, devices, device)) {
    // an element on the way to the set lines printed as its text alone (never in a rendered tree)
    let set = '';
    forEachSetLine(root, (l) => {
      set += `${l}\n`;
    });
    return { xml: printXml(root, header), set };
  }
  const p = new Printer(device);
  p.out.push('<?xml version="1.0"?>');
  for (const c of header) p.out.push(`<!-- ${c.text} -->`);
  p.element(root, 0, undefined, OUTSIDE);
  p.out.push(''); // the text ends with a line break
  return { xml: p.out.text(), set: p.set };
}

/** Whether the walk reaches the device's set lines: no element above them has a text (which printXml prints instead of its children). */
function printedWithChildren(root: XmlElement, devices: XmlElement | undefined, device: XmlElement): boolean {
  if (root.text !== undefined || devices?.text !== undefined || device.text !== undefined) return false;
  for (const section of elements(device)) {
    if (section.name !== 'vsys') continue;
    if (section.text !== undefined) return false;
    for (const vsys of elements(section)) if (vsys.name === 'entry' && vsys.text !== undefined) return false;
  }
  return true;
}
