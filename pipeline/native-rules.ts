// Where each rule of a compiled device stands in the configuration Plumb writes for it: the file
// (as `plumb compile -o DIR` lays it out, `<site>/<device>/<file>`), the line and that line's
// text, which carries the device's own name for the rule (an IOS-XE ACL entry starts with its
// sequence number, a PAN-OS security rule is `<entry name="...">`, an nftables rule is its line
// in the chain). Found the way the drift check finds hand-added rules (config-lines.ts): the
// device is rendered by its backend and read back with its origin tags made unreadable, so that
// every rule gets its own line; where the platform writes a rule once per address family (an
// nftables chain), its lines are lined up with the model's rule by their families, and a trace
// shows the line of its packet's family. No platform's text is parsed here.

import { backendFor } from '../backends/index.js';
import { withoutOriginTags } from '../backends/origin-tag.js';
import type { FilterRule, Match, NetworkModel } from '../compiler/model.js';
import { prefixOf } from '../language/address.js';
import type { Counterexample, Trace, Verdict } from '../verifier/verdict.js';

/** A rule's line in its device's configuration. */
export interface NativeRule {
  /** `<site>/<device>/<file>`, relative to the folder `plumb compile -o` writes. */
  file: string;
  /** 1-based. */
  line: number;
  /** The line's text, trimmed. */
  text: string;
  /** When the platform writes the rule once per address family: the family of this line. */
  family?: 4 | 6;
}

/**
 * By device id, then by rule list (a filter's name, `security` for the zone policy), by rule
 * index: the rule's lines (one, or one per family where the platform splits it).
 */
export type NativeRules = Map<string, Record<string, readonly (readonly NativeRule[] | undefined)[]>>;

/** The family of a rule read back when all of its prefixes have one. */
function familyOf(m: Match): 4 | 6 | undefined {
  const families = new Set([...(m.sources ?? []), ...(m.destinations ?? [])].map((p) => prefixOf(p).family));
  return families.size === 1 ? [...families][0] : undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const within = (part: readonly string[] | undefined, whole: readonly string[] | undefined): boolean =>
  part === undefined ? whole === undefined : whole !== undefined && part.every((p) => whole.includes(p));

/** Whether `r` (read back) is `whole` or the part of it in one address family. */
function partOf(r: FilterRule, whole: FilterRule): boolean {
  const a = r.match;
  const b = whole.match;
  return (
    r.action === whole.action &&
    same(a.protocol, b.protocol) &&
    same(a.sourcePorts, b.sourcePorts) &&
    same(a.destinationPorts, b.destinationPorts) &&
    same(a.icmpType, b.icmpType) &&
    same(a.tcpEstablished, b.tcpEstablished) &&
    same(a.fromZones, b.fromZones) &&
    same(a.toZones, b.toZones) &&
    within(a.sources, b.sources) &&
    within(a.destinations, b.destinations)
  );
}

/** Whether the parts read so far hold all of the rule's prefixes. */
function covered(parts: readonly FilterRule[], whole: FilterRule): boolean {
  const all = (pick: (m: Match) => string[] | undefined): boolean => {
    const want = pick(whole.match);
    if (want === undefined) return true;
    const got = new Set(parts.flatMap((r) => pick(r.match) ?? []));
    return want.every((p) => got.has(p));
  };
  return all((m) => m.sources) && all((m) => m.destinations);
}

/**
 * The rules read back (each on its own line) that make up each rule of the model's list, in
 * order: the same rule, or its parts in each family; undefined when they do not line up.
 */
function align(model: readonly FilterRule[], read: readonly FilterRule[]): FilterRule[][] | undefined {
  const out: FilterRule[][] = [];
  let j = 0;
  for (const whole of model) {
    const parts: FilterRule[] = [];
    while (j < read.length && partOf(read[j]!, whole) && !(parts.length > 0 && covered(parts, whole))) parts.push(read[j++]!);
    if (parts.length === 0 || !covered(parts, whole)) return undefined;
    out.push(parts);
  }
  return j === read.length ? out : undefined;
}

/** The config lines of the rules of the given devices (all when none is given). */
export function nativeRules(model: NetworkModel, deviceIds?: ReadonlySet<string>): NativeRules {
  const out: NativeRules = new Map();
  for (const device of model.devices) {
    if (deviceIds && !deviceIds.has(device.id)) continue;
    const backend = backendFor(device.platform);
    if (!backend) continue;
    const files = backend.render(device, model);
    const context = { id: device.id, site: device.site, name: device.name, role: device.role };
    // Read with the origin tags made unreadable, every rule gets its own line (config-lines.ts).
    const relaxed = backend.read(
      files.map((f) => ({ path: f.path, content: withoutOriginTags(f.content) })),
      context,
    ).device;
    if (!relaxed) continue;
    const texts = new Map(files.map((f) => [f.path, f.content.split('\n')]));
    const lineOf = (r: FilterRule): NativeRule | undefined => {
      const text = texts.get(r.origin.file)?.[r.origin.start.line - 1];
      if (text === undefined) return undefined;
      const family = familyOf(r.match);
      return { file: `${device.site}/${device.name}/${r.origin.file}`, line: r.origin.start.line, text: text.trim(), ...(family ? { family } : {}) };
    };
    const lists: Record<string, (NativeRule[] | undefined)[]> = {};
    const add = (name: string, rules: readonly FilterRule[], read: readonly FilterRule[] | undefined): void => {
      const parts = read && align(rules, read);
      if (!parts) return;
      lists[name] = parts.map((p) => {
        const lines = p.flatMap((r) => lineOf(r) ?? []);
        // A rule written once stands for both families.
        if (p.length === 1 && lines[0]) delete lines[0].family;
        return lines.length === p.length ? lines : undefined;
      });
    };
    for (const f of device.filters) add(f.name, f.rules, relaxed.filters.find((x) => x.name === f.name)?.rules);
    if (device.securityRules.length > 0) add('security', device.securityRules, relaxed.securityRules);
    out.set(device.id, lists);
  }
  return out;
}

/** Every trace of a counterexample, forward and reply. */
const tracesOf = (c: Counterexample): Trace[] => [...c.traces, ...(c.reply?.traces ?? [])];

/**
 * Gives every rule decision of the verdicts' counterexamples its line in the device's
 * configuration (`FilterDecision.config`), rendering only the devices the traces pass. For a
 * model compiled from the intent: a network read back from configuration files (`--configs`)
 * has its own lines, which its rules' origins already name.
 */
export function addNativeRules(verdicts: readonly Verdict[], model: NetworkModel): void {
  const traces = verdicts.flatMap((v) => (v.counterexample ? tracesOf(v.counterexample) : []));
  const devices = new Set(traces.flatMap((t) => t.hops.filter((h) => h.decisions.some((d) => d.rule !== undefined)).map((h) => h.device)));
  if (devices.size === 0) return;
  const native = nativeRules(model, devices);
  for (const t of traces) {
    for (const h of t.hops) {
      for (const d of h.decisions) {
        if (d.rule === undefined) continue;
        const lines = native.get(h.device)?.[d.stage === 'security' ? 'security' : d.filter]?.[d.rule - 1];
        const line = lines?.find((l) => l.family === t.packet.family) ?? lines?.find((l) => l.family === undefined);
        if (line) d.config = { file: line.file, line: line.line, text: line.text };
      }
    }
  }
}
