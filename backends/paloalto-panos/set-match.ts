// Whether a `.set` file is exactly the set form of an XML config as set.ts writes it, decided
// by walking the XML tree against the file: the words of each line are compared where they stand
// in the file, so no line is built (at a large rulebase, tens of thousands of long lines that
// would each be made, flattened and dropped). It answers what comparing the file with
// `setLines(root)`, each line ended by a line break and already normal, answers: the walk is
// set.ts's `flatten` and `forEachSetLine`, word for word (test/backends/panos-set-compare.test.ts
// holds the two to each other on seeded edits). The file's lines are known to be normal from the
// words the walk matched when each is plain (`isPlainWord`), as nearly all are, so the file is
// scanned for a line that is not normal only when some word is not.

import { isBareWord, memberCount, quote, stored } from './set.js';
import { elements, panosText, type XmlElement } from './xml.js';

/** Whether `text[from, to)` is already trimmed with single spaces between words (nearly every line is). */
export function isNormalSetText(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20) {
      if (i === from || i === to - 1 || text.charCodeAt(i - 1) === 0x20) return false;
    } else if (code < 0x20 || (code > 0x7e && /\s/.test(text[i]!))) return false;
  }
  return true;
}

/**
 * Somewhere in a text of lines, a line that is not normal (`isNormalSetText`): a space at a
 * line's start or end or after a space, a control character, other whitespace. Multiline: `^`
 * and `$` also stand at `\r`, U+2028 and U+2029, each not normal itself.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_NORMAL = /^ | $| {2}|[\x00-\x09\x0b-\x1f]|[^\S\n ]/m;

/**
 * Whether `word` is plain: not empty, and normal (`isNormalSetText`: no line break or other
 * control character, no other whitespace than single spaces between its characters). Lines of
 * plain words, one space apart and each ended by a line break, are normal whatever the words are.
 */
export function isPlainWord(word: string): boolean {
  return word.length > 0 && isNormalSetText(word, 0, word.length);
}

class SetMatch {
  /** Where the next line starts in the file. */
  at = 0;
  /** The words of the path to the element being walked, `set` first (added by `push`). */
  readonly words: string[] = [];
  /** The depth of the path's first word that is not plain (`isPlainWord`), or -1. */
  private notPlainAt = -1;
  /** Whether every word matched so far, of paths and values, is plain. */
  plain = true;
  /**
   * `prefixes[d]` is `words[0..d]` joined by spaces, for d below `valid`: the path of a container
   * is made once and compared whole with each of its lines (a cut of the file compared with `===`
   * is one bulk comparison; `startsWith` reads a character at a time, and the path is most of
   * every line).
   */
  private readonly prefixes: string[] = [];
  private valid = 0;
  constructor(readonly content: string) {}

  /** Adds an entry's step (set.ts `entryStep`) to the path: a bare name is plain, not checked again. */
  pushEntry(name: string): void {
    if (!isBareWord(name)) {
      this.push(quote(panosText(name)));
      return;
    }
    const at = this.words.length;
    this.words.push(name);
    if (this.valid > at) this.valid = at;
  }

  /** Adds a word to the path: the prefixes from its place on are made again when asked. */
  push(word: string): void {
    const at = this.words.length;
    this.words.push(word);
    if (this.notPlainAt < 0 && !isPlainWord(word)) this.notPlainAt = at;
    if (this.valid > at) this.valid = at;
  }

  /** Takes the last word off the path. */
  pop(): void {
    this.words.pop();
    if (this.notPlainAt >= this.words.length) this.notPlainAt = -1;
  }

  /** Empties the path. */
  clear(): void {
    this.words.length = 0;
    this.notPlainAt = -1;
  }

