// Address translation compared exactly: which interfaces are inside and outside, and the
// translations in their order of precedence (the first that applies wins, so an order changed
// is a behaviour changed). A translation is keyed by its position and shown in full, so a range
// changed, a side swapped, a service dropped or two entries exchanged each shows as a difference
// at the place it happens. Descriptions and origins are documentation and are left out.

import type { DeviceModel, NatModel, NatTranslation } from '../compiler/model.js';
import { canonicalPrefix } from '../language/address.js';
import type { ItemDifference } from './equivalence-config.js';

const canon = (p: string): string => canonicalPrefix(p) ?? p;
const names = (xs: readonly string[]): string => [...new Set(xs)].sort().join(', ') || '(none)';

/** One translation as one line: everything about it that changes what it does. */
export function translationText(t: NatTranslation): string {
  if (t.kind === 'pat') return `source ${[...new Set(t.sources.map(canon))].sort().join(', ')} overload to ${t.address}`;
  const service = t.service ? ` for ${t.service.protocol === 6 ? 'tcp' : 'udp'} ${t.service.port}${t.service.realPort !== t.service.port ? ` (port ${t.service.realPort} on the ${t.realSide})` : ''}` : '';
  return `static ${t.realSide} ${canon(t.real)} as ${canon(t.mapped)}${service}`;
}

/** Every NAT difference between two models of one device, in the order of the translations. */
export function compareNat(expected: DeviceModel, actual: DeviceModel, out: ItemDifference[]): void {
  const e = expected.nat;
  const a = actual.nat;
  if (!e && !a) return;
  const empty: NatModel = { inside: [], outside: [], translations: [] };
  const x = e ?? empty;
  const y = a ?? empty;
  for (const side of ['inside', 'outside'] as const) {
    const ev = names(x[side]);
    const av = names(y[side]);
    if (ev !== av) out.push({ kind: 'item', item: `NAT ${side} interfaces`, expected: ev, actual: av });
  }
  const n = Math.max(x.translations.length, y.translations.length);
  for (let i = 0; i < n; i++) {
    const et = x.translations[i];
    const at = y.translations[i];
    const ev = et ? translationText(et) : undefined;
    const av = at ? translationText(at) : undefined;
    if (ev === av) continue;
    out.push({
      kind: 'item',
      item: `NAT translation ${i + 1}`,
      ...(ev !== undefined ? { expected: ev } : {}),
      ...(av !== undefined ? { actual: av } : {}),
      ...(at ? { actualOrigin: at.origin } : {}),
      ...(et ? { expectedOrigin: et.origin } : {}),
    });
  }
}
