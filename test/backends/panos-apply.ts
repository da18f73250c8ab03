// A PAN-OS candidate configuration and the commands applied to it in configure mode, with the
// firewall's semantics as far as the delta (backends/paloalto-panos/delta.ts) relies on them:
// - `set PATH VALUE` creates what the path names and sets a value; on a member list it ADDS the
//   members (the list is not replaced); a new entry goes at the end of its list (a new rule
//   after `default-deny`);
// - `delete PATH` removes a node; an object (address, group, service, zone, profile, interface)
//   still named somewhere else (an interface also by a protocol's entry) cannot be deleted;
// - `move rulebase security rules R top | bottom | before Q | after Q` reorders the rulebase;
// - `load config partial mode replace|merge from-xpath X to-xpath Y from FILE`: replace puts the
//   file's node X in place of the config's node Y; merge merges X's children into Y.
// Where a path's words are entry names and where values is the schema the CLI knows, learned
// here from full configs (delta-tree.ts `learnSchema`).

import { elements, type XmlElement } from '../../backends/paloalto-panos/xml.js';
import { unescapeText } from '../../backends/text-escape.js';
import { childKey, learnSchema, setRoots, stepOf, type Schema } from '../../backends/paloalto-panos/delta-tree.js';
import { setLines } from '../../backends/paloalto-panos/set.js';

export interface PanosApplied {
  root: XmlElement;
  errors: string[];
}

/** A tree's copy in plain objects (a read element's `kind` is on its prototype, which structuredClone leaves out). */
function clone(e: XmlElement): XmlElement {
  const out: XmlElement = { kind: 'element', name: e.name, attrs: { ...e.attrs }, children: e.children.map((c) => (c.kind === 'element' ? clone(c) : { kind: 'comment', text: c.text })) };
  if (e.text !== undefined) out.text = e.text;
  if (e.stored !== undefined) out.stored = e.stored;
  return out;
}
const unquote = (t: string): string => (t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t);
const tokens = (line: string): string[] => line.match(/"[^"]*"|\[|\]|[^\s[\]"]+/g) ?? [];

function leaf(name: string, token: string): XmlElement {
  const stored = unquote(token);
  return { kind: 'element', name, attrs: {}, children: [], text: unescapeText(stored), stored };
}

const REFERABLE = new Set(['address', 'address-group', 'service', 'service-group', 'zone', 'tag', 'application-group', 'profile-group', 'interface-management-profile', 'zone-protection-profile', 'ethernet', 'units']);

class Candidate {
  errors: string[] = [];
  constructor(
    readonly root: XmlElement,
    readonly schema: Schema,
    readonly deviceSections: Set<string>,
  ) {}

  base(section: string): XmlElement | undefined {
    const roots = setRoots(this.root);
    if (!roots) return undefined;
    return this.deviceSections.has(section) ? roots.device : roots.vsys;
  }

  /** The node a path names, created on the way when `create`; with its parent and schema path. */
  walk(words: string[], create: boolean): { node: XmlElement; parent: XmlElement; gen: string; rest: string[] } | undefined {
    let parent = this.base(words[0]!);
    if (!parent) return undefined;
    let gen = '';
    let node: XmlElement | undefined;
    let i = 0;
    while (i < words.length) {
      const kind = gen === '' ? 'container' : this.schema.get(gen);
      if (kind === 'members' || kind === 'leaf') break;
      const word = words[i]!;
      const isEntry = kind === 'entries';
      const found: XmlElement | undefined = (node ?? parent).children.find(
        (c): c is XmlElement => c.kind === 'element' && (isEntry ? c.name === 'entry' && stepOf(c) === word : c.name === word),
      );
      if (!found && !create) return undefined;
      const holder: XmlElement = node ?? parent;
      const next: XmlElement = found ?? { kind: 'element', name: isEntry ? 'entry' : word, attrs: isEntry ? { name: unescapeText(unquote(word)) } : {}, children: [] };
      if (!found) {
        delete holder.text;
        holder.children.push(next);
      }
      parent = holder;
      node = next;
      gen = gen === '' ? word : `${gen}/${isEntry ? '*' : word}`;
      i++;
      if (this.schema.get(gen) === undefined && !isEntry) {
        this.errors.push(`Invalid syntax: ${words.join(' ')}`);
        return undefined;
      }
    }
    return node ? { node, parent, gen, rest: words.slice(i) } : undefined;
  }

  set(words: string[]): void {
    const at = this.walk(words, true);
    if (!at) return;
    const kind = this.schema.get(at.gen);
    const values = at.rest.filter((t) => t !== '[' && t !== ']');
    if (kind === 'members') {
      // set on a member list adds the members
      const have = new Set(elements(at.node).map((m) => m.stored ?? m.text ?? ''));
      delete at.node.text;
      for (const v of values) if (!have.has(unquote(v))) at.node.children.push(leaf('member', v));
    } else if (kind === 'leaf' && values.length > 0) {
      const l = leaf(at.node.name, values[0]!);
      at.node.text = l.text;
      at.node.stored = l.stored;
      at.node.children = at.node.children.filter((c) => c.kind === 'comment');
    } else if (values.length > 0) this.errors.push(`Invalid syntax: set ${words.join(' ')}`);
  }

  /** Where `name` is used as a value (member or leaf) outside `except`; `entries`: also as another entry's name. */
  references(name: string, except: XmlElement, entries: boolean): number {
    let n = 0;
    const visit = (e: XmlElement): void => {
      if (e === except) return;
      const kids = elements(e);
      if (kids.length === 0 && (e.text ?? '') === name) n++;
      if (entries && e.name === 'entry' && e.attrs.name === name) n++;
      kids.forEach(visit);
    };
    visit(this.root);
    return n;
  }

