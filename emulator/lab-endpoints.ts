// The lab plan's endpoints (the steps of lab.ts's planLab after the devices): a segment is a
// namespace holding a bridge with the gateways' interfaces and a representative address; a host
// is a namespace with a veth into its segment's bridge; an external is a namespace with a veth to
// each attach interface, its representative on `lo` and, with an `asn`, its own eBGP speaker.
// Pure, like the rest of the plan.

import {
  addressOf,
  containsAddress,
  formatAddress,
  parsePrefix,
  prefixOf,
  type Family,
} from '../language/address.js';
import { addrPart, familyOf, interfaceAddressIn, lenPart, otherAddress, pickRepresentative } from './addresses.js';
import type { AddressPlan, EndpointPlan, ExternalBgpPlan, LabDraft, RoutePlan } from './lab.js';
import { secretPlaceholder } from '../backends/backend.js';

/** Segments first (hosts hang off their bridges). */
export function planSegments(draft: LabDraft): void {
  for (const ep of draft.model.endpoints) {
    if (ep.kind !== 'segment') continue;
    const ns = draft.namespaceFor('segment', ep.name);
    draft.namespaces.push({ name: ns, kind: 'segment', of: ep.name });
    const ports: string[] = [];
    const routes: RoutePlan[] = [];
    const lengths: Partial<Record<Family, number>> = {};
    const addresses: AddressPlan[] = [];
    const representative: Partial<Record<Family, string>> = {};
    ep.attachments.forEach((att, k) => {
      const port = `gw${k}`;
      ports.push(port);
      draft.attached.add(`${att.device}|${att.interface}`);
      draft.veths.push({ a: { ns: draft.namespaceOfDevice.get(att.device)!, ifname: att.interface }, b: { ns, ifname: port } });
    });
    for (const family of [4, 6] as const) {
      const rep = pickRepresentative(ep, family, draft.taken);
      if (!rep) continue;
      const prefix = ep.include.find((p) => containsAddress(prefixOf(p), addressOf(rep)))!;
      representative[family] = rep;
      draft.taken.add(rep);
      lengths[family] = prefixOf(prefix).length;
      addresses.push({ ifname: 'br0', address: `${rep}/${prefixOf(prefix).length}` });
      const via = ep.attachments
        .map((att) => interfaceAddressIn(draft.deviceById.get(att.device)!, att.interface, family, prefix))
        .filter((a): a is string => a !== undefined)
        .map((a) => ({ address: addrPart(a), ifname: 'br0' }));
      if (via.length > 0) routes.push({ family, prefix: 'default', via: via.slice(0, 1) });
    }
    draft.endpoints.push({
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      bridge: { name: 'br0', ports },
      routes,
      representative,
      hostInterface: { ifname: 'br0', lengths },
    });
  }
}

/** Hosts: their own namespace, a veth into their segment's bridge. */
export function planHosts(draft: LabDraft): void {
  for (const ep of draft.model.endpoints) {
    if (ep.kind !== 'host') continue;
    const ns = draft.namespaceFor('host', ep.name);
    draft.namespaces.push({ name: ns, kind: 'host', of: ep.name });
    const seg = draft.model.endpoints.find((e) => e.name === ep.segment && e.kind === 'segment');
    const segPlan = draft.endpoints.find((e) => e.name === ep.segment);
    const addresses: AddressPlan[] = [];
    const routes: RoutePlan[] = [];
    const representative: Partial<Record<Family, string>> = {};
    const lengths: Partial<Record<Family, number>> = {};
    if (seg && segPlan?.bridge) {
      const port = `h${segPlan.bridge.ports.length}`;
      segPlan.bridge.ports.push(port);
      draft.veths.push({ a: { ns: segPlan.ns, ifname: port }, b: { ns, ifname: 'eth0' } });
      for (const p of ep.include) {
        const a = addressOf(addrPart(p));
        const segPrefix = seg.include.find((s) => containsAddress(prefixOf(s), a));
        const len = segPrefix ? prefixOf(segPrefix).length : a.family === 4 ? 32 : 128;
        const text = formatAddress(a);
        representative[a.family] ??= text;
        lengths[a.family] = len;
        addresses.push({ ifname: 'eth0', address: `${text}/${len}` });
        const gw = segPlan.routes.find((r) => r.family === a.family);
        if (gw && !routes.some((r) => r.family === a.family)) {
          routes.push({
            family: a.family,
            prefix: 'default',
            via: gw.via.map((v) => ({ ...v, ifname: 'eth0' })),
          });
        }
      }
    }
    draft.endpoints.push({
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      routes,
      representative,
      hostInterface: { ifname: 'eth0', lengths },
    });
  }
}

