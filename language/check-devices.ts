// Devices named as endpoints: a policy rule may not name one, not even through a group (P420);
// the devices of a `manage` line are devices only (P421); a `manage` line that gives a device,
// a source or a service twice says so (P422). Names that did not resolve were reported by the
// resolver and are skipped here.

import type { ManageDecl, NameRef, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import type { Resolution } from './resolve.js';
import type { Structure } from './check-structure.js';
import type { CheckMemo } from './check-memo.js';

/** `memo`: the language server's (check-memo.ts): a policy whose rules reported nothing and whose names did not change is not checked again. */
export function checkDevices(resolution: Resolution, structure: Structure, sink: DiagnosticSink, memo?: CheckMemo): void {
  const firstDevice = (t: Token): string | undefined => {
    const e = resolution.lookup(t);
    if (e?.kind !== 'group') return undefined;
    return (structure.groupExpansion.get(e.decl.name.text) ?? []).find((n) => resolution.devices.has(n));
  };
  for (const policy of resolution.policies) {
    if (memo?.replay('devices', policy)) continue;
    const before = sink.items.length;
    for (const rule of policy.rules) {
      for (const t of [...rule.sources, ...rule.destinations]) {
        const device = firstDevice(t);
        if (device === undefined) continue;
        sink.report(Codes.deviceInRule, t.span, `group \`${t.text}\` contains the device \`${device}\`, which a policy rule cannot name`, {
          hint: `rules decide the traffic that passes through the devices; say who may reach \`${device}\` itself with a \`manage\` line, and name a group of endpoints here`,
        });
      }
    }
    memo?.keep('devices', policy, sink.items.length === before || undefined);
  }
  for (const m of resolution.manages) checkManage(resolution, structure, m, sink);
}

function checkManage(resolution: Resolution, structure: Structure, m: ManageDecl, sink: DiagnosticSink): void {
  for (const t of m.devices) {
    const e = resolution.lookup(t);
    if (e?.kind !== 'group') continue;
    const other = (structure.groupExpansion.get(e.decl.name.text) ?? []).find((n) => !resolution.devices.has(n));
    if (other === undefined) continue;
    const kind = resolution.names.get(other)?.kind ?? 'endpoint';
    sink.report(Codes.notADevice, t.span, `group \`${t.text}\` contains ${kind} \`${other}\`, which is not a device to manage`, {
      hint: 'name devices (`site.device`) or a group of devices before `from`; endpoints go after `from`',
    });
  }
  repeated(resolution, structure, m.devices, 'device', sink);
  repeated(resolution, structure, m.sources, 'source', sink);
  repeated(resolution, structure, m.services, 'service', sink);
}

/** P422 for an entry whose names (a group's, expanded) were all given by earlier entries. */
function repeated(resolution: Resolution, structure: Structure, tokens: readonly (NameRef | Token)[], what: string, sink: DiagnosticSink): void {
  const seen = new Map<string, Token>();
  for (const t of tokens) {
    const e = resolution.lookup(t);
    if (!e) continue;
    const names = e.kind === 'group' && what !== 'service' ? (structure.groupExpansion.get(e.decl.name.text) ?? []) : [t.text];
    const earlier = names.length > 0 && names.every((n) => seen.has(n)) ? seen.get(names[0]!) : undefined;
    if (earlier) {
      const same = earlier.text === t.text;
      sink.report(Codes.repeatedInManage, t.span, same ? `${what} \`${t.text}\` is given twice in this \`manage\` line` : `every ${what} of \`${t.text}\` is already given in this \`manage\` line`, {
        related: [{ span: earlier.span, message: same ? 'first given here' : `\`${names[0]}\` given here` }],
        hint: 'remove it: it adds nothing',
      });
      continue;
    }
    for (const n of names) if (!seen.has(n)) seen.set(n, t);
  }
}