  delete(words: string[]): void {
    const at = this.walk(words, false);
    if (!at || at.rest.length > 0) {
      this.errors.push(`No such node: delete ${words.join(' ')}`);
      return;
    }
    // every object the deleted subtree defines must be named nowhere else
    const defined: { name: string; iface: boolean }[] = [];
    const collect = (e: XmlElement, container: string): void => {
      if (e.name === 'entry' && REFERABLE.has(container)) defined.push({ name: e.attrs.name ?? '', iface: container === 'ethernet' || container === 'units' });
      for (const k of elements(e)) collect(k, e.name);
    };
    collect(at.node, at.gen.split('/').at(-2) ?? '');
    // an interface is also named by the entries of the protocols that run on it
    const used = defined.find((d) => this.references(d.name, at.node, d.iface) > 0);
    if (used) {
      this.errors.push(`${used.name} cannot be deleted because of references`);
      return;
    }
    at.parent.children = at.parent.children.filter((c) => c !== at.node);
  }

  move(words: string[]): void {
    // move rulebase security rules R where [Q]
    const where = words.findIndex((w) => ['top', 'bottom', 'before', 'after'].includes(w));
    const at = this.walk(words.slice(0, where), false);
    if (!at) {
      this.errors.push(`No such rule: move ${words.join(' ')}`);
      return;
    }
    const list = at.parent;
    const others = list.children.filter((c) => c !== at.node);
    const how = words[where]!;
    let k = how === 'top' ? 0 : others.length;
    if (how === 'before' || how === 'after') {
      const q = others.findIndex((c) => c.kind === 'element' && stepOf(c) === words[where + 1]);
      if (q < 0) {
        this.errors.push(`No such rule: ${words[where + 1]}`);
        return;
      }
      k = how === 'before' ? q : q + 1;
    }
    others.splice(k, 0, at.node);
    list.children = others;
  }
}

function deviceSectionsOf(configs: XmlElement[]): Set<string> {
  const out = new Set<string>();
  for (const c of configs) {
    const roots = setRoots(c);
    for (const s of roots ? elements(roots.device) : []) if (s.name !== 'vsys') out.add(s.name);
  }
  return out;
}

/** `previous` after the configure-mode `commands` (`set`, `delete`, `move`); `known` teach the schema. */
export function applyPanosSet(previous: XmlElement, commands: string, known: XmlElement[]): PanosApplied {
  const c = new Candidate(clone(previous), learnSchema([previous, ...known]), deviceSectionsOf([previous, ...known]));
  for (const line of commands.split('\n')) {
    const w = tokens(line.trim());
    if (w.length === 0) continue;
    if (w[0] === 'set') c.set(w.slice(1));
    else if (w[0] === 'delete') c.delete(w.slice(1));
    else if (w[0] === 'move') c.move(w.slice(1));
    else c.errors.push(`Unknown command: ${line}`);
  }
  return { root: c.root, errors: c.errors };
}

/** The node an absolute XPath of steps `name` and `name[@name='N']` selects. */
function select(root: XmlElement, xpath: string): XmlElement | undefined {
  const steps = xpath.split('/').filter((s) => s !== '');
  if (steps[0] !== root.name) return undefined;
  let node: XmlElement | undefined = root;
  for (const step of steps.slice(1)) {
    const m = step.match(/^([\w-]+)(?:\[@name='([^']*)'\])?$/);
    if (!m || !node) return undefined;
    node = elements(node).find((e) => e.name === m[1] && (m[2] === undefined || e.attrs.name === m[2]));
  }
  return node;
}

function merge(into: XmlElement, from: XmlElement): void {
  for (const k of elements(from)) {
    const same = elements(into).find((e) => childKey(e) === childKey(k));
    if (same && elements(k).length > 0) merge(same, k);
    else if (same) into.children.splice(into.children.indexOf(same), 1, clone(k));
    else into.children.push(clone(k));
  }
}

/** `previous` after `load config partial` commands that read `file` (and `delete` commands). */
export function applyPanosLoads(previous: XmlElement, file: XmlElement, commands: string[], known: XmlElement[]): PanosApplied {
  let root = clone(previous);
  const errors: string[] = [];
  for (const line of commands) {
    const m = line.match(/^load config partial mode (replace|merge) from-xpath (\S+) to-xpath (\S+) from \S+$/);
    if (!m) {
      if (line.startsWith('delete ')) {
        const r = applyPanosSet(root, line, known);
        root = r.root;
        errors.push(...r.errors);
      } else if (line !== 'commit') errors.push(`Unknown command: ${line}`);
      continue;
    }
    const from = select(file, m[2]!);
    const to = select(root, m[3]!);
    if (!from || !to) {
      errors.push(`xpath not found: ${!from ? m[2] : m[3]}`);
      continue;
    }
    if (m[1] === 'replace') {
      to.children = clone(from).children;
      to.text = from.text;
    } else merge(to, from);
  }
  return { root, errors };
}

/** The config as its `set` form: the rules in order, each rule's lines and all other lines as sets. */
export function canonicalPanos(root: XmlElement): string {
  const lines = setLines(root);
  const rest = lines.filter((l) => !l.startsWith('set rulebase ')).sort();
  const rules = new Map<string, string[]>();
  for (const l of lines.filter((x) => x.startsWith('set rulebase '))) {
    const key = tokens(l).slice(0, 5).join(' ');
    rules.set(key, [...(rules.get(key) ?? []), l]);
  }
  return [...rest, ...[...rules.values()].flatMap((r) => r.sort())].join('\n');
}
