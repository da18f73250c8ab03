// A security rule as the renderer makes it: an `<entry>` that prints its own XML lines and set
// lines from what the rule is (its name, annotation, member lists, action, profiles, description)
// instead of a tree of elements that printXml and set.ts walk. A rulebase is most of a firewall's
// config, and each rule's comment, action, description and children array were made only to be
// walked twice and dropped. `children` builds the same elements when asked for, so a walker that
// knows nothing of this (tests, `elements`) sees the tree it always saw; printXml and set.ts ask
// `printer` first (xml.ts `ElementPrinter`), and the two forms are held to the walked tree's by
// test/backends/panos-rule-print.test.ts.

import type { LineText } from '../line-text.js';
import { quote } from './set.js';
import { comment, el, panosText, xmlAttr, xmlText, type ElementPrinter, type XmlElement, type XmlNode } from './xml.js';

export class RuleEntry implements XmlElement, ElementPrinter {
  readonly kind = 'element' as const;
  readonly name = 'entry';
  readonly attrs: Record<string, string>;
  readonly printer: ElementPrinter = this;
  constructor(
    readonly ruleName: string,
    /** The `plumb …` annotation, the first child. */
    private readonly note: string,
    /** `from` … `service`, member lists (shared ones among them: xml.ts `shared`). */
    private readonly lists: readonly XmlElement[],
    /** A word with nothing to escape in either form. */
    private readonly action: 'allow' | 'deny',
    /** The elements after `<action>`: the profiles (profiles.ts), usually none. */
    private readonly after: readonly XmlNode[],
    /** The `<description>`, left out when empty. */
    private readonly description: string,
  ) {
    this.attrs = { name: ruleName };
  }

  /** The elements printXml and set.ts would otherwise walk. */
  get children(): XmlNode[] {
    const out: XmlNode[] = [comment(this.note), ...this.lists, el('action', this.action), ...this.after];
    if (this.description !== '') out.push(el('description', this.description));
    return out;
  }

  xmlLines(depth: number, pad: string, out: LineText, child: (node: XmlNode, depth: number, out: LineText) => void): void {
    const inner = `${pad}  `;
    out.push(`${pad}<entry name="${xmlAttr(this.ruleName)}">`);
    out.push(`${inner}<!-- ${this.note} -->`);
    for (let l = 0; l < this.lists.length; l++) child(this.lists[l]!, depth + 1, out);
    out.push(`${inner}<action>${this.action}</action>`);
    for (let a = 0; a < this.after.length; a++) child(this.after[a]!, depth + 1, out);
    if (this.description !== '') out.push(`${inner}<description>${xmlText(this.description)}</description>`);
    out.push(`${pad}</entry>`);
  }

  setLines(path: string, out: (line: string) => void, child: (node: XmlElement, parent: string) => void): void {
    for (let l = 0; l < this.lists.length; l++) child(this.lists[l]!, path);
    out(`${path} action ${this.action}`);
    for (let a = 0; a < this.after.length; a++) {
      const k = this.after[a]!;
      if (k.kind === 'element') child(k, path);
    }
    // as set.ts flattens a leaf: its stored text (panosText leaves no space at either end, so
    // trimming it changes nothing), quoted when it has spaces
    if (this.description !== '') out(`${path} description ${quote(panosText(this.description))}`);
  }
}
