// Addresses in the lab (pure): representative host addresses of endpoints, the other end of a
// point-to-point subnet, which addresses no host can use.

import type { DeviceModel, EndpointModel, NetworkModel } from '../compiler/model.js';
import {
  addressOf,
  containsAddress,
  formatAddress,
  lastAddress,
  network,
  parseAddress,
  parsePrefix,
  prefixOf,
  type Address,
  type Family,
} from '../language/address.js';

export function familyOf(text: string): Family {
  return text.includes(':') ? 6 : 4;
}

export function addrPart(withLen: string): string {
  return withLen.split('/')[0]!;
}

export function lenPart(withLen: string): number {
  return Number(withLen.split('/')[1]);
}

/** Every address configured on any interface of the model (no length). */
export function usedAddresses(model: NetworkModel): Set<string> {
  const used = new Set<string>();
  for (const d of model.devices) {
    for (const i of d.interfaces)
      for (const a of i.addresses) used.add(formatAddress(addressOf(addrPart(a))));
  }
  return used;
}

// An external that only covers the special-purpose ranges (the internet's 0.0.0.0/0 or ::/0) does
// not include them (compiler/special-purpose.ts): the global addresses after them stand for it
// in the lab, which is isolated from the real internet.
const WIDE_CANDIDATES: Record<Family, string[]> = {
  4: [
    '198.18.0.10',
    '198.19.0.10',
    '192.0.2.10',
    '100.64.0.10',
    '203.0.113.10',
    '172.31.0.10',
    '10.254.254.10',
    '11.0.0.10',
    '26.0.0.10',
    '150.0.0.10',
  ],
  6: ['2001:db8:ffff::10', '2001:db8:fffe::10', 'fd00:ffff::10', '2600::10', '2a00::10'],
};

/** Addresses no host can use: unspecified, loopback, link-local, multicast, reserved. */
const UNUSABLE: Record<Family, string[]> = {
  4: ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'],
  6: ['::/127', 'fe80::/10', 'ff00::/8'],
};

export function unusable(a: Address): boolean {
  return UNUSABLE[a.family].some((p) => containsAddress(prefixOf(p), a));
}

export function inEndpoint(ep: EndpointModel, a: Address): boolean {
  const inc = ep.include.some((p) => containsAddress(prefixOf(p), a));
  return inc && !ep.exclude.some((p) => containsAddress(prefixOf(p), a));
}

/** A representative address of an endpoint: inside it, not an interface's, not a network or broadcast. */
export function pickRepresentative(
  ep: EndpointModel,
  family: Family,
  taken: ReadonlySet<string>,
): string | undefined {
  for (const text of ep.include) {
    const p = prefixOf(text);
    if (p.family !== family) continue;
    const net = network(p).value;
    const last = lastAddress(p);
    const offsets = [100n, 10n, 2n, 3n, 50n, 200n, 1n];
    const near: bigint[] = [];
    if (p.length === (family === 4 ? 32 : 128)) near.push(net);
    for (const o of offsets) {
      if (net + o < last || (p.length >= (family === 4 ? 31 : 127) && net + o <= last)) near.push(net + o);
    }
    const wide = WIDE_CANDIDATES[family]
      .map((w) => parseAddress(w)!.value)
      .filter((v) => containsAddress(p, { family, value: v }));
    // A wide prefix (the internet) gets a documentation address, not one next to 0.0.0.0.
    const candidates = p.length < 8 ? [...wide, ...near] : [...near, ...wide];
    for (const v of candidates) {
      const a: Address = { family, value: v };
      const s = formatAddress(a);
      if (!taken.has(s) && inEndpoint(ep, a) && !unusable(a)) return s;
    }
  }
  return undefined;
}

export function interfaceAddressIn(
  device: DeviceModel,
  ifname: string,
  family: Family,
  inside?: string,
): string | undefined {
  const itf = device.interfaces.find((i) => i.name === ifname);
  if (!itf) return undefined;
  for (const a of itf.addresses) {
    if (familyOf(a) !== family) continue;
    if (inside && !containsAddress(prefixOf(inside), addressOf(addrPart(a)))) continue;
    return a;
  }
  return undefined;
}

/** The other usable address of a point-to-point subnet (or the next one up). */
export function otherAddress(withLen: string): string {
  const p = parsePrefix(withLen)!;
  const net = network(p).value;
  const last = lastAddress(p);
  const bits = p.family === 4 ? 32 : 128;
  const candidates = p.length >= bits - 1 ? [net, last] : [net + 1n, net + 2n];
  const v = candidates.find((c) => c !== p.value) ?? net + 1n;
  return formatAddress({ family: p.family, value: v });
}
