// The keys of the drift check (`plumb verify --configs DIR`): each key a device's files hold
// (`ReadResult.secrets`: a BGP password, an OSPF key) is compared with the value of the intent's
// secret for the same session or interface, read from the same environment variable or file as
// `plumb compile -o` reads it (pipeline/secrets.ts). The device models name secrets only, so a
// key changed by hand is seen here, not by the equivalence check.
//
// A value is never printed: a key that differs is V889 at its line, naming the secret; the
// configuration lines shown with the reports have each key line's key replaced by a mask
// (`maskKeys`). A key in a form that cannot be decoded (IOS-XE type 6, 8, 9) is listed as not
// compared, never as drift. A secret whose value cannot be read leaves its keys uncompared, and
// the summary says which and why (names are still compared by the equivalence check).

import type { KeyOwner, ReadSecret } from '../backends/backend.js';
import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { SourceText } from './sources.js';

/** What the key comparison did, for the report's summary (names, files and lines; no value). */
export interface KeyCheck {
  /** Keys compared with the intent's values. */
  compared: number;
  /** Of those, keys that differ (each a V889 error). */
  differing: number;
  /** Secrets whose value could not be read, so their keys were not compared, each with why. */
  unresolved: { secret: string; reason: string }[];
  /** Keys in a form that cannot be decoded: not compared. */
  encrypted: { device: string; secret: string; file: string; line: number; form: string }[];
}

/** One device's keys as read, with the intent's device they are compared with. */
export interface DeviceKeys {
  compiled: DeviceModel;
  secrets: readonly ReadSecret[];
}

/** What replaces a key in the configuration lines the reports show. */
export const KEY_MASK = '********';

/**
 * Compares every read key with its secret's value (`values`: the secrets that could be read;
 * `unresolved`: why the others could not). `sources` are the configuration files, for the lines.
 */
export function checkKeys(devices: readonly DeviceKeys[], values: ReadonlyMap<string, string>, unresolved: KeyCheck['unresolved'], sources: readonly SourceText[]): { diagnostics: Diagnostic[]; check: KeyCheck } {
  const check: KeyCheck = { compared: 0, differing: 0, unresolved, encrypted: [] };
  const diagnostics: Diagnostic[] = [];
  for (const { compiled, secrets } of devices) {
    for (const k of secrets) {
      const secret = intentSecret(compiled, k);
      if (secret === undefined) continue; // a key where the intent has none: the equivalence check names it
      if (k.encrypted !== undefined) {
        check.encrypted.push({ device: compiled.id, secret, file: k.file, line: k.line, form: k.encrypted });
        continue;
      }
      const value = values.get(secret);
      if (value === undefined) continue;
      check.compared++;
      if (k.value === value) continue;
      check.differing++;
      diagnostics.push(
        diagnostic(Codes.keyDrift, lineSpan(k, sources), `the key of secret ${secret} differs from the intent's${k.owner ? ` (${ownerText(k.owner)} of ${compiled.id})` : ''}`, {
          hint: `the device has another key than the value of secret ${secret}: set the device's key again from plumb compile -o, or update the secret if the device's key is the new one`,
        }),
      );
    }
  }
  return { diagnostics, check };
}

/** The intent's secret for the session or interface the key authenticates; else the name its comment gave. */
function intentSecret(compiled: DeviceModel, k: ReadSecret): string | undefined {
  const owner = k.owner;
  if (owner?.kind === 'bgp') {
    const n = compiled.bgp?.neighbors.find((x) => x.address.toLowerCase() === owner.neighbor.toLowerCase());
    if (n) return n.password?.secret;
  } else if (owner?.kind === 'ospf') {
    const o = compiled.ospf?.interfaces.find((x) => x.name === owner.interface);
    if (o) return o.authentication?.secret;
  }
  return k.secret !== '' && (compiled.bgp?.neighbors.some((n) => n.password?.secret === k.secret) || compiled.ospf?.interfaces.some((i) => i.authentication?.secret === k.secret)) ? k.secret : undefined;
}

function ownerText(o: KeyOwner): string {
  return o.kind === 'bgp' ? `BGP neighbor ${o.neighbor}` : `OSPF interface ${o.interface}`;
}

/** The key's line, from its first to its last character (an empty span at the line when the file is not among `sources`). */
function lineSpan(k: ReadSecret, sources: readonly SourceText[]): Span {
  const lines = sources.find((s) => s.path === k.file)?.text.split('\n') ?? [];
  const lineStart = lines.slice(0, k.line - 1).reduce((n, l) => n + l.length + 1, 0);
  const text = (lines[k.line - 1] ?? '').replace(/\r$/, '');
  const first = text.length - text.trimStart().length;
  const last = Math.max(text.trimEnd().length, first);
  return { file: k.file, start: { line: k.line, column: first + 1, offset: lineStart + first }, end: { line: k.line, column: last + 1, offset: lineStart + last } };
}

/**
 * The configuration files with the key of every key line masked: its last word, whatever the
 * form (as typed, type 7, encrypted), so that no report shows a key with the line a
 * diagnostic points at.
 */
export function maskKeys(sources: readonly SourceText[], secrets: readonly ReadSecret[]): SourceText[] {
  const lines = new Map<string, Set<number>>();
  for (const k of secrets) {
    let set = lines.get(k.file);
    if (!set) lines.set(k.file, (set = new Set()));
    set.add(k.line);
  }
  return sources.map((s) => {
    const masked = lines.get(s.path);
    if (!masked) return s;
    const text = s.text
      .split('\n')
      .map((l, i) => (masked.has(i + 1) ? l.replace(/\S+(\s*)$/, `${KEY_MASK}$1`) : l))
      .join('\n');
    return { ...s, text };
  });
}

/** Every secret the model uses and why it could not be read, from the resolver's diagnostics. */
export function unresolvedSecrets(model: NetworkModel, failed: readonly Diagnostic[]): KeyCheck['unresolved'] {
  const byLine = new Map((model.secrets ?? []).map((s) => [`${s.origin.file}:${s.origin.start.line}`, s.name]));
  return failed.flatMap((d) => {
    const secret = byLine.get(`${d.span.file}:${d.span.start.line}`);
    return secret !== undefined ? [{ secret, reason: d.message }] : [];
  });
}
