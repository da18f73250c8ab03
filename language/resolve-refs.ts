// Reference resolution, the resolver's second pass: every name and device reference of the
// intent, resolved by the kinds its place allows, recorded for the language server and reported
// when unknown (P201, with did-you-mean), of the wrong kind (P203) or a device named without
// its site outside it (P204).

import type { DeviceRef, ExternalDecl, NameRef, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { proposal, type Replacement, type Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import { ANY, PRELUDE_BY_NAME, PRELUDE_SERVICES, PROTOCOL_NAMES } from './prelude.js';
import { isServiceReference, type DeviceEntity, type RefContext, type Resolution, type Resolved } from './resolve.js';
import type { ReferenceOutcome, ResolveMemo } from './resolve-memo.js';
import { CONTEXT_ALLOWS, CONTEXT_WORDS, KIND_WORDS } from './resolve-words.js';
import { suggest } from './suggest.js';
import type { SymbolRef } from './symbols.js';

/** How many distinct unknown names get a did-you-mean hint. */
export const MAX_SUGGESTED = 500;

/**
 * Resolves every reference of the resolution's declarations; appends each resolved one to `refs`.
 * With `memo`, a declaration whose references resolved without a report in the same namespace
 * last time has its outcome replayed instead (resolve-memo.ts), in the same order.
 */
export function resolveReferences(resolution: Resolution, sink: DiagnosticSink, refs: SymbolRef[], memo?: ResolveMemo): void {
  const resolver = new ReferenceResolver(resolution, sink, refs);
  // Only declarations of many references are kept: for one of a reference or two (a segment's
  // device, a host's segment) keeping and replaying costs what resolving does.
  const each = <T extends object>(items: Iterable<T>, run: (item: T) => void, memoized = false): void => {
    for (const item of items) {
      if (!memo || !memoized) {
        run(item);
        continue;
      }
      const kept = memo.outcome(item);
      if (kept) {
        for (const r of kept.refs) refs.push(r);
        for (const d of kept.devices) resolution.deviceRefs.set(d.ref, resolution.devices.get(d.id)!);
        continue;
      }
      const reports = sink.items.length;
      const first = refs.length;
      const devices: ReferenceOutcome['devices'] = [];
      resolver.resolvedDevices = devices;
      run(item);
      resolver.resolvedDevices = undefined;
      if (sink.items.length === reports) memo.keep(item, { refs: refs.slice(first), devices });
    }
  };
  each(resolution.links, ({ decl, site }) => {
    resolver.device(decl.a.device, site);
    resolver.device(decl.b.device, site);
  });
  each(resolution.segments, (seg) => resolver.device(seg.at, undefined));
  each(resolution.hosts, (host) => resolver.name(host.segment, 'segment'));
  each(resolution.groups, (group) => group.members.forEach((m) => resolver.ref(m, 'member')), true);
  each(resolution.externals, (ext) => {
    for (const item of ext.items) {
      switch (item.kind) {
        case 'attach':
          resolver.device(item.device, undefined);
          break;
        case 'announce':
          item.refs.forEach((t) => resolver.name(t, 'announce'));
          break;
        case 'password':
          resolver.name(item.secret, 'secret');
          break;
        case 'translate':
          item.subjects.filter((s) => !s.text.includes('/')).forEach((s) => resolver.name(s, 'translate'));
          break;
        case 'publish':
          resolver.name(item.host, 'publish');
          resolver.name(item.service, 'service');
          break;
        case 'asn':
        case 'prefixes':
          break;
        default:
          unreachable(item);
      }
    }
  });
  if (resolution.routing?.authentication) resolver.name(resolution.routing.authentication, 'secret');
  each(resolution.services, (svc) => {
    for (const item of svc.items) {
      if (isServiceReference(item)) resolver.name(item.protocol, 'service');
    }
  });
  each(resolution.policies, (policy) => {
    for (const rule of policy.rules) {
      rule.sources.forEach((t) => resolver.ref(t, 'endpoint'));
      rule.destinations.forEach((t) => resolver.ref(t, 'endpoint'));
      rule.services.forEach((t) => resolver.name(t, 'service'));
    }
  }, true);
  each(resolution.assertions, (a) => {
    a.sources.forEach((t) => resolver.ref(t, 'flow'));
    a.destinations.forEach((t) => resolver.ref(t, 'flow'));
    a.services.forEach((t) => resolver.name(t, 'service'));
    if (a.via) resolver.device(a.via, undefined);
    for (const e of a.under?.elements ?? []) {
      if (e.kind === 'device') resolver.device(e.device, undefined);
      else [e.a, e.b].forEach((end) => resolver.device(end.device, undefined));
    }
  }, true);
  each(resolution.manages, (m) => {
    m.devices.forEach((t) => resolver.ref(t, 'managed'));
    m.sources.forEach((t) => resolver.ref(t, 'flow'));
    m.services.forEach((t) => resolver.name(t, 'service'));
  }, true);
  each(resolution.securities, (d) => d.devices.forEach((t) => resolver.ref(t, 'managed')));
}

/** An external item kind the switch above does not handle fails to compile here. */
function unreachable(value: never): never {
  throw new Error(`unhandled external item: ${JSON.stringify((value as { kind?: unknown }).kind)}`);
}

/** Whether a place may name a device (`site.device`). */
const takesDevices = (ctx: RefContext): boolean => ctx === 'flow' || ctx === 'managed' || ctx === 'member';

type Proposal = { hint: string; fix: Replacement[] };

/** Resolves names and device references one at a time, with the indexes they share. */
class ReferenceResolver {
  private readonly devicesByName = new Map<string, DeviceEntity[]>();
  private readonly devicesBySite = new Map<string, DeviceEntity[]>();
  private readonly candidateCache = new Map<RefContext, string[]>();
  /** The name suggested for each distinct unknown name (undefined: none is near). */
  private readonly suggestions = new Map<string, string | undefined>();
  /** While set, every device reference resolved is noted here too (for the memo). */
  resolvedDevices: ReferenceOutcome['devices'] | undefined;

  constructor(
    private readonly resolution: Resolution,
    private readonly sink: DiagnosticSink,
    private readonly refs: SymbolRef[],
  ) {
    const addTo = (byKey: Map<string, DeviceEntity[]>, key: string, d: DeviceEntity): void => {
      const list = byKey.get(key);
      if (list) list.push(d);
      else byKey.set(key, [d]);
    };
    for (const d of resolution.devices.values()) {
      addTo(this.devicesByName, d.decl.name.text, d);
      addTo(this.devicesBySite, d.site, d);
    }
  }

  // ---- did-you-mean ----------------------------------------------------------------------------
  // Unknown names can be many (a file of declarations left off the command line): candidate
  // lists are built once, each distinct name is matched once, and only the first
  // MAX_SUGGESTED distinct names get a suggestion, so that reporting stays linear.

  private candidates(ctx: RefContext): string[] {
    const cached = this.candidateCache.get(ctx);
    if (cached) return cached;
    const allowed = CONTEXT_ALLOWS[ctx];
    const out: string[] = [];
    for (const [name, e] of this.resolution.names) if (allowed.includes(e.kind)) out.push(name);
    if (ctx === 'service') {
      for (const s of PRELUDE_SERVICES) if (!this.resolution.shadowed.has(s.name)) out.push(s.name);
      out.push(...PROTOCOL_NAMES.keys());
    }
    if (ctx === 'endpoint') out.push(ANY);
    this.candidateCache.set(ctx, out);
    return out;
  }

  /** The name nearest to `name` among `pool()`, remembered under `key`. */
  private suggestFor(key: string, name: string, pool: () => Iterable<string>): string | undefined {
    if (this.suggestions.has(key)) return this.suggestions.get(key);
    const suggested = this.suggestions.size < MAX_SUGGESTED ? suggest(name, pool()) : undefined;
    this.suggestions.set(key, suggested);
    return suggested;
  }

  private propose(span: Span, key: string, name: string, pool: () => Iterable<string>): Proposal | undefined {
    const suggested = this.suggestFor(key, name, pool);
    return suggested === undefined ? undefined : proposal(span, suggested);
  }

  private addRef(span: Span, key: string): void {
    this.refs.push({ span, key });
  }

  // ---- names: endpoints, group members, announcements, services, segments ----------------------

  /** A name in a list that may hold a device (`site.device`): endpoints, members, managed devices. */
  ref(token: NameRef, ctx: RefContext): void {
    if (!token.device) return this.name(token, ctx);
    const owner = token.device.site ? this.resolution.names.get(token.device.site.text) : undefined;
    if (owner?.kind === 'external') return this.part(token, token.device, owner.decl, ctx);
    if (!this.device(token.device, undefined)) return;
    if (ctx === 'endpoint') {
      this.sink.report(Codes.deviceInRule, token.span, `a policy rule cannot name the device \`${token.text}\`: rules decide the traffic that passes through the devices`, {
        hint: `say who may reach the device itself with \`manage ${token.text} from SOURCE : SERVICE\``,
      });
    }
  }

  name(token: Token, ctx: RefContext): void {
    const name = token.text;
    let found: Resolved | undefined = this.resolution.names.get(name);
    if (!found && name === ANY) found = { kind: 'any' };
    if (!found && ctx === 'service') {
      const builtin = PRELUDE_BY_NAME.get(name);
      if (builtin) found = { kind: 'builtin-service', service: builtin };
    }
    if (!found && ctx !== 'service' && PRELUDE_BY_NAME.has(name)) {
      this.sink.report(Codes.wrongKindOfName, token.span, `\`${name}\` is a built-in service, but ${CONTEXT_WORDS[ctx].expected} is expected here`);
      return;
    }
    if (!found) {
      const devices = this.devicesByName.get(name) ?? [];
      const device = devices[0];
      if (device && takesDevices(ctx)) {
        // Outside its site a device is named with its site, as everywhere else.
        const ids = devices.map((d) => `\`${d.id}\``);
        const hint = `write ${ids.length === 1 ? ids[0] : `one of ${ids.join(', ')}`}`;
        this.sink.report(
          Codes.deviceWithoutSite,
          token.span,
          `device \`${name}\` needs its site here: a bare device name is only valid inside its site`,
          devices.length === 1 ? proposal(token.span, device.id, hint) : { hint },
        );
        return;
      }
      if (device) {
        this.sink.report(Codes.wrongKindOfName, token.span, `\`${name}\` is a device, but ${CONTEXT_WORDS[ctx].expected} is expected here`, {
          related: [{ span: device.decl.name.span, message: `\`${device.id}\` is declared here` }],
          ...(ctx === 'endpoint' ? { hint: `a rule decides traffic through the devices; say who may reach \`${device.id}\` itself with \`manage ${device.id} from SOURCE : SERVICE\`` } : {}),
        });
        return;
      }
      this.sink.report(Codes.unknownName, token.span, `unknown ${CONTEXT_WORDS[ctx].unknown} \`${name}\``, {
        ...this.propose(token.span, `${ctx}:${name}`, name, () => this.candidates(ctx)),
      });
      return;
    }
    const key = found.kind === 'builtin-service' ? found.service.name : name;
    this.addRef(token.span, key);
    if (found.kind === 'any' && ctx === 'service') {
      return;
    }
    if (!CONTEXT_ALLOWS[ctx].includes(found.kind)) {
      const related =
        found.kind === 'builtin-service' || found.kind === 'any'
          ? []
          : [{ span: (found.decl.name as Token).span, message: 'declared here' }];
      this.sink.report(Codes.wrongKindOfName, token.span, `\`${name}\` is ${KIND_WORDS[found.kind]}, but ${CONTEXT_WORDS[ctx].expected} is expected here`, {
        related,
      });
      return;
    }
  }

  /** `PARTY.NAME`: a named part of the external a contract makes of the other party. */
  private part(token: NameRef, ref: DeviceRef, external: ExternalDecl, ctx: RefContext): void {
    this.addRef(ref.site!.span, external.name.text);
    const found = this.resolution.names.get(token.text);
    if (!found) {
      const names = (external.parts ?? []).map((p) => p.name.text);
      const near = this.suggestFor(`part:${token.text}`, ref.device.text, () => names);
      this.sink.report(Codes.unknownAnnouncedName, ref.device.span, `\`${external.name.text}\` has no part \`${ref.device.text}\``, {
        ...(near !== undefined
          ? proposal(ref.device.span, near, `did you mean \`${external.name.text}.${near}\`?`)
          : {
              hint:
                names.length > 0
                  ? `its parts are the names of its contract's \`announces\` line: ${names.map((n) => `\`${external.name.text}.${n}\``).join(', ')}`
                  : `a part is a named prefix of a contract's \`announces\` line (\`${external.name.text} announces NAME PREFIX, ...\`), and \`${external.name.text}\` has none`,
            }),
      });
      return;
    }
    this.addRef(ref.device.span, token.text);
    if (!CONTEXT_ALLOWS[ctx].includes(found.kind)) {
      this.sink.report(Codes.wrongKindOfName, token.span, `\`${token.text}\` is a part of an external, but ${CONTEXT_WORDS[ctx].expected} is expected here`);
    }
  }

  // ---- devices: `site.device`, or a bare name inside its own site ------------------------------

  /** Resolves a device reference; true when it names a device. */
  device(ref: DeviceRef, site: string | undefined): boolean {
    if (ref.site) return this.qualifiedDevice(ref, ref.site);
    const name = ref.device.text;
    if (site !== undefined) {
      const dev = this.resolution.devices.get(`${site}.${name}`);
      if (dev) {
        this.addRef(ref.device.span, dev.id);
        this.resolution.deviceRefs.set(ref, dev);
      this.resolvedDevices?.push({ ref, id: dev.id });
        return true;
      }
    }
    const elsewhere = this.devicesByName.get(name) ?? [];
    if (elsewhere.length > 0) {
      const ids = elsewhere.map((d) => `\`${d.id}\``);
      const hint = `write ${ids.length === 1 ? ids[0] : `one of ${ids.join(', ')}`}`;
      this.sink.report(
        Codes.deviceWithoutSite,
        ref.device.span,
        site === undefined
          ? `device \`${name}\` needs its site here: a bare device name is only valid inside its site`
          : `device \`${name}\` is not in site \`${site}\``,
        elsewhere.length === 1 ? proposal(ref.device.span, elsewhere[0]!.id, hint) : { hint },
      );
      return false;
    }
    const other = this.resolution.names.get(name);
    if (other) {
      this.sink.report(Codes.wrongKindOfName, ref.device.span, `\`${name}\` is ${KIND_WORDS[other.kind]}, but a device is expected here`, {
        related: [{ span: (other.decl.name as Token).span, message: 'declared here' }],
      });
      return false;
    }
    const local = site === undefined ? [] : (this.devicesBySite.get(site) ?? []).map((d) => d.decl.name.text);
    this.sink.report(Codes.unknownName, ref.device.span, `unknown device \`${name}\``, {
      ...this.propose(ref.device.span, `device:${site ?? ''}:${name}`, name, () => [...local, ...this.resolution.devices.keys()]),
    });
    return false;
  }

  private qualifiedDevice(ref: DeviceRef, siteToken: Token): boolean {
    const name = ref.device.text;
    const siteName = siteToken.text;
    const siteEntity = this.resolution.names.get(siteName);
    if (!siteEntity || siteEntity.kind !== 'site') {
      if (siteEntity) {
        this.sink.report(Codes.wrongKindOfName, siteToken.span, `\`${siteName}\` is ${KIND_WORDS[siteEntity.kind]}, but a site is expected here`, {
          related: [{ span: (siteEntity.decl.name as Token).span, message: 'declared here' }],
        });
      } else {
        const siteNames = (): string[] => this.resolution.sites.map((s) => s.name.text);
        this.sink.report(Codes.unknownName, siteToken.span, `unknown site \`${siteName}\``, {
          ...this.propose(siteToken.span, `site:${siteName}`, siteName, siteNames),
        });
      }
      return false;
    }
    this.addRef(siteToken.span, siteName);
    const id = `${siteName}.${name}`;
    const dev = this.resolution.devices.get(id);
    if (dev) {
      this.addRef(ref.device.span, id);
      this.resolution.deviceRefs.set(ref, dev);
      this.resolvedDevices?.push({ ref, id: dev.id });
      return true;
    }
    // A device of this site by a near name keeps the written site; else the device of that
    // name in another site replaces the whole reference.
    const inSite = (this.devicesBySite.get(siteName) ?? []).map((d) => d.decl.name.text);
    const nearby = this.suggestFor(`device:${siteName}.${name}`, name, () => inSite);
    const elsewhere = this.devicesByName.get(name)?.[0]?.id;
    const whole: Span = { file: siteToken.span.file, start: siteToken.span.start, end: ref.device.span.end };
    this.sink.report(Codes.unknownName, ref.device.span, `unknown device \`${id}\``, {
      ...(nearby !== undefined
        ? proposal(ref.device.span, nearby, `did you mean \`${siteName}.${nearby}\`?`)
        : elsewhere !== undefined
          ? proposal(whole, elsewhere)
          : { hint: `site \`${siteName}\` declares no device \`${name}\`` }),
    });
    return false;
  }
}
