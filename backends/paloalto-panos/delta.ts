// The PAN-OS delta: what turns the previous `<device>.xml` (as the firewall's candidate config)
// into the next one, in two forms (docs/deploy.md says when to use which):
//
// - `<device>.delta.set`: configure-mode commands. `set` on a member list adds to it, so a list
//   that changes is deleted and set whole; a value is set over the old one; an object the next
//   version no longer has is deleted after every change, users first (in reverse document
//   order: rules before the groups and addresses they name, zones and routing protocols before
//   interfaces), when nothing references it any more; a
//   new rule lands at the bottom of the rulebase, after `default-deny`, so every rule out of
//   place is moved (`move rulebase security rules R top`, `... after Q`) to the next version's
//   order. Nothing is live until `commit`, which applies the whole candidate at once.
// - `<device>.delta.xml`: the next version's sections that changed, for `load config partial`
//   with an explicit mode and xpaths (listed in the file's leading comment): `mode replace` for
//   a section both versions have, `mode merge` into the parent for a section that is new; a
//   section the next version drops is deleted with the `delete` command listed there too.
// Both are computed from the two XML files; nothing changed: no files.

import type { DeviceModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { el, elements, parseXml, printXml, type XmlElement } from './xml.js';
import { childKey, kindOfNode, memberValues, sections, setLinesOf, setRoots, stepOf, subtreeText, valueText, type SetRoots } from './delta-tree.js';

const XML_SUFFIX = '.xml';

/** The `set` commands of the changes and additions, and the paths to delete, users first. */
interface SetDelta {
  sets: string[];
  deletes: string[];
}

function walk(p: XmlElement, n: XmlElement, path: string[], out: SetDelta, removed: string[][]): void {
  const pk = kindOfNode(p);
  const nk = kindOfNode(n);
  if (pk !== nk) {
    out.sets.push(`delete ${path.join(' ')}`);
    out.sets.push(...setLinesOf(n, path));
    return;
  }
  if (nk === 'leaf') {
    if (valueText(p) !== valueText(n)) out.sets.push(...setLinesOf(n, path));
    return;
  }
  if (nk === 'members') {
    const a = memberValues(p);
    const b = memberValues(n);
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
      // `set` adds members: the list is replaced whole
      out.sets.push(`delete ${path.join(' ')}`, ...setLinesOf(n, path));
    }
    return;
  }
  const before = new Map(elements(p).map((e) => [childKey(e), e]));
  const after = new Set(elements(n).map(childKey));
  for (const k of elements(n)) {
    const old = before.get(childKey(k));
    if (old) walk(old, k, [...path, stepOf(k)], out, removed);
    else out.sets.push(...setLinesOf(k, [...path, stepOf(k)]));
  }
  for (const k of elements(p)) if (!after.has(childKey(k))) removed.push([...path, stepOf(k)]);
}

/** The node a `set` path names in a config (undefined when it has none). */
function nodeAt(config: XmlElement, path: string[]): XmlElement | undefined {
  const roots = setRoots(config);
  if (!roots) return undefined;
  const section = sections(roots).find((s) => s.node.name === path[0]);
  let node = section?.node;
  for (const step of path.slice(1)) node = node && elements(node).find((e) => stepOf(e) === step);
  return node;
}

/** The entry names a subtree defines, and the names it uses (values, and its inner entries' names). */
function namesOf(node: XmlElement): { defines: Set<string>; uses: Set<string> } {
  const defines = new Set<string>();
  const uses = new Set<string>();
  const visit = (e: XmlElement, root: boolean): void => {
    const kids = elements(e);
    if (e.name === 'entry') {
      defines.add(e.attrs.name ?? '');
      if (!root) uses.add(e.attrs.name ?? '');
    }
    if (kids.length === 0 && e.text !== undefined) uses.add(e.text);
    kids.forEach((k) => visit(k, false));
  };
  visit(node, true);
  for (const d of defines) uses.delete(d);
  return { defines, uses };
}

