// Where each rule of a compiled device stands in the configuration Plumb writes for it: the file
// (as `plumb compile -o DIR` lays it out, `<site>/<device>/<file>`), the line and that line's
// text, which carries the device's own name for the rule (an IOS-XE ACL entry starts with its
// sequence number, a PAN-OS security rule is `<entry name="...">`, an nftables rule is its line
// in the chain). Found the way the drift check finds hand-added rules (config-lines.ts): the
// device is rendered by its backend and read back with its origin tags made unreadable, so that
// every rule gets its own line. No platform's text is parsed here.

import { backendFor } from '../backends/index.js';
import type { NetworkModel } from '../compiler/model.js';
import type { Counterexample, Trace, Verdict } from '../verifier/verdict.js';
import { ruleLines } from './config-lines.js';

/** A rule's line in its device's configuration. */
export interface NativeRule {
  /** `<site>/<device>/<file>`, relative to the folder `plumb compile -o` writes. */
  file: string;
  /** 1-based. */
  line: number;
  /** The line's text, trimmed. */
  text: string;
}

/** By device id, then by rule list (a filter's name, `security` for the zone policy), by rule index. */
export type NativeRules = Map<string, Record<string, readonly (NativeRule | undefined)[]>>;

/** The config lines of the rules of the given devices (all when none is given). */
export function nativeRules(model: NetworkModel, deviceIds?: ReadonlySet<string>): NativeRules {
  const out: NativeRules = new Map();
  for (const device of model.devices) {
    if (deviceIds && !deviceIds.has(device.id)) continue;
    const backend = backendFor(device.platform);
    if (!backend) continue;
    const files = backend.render(device, model);
    const context = { id: device.id, site: device.site, name: device.name, role: device.role };
    const texts = new Map(files.map((f) => [f.path, f.content.split('\n')]));
    const lists: Record<string, (NativeRule | undefined)[]> = {};
    for (const [list, spans] of Object.entries(ruleLines(backend, files, context, device))) {
      lists[list] = spans.map((span) => {
        const text = span && texts.get(span.file)?.[span.start.line - 1];
        return span && text !== undefined ? { file: `${device.site}/${device.name}/${span.file}`, line: span.start.line, text: text.trim() } : undefined;
      });
    }
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
        const config = native.get(h.device)?.[d.stage === 'security' ? 'security' : d.filter]?.[d.rule - 1];
        if (config) d.config = config;
      }
    }
  }
}
