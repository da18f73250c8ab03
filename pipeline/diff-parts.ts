// The parts of `plumb diff` that compare two compiled networks without Z3: routes per device
// (each model's fib), assertions' verdicts (both sides proven), and the compiled configuration
// files (rendered by the backends, compared as unified diffs).

import type { NetworkModel, RouteModel } from '../compiler/model.js';
import { renderOutput } from '../backends/output.js';
import type { Verdict, VerdictStatus } from '../verifier/verdict.js';
import { unifiedDiff } from './diff-text.js';
import type { SourceText } from './sources.js';

export interface RouteChange {
  device: string;
  prefix: string;
  change: 'added' | 'removed' | 'changed';
  old?: RouteModel;
  new?: RouteModel;
}

/** Routes added, removed or changed (protocol or next hops) per device, sorted by device and prefix. */
export function diffRoutes(oldModel: NetworkModel, newModel: NetworkModel): RouteChange[] {
  const fibs = (m: NetworkModel): Map<string, Map<string, RouteModel>> =>
    new Map(m.devices.map((d) => [d.id, new Map(d.fib.map((r) => [r.prefix, r]))]));
  const before = fibs(oldModel);
  const after = fibs(newModel);
  const out: RouteChange[] = [];
  for (const device of [...new Set([...before.keys(), ...after.keys()])].sort(cmp)) {
    const o = before.get(device) ?? new Map<string, RouteModel>();
    const n = after.get(device) ?? new Map<string, RouteModel>();
    for (const prefix of [...new Set([...o.keys(), ...n.keys()])].sort(comparePrefixes)) {
      const a = o.get(prefix);
      const b = n.get(prefix);
      if (a && b) {
        if (routeKey(a) !== routeKey(b)) out.push({ device, prefix, change: 'changed', old: a, new: b });
      } else if (b) out.push({ device, prefix, change: 'added', new: b });
      else if (a) out.push({ device, prefix, change: 'removed', old: a });
    }
  }
  return out;
}

/** What makes a route forward differently: its protocol and next hops (the metric is informational). */
function routeKey(r: RouteModel): string {
  return JSON.stringify([r.protocol, r.nextHops.map((h) => [h.interface, h.address ?? '', h.device ?? ''])]);
}

/** IPv4 before IPv6, then as text: the order the models keep their fibs in. */
function comparePrefixes(a: string, b: string): number {
  const fa = a.includes(':') ? 6 : 4;
  const fb = b.includes(':') ? 6 : 4;
  return fa - fb || cmp(a, b);
}

export interface AssertionChange {
  /** The assertion's text (as written), and which of the assertions with that text it is (0 first). */
  text: string;
  occurrence: number;
  /** Absent when the side has no such assertion. */
  old?: VerdictStatus;
  new?: VerdictStatus;
  /** The new side's counterexample in one sentence, or why it is unknown. */
  detail?: string;
  /** The assertion's line in the new intent (else the old one). */
  line?: { file: string; line: number };
}

/** Assertions whose verdict differs between the sides (or that only one side has), in the new side's order. */
export function diffVerdicts(
  oldVerdicts: readonly Verdict[],
  newVerdicts: readonly Verdict[],
): AssertionChange[] {
  const keyed = (vs: readonly Verdict[]): Map<string, Verdict> => {
    const seen = new Map<string, number>();
    const out = new Map<string, Verdict>();
    for (const v of vs) {
      const k = seen.get(v.assertion.text) ?? 0;
      seen.set(v.assertion.text, k + 1);
      out.set(`${k}\u0000${v.assertion.text}`, v);
    }
    return out;
  };
  const before = keyed(oldVerdicts);
  const after = keyed(newVerdicts);
  const out: AssertionChange[] = [];
  const keys = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a && b && a.status === b.status) continue;
    const v = (b ?? a)!;
    const detail = b?.counterexample?.summary ?? b?.reason;
    out.push({
      text: v.assertion.text,
      occurrence: Number(key.split('\u0000')[0]),
      ...(a ? { old: a.status } : {}),
      ...(b ? { new: b.status } : {}),
      ...(detail !== undefined && b?.status !== 'proven' ? { detail } : {}),
      line: { file: v.assertion.origin.file, line: v.assertion.origin.start.line },
    });
  }
  return out;
}

export interface ConfigChange {
  /** `<site>/<device>/<file>`, as `plumb compile -o` writes it. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  added: number;
  removed: number;
  /** The unified diff (`--- old/path`, `+++ new/path`, hunks). */
  diff: string;
}

/** The compiled configuration files of both sides (every device with a backend), file by file. */
export function diffConfigs(
  oldModel: NetworkModel,
  oldSources: readonly SourceText[],
  newModel: NetworkModel,
  newSources: readonly SourceText[],
): ConfigChange[] {
  const files = (m: NetworkModel, s: readonly SourceText[]): Map<string, string> =>
    new Map(
      renderOutput(m, s).devices.flatMap((d) =>
        d.files.map((f) => [`${d.dir}/${f.path}`, f.content] as const),
      ),
    );
  const before = files(oldModel, oldSources);
  const after = files(newModel, newSources);
  const out: ConfigChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort(cmp)) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const d = unifiedDiff(
      a ?? '',
      b ?? '',
      a === undefined ? '/dev/null' : `old/${path}`,
      b === undefined ? '/dev/null' : `new/${path}`,
    );
    out.push({
      path,
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      added: d.added,
      removed: d.removed,
      diff: d.text,
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