/**
 * The paths to delete, users first: a subtree that names an object another deleted subtree
 * defines goes before it (rules before the groups and addresses they name, an interface before
 * its management profile, a routing protocol's interface before the interface); otherwise in
 * the order given (reverse document order).
 */
function usersFirst(paths: string[][], config: XmlElement): string[][] {
  const names = paths.map((p) => {
    const node = nodeAt(config, p);
    return node ? namesOf(node) : { defines: new Set<string>(), uses: new Set<string>() };
  });
  const out: string[][] = [];
  const left = paths.map((_, i) => i);
  while (left.length > 0) {
    // the first path that no other remaining path uses; in a cycle, the first one
    const free = left.find((i) => !left.some((j) => j !== i && [...names[j]!.uses].some((u) => names[i]!.defines.has(u))));
    const pick = free ?? left[0]!;
    out.push(paths[pick]!);
    left.splice(left.indexOf(pick), 1);
  }
  return out;
}

/** The entries of every rulebase (`rulebase security rules`, ...) in order, by path. */
function rulebases(roots: SetRoots | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rulebase = roots?.vsys && elements(roots.vsys).find((e) => e.name === 'rulebase');
  for (const kind of rulebase ? elements(rulebase) : []) {
    const rules = elements(kind).find((e) => e.name === 'rules');
    if (rules) out.set(`rulebase ${kind.name} rules`, elements(rules).map(stepOf));
  }
  return out;
}

/** `move` commands that put the rules of `current` order into `want`'s order. */
function moves(path: string, current: string[], want: string[]): string[] {
  const cur = current.filter((r) => want.includes(r));
  const out: string[] = [];
  want.forEach((rule, i) => {
    if (cur[i] === rule) return;
    out.push(i === 0 ? `move ${path} ${rule} top` : `move ${path} ${rule} after ${want[i - 1]!}`);
    cur.splice(cur.indexOf(rule), 1);
    cur.splice(i, 0, rule);
  });
  return out;
}

/** The configure-mode commands that turn `previous` into `next` (both config roots). */
export function panosSetDelta(previous: XmlElement, next: XmlElement): string[] {
  const pr = setRoots(previous);
  const nr = setRoots(next);
  if (!nr) return [];
  const out: SetDelta = { sets: [], deletes: [] };
  const removed: string[][] = [];
  const old = new Map((pr ? sections(pr) : []).map((s) => [s.node.name, s.node]));
  const now = new Set(sections(nr).map((s) => s.node.name));
  for (const { node } of sections(nr)) {
    const p = old.get(node.name);
    if (p) walk(p, node, [node.name], out, removed);
    else out.sets.push(...setLinesOf(node, [node.name]));
  }
  for (const { node } of pr ? sections(pr) : []) if (!now.has(node.name)) removed.push([node.name]);
  const deletes = usersFirst(removed.reverse(), previous).map((p) => `delete ${p.join(' ')}`);
  // rules: after the additions (at the bottom) and the deletions, into the next version's order
  const before = rulebases(pr);
  const placed: string[] = [];
  for (const [path, want] of rulebases(nr)) {
    const kept = (before.get(path) ?? []).filter((r) => want.includes(r));
    const added = want.filter((r) => !kept.includes(r));
    placed.push(...moves(path, [...kept, ...added], want));
  }
  return [...out.sets, ...deletes, ...placed];
}

/** The XPath of a section: the device entry's or the vsys entry's child. */
function xpathOf(roots: SetRoots, parent: XmlElement, name: string): string {
  const device = `/config/devices/entry[@name='${roots.device.attrs.name ?? ''}']`;
  const base = parent === roots.device ? device : `${device}/vsys/entry[@name='${roots.vsys?.attrs.name ?? ''}']`;
  return name === '' ? base : `${base}/${name}`;
}

