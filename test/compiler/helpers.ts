// Shared by the compiler tests: compile intent text, look things up in the model.

import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel, RouteModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import type { Diagnostic } from '../../language/diagnostic.js';
import type { CheckedIntent } from '../../language/intent.js';

export function checked(text: string, path = 't.plumb'): CheckedIntent {
  const a = analyze([{ path, text }]);
  if (!a.intent) {
    throw new Error(`intent has errors:\n${a.diagnostics.map((d) => `${d.code} ${d.span.start.line}: ${d.message}`).join('\n')}\n${text}`);
  }
  return a.intent;
}

export function compileText(text: string, path = 't.plumb'): { model: NetworkModel; diagnostics: Diagnostic[] } {
  return compile(checked(text, path));
}

export function device(model: NetworkModel, id: string): DeviceModel {
  const d = model.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}

export function route(model: NetworkModel, id: string, prefix: string): RouteModel | undefined {
  return device(model, id).fib.find((r) => r.prefix === prefix);
}

/** The next-hop devices of a route, sorted. */
export function nextDevices(model: NetworkModel, id: string, prefix: string): string[] {
  return (route(model, id, prefix)?.nextHops ?? []).map((h) => h.device ?? `(${h.interface})`).sort();
}

export const json = (model: NetworkModel): string => `${JSON.stringify(model, null, 2)}\n`;