/** Externals: a veth per attachment, the representative on lo, eBGP when it has an asn. */
export function planExternals(draft: LabDraft): void {
  for (const ep of draft.model.endpoints) {
    if (ep.kind !== 'external' || ep.partOf !== undefined) continue;
    if (draft.options.joined?.includes(ep.name)) {
      // Another party's devices stand at these interfaces (joint.ts): no stub, no namespace.
      for (const att of ep.attachments) draft.attached.add(`${att.device}|${att.interface}`);
      continue;
    }
    const ns = draft.namespaceFor('external', ep.name);
    draft.namespaces.push({ name: ns, kind: 'external', of: ep.name });
    const addresses: AddressPlan[] = [];
    const via: Record<Family, { address: string; ifname: string }[]> = { 4: [], 6: [] };
    const neighbors: ExternalBgpPlan['neighbors'] = [];
    let asn: number | undefined;
    let routerId: string | undefined;
    ep.attachments.forEach((att, k) => {
      const ifname = `up${k}`;
      const dev = draft.deviceById.get(att.device)!;
      draft.attached.add(`${att.device}|${att.interface}`);
      draft.veths.push({ a: { ns: draft.namespaceOfDevice.get(att.device)!, ifname: att.interface }, b: { ns, ifname } });
      const itf = dev.interfaces.find((i) => i.name === att.interface);
      for (const ours of itf?.addresses ?? []) {
        const fam = familyOf(ours);
        const subnet = parsePrefix(ours)!;
        const nbr = dev.bgp?.neighbors.find(
          (n) =>
            n.external === ep.name &&
            familyOf(n.address) === fam &&
            containsAddress(subnet, addressOf(n.address)),
        );
        const gw = dev.staticRoutes.find(
          (r) => r.nextHop && familyOf(r.nextHop) === fam && containsAddress(subnet, addressOf(r.nextHop)),
        );
        const theirs = nbr?.address ?? gw?.nextHop ?? otherAddress(ours);
        addresses.push({ ifname, address: `${theirs}/${lenPart(ours)}` });
        via[fam].push({ address: addrPart(ours), ifname });
        if (nbr && dev.bgp) {
          asn = nbr.remoteAs;
          if (fam === 4) routerId ??= theirs;
          neighbors.push({
            address: addrPart(ours),
            remoteAs: dev.bgp.asn,
            device: att.device,
            exports: [...nbr.exportPrefixes],
            ...(nbr.ttlSecurity !== undefined ? { ttlSecurity: nbr.ttlSecurity } : {}),
            // The lab's key is the secret's placeholder, as our side's rendered files have it.
            ...(nbr.password ? { password: secretPlaceholder(nbr.password.secret) } : {}),
          });
        }
      }
    });
    const representative: Partial<Record<Family, string>> = {};
    const lengths: Partial<Record<Family, number>> = {};
    for (const family of [4, 6] as const) {
      const rep = pickRepresentative(ep, family, draft.taken);
      if (rep) {
        representative[family] = rep;
        draft.taken.add(rep);
        lengths[family] = family === 4 ? 32 : 128;
        addresses.push({ ifname: 'lo', address: `${rep}/${lengths[family]}` });
      }
    }
    const routes: RoutePlan[] = [];
    for (const family of [4, 6] as const) {
      if (via[family].length > 0) routes.push({ family, prefix: 'default', via: via[family] });
    }
    const plan: EndpointPlan = {
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      routes,
      representative,
      hostInterface: { ifname: 'lo', lengths },
    };
    if (asn !== undefined && neighbors.length > 0) {
      plan.bgp = {
        asn,
        routerId: routerId ?? representative[4] ?? '192.0.2.1',
        neighbors,
        announce: [...ep.include],
        extra: [...(draft.options.extraAnnouncements?.[ep.name] ?? [])],
      };
    }
    draft.endpoints.push(plan);
  }
  planParts(draft);
}

/**
 * A part of an external (`datahub.api`, a contract's named announcement) lives in its external's
 * namespace: its representative, inside the part, goes on that namespace's `lo` with the
 * external's own, and packets to and from it take the external's attachments, as the model says.
 * A part of a joined external (another party's devices stand there) has no stub either.
 */
function planParts(draft: LabDraft): void {
  for (const ep of draft.model.endpoints) {
    if (ep.kind !== 'external' || ep.partOf === undefined) continue;
    const parent = draft.endpoints.find((e) => e.kind === 'external' && e.name === ep.partOf);
    if (!parent) continue;
    const representative: Partial<Record<Family, string>> = {};
    for (const family of [4, 6] as const) {
      const rep = pickRepresentative(ep, family, draft.taken);
      if (!rep) continue;
      representative[family] = rep;
      draft.taken.add(rep);
      parent.addresses.push({ ifname: 'lo', address: `${rep}/${family === 4 ? 32 : 128}` });
    }
    draft.endpoints.push({
      name: ep.name,
      kind: ep.kind,
      ns: parent.ns,
      addresses: [],
      routes: [],
      representative,
      hostInterface: parent.hostInterface,
    });
  }
}
