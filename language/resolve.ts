// Name resolution: one file-wide namespace shared by every file of the intent (everything but
// devices), devices as `site.device` (or their bare name inside their own site), the prelude's
// services and the `any` endpoint. Builds the SymbolTable (every definition and reference) that
// the language server answers from, and reports P2xx diagnostics. The first declaration of a name
// wins; later ones are reported as duplicates and otherwise ignored. This file declares (the
// first pass); resolve-refs.ts resolves the references (the second).

import type {
  AssertDecl,
  Declaration,
  DeviceDecl,
  DeviceRef,
  ExternalDecl,
  ExternalPart,
  GroupDecl,
  HostDecl,
  LinkDecl,
  ManageDecl,
  NetworkDecl,
  PolicyDecl,
  PoolDecl,
  RoutingDecl,
  SecretDecl,
  SecurityDecl,
  SegmentDecl,
  ServiceDecl,
  SurviveDecl,
  ServiceItem,
  SiteDecl,
  SourceFile,
  Token,
} from './ast.js';
import { DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import { resolveReferences } from './resolve-refs.js';
import { KIND_WORDS } from './resolve-words.js';
import type { ResolveMemo } from './resolve-memo.js';
import type { Span } from './diagnostic.js';
import { ANY, PRELUDE_BY_NAME, PRELUDE_SERVICES, PROTOCOL_NAMES, type PreludeService } from './prelude.js';
import type { SymbolDef, SymbolKind, SymbolRef, SymbolTable } from './symbols.js';

export type NamedEntity =
  | { kind: 'network'; decl: NetworkDecl }
  | { kind: 'pool'; decl: PoolDecl }
  | { kind: 'site'; decl: SiteDecl }
  | { kind: 'segment'; decl: SegmentDecl }
  | { kind: 'host'; decl: HostDecl }
  | { kind: 'group'; decl: GroupDecl }
  | { kind: 'external'; decl: ExternalDecl }
  | { kind: 'service'; decl: ServiceDecl }
  | { kind: 'policy'; decl: PolicyDecl & { name: Token } }
  | { kind: 'secret'; decl: SecretDecl };

/** What a name reference resolves to (a device: from a `site.device` in a list of names). */
export type Resolved =
  | NamedEntity
  | { kind: 'builtin-service'; service: PreludeService }
  | { kind: 'any' }
  | { kind: 'device'; id: string; decl: DeviceDecl };

export interface DeviceEntity {
  /** `site.device` */
  id: string;
  site: string;
  decl: DeviceDecl;
}

export interface SiteLink {
  decl: LinkDecl;
  /** The site whose block holds the link, if any (bare device names resolve there). */
  site?: string;
}

/**
 * Where a name is used decides which kinds it may name: `endpoint` a policy rule's sides (no
 * devices), `flow` an assertion's sides and a `manage` line's sources (devices too), `managed`
 * a `manage` line's devices (devices and groups).
 */
export type RefContext = 'endpoint' | 'flow' | 'managed' | 'member' | 'announce' | 'translate' | 'publish' | 'service' | 'segment' | 'secret';

export interface Resolution {
  files: SourceFile[];
  /** The file-wide namespace: the first declaration of each name. */
  names: Map<string, NamedEntity>;
  /** Devices by id, in source order, first declaration of each id. */
  devices: Map<string, DeviceEntity>;
  network?: NetworkDecl;
  routing?: RoutingDecl;
  pools: PoolDecl[];
  sites: SiteDecl[];
  links: SiteLink[];
  segments: SegmentDecl[];
  hosts: HostDecl[];
  groups: GroupDecl[];
  externals: ExternalDecl[];
  services: ServiceDecl[];
  policies: PolicyDecl[];
  assertions: AssertDecl[];
  /** The `manage` lines, in source order. */
  manages: ManageDecl[];
  /** The `secret` declarations, in source order (duplicates left out: P202). */
  secrets: SecretDecl[];
  /** The `security` lines (PAN-OS profiles), in source order. */
  securities: SecurityDecl[];
  /** Every `survive` line, in source order (one is allowed: check-failures.ts reports the others). */
  survives: SurviveDecl[];
  /**
   * What a name token stands for, by its text (a name means the same thing everywhere). The
   * resolver has reported every token that is unknown or of the wrong kind for its place; the
   * checks after it only use what is of the kind they need.
   */
  lookup(t: Token): Resolved | undefined;
  deviceRefs: Map<DeviceRef, DeviceEntity>;
  /** Prelude services that a file shadows (by any declaration of the same name). */
  shadowed: Set<string>;
  symbols: SymbolTable;
}

/** True for a service item's first word that is a protocol rather than a service name. */
export function isProtocolWord(text: string): boolean {
  return PROTOCOL_NAMES.has(text) || /^[0-9]+$/.test(text);
}

/**
 * `memo`: what the last resolution of the same intent kept (the language server's, see
 * resolve-memo.ts); the result is the same with or without it.
 */
export function resolve(files: SourceFile[], sink: DiagnosticSink, memo?: ResolveMemo): Resolution {
  memo?.begin();
  const resolution: Resolution = {
    files,
    names: new Map(),
    devices: new Map(),
    pools: [],
    sites: [],
    links: [],
    segments: [],
    hosts: [],
    groups: [],
    externals: [],
    services: [],
    policies: [],
    assertions: [],
    manages: [],
    secrets: [],
    securities: [],
    survives: [],
    lookup: () => undefined,
    deviceRefs: new Map(),
    shadowed: new Set(),
    symbols: { definitions: [], references: [] },
  };
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const defs: SymbolDef[] = [];
  const refs: SymbolRef[] = [];

  const declare = (entity: NamedEntity, kind: SymbolKind): boolean => {
    const name = entity.decl.name as Token;
    if (name.text === ANY) {
      sink.report(Codes.anyDeclared, name.span, '`any` is a built-in name and cannot be declared', {
        hint: 'choose another name',
      });
      return false;
    }
    const first = resolution.names.get(name.text);
    if (first) {
      sink.report(Codes.duplicateName, name.span, `\`${name.text}\` is already declared`, {
        related: [{ span: (first.decl.name as Token).span, message: `first declared here as ${KIND_WORDS[first.kind]}` }],
        hint: 'rename one of them: segments, hosts, groups, externals, services and the rest share one namespace',
      });
      return false;
    }
    if (PRELUDE_BY_NAME.has(name.text)) {
      resolution.shadowed.add(name.text);
      sink.report(Codes.shadowsBuiltinService, name.span, `${entity.kind} \`${name.text}\` shadows the built-in service \`${name.text}\``, {
        hint: `in this intent \`${name.text}\` means this ${entity.kind}, not ${PRELUDE_BY_NAME.get(name.text)!.text}`,
      });
    }
    resolution.names.set(name.text, entity);
    defs.push({
      key: name.text,
      name: name.text,
      kind,
      nameSpan: name.span,
      declSpan: entity.decl.span,
      detail: detailOf(texts, entity.decl.span),
    });
    return true;
  };

  const declareDevice = (site: SiteDecl, decl: DeviceDecl): void => {
    const id = `${site.name.text}.${decl.name.text}`;
    const first = resolution.devices.get(id);
    if (first) {
      sink.report(Codes.duplicateName, decl.name.span, `device \`${id}\` is already declared`, {
        related: [{ span: first.decl.name.span, message: 'first declared here' }],
        hint: 'device names must be unique within their site',
      });
      return;
    }
    resolution.devices.set(id, { id, site: site.name.text, decl });
    defs.push({
      key: id,
      name: decl.name.text,
      kind: 'device',
      nameSpan: decl.name.span,
      declSpan: decl.span,
      detail: `${decl.role.text} ${id} ${detailOf(texts, decl.span).split(' ').slice(2).join(' ')}`.trim(),
    });
  };

  // `PARTY.NAME`: a named announcement of the other party of a contract, an external of its
  // own (its prefix) that is not one of `externals` (it attaches where its party does). Its
  // name has a dot, as a device's has, so no declared name can take it.
  const declarePart = (external: ExternalDecl, part: ExternalPart): void => {
    const name = { text: `${external.name.text}.${part.name.text}`, span: part.name.span };
    const decl: ExternalDecl = { kind: 'external', name, items: [{ kind: 'prefixes', prefixes: [part.prefix], span: part.prefix.span }], span: { ...part.name.span, end: part.prefix.span.end } };
    resolution.names.set(name.text, { kind: 'external', decl });
    defs.push({ key: name.text, name: part.name.text, kind: 'external', nameSpan: part.name.span, declSpan: decl.span, detail: `${name.text} ${part.prefix.text} (part of external ${external.name.text})` });
  };

  // Pass 1: declarations.
  for (const file of files) {
    for (const decl of file.declarations) {
      collect(decl);
    }
  }
  // A switch, not ts-pattern's `match`: this runs once per declaration on every keystroke in the
  // language server, and `match` costs an object and a closure per case.
  function collect(d: Declaration): void {
    switch (d.kind) {
      case 'network':
        if (resolution.network) {
          sink.report(Codes.networkTwice, d.span, '`network` is declared more than once', {
            related: [{ span: resolution.network.span, message: 'first declared here' }],
            hint: 'an intent has one name: keep one `network` line across all its files',
          });
          return;
        }
        resolution.network = d;
        declare({ kind: 'network', decl: d }, 'network');
        return;
      case 'routing':
        if (resolution.routing) {
          sink.report(Codes.routingTwice, d.span, '`routing` is declared more than once', {
            related: [{ span: resolution.routing.span, message: 'first declared here' }],
            hint: 'keep one `routing` line across all the files of the intent',
          });
          return;
        }
        resolution.routing = d;
        return;
      case 'pool':
        if (declare({ kind: 'pool', decl: d }, 'pool')) resolution.pools.push(d);
        return;
      case 'site':
        // A duplicate site's devices are still declared under its name so that their own
        // references resolve and do not cascade into unknown-name errors.
        if (declare({ kind: 'site', decl: d }, 'site')) resolution.sites.push(d);
        for (const m of d.members) {
          if (m.kind === 'device') declareDevice(d, m);
          else if (m.kind === 'link') resolution.links.push({ decl: m, site: d.name.text });
          else unreachable(m);
        }
        return;
      case 'link':
        resolution.links.push({ decl: d });
        return;
      case 'segment':
        if (declare({ kind: 'segment', decl: d }, 'segment')) resolution.segments.push(d);
        return;
      case 'host':
        if (declare({ kind: 'host', decl: d }, 'host')) resolution.hosts.push(d);
        return;
      case 'group':
        if (declare({ kind: 'group', decl: d }, 'group')) resolution.groups.push(d);
        return;
      case 'external':
        if (!declare({ kind: 'external', decl: d }, 'external')) return;
        resolution.externals.push(d);
        for (const part of d.parts ?? []) declarePart(d, part);
        return;
      case 'service':
        if (declare({ kind: 'service', decl: d }, 'service')) resolution.services.push(d);
        return;
      case 'policy':
        if (d.name && !declare({ kind: 'policy', decl: { ...d, name: d.name } }, 'policy')) return;
        resolution.policies.push(d);
        return;
      case 'assert':
        resolution.assertions.push(d);
        return;
      case 'manage':
        resolution.manages.push(d);
        return;
      case 'secret':
        if (declare({ kind: 'secret', decl: d }, 'secret')) resolution.secrets.push(d);
        return;
      case 'security':
        resolution.securities.push(d);
        return;
      case 'survive':
        resolution.survives.push(d);
        return;
      default:
        unreachable(d);
    }
  }

  for (const s of PRELUDE_SERVICES) {
    if (s.name === ANY || resolution.shadowed.has(s.name)) continue;
    defs.push({ key: s.name, name: s.name, kind: 'builtin-service', detail: `service ${s.name} = ${s.text} (built-in)` });
  }
  defs.push({
    key: ANY,
    name: ANY,
    kind: 'builtin-endpoint',
    detail: 'any (built-in): every address as an endpoint, every protocol and port as a service',
  });

  memo?.declared(resolution.names, resolution.devices);
  resolveReferences(resolution, sink, refs, memo);

  resolution.symbols = { definitions: defs, references: refs };
  resolution.lookup = (t) => {
    const named = resolution.names.get(t.text) ?? (t.text === ANY ? ANY_ENTITY : BUILTIN_ENTITIES.get(t.text));
    if (named || !t.text.includes('.')) return named;
    // `site.device` in a list of names (no declared name has a dot).
    const dev = resolution.devices.get(t.text);
    return dev ? { kind: 'device', id: dev.id, decl: dev.decl } : undefined;
  };
  memo?.end();
  return resolution;
}

/** A kind the switch above does not handle fails to compile here; at run time it is a bug. */
function unreachable(value: never): never {
  throw new Error(`unhandled declaration: ${JSON.stringify((value as { kind?: unknown }).kind)}`);
}

const ANY_ENTITY: Resolved = { kind: 'any' };
const BUILTIN_ENTITIES: ReadonlyMap<string, Resolved> = new Map(
  PRELUDE_SERVICES.map((s) => [s.name, { kind: 'builtin-service', service: s }]),
);

/** The item's service reference (`service web = http, tcp 8080`: `http`), if it is one. */
export function isServiceReference(item: ServiceItem): boolean {
  return !isProtocolWord(item.protocol.text) && item.ports.length === 0 && item.icmpType === undefined;
}

/** The declaration's first line (its header for blocks), whitespace collapsed, without comment. */
function detailOf(texts: Map<string, string>, span: Span): string {
  const text = texts.get(span.file) ?? '';
  let s = text.slice(span.start.offset, span.end.offset);
  const cut = s.search(/[\n{#]/);
  if (cut >= 0) s = s.slice(0, cut);
  return s.replace(/\s+/g, ' ').trim();
}
