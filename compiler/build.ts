// compile(): the pipeline from a checked intent to the network model, stage by stage.
//   addresses (addressing.ts) → devices and interfaces (devices.ts) and their address
//   translation (nat.ts) → endpoint address sets (endpoints.ts) → routing configuration (route-plan.ts) → forwarding tables by converge()
//   (routing.ts) → filters (placement.ts; firewalls keep the rules their traffic can reach,
//   relevance.ts) → endpoints, policy, assertions. The stages return what they produce; this
//   file puts it into the device drafts, so that each stage reads the drafts and writes nothing.

import { compareDiagnostics, diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentAssertion, IntentSegment, ServiceClause } from '../language/intent.js';
import type { Allocation } from '../language/lock.js';
import { allocateAddresses } from './addressing.js';
import { buildDevices, type DeviceDraft } from './devices.js';
import { addDeviceSets, endpointSets, type EndpointSets } from './endpoints.js';
import { localFilters, manageDiagnostics, manageModels, manageRulesForPlacement, putLocalFilters } from './local.js';
import { putAuthentication, secretModels } from './secrets.js';
import { contractModels } from './contracts.js';
import { compareText } from './interfaces.js';
import type { AssertionModel, EndpointModel, FailureModel, NetworkModel, PolicyRuleModel, ServiceModel } from './model.js';
import { placeFilters, ruleText, type DeviceFilters } from './placement.js';
import { putSecurityProfiles } from './profiles.js';
import { firewallRelevance } from './relevance.js';
import { robustRelevance } from './failures.js';
import { planRouting, type DeviceRouting } from './route-plan.js';
import { converge } from './routing.js';
import { ByFibTexts, fibView, shareFib, type FibView } from './fib-views.js';
import { putUrpf } from './urpf.js';
import { hiddenPrefixes, mappedPrefixes, natModels, translatingExternals, unallowedPublishes } from './nat.js';
import { NatViews } from './nat-views.js';
import { formatSet } from './prefix-set.js';
import { cachedPrefix } from './topology.js';
import { comparePrefixes } from '../language/address.js';

