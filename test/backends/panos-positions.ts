// What the PAN-OS reader tests hold read positions to: lines and columns counted one character at
// a time, and every element of a parsed tree in document order.

import type { XmlElement } from '../../backends/paloalto-panos/xml.js';

/** Line and column of every offset of `text`, counted one character at a time. */
export function positions(text: string): { line: Int32Array; column: Int32Array } {
  const line = new Int32Array(text.length + 1);
  const column = new Int32Array(text.length + 1);
  for (let i = 0, l = 1, c = 1; i <= text.length; i++) {
    line[i] = l;
    column[i] = c++;
    if (text[i] === '\n') [l, c] = [l + 1, 1];
  }
  return { line, column };
}

/** Every element of the tree under `root` (itself first), in document order. */
export function elementsOf(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    out.push(e);
    for (const k of e.children) if (k.kind === 'element') walk(k);
  };
  walk(root);
  return out;
}