  /**
   * `quote(s)`, noting whether it is plain. A value of printable ASCII characters without a space,
   * `"`, `[` or `]` (nearly every one) is its own quoted form and plain, found in one pass.
   */
  private quoted(s: string): string {
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c <= 0x20 || c > 0x7e || c === 0x22 || c === 0x5b || c === 0x5d) {
        const q = quote(s);
        if (!isPlainWord(q)) this.plain = false;
        return q;
      }
    }
    if (n === 0) this.plain = false;
    return s;
  }

  /** `words[0..d]` joined by spaces. */
  private prefix(d: number): string {
    const { words, prefixes } = this;
    for (; this.valid <= d; this.valid++) {
      const w = this.valid;
      prefixes[w] = w === 0 ? words[0]! : `${prefixes[w - 1]!} ${words[w]!}`;
    }
    return prefixes[d]!;
  }

  /** The path's words at `at`, one space apart; the offset after them, or -1. */
  private path(): number {
    const { content, words } = this;
    if (this.notPlainAt >= 0) this.plain = false;
    const last = words.length - 1;
    let i = this.at;
    if (last > 0) {
      // the parent's path whole, then the last word
      const parent = this.prefix(last - 1);
      if (content.slice(i, i + parent.length) !== parent) return -1;
      i += parent.length;
      if (content.charCodeAt(i) !== 0x20) return -1;
      i++;
    }
    const word = words[last]!;
    if (!content.startsWith(word, i)) return -1;
    return i + word.length;
  }

  /** The line break that ends a line at `i` (every line is normal: see `isSetOf`): moves to the next line. */
  private end(i: number): boolean {
    if (i < 0 || this.content.charCodeAt(i) !== 0x0a) return false;
    this.at = i + 1;
    return true;
  }

  /** ` value` at `i`: the offset after it, or -1. */
  private value(i: number, value: string): number {
    if (i < 0 || this.content.charCodeAt(i) !== 0x20 || !this.content.startsWith(value, i + 1)) return -1;
    return i + 1 + value.length;
  }

  /** set.ts's `flatten` of `node` (its path in `words`), against the file. */
  node(node: XmlElement): boolean {
    // Indexed loops: this runs for every element of the rulebase, much of it before the code is
    // optimized, where a for-of loop makes an iterator result for every child.
    const children = node.children;
    const members = memberCount(node);
    if (members > 0) {
      let i = this.path();
      if (members > 1) i = this.value(i, '[');
      for (let c = 0; c < children.length; c++) {
        const k = children[c]!;
        if (k.kind === 'element') i = this.value(i, this.quoted(stored(k)));
      }
      if (members > 1) i = this.value(i, ']');
      return this.end(i);
    }
    if (members === 0) {
      const text = stored(node).trim();
      return this.end(text !== '' ? this.value(this.path(), this.quoted(text)) : this.path());
    }
    for (let c = 0; c < children.length; c++) {
      const k = children[c]!;
      if (k.kind !== 'element') continue;
      if (k.name === 'entry') this.pushEntry(k.attrs.name ?? '');
      else this.push(k.name);
      const same = this.node(k);
      this.pop();
      if (!same) return false;
    }
    return true;
  }
}

/**
 * Whether `content` is the lines set.ts's `forEachSetLine` gives for `root`, each ended by a line
 * break and each already normal, and nothing else.
 */
export function isSetOf(content: string, root: XmlElement): boolean {
  const m = new SetMatch(content);
  if (!walk(m, root) || m.at !== content.length) return false;
  // the file is the words matched: normal when they are all plain; else scanned, as any text
  return m.plain || !NOT_NORMAL.test(content);
}

/** The walk of `isSetOf`: whether the file holds the lines of `root` from its start. */
function walk(m: SetMatch, root: XmlElement): boolean {
  const device = elements(elements(root).find((e) => e.name === 'devices') ?? root).find((e) => e.name === 'entry');
  if (device) {
    for (const section of elements(device)) {
      if (section.name === 'vsys') {
        for (const vsys of elements(section).filter((e) => e.name === 'entry')) {
          for (const k of elements(vsys)) {
            m.push('set');
            m.push(k.name);
            const same = m.node(k);
            m.clear();
            if (!same) return false;
          }
        }
      } else {
        m.push('set');
        m.push(section.name);
        const same = m.node(section);
        m.clear();
        if (!same) return false;
      }
    }
  }
  return true;
}