export function compileIntent(intent: CheckedIntent): { model: NetworkModel; diagnostics: Diagnostic[]; allocations: Allocation[] } {
  const diagnostics: Diagnostic[] = [];
  const plan = allocateAddresses(intent);
  diagnostics.push(...plan.diagnostics);
  const drafts = buildDevices(intent, plan);
  const translating = translatingExternals(intent);
  for (const [id, nat] of natModels(translating, [...drafts.values()].map((d) => d.model))) drafts.get(id)!.model.nat = nat;
  const sets = endpointSets(intent, plan);
  addDeviceSets(sets, [...drafts.values()].map((d) => d.model));
  putRouting(drafts, planRouting(intent, drafts, sets));
  // Forwarding depends on routing configuration only, never on filters: converge first, and
  // let filter placement see where packets go.
  const externalsContext = {
    externals: intent.externals.map((x) => ({
      name: x.name,
      prefixes: [...x.prefixes],
      attachments: x.attachments.map((a) => ({ device: a.device, interface: attachInterface(drafts, x.name, a.device, a.address) })),
    })),
  };
  const converged = converge(
    [...drafts.values()].map((d) => d.model),
    externalsContext,
  );
  for (const d of converged) shareFib(d, drafts.get(d.id)!.model);
  // Firewalls carry the rules of today's paths and of the paths under the failures the intent
  // must survive (compiler/failures.ts).
  // A `manage` line also lets its sources' packets through to the devices it names, as an allow
  // rule to their own addresses (compiler/local.ts); the devices' local filters decide the rest.
  const placed: CheckedIntent = intent.manage.length > 0 ? { ...intent, rules: [...intent.rules, ...manageRulesForPlacement(intent)] } : intent;
  // Filters match addresses as they are where each filter sees them (compiler/nat-views.ts).
  const views = translating.length > 0 ? new NatViews(intent, sets, translating) : undefined;
  const inside = views ? (names: readonly string[]) => views.view(names, { kind: 'ours' }, 'responder', []) : undefined;
  const robust = robustRelevance(placed, converged, firewallRelevance(placed, converged, sets, inside));
  const placement = placeFilters(placed, drafts, sets, robust.firewallsOf, views);
  putFilters(drafts, placement.devices);
  diagnostics.push(...placement.diagnostics, ...robust.diagnostics);

  const endpoints: EndpointModel[] = [];
  const gatewayIface = (segment: string, gateway: string) =>
    drafts.get(gateway)?.model.interfaces.find((i) => i.role === 'segment' && i.segment === segment)?.name ?? '';
  for (const s of intent.segments) {
    endpoints.push({
      name: s.name,
      kind: 'segment',
      include: sortPrefixes(s.prefixes),
      exclude: [],
      attachments: [{ device: s.gateway, interface: gatewayIface(s.name, s.gateway) }],
      origin: s.span,
    });
  }
  const segmentNamed = new Map<string, IntentSegment>();
  for (const s of intent.segments) if (!segmentNamed.has(s.name)) segmentNamed.set(s.name, s);
  for (const h of intent.hosts) {
    const seg = segmentNamed.get(h.segment);
    endpoints.push({
      name: h.name,
      kind: 'host',
      include: formatSet(sets.sets.get(h.name) ?? []),
      exclude: [],
      attachments: seg ? [{ device: seg.gateway, interface: gatewayIface(seg.name, seg.gateway) }] : [],
      segment: h.segment,
      origin: h.span,
    });
  }
  for (const x of intent.externals) {
    const ext = sets.externals.get(x.name)!;
    const attachments = x.attachments
      .map((a) => ({
        device: a.device,
        interface: attachInterface(drafts, x.name, a.device, a.address),
      }))
      .sort((a, b) => compareText(a.device, b.device) || compareText(a.interface, b.interface));
    // `include` is the declared prefixes as written (not merged): converge() takes what an
    // external announces from here, and import filters match prefixes exactly.
    endpoints.push({ name: x.name, kind: 'external', include: sortPrefixes(x.prefixes), exclude: formatSet(ext.exclude), attachments, origin: x.span });
    for (const part of x.parts ?? []) {
      const own = sets.externals.get(part.name)!;
      endpoints.push({ name: part.name, kind: 'external', include: sortPrefixes(part.prefixes), exclude: formatSet(own.exclude), attachments: [], partOf: x.name, origin: part.span });
    }
  }
  endpoints.sort((a, b) => compareText(a.name, b.name));

  const policy: PolicyRuleModel[] = intent.rules.map((r) => ({
    action: r.action,
    sources: [...r.sourcesExpanded],
    destinations: [...r.destinationsExpanded],
    services: r.clauses.map(serviceModel),
    text: ruleText(r),
    origin: r.span,
  }));
  const linkEnds = (index: number) => linkInterfaces(intent, drafts, index);
  const assertions: AssertionModel[] = intent.assertions.map((a) => assertionModel(a, linkEnds));

  const devices = [...drafts.values()].map((d) => d.model).sort((a, b) => compareText(a.id, b.id));
  // What each device accepts addressed to itself (compiler/local.ts).
  putLocalFilters(devices, localFilters(intent, devices, sets));
  diagnostics.push(...manageDiagnostics(intent, devices, sets));
  // PAN-OS profiles on the firewalls' zone policy (compiler/profiles.ts).
  diagnostics.push(...putSecurityProfiles(intent, devices));
  const model: NetworkModel = { version: 1, name: intent.name, routing: intent.routing, devices, endpoints, policy, assertions };
  if (intent.survive) model.survive = { failures: intent.survive.failures };
  if (intent.manage.length > 0) model.manage = manageModels(intent);
  diagnostics.push(...putAuthentication(intent, devices));
  if (intent.secrets) model.secrets = secretModels(intent.secrets);
  if (intent.contracts) model.contracts = contractModels(intent.contracts);
  // uRPF on segment and external interfaces, from the forwarding tables and the endpoints' sets.
  putUrpf(model);
  diagnostics.push(...unroutedSegments(intent, model), ...familiesWithoutAttachment(intent, sets), ...unallowedPublishes(intent, translating));
  diagnostics.sort(compareDiagnostics);
  // With errors the model is still returned (for `graph` and the editor), never deployed.
  return { model, diagnostics, allocations: plan.allocations };
}

