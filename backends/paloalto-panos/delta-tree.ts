// A PAN-OS config tree as the `set` form addresses it (set.ts): the device's sections and, of
// the single vsys, its sections without a `vsys vsys1` prefix; an `entry` is named by its name;
// a node is a member list (`[ a b ]`), a leaf (a value, possibly none) or a container. Shared
// by the delta (delta.ts) and the tests' applier of `set`/`delete`/`move` commands.

import { panosText, printXml, elements, type XmlElement } from './xml.js';

export type NodeKind = 'members' | 'leaf' | 'container';

export function kindOfNode(e: XmlElement): NodeKind {
  const kids = elements(e);
  if (kids.length === 0) return 'leaf';
  return kids.every((k) => k.name === 'member') ? 'members' : 'container';
}

/** A value as the `set` form writes it: quoted when it has spaces or brackets. */
export function quoteToken(s: string): string {
  return /[\s"[\]]/.test(s) ? `"${s}"` : s;
}

/** The `set`-form word of a child node: an entry's name, else the element's name. */
export function stepOf(e: XmlElement): string {
  return e.name === 'entry' ? quoteToken(panosText(e.attrs.name ?? '')) : e.name;
}

/** The child's identity within its parent (an entry by name, an element by its name). */
export const childKey = (e: XmlElement): string => (e.name === 'entry' ? `entry\n${e.attrs.name ?? ''}` : e.name);

/** A leaf's value as stored, and a member list's values, in the `set` form's spelling. */
export function leafValue(e: XmlElement): string {
  return (e.stored ?? panosText(e.text ?? '')).trim();
}

export function memberValues(e: XmlElement): string[] {
  return elements(e).map((m) => quoteToken(leafValue(m)));
}

export function valueText(e: XmlElement): string {
  if (kindOfNode(e) === 'members') {
    const v = memberValues(e);
    return v.length === 1 ? v[0]! : `[ ${v.join(' ')} ]`;
  }
  const v = leafValue(e);
  return v === '' ? '' : quoteToken(v);
}

/** The roots the `set` form starts from: the device entry's sections, and the vsys entry's. */
export interface SetRoots {
  device: XmlElement;
  vsys?: XmlElement;
}

export function setRoots(config: XmlElement): SetRoots | undefined {
  const devices = elements(config).find((e) => e.name === 'devices');
  const device = devices && elements(devices).find((e) => e.name === 'entry');
  if (!device) return undefined;
  const vsysList = elements(device).find((e) => e.name === 'vsys');
  const vsys = vsysList && elements(vsysList).find((e) => e.name === 'entry');
  return vsys ? { device, vsys } : { device };
}

/** The sections the `set` form addresses, each with the node it lives under. */
export function sections(roots: SetRoots): { parent: XmlElement; node: XmlElement }[] {
  const out: { parent: XmlElement; node: XmlElement }[] = [];
  for (const s of elements(roots.device)) {
    if (s.name === 'vsys') continue;
    out.push({ parent: roots.device, node: s });
  }
  if (roots.vsys) for (const s of elements(roots.vsys)) out.push({ parent: roots.vsys, node: s });
  return out;
}

/** A subtree printed without positions, for comparing two versions of it. */
export function subtreeText(e: XmlElement): string {
  return printXml(e);
}

/**
 * Where each kind of node is, by path with entry names generalised to `*` (the schema the CLI
 * knows): learned from configs, so that a `set` path can be walked token by token.
 */
export type Schema = Map<string, NodeKind | 'entries'>;

export function learnSchema(configs: XmlElement[], schema: Schema = new Map()): Schema {
  const walk = (e: XmlElement, path: string): void => {
    const kids = elements(e);
    const kind = kindOfNode(e);
    if (kind === 'members' || kind === 'leaf') {
      if (!schema.has(path)) schema.set(path, kind);
      return;
    }
    if (kids.every((k) => k.name === 'entry')) schema.set(path, 'entries');
    else schema.set(path, 'container');
    for (const k of kids) walk(k, `${path}/${k.name === 'entry' ? '*' : k.name}`);
  };
  for (const c of configs) {
    const roots = setRoots(c);
    if (!roots) continue;
    for (const { node } of sections(roots)) walk(node, node.name);
  }
  return schema;
}

/** The `set` commands that create `node` at `path` (what set.ts writes for a whole config). */
export function setLinesOf(node: XmlElement, path: string[]): string[] {
  if (kindOfNode(node) !== 'container') {
    const v = valueText(node);
    return [`set ${[...path, ...(v !== '' ? [v] : [])].join(' ')}`];
  }
  return elements(node).flatMap((k) => setLinesOf(k, [...path, stepOf(k)]));
}
