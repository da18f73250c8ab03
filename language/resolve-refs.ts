// Reference resolution, the resolver's second pass: every name and device reference of the
// intent, resolved by the kinds its place allows, recorded for the language server and reported
// when unknown (P201, with did-you-mean), of the wrong kind (P203) or a device named without
// its site outside it (P204).

import { match } from 'ts-pattern';
import type { DeviceRef, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import type { Span } from './diagnostic.js';
import { ANY, PRELUDE_BY_NAME, PRELUDE_SERVICES, PROTOCOL_NAMES } from './prelude.js';
import { isServiceReference, type DeviceEntity, type RefContext, type Resolution, type Resolved } from './resolve.js';
import { didYouMean } from './suggest.js';
import type { SymbolRef } from './symbols.js';

export const KIND_WORDS: Record<Resolved['kind'], string> = {
  network: 'the network name',
  pool: 'a pool',
  site: 'a site',
  segment: 'a segment',
  host: 'a host',
  group: 'a group',
  external: 'an external',
  service: 'a service',
  policy: 'a policy',
  'builtin-service': 'a built-in service',
  any: 'the built-in `any`',
};

export const CONTEXT_ALLOWS: Record<RefContext, readonly Resolved['kind'][]> = {
  endpoint: ['segment', 'host', 'group', 'external', 'any'],
  member: ['segment', 'host', 'group', 'external'],
  // Externals and `any` resolve here so that P212 can say precisely why they cannot be announced.
  announce: ['segment', 'host', 'group', 'external', 'any'],
  service: ['service', 'builtin-service', 'any'],
  segment: ['segment'],
};

export const CONTEXT_WORDS: Record<RefContext, { unknown: string; expected: string }> = {
  endpoint: { unknown: 'endpoint', expected: 'an endpoint (a segment, host, group, external or `any`)' },
  member: { unknown: 'group member', expected: 'a segment, host, external or group' },
  announce: { unknown: 'name', expected: 'a segment, host or group of ours' },
  service: { unknown: 'service', expected: 'a service' },
  segment: { unknown: 'segment', expected: 'a segment' },
};

/** How many distinct unknown names get a did-you-mean hint. */
export const MAX_SUGGESTED = 500;

/** Resolves every reference of `r`'s declarations; appends each resolved one to `refs`. */
export function resolveReferences(r: Resolution, sink: DiagnosticSink, refs: SymbolRef[]): void {
  const addRef = (span: Span, key: string): void => void refs.push({ span, key });

  // Unknown names can be many (a file of declarations left off the command line): candidate
  // lists are built once, each distinct name is matched once, and only the first
  // MAX_SUGGESTED distinct names get a suggestion, so that reporting stays linear.
  const candidateCache = new Map<RefContext, string[]>();
  const candidates = (ctx: RefContext): string[] => {
    const cached = candidateCache.get(ctx);
    if (cached) return cached;
    const allowed = CONTEXT_ALLOWS[ctx];
    const out: string[] = [];
    for (const [name, e] of r.names) if (allowed.includes(e.kind)) out.push(name);
    if (ctx === 'service') {
      for (const s of PRELUDE_SERVICES) if (!r.shadowed.has(s.name)) out.push(s.name);
      out.push(...PROTOCOL_NAMES.keys());
    }
    if (ctx === 'endpoint') out.push(ANY);
    candidateCache.set(ctx, out);
    return out;
  };
  const suggestions = new Map<string, string | undefined>();
  const suggestFor = (key: string, name: string, pool: () => Iterable<string>): string | undefined => {
    if (suggestions.has(key)) return suggestions.get(key);
    const hint = suggestions.size < MAX_SUGGESTED ? didYouMean(name, pool()) : undefined;
    suggestions.set(key, hint);
    return hint;
  };
  const devicesByName = new Map<string, DeviceEntity[]>();
  const devicesBySite = new Map<string, DeviceEntity[]>();
  const addTo = (m: Map<string, DeviceEntity[]>, key: string, d: DeviceEntity): void => {
    const list = m.get(key);
    if (list) list.push(d);
    else m.set(key, [d]);
  };
  for (const d of r.devices.values()) {
    addTo(devicesByName, d.decl.name.text, d);
    addTo(devicesBySite, d.site, d);
  }

  const resolveName = (token: Token, ctx: RefContext): void => {
    const name = token.text;
    let found: Resolved | undefined = r.names.get(name);
    if (!found && name === ANY) found = { kind: 'any' };
    if (!found && ctx === 'service') {
      const builtin = PRELUDE_BY_NAME.get(name);
      if (builtin) found = { kind: 'builtin-service', service: builtin };
    }
    if (!found && ctx !== 'service' && PRELUDE_BY_NAME.has(name)) {
      sink.error('P203', token.span, `\`${name}\` is a built-in service, but ${CONTEXT_WORDS[ctx].expected} is expected here`);
      return;
    }
    if (!found) {
      const device = devicesByName.get(name)?.[0];
      if (device) {
        sink.error('P203', token.span, `\`${name}\` is a device, but ${CONTEXT_WORDS[ctx].expected} is expected here`, {
          related: [{ span: device.decl.name.span, message: `\`${device.id}\` is declared here` }],
        });
        return;
      }
      sink.error('P201', token.span, `unknown ${CONTEXT_WORDS[ctx].unknown} \`${name}\``, {
        hint: suggestFor(`${ctx}:${name}`, name, () => candidates(ctx)),
      });
      return;
    }
    const key = found.kind === 'builtin-service' ? found.service.name : name;
    addRef(token.span, key);
    if (found.kind === 'any' && ctx === 'service') {
      return;
    }
    if (!CONTEXT_ALLOWS[ctx].includes(found.kind)) {
      const related =
        found.kind === 'builtin-service' || found.kind === 'any'
          ? []
          : [{ span: (found.decl.name as Token).span, message: 'declared here' }];
      sink.error('P203', token.span, `\`${name}\` is ${KIND_WORDS[found.kind]}, but ${CONTEXT_WORDS[ctx].expected} is expected here`, {
        related,
      });
      return;
    }
  };

  const siteNames = (): string[] => r.sites.map((s) => s.name.text);

  const resolveDevice = (ref: DeviceRef, site: string | undefined): void => {
    const name = ref.device.text;
    if (ref.site) {
      const siteName = ref.site.text;
      const siteEntity = r.names.get(siteName);
      if (!siteEntity || siteEntity.kind !== 'site') {
        if (siteEntity) {
          sink.error('P203', ref.site.span, `\`${siteName}\` is ${KIND_WORDS[siteEntity.kind]}, but a site is expected here`, {
            related: [{ span: (siteEntity.decl.name as Token).span, message: 'declared here' }],
          });
        } else {
          sink.error('P201', ref.site.span, `unknown site \`${siteName}\``, { hint: suggestFor(`site:${siteName}`, siteName, siteNames) });
        }
        return;
      }
      addRef(ref.site.span, siteName);
      const id = `${siteName}.${name}`;
      const dev = r.devices.get(id);
      if (!dev) {
        const inSite = (devicesBySite.get(siteName) ?? []).map((d) => d.decl.name.text);
        const elsewhere = (devicesByName.get(name) ?? []).map((d) => d.id);
        sink.error('P201', ref.device.span, `unknown device \`${id}\``, {
          hint:
            suggestFor(`device:${siteName}.${name}`, name, () => inSite)?.replace(/`([^`]+)`/, `\`${siteName}.$1\``) ??
            (elsewhere.length > 0 ? `did you mean \`${elsewhere[0]}\`?` : `site \`${siteName}\` declares no device \`${name}\``),
        });
        return;
      }
      addRef(ref.device.span, id);
      r.deviceRefs.set(ref, dev);
      return;
    }
    if (site !== undefined) {
      const dev = r.devices.get(`${site}.${name}`);
      if (dev) {
        addRef(ref.device.span, dev.id);
        r.deviceRefs.set(ref, dev);
        return;
      }
    }
    const elsewhere = devicesByName.get(name) ?? [];
    if (elsewhere.length > 0) {
      const ids = elsewhere.map((d) => `\`${d.id}\``);
      sink.error(
        'P204',
        ref.device.span,
        site === undefined
          ? `device \`${name}\` needs its site here: a bare device name is only valid inside its site`
          : `device \`${name}\` is not in site \`${site}\``,
        { hint: `write ${ids.length === 1 ? ids[0] : `one of ${ids.join(', ')}`}` },
      );
      return;
    }
    const other = r.names.get(name);
    if (other) {
      sink.error('P203', ref.device.span, `\`${name}\` is ${KIND_WORDS[other.kind]}, but a device is expected here`, {
        related: [{ span: (other.decl.name as Token).span, message: 'declared here' }],
      });
      return;
    }
    const local = site === undefined ? [] : (devicesBySite.get(site) ?? []).map((d) => d.decl.name.text);
    sink.error('P201', ref.device.span, `unknown device \`${name}\``, {
      hint: suggestFor(`device:${site ?? ''}:${name}`, name, () => [...local, ...r.devices.keys()]),
    });
  };

  for (const { decl, site } of r.links) {
    resolveDevice(decl.a.device, site);
    resolveDevice(decl.b.device, site);
  }
  for (const seg of r.segments) resolveDevice(seg.at, undefined);
  for (const host of r.hosts) resolveName(host.segment, 'segment');
  for (const group of r.groups) for (const m of group.members) resolveName(m, 'member');
  for (const ext of r.externals) {
    for (const item of ext.items) {
      match(item)
        .with({ kind: 'attach' }, (a) => resolveDevice(a.device, undefined))
        .with({ kind: 'announce' }, (a) => a.refs.forEach((t) => resolveName(t, 'announce')))
        .with({ kind: 'asn' }, { kind: 'prefixes' }, () => undefined)
        .exhaustive();
    }
  }
  for (const svc of r.services) {
    for (const item of svc.items) {
      if (isServiceReference(item)) resolveName(item.protocol, 'service');
    }
  }
  for (const policy of r.policies) {
    for (const rule of policy.rules) {
      rule.sources.forEach((t) => resolveName(t, 'endpoint'));
      rule.destinations.forEach((t) => resolveName(t, 'endpoint'));
      rule.services.forEach((t) => resolveName(t, 'service'));
    }
  }
  for (const a of r.assertions) {
    a.sources.forEach((t) => resolveName(t, 'endpoint'));
    a.destinations.forEach((t) => resolveName(t, 'endpoint'));
    a.services.forEach((t) => resolveName(t, 'service'));
    if (a.via) resolveDevice(a.via, undefined);
  }

}