/** Each device's routing configuration into its model (BGP before OSPF, as the model lists them). */
function putRouting(drafts: Map<string, DeviceDraft>, plans: Map<string, DeviceRouting>): void {
  for (const [id, routing] of plans) {
    const model = drafts.get(id)!.model;
    model.staticRoutes = routing.staticRoutes;
    if (routing.bgp) model.bgp = routing.bgp;
    if (routing.ospf) model.ospf = routing.ospf;
  }
}

/** Each device's filters, zones and security rules into its model, and each interface's bindings. */
function putFilters(drafts: Map<string, DeviceDraft>, placed: Map<string, DeviceFilters>): void {
  for (const [id, filters] of placed) {
    const model = drafts.get(id)!.model;
    model.filters = filters.filters;
    model.zones = filters.zones;
    model.securityRules = filters.securityRules;
    for (const iface of model.interfaces) Object.assign(iface, filters.bindings.get(iface.name));
  }
}

function serviceModel(clause: ServiceClause): ServiceModel {
  // Each key only when it has a value, in this order (the model's JSON keeps it); assigned, not
  // spread from a literal per key: 20,000 rules at 400 devices.
  const out: ServiceModel = {};
  if (clause.protocol !== undefined) out.protocol = clause.protocol;
  if (clause.ports) out.ports = clause.ports.map((p) => ({ ...p }));
  if (clause.icmpType !== undefined) out.icmpType = clause.icmpType;
  return out;
}

function assertionModel(assertion: IntentAssertion, linkEnds: (index: number) => Extract<FailureModel, { kind: 'link' }>): AssertionModel {
  const under = assertion.under;
  return {
    property: assertion.property,
    sources: [...assertion.sourcesExpanded],
    destinations: [...assertion.destinationsExpanded],
    services: assertion.clauses.length > 0 ? assertion.clauses.map(serviceModel) : [{}],
    ...(assertion.via ? { via: assertion.via } : {}),
    ...(under
      ? {
          under:
            'failures' in under
              ? { failures: under.failures }
              : { failed: under.failed.map((e): FailureModel => (e.kind === 'device' ? { kind: 'device', device: e.device } : linkEnds(e.link))) },
        }
      : {}),
    text: assertion.text,
    origin: assertion.span,
  };
}

/**
 * C704: a segment's or external's prefix some device has no route to (e.g. IPv6 without IPv6
 * link addresses, or a part of the network no link reaches).
 */
function unroutedSegments(intent: CheckedIntent, model: NetworkModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const owners = [
    ...intent.segments.map((s) => ({ what: `segment ${s.name}`, prefixes: s.prefixes, span: s.span })),
    ...intent.externals.map((x) => ({ what: `external ${x.name}`, prefixes: routedPrefixes(intent, x.name), span: x.span })),
  ];
  // How many routes of all FIBs have each owner's prefix (one per device that routes it); only
  // a short count needs the list of devices. Only the owners' prefixes are counted: a FIB
  // route's text is looked up once, and nothing is stored for the rest.
  const slot = new Map<string, number>();
  for (const o of owners) for (const p of o.prefixes) if (!slot.has(p)) slot.set(p, slot.size);
  // Most FIBs hold the same texts in the same order: each such list's slots are looked up once.
  const slotsOf = new ByFibTexts((fib) => {
    const slots: number[] = []; // the slots of the routes that have one
    for (let i = 0; i < fib.length; i++) {
      const k = slot.get(fib.prefixAt(i));
      if (k !== undefined) slots.push(k);
    }
    return slots;
  });
  // Read by position: the routes of a converged FIB are not made for this (compiler/fib-views.ts).
  const fibs = model.devices.map(fibView);
  const count = new Int32Array(slot.size);
  // Indexed loops: this runs once a compile, mostly before it is optimized, and a for-of there
  // makes a result object per step (some 1.9 M at 400 devices).
  for (let d = 0; d < fibs.length; d++) {
    const slots = slotsOf.get(fibs[d]!);
    for (let j = 0; j < slots.length; j++) count[slots[j]!]!++;
  }
  const routes = (fib: FibView, p: string): boolean => {
    for (let i = 0; i < fib.length; i++) if (fib.prefixAt(i) === p) return true;
    return false;
  };
  for (const o of owners) {
    for (const p of o.prefixes) {
      if (count[slot.get(p)!] === model.devices.length) continue;
      const missing = model.devices.filter((_, i) => !routes(fibs[i]!, p));
      const family = cachedPrefix(p).family;
      const external = intent.externals.find((x) => `external ${x.name}` === o.what);
      const uncarried = external !== undefined && !external.attachments.some((a) => cachedPrefix(a.address).family === family);
      const hint = uncarried
        ? `no attachment of ${o.what} has an IPv${family} address (C710)`
        : 'connect its device to the rest of the network with links';
      const shown = missing
        .slice(0, 5)
        .map((d) => d.id)
        .join(', ');
      const message = `${p} of ${o.what} is not routed to ${missing.length} device(s): ${shown}${missing.length > 5 ? ', ...' : ''}`;
      out.push(diagnostic(Codes.prefixNotRoutedEverywhere, o.span, message, { severity: 'warning', hint }));
    }
  }
  return out;
}

