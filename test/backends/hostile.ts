// Hostile text for the escaping tests: strings built from the characters that break config
// languages (line breaks, quotes, shell and config syntax, control, bidi and invisible
// characters, `%` escapes that are not ours, lone surrogates, very long runs), and a device whose
// every description, source path and intent name is drawn from them.

import fc from 'fast-check';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { binaryUnit } from '../binary-unit.js';

const PIECES = [
  '\n', '\r', '\r\n', '\t', '"', "'", ';', '$(', ')', '`', '#', '!', '{', '}', '[', ']', '%', '%2', '%25', '%0A', '%u00', ' ', '  ',
  '\\', '\\"', '\x00', '\x1a', '\x1b[31m', '\x7f', '\x85', '\u2028', '\u2029', '\u202e', '\u2066', '\u200f', '\ufeff', '\u00a0',
  '\uffff', 'é', '😀', '\ud800', '\udc00', 'PLUMB_EOF', '-->', '--', '-', '&', '<', ']]>', '=', '@', ' @ ', ' [1,2]', ':3:4-5:6 [7,8]',
  'accept', 'touch PWNED', 'end', 'exit', 'intent ', 'plumb ', 'description', '?',
];

export const hostileChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.string({ unit: binaryUnit, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

/** Hostile text, now and then very long. */
export const hostileText = fc.oneof(
  { weight: 5, arbitrary: fc.array(hostileChar, { maxLength: 16 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.array(hostileChar, { minLength: 1, maxLength: 8 }).map((p) => p.join('').repeat(60)) },
);

/** A copy of `d` with texts and origin paths taken from `texts` (cycling); empty stays empty. */
export function withTexts(d: DeviceModel, texts: string[], paths: string[]): DeviceModel {
  let t = 0;
  let p = 0;
  const text = (old: string): string => (old === '' ? '' : texts[t++ % texts.length]!);
  const path = (s: Span): Span => ({ ...s, file: paths[p++ % paths.length]! });
  const copy = structuredClone(d);
  copy.origin = path(copy.origin);
  for (const i of copy.interfaces) {
    i.description = text(i.description);
    i.origin = path(i.origin);
  }
  for (const r of [...copy.filters.flatMap((f) => f.rules), ...copy.securityRules]) {
    r.description = text(r.description);
    r.origin = path(r.origin);
  }
  for (const r of copy.staticRoutes) r.origin = path(r.origin);
  for (const n of copy.bgp?.neighbors ?? []) {
    n.description = text(n.description);
    n.origin = path(n.origin);
  }
  return copy;
}

/** The same device with plain text everywhere hostile text may go. */
export function plain(d: DeviceModel): DeviceModel {
  return withTexts(d, ['plain text'], ['plain.plumb']);
}

export function named(model: NetworkModel, name: string): NetworkModel {
  return { ...model, name };
}

export const hostileDevice = (devices: fc.Arbitrary<DeviceModel>): fc.Arbitrary<{ d: DeviceModel; name: string }> =>
  fc
    .tuple(devices, fc.array(hostileText, { minLength: 1, maxLength: 6 }), fc.array(hostileText, { minLength: 1, maxLength: 4 }), hostileText)
    .map(([d, texts, paths, name]) => ({ d: withTexts(d, texts, paths), name }));
