// The `set` command form of a PAN-OS XML config (single vsys: vsys-level objects without a
// `vsys vsys1` prefix), flattened the way the CLI shows it: one line per leaf, entries by name,
// member lists as `[ a b ]`. Comments are not part of the set form.

import { elements, panosText, type XmlElement } from './xml.js';

/** A stored value (no line break, control character or `"`: see `panosText`), quoted when it has spaces or brackets. */
export function quote(s: string): string {
  return /[\s"[\]]/.test(s) ? `"${s}"` : s;
}

/**
 * Whether `name` is its own `quote(panosText(name))`, told a character at a time: not empty, and
 * printable ASCII with no space, `%`, `"`, `[` or `]` (nearly every entry's name: rules,
 * addresses, services, interfaces), where neither regular expression need run. Such a word is
 * also plain (set-match.ts `isPlainWord`).
 */
export function isBareWord(name: string): boolean {
  const n = name.length;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e || c === 0x25 || c === 0x22 || c === 0x5b || c === 0x5d) return false;
  }
  return n > 0;
}

/** An entry's step in a set path: its name as written, `quote(panosText(name))`. */
export function entryStep(name: string): string {
  return isBareWord(name) ? name : quote(panosText(name));
}

/** An element's text as PAN-OS stores it: as read from a file, or as printXml would write it. */
export function stored(e: XmlElement): string {
  return e.stored ?? panosText(e.text ?? '');
}

/**
 * How `node` is flattened: the number of its element children when every one is a `member` (a
 * value list, or a leaf at 0), and -1 when it has other elements (a container).
 */
export function memberCount(node: XmlElement): number {
  // Indexed loops here and in `flatten`: they run for every element of a rulebase, much of it
  // before the code is optimized, where a for-of loop makes an iterator result for every child.
  const children = node.children;
  let count = 0;
  for (let c = 0; c < children.length; c++) {
    const k = children[c]!;
    if (k.kind !== 'element') continue;
    if (k.name !== 'member') return -1;
    count++;
  }
  return count;
}

/** Hands the lines under `node` to `out`; `path` is the words before them (`set` and the path to `node`). */
function flatten(node: XmlElement, path: string, out: (line: string) => void, shared: Map<XmlElement, string>): void {
  let listed = node.shared === true ? shared.get(node) : undefined;
  if (listed !== undefined) {
    out(`${path} ${listed}`);
    return;
  }
  if (node.printer !== undefined) {
    node.printer.setLines(path, out, (k, parent) => flattenChild(k, parent, out, shared));
    return;
  }
  const children = node.children;
  const members = memberCount(node);
  if (members > 0) {
    let values = '';
    let first = true;
    for (let c = 0; c < children.length; c++) {
      const k = children[c]!;
      if (k.kind !== 'element') continue;
      values += first ? quote(stored(k)) : ` ${quote(stored(k))}`;
      first = false;
    }
    listed = members === 1 ? values : `[ ${values} ]`;
    // a shared list's values, for its next parent (xml.ts `shared`)
    if (node.shared === true) shared.set(node, listed);
    out(`${path} ${listed}`);
    return;
  }
  if (members === 0) {
    const text = stored(node).trim();
    out(text !== '' ? `${path} ${quote(text)}` : path);
    return;
  }
  for (let c = 0; c < children.length; c++) {
    const k = children[c]!;
    if (k.kind === 'element') flattenChild(k, path, out, shared);
  }
}

/** Flattens `k`, a child element of the element at `path`: an entry by its name, any other element by its tag. */
function flattenChild(k: XmlElement, path: string, out: (line: string) => void, shared: Map<XmlElement, string>): void {
  if (k.name === 'entry') flatten(k, `${path} ${entryStep(k.attrs.name ?? '')}`, out, shared);
  else flatten(k, `${path} ${k.name}`, out, shared);
}

/** `set …` lines of the config's device entry, in document order. */
export function setLines(root: XmlElement): string[] {
  const out: string[] = [];
  forEachSetLine(root, (line) => out.push(line));
  return out;
}

/** The same lines, each handed to `f` in turn. */
export function forEachSetLine(root: XmlElement, f: (line: string) => void): void {
  const device = elements(elements(root).find((e) => e.name === 'devices') ?? root).find((e) => e.name === 'entry');
  if (!device) return;
  const shared = new Map<XmlElement, string>();
  for (const section of elements(device)) {
    if (section.name === 'vsys') {
      for (const vsys of elements(section).filter((e) => e.name === 'entry')) {
        for (const k of elements(vsys)) flatten(k, `set ${k.name}`, f, shared);
      }
    } else flatten(section, `set ${section.name}`, f, shared);
  }
}