/** An external's prefixes as our network routes them: a translated one's mapped prefixes instead of the real ones they stand for. */
function routedPrefixes(intent: CheckedIntent, external: string): string[] {
  const x = intent.externals.find((e) => e.name === external)!;
  const t = translatingExternals(intent).find((e) => e.external.name === external);
  if (!t) return x.prefixes;
  const hidden = new Set(hiddenPrefixes(t));
  return [...x.prefixes.filter((p) => !hidden.has(p)), ...mappedPrefixes(t)];
}

/**
 * C710: an external's prefixes, or the prefixes it is announced, of an address family none of
 * its attachments has: no session or gateway carries them (they are left out of the model).
 */
function familiesWithoutAttachment(intent: CheckedIntent, sets: EndpointSets): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const x of intent.externals) {
    const carried = new Set(x.attachments.map((a) => cachedPrefix(a.address).family));
    if (x.attachments.length === 0) continue;
    const announcedPrefixes = x.asn !== undefined ? x.announce.flatMap((n) => formatSet(sets.sets.get(n) ?? [])) : [];
    for (const family of [4, 6] as const) {
      if (carried.has(family)) continue;
      const learned = x.prefixes.filter((p) => cachedPrefix(p).family === family);
      const sent = sortPrefixes(announcedPrefixes.filter((p) => cachedPrefix(p).family === family));
      if (learned.length === 0 && sent.length === 0) continue;
      const parts = [
        ...(learned.length > 0 ? [`its IPv${family} prefixes ${learned.join(', ')} are not reachable`] : []),
        ...(sent.length > 0 ? [`${sent.join(', ')} ${sent.length === 1 ? 'is' : 'are'} not announced to it`] : []),
      ];
      const other = family === 6 ? 'IPv4' : 'IPv6';
      const example = family === 6 ? 'address 2001:db8:ffff::1/126 peer 2001:db8:ffff::2' : 'address 192.0.2.1/30 peer 192.0.2.2';
      out.push(
        diagnostic(Codes.familyWithoutSession, x.attachments[0]!.span, `every attachment of external ${x.name} is ${other} only: ${parts.join(', and ')}`, {
          severity: 'warning',
          hint: `add an attachment with an IPv${family} address (e.g. \`attach ${x.attachments[0]!.device} ${x.asn !== undefined ? example : example.replace('peer', 'gateway')}\`), or leave the IPv${family} prefixes out`,
        }),
      );
    }
  }
  return out;
}

/** The two interfaces of the intent's link `index` (each end's interface made from that link line). */
function linkInterfaces(intent: CheckedIntent, drafts: Map<string, DeviceDraft>, index: number): Extract<FailureModel, { kind: 'link' }> {
  const link = intent.links[index]!;
  const sameSpan = (x: Span, y: Span) => x.file === y.file && x.start.offset === y.start.offset && x.end.offset === y.end.offset;
  const end = (device: string, other: string) => {
    const iface = drafts.get(device)?.model.interfaces.find((i) => i.role === 'link' && i.peer?.device === other && sameSpan(i.origin, link.span));
    return { device, interface: iface?.name ?? '' };
  };
  return { kind: 'link', a: end(link.a.device, link.b.device), b: end(link.b.device, link.a.device) };
}

function attachInterface(drafts: Map<string, DeviceDraft>, external: string, device: string, address: string): string {
  return (
    drafts.get(device)?.model.interfaces.find((i) => i.role === 'external' && i.external === external && i.addresses.includes(address))?.name ?? ''
  );
}

function sortPrefixes(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort((a, b) => comparePrefixes(cachedPrefix(a), cachedPrefix(b)));
}