export interface XmlDelta {
  /** The next version's changed and new sections, in the skeleton of a config. */
  document: XmlElement;
  /** `load config partial` and `delete` commands, in order. */
  commands: string[];
}

/** The `load config partial` form of the delta; undefined when no section changed. */
export function panosXmlDelta(previous: XmlElement, next: XmlElement, file: string): XmlDelta | undefined {
  const pr = setRoots(previous);
  const nr = setRoots(next);
  if (!nr) return undefined;
  const old = new Map((pr ? sections(pr) : []).map((s) => [s.node.name, s.node]));
  const now = new Set(sections(nr).map((s) => s.node.name));
  const commands: string[] = [];
  const deviceKids: XmlElement[] = [];
  const vsysKids: XmlElement[] = [];
  for (const { parent, node } of sections(nr)) {
    const p = old.get(node.name);
    if (p && subtreeText(p) === subtreeText(node)) continue;
    (parent === nr.device ? deviceKids : vsysKids).push(node);
    const xpath = xpathOf(nr, parent, node.name);
    commands.push(
      p
        ? `load config partial mode replace from-xpath ${xpath} to-xpath ${xpath} from ${file}`
        : `load config partial mode merge from-xpath ${xpathOf(nr, parent, '')} to-xpath ${xpathOf(nr, parent, '')} from ${file}`,
    );
  }
  for (const { node } of pr ? sections(pr) : []) if (!now.has(node.name)) commands.push(`delete ${node.name}`);
  if (commands.length === 0) return undefined;
  // a merge loads every new section under the parent at once: one command per parent suffices
  const unique = commands.filter((c, i) => commands.indexOf(c) === i);
  // each a copy with other children, made by `el`: a read element's `kind` is not a field of its own
  const vsys = nr.vsys ? [el('vsys', [el(nr.vsys.name, vsysKids, nr.vsys.attrs)])] : [];
  const device = el(nr.device.name, [...deviceKids, ...vsys], nr.device.attrs);
  const document = el(next.name, [el('devices', [device])], next.attrs);
  return { document, commands: unique };
}

/** Backend.delta for PAN-OS: `<device>.delta.set` and `<device>.delta.xml` beside `<device>.xml`. */
export function deltaPanos(previous: RenderedFile[], next: RenderedFile[], device: DeviceModel): RenderedFile[] {
  const file = next.find((f) => f.path.endsWith(XML_SUFFIX) && !f.path.endsWith(`.delta${XML_SUFFIX}`));
  if (!file) return [];
  const oldFile = previous.find((f) => f.path === file.path) ?? previous.find((f) => f.path.endsWith(XML_SUFFIX));
  const nextRoot = parseXml(file.path, file.content).root;
  const prevRoot = oldFile ? parseXml(oldFile.path, oldFile.content).root : el('config', [el('devices', [])]);
  if (!nextRoot || !prevRoot) throw new Error(`internal: ${device.id}: a PAN-OS config that does not parse`);
  const base = file.path.slice(0, -XML_SUFFIX.length);
  const set = panosSetDelta(prevRoot, nextRoot);
  const xml = panosXmlDelta(prevRoot, nextRoot, `${base}.delta.xml`);
  if (set.length === 0 && !xml) return [];
  const out: RenderedFile[] = [];
  if (set.length > 0) out.push({ path: `${base}.delta.set`, content: `${set.join('\n')}\n` });
  if (xml) {
    const note = [
      `${device.id}: the sections of ${file.path} that changed since the previous version, generated by Plumb.`,
      `Import it (scp import configuration from USER@HOST:${base}.delta.xml), then in configure mode:`,
      ...xml.commands,
      'commit',
    ];
    out.push({ path: `${base}.delta.xml`, content: printXml(xml.document, note.map((t) => ({ kind: 'comment', text: t.replace(/--/g, '- -') }))) });
  }
  return out;
}
