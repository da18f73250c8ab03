// FRR in the lab: one set of daemons per namespace (`-N NAME`, their own vty socket, pid and
// log files in the run's folder), the config loaded with vtysh, and convergence judged by FRR's
// own state (`show ip route json`, `show ipv6 route json`, `show bgp summary json`,
// `show ip ospf neighbor json`, `show ipv6 ospf6 neighbor json`).

import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceModel, RouteProtocol } from '../compiler/model.js';
import type { ExternalBgpPlan } from './lab.js';
import { LabError, execInOk, run, runOk, runSync } from './netns.js';

export const FRR_DIR = '/usr/lib/frr';
const FRR_STATE_DIR = '/var/run/frr';

export interface FrrInstance {
  ns: string;
  /** The folder with its vty sockets, pid files, logs and frr.conf. */
  dir: string;
  daemons: string[];
}

/** The frr user's ids as `id` tells them (undefined without such a user). */
function lookUpFrrIds(runTool: typeof runSync): { uid: number; gid: number } | undefined {
  // `id` is the portable way to learn the frr user's ids without parsing /etc/passwd.
  const u = runTool('id', ['-u', 'frr']);
  const g = runTool('id', ['-g', 'frr']);
  if (u.code !== 0 || g.code !== 0) return undefined;
  const uid = Number(u.stdout.trim());
  const gid = Number(g.stdout.trim());
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
}

/**
 * The frr user's ids, looked up at the first call only. The lookup is two synchronous `id` runs,
 * and it was made for every FRR instance a lab starts: each time the event loop of the whole
 * process stopped (0.1-0.4 s a time at a load of 20-25, up to 1.4 s a lab), and with it every
 * other lab of the process; the user does not change while the process runs.
 */
export function frrIdsOnce(runTool: typeof runSync): () => { uid: number; gid: number } | undefined {
  let known: { ids: { uid: number; gid: number } | undefined } | undefined;
  return () => (known ??= { ids: lookUpFrrIds(runTool) }).ids;
}

const frrIds = frrIdsOnce(runSync);

/** Which daemons a device needs: its model's protocols, and ospf6d for its config's OSPFv3. */
export function daemonsFor(device: DeviceModel, frrConf = ''): string[] {
  const d = ['zebra', 'staticd'];
  if (device.bgp) d.push('bgpd');
  if (device.ospf) d.push('ospfd');
  if (/^router ospf6\b/m.test(frrConf)) d.push('ospf6d');
  return d;
}

/** Starts the daemons in a namespace and loads `config` into them. */
export async function startFrr(
  ns: string,
  dir: string,
  daemons: string[],
  config: string,
): Promise<FrrInstance> {
  mkdirSync(dir, { recursive: true });
  const ids = frrIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  // The daemons keep state files (e.g. ospfd-gr.json) in FRR's run folder, which only the
  // service's start script creates: a fresh machine that never started FRR has none.
  if (!existsSync(FRR_STATE_DIR)) {
    mkdirSync(FRR_STATE_DIR, { recursive: true });
    if (ids) chownSync(FRR_STATE_DIR, ids.uid, ids.gid);
  }
  const confPath = join(dir, 'frr.conf');
  writeFileSync(confPath, config);
  if (ids) chownSync(confPath, ids.uid, ids.gid);
  const start = (daemon: string): Promise<string> =>
    execInOk(
      ns,
      join(FRR_DIR, daemon),
      [
        '-d',
        '-N',
        ns,
        '--vty_socket',
        dir,
        '-z',
        join(dir, 'zserv.api'),
        '-P',
        '0',
        '-f',
        '/dev/null',
        '-i',
        join(dir, `${daemon}.pid`),
        '--log',
        `file:${join(dir, `${daemon}.log`)}`,
      ],
      { timeoutMs: 15_000 },
    );
  // zebra first (it owns the zserv socket); the others connect to it on their own, together.
  const [first, ...rest] = daemons;
  if (first) await start(first);
  await Promise.all(rest.map(start));
  const inst: FrrInstance = { ns, dir, daemons };
  // The daemons connect to zebra on their own; vtysh refuses to load until every one answers.
  let last = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const r = await run('vtysh', ['--vty_socket', dir, '-f', confPath], { timeoutMs: 20_000 });
    if (r.code === 0) return inst;
    last = (r.stderr + r.stdout).trim();
    // Exit 13: the config has errors (FRR says which lines); anything else: daemons not ready yet.
    if (r.code === 13) throw new LabError(`FRR rejected the config in ${ns}: ${last.slice(0, 2000)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new LabError(`FRR in ${ns} did not accept its config: ${last.slice(0, 2000)}`);
}

export async function vtyshJson(inst: FrrInstance, command: string): Promise<unknown> {
  const out = await runOk('vtysh', ['--vty_socket', inst.dir, '-c', command], { timeoutMs: 10_000 });
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/**
 * Several `show ... json` commands in one vtysh run, their answers in order: a vtysh run costs
 * tens of milliseconds of CPU whatever it asks (it connects to every daemon of the instance).
 * vtysh stops at a command that fails, so when the answers are not one JSON value per command,
 * each is asked on its own, as `vtyshJson` does.
 */
export async function vtyshJsonAll(inst: FrrInstance, commands: readonly string[]): Promise<unknown[]> {
  if (commands.length === 1) return [await vtyshJson(inst, commands[0]!)];
  const r = await run('vtysh', ['--vty_socket', inst.dir, ...commands.flatMap((c) => ['-c', c])], { timeoutMs: 10_000 });
  const values = r.code === 0 ? jsonValues(r.stdout) : undefined;
  if (values && values.length === commands.length) return values;
  return Promise.all(commands.map((c) => vtyshJson(inst, c)));
}

/** The JSON values written one after the other in a text (undefined when it is not such a text). */
export function jsonValues(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' || ch === ']') {
      if (--depth < 0) return undefined;
      if (depth === 0) {
        try {
          values.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && !/\s/.test(ch)) return undefined;
  }
  return depth === 0 && !inString ? values : undefined;
}

/**
 * The config of an external's own BGP speaker: its prefixes (and, in tests, more), each family
 * over the sessions of that family only (an IPv4 neighbour address: IPv4 unicast; an IPv6 one:
 * IPv6 unicast), as the renderers do on our side.
 */
export function externalBgpConfig(name: string, bgp: ExternalBgpPlan): string {
  const L: string[] = ['frr defaults traditional', `hostname ${name.replace(/[^A-Za-z0-9-]/g, '-')}`, '!'];
  L.push(
    `router bgp ${bgp.asn}`,
    ` bgp router-id ${bgp.routerId}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp network import-check',
    ' no bgp default ipv4-unicast',
  );
  for (const n of bgp.neighbors) {
    L.push(` neighbor ${n.address} remote-as ${n.remoteAs}`, ` neighbor ${n.address} timers connect 2`);
    // GTSM (RFC 5082) works only when both ends send with TTL 255.
    if (n.ttlSecurity !== undefined) L.push(` neighbor ${n.address} ttl-security hops ${n.ttlSecurity}`);
    // TCP-MD5 (RFC 2385) when our side authenticates the session: both ends sign with one key.
    if (n.password !== undefined) L.push(` neighbor ${n.address} password ${n.password}`);
  }
  const all = [...bgp.announce, ...bgp.extra];
  for (const fam of [4, 6] as const) {
    const nets = all.filter((p) => (p.includes(':') ? 6 : 4) === fam);
    const nbrs = bgp.neighbors.filter((n) => (n.address.includes(':') ? 6 : 4) === fam);
    if (nbrs.length === 0) continue;
    L.push(' !', ` address-family ${fam === 4 ? 'ipv4' : 'ipv6'} unicast`);
    for (const p of nets) {
      if (p === '0.0.0.0/0' || p === '::/0')
        for (const n of nbrs) L.push(`  neighbor ${n.address} default-originate`);
      else L.push(`  network ${p}`);
    }
    for (const n of nbrs) L.push(`  neighbor ${n.address} activate`);
    L.push(' exit-address-family');
  }
  L.push('!');
  return `${L.join('\n')}\n`;
}

/** What a converged FRR instance must show. */
export interface FrrExpectation {
  inst: FrrInstance;
  /** Routes (prefix → protocol) the FIB must hold, selected and installed. */
  /** With the model's next hops as `interface|address` (address empty when on-link), or DISCARD_HOP alone. */
  routes: { prefix: string; protocol: RouteProtocol; nextHops: string[] }[];
  bgpPeers: string[];
  /** OSPFv2 adjacencies that must be Full. */
  ospfNeighbors: number;
  /** OSPFv3 adjacencies that must be Full. */
  ospf6Neighbors: number;
}

export interface ConvergenceState {
  ok: boolean;
  missing: string[];
}

const FRR_PROTOCOL: Record<RouteProtocol, string[]> = {
  connected: ['connected', 'kernel', 'local'],
  static: ['static', 'kernel'],
  ospf: ['ospf', 'ospf6'],
  bgp: ['bgp'],
};

interface NextHopJson {
  ip?: string;
  interfaceName?: string;
  active?: boolean;
  recursive?: boolean;
  /** A route to nowhere (`blackhole`, `Null0`); `reject` answers ICMP unreachable instead. */
  blackhole?: boolean;
  reject?: boolean;
}

/** A discard route's one next hop, as the convergence check writes FRR's and the model's (RouteModel.nextHops empty). */
export const DISCARD_HOP = 'blackhole';
type RouteJson = Record<
  string,
  { protocol?: string; selected?: boolean; installed?: boolean; nexthops?: NextHopJson[] }[]
>;

/** The active next hops of a route entry, as `interface|address`, sorted. */
function nextHopsOf(entry: { nexthops?: NextHopJson[] }): string[] {
  return (entry.nexthops ?? [])
    .filter((n) => n.active && !n.recursive)
    .map((n) => (n.blackhole ? DISCARD_HOP : n.reject ? 'reject' : `${n.interfaceName ?? ''}|${n.ip ?? ''}`))
    .sort();
}

export async function routeTable(inst: FrrInstance, family: 4 | 6): Promise<RouteJson> {
  const j = await vtyshJson(inst, family === 4 ? 'show ip route json' : 'show ipv6 route json');
  return (j && typeof j === 'object' ? j : {}) as RouteJson;
}

export async function checkFrr(e: FrrExpectation): Promise<ConvergenceState> {
  const missing: string[] = [];
  const needs6 = e.routes.some((r) => r.prefix.includes(':'));
  // Everything this check reads, in one vtysh run.
  const commands = [
    'show ip route json',
    ...(needs6 ? ['show ipv6 route json'] : []),
    ...(e.bgpPeers.length > 0 ? ['show bgp summary json'] : []),
    ...(e.ospfNeighbors > 0 ? ['show ip ospf neighbor json'] : []),
    ...(e.ospf6Neighbors > 0 ? ['show ipv6 ospf6 neighbor json'] : []),
  ];
  const answers = new Map(zip(commands, await vtyshJsonAll(e.inst, commands)));
  const table = (command: string): RouteJson => {
    const j = answers.get(command);
    return (j && typeof j === 'object' ? j : {}) as RouteJson;
  };
  const t4 = table('show ip route json');
  const t6 = table('show ipv6 route json');
  for (const r of e.routes) {
    const entries = (r.prefix.includes(':') ? t6 : t4)[r.prefix] ?? [];
    const selected = entries.find(
      (x) => x.selected && x.installed !== false && FRR_PROTOCOL[r.protocol].includes(x.protocol ?? ''),
    );
    if (!selected) {
      missing.push(`${e.inst.ns}: route ${r.prefix} (${r.protocol})`);
      continue;
    }
    // Equal-cost paths too: FRR must use exactly the model's next hops.
    const have = nextHopsOf(selected);
    const want = [...r.nextHops].sort();
    if (have.join(' ') !== want.join(' ')) {
      missing.push(
        `${e.inst.ns}: route ${r.prefix} via ${have.join(', ') || 'nothing'}, the model says ${want.join(', ')}`,
      );
    }
  }
  if (e.bgpPeers.length > 0) {
    const j = answers.get('show bgp summary json') as
      Record<string, { peers?: Record<string, { state?: string }> }> | undefined;
    const states = new Map<string, string>();
    for (const af of Object.values(j ?? {})) {
      for (const [addr, p] of Object.entries(af?.peers ?? {})) if (p.state) states.set(addr, p.state);
    }
    for (const peer of e.bgpPeers) {
      if (states.get(peer) !== 'Established')
        missing.push(`${e.inst.ns}: BGP peer ${peer} (${states.get(peer) ?? 'absent'})`);
    }
  }
  if (e.ospfNeighbors > 0) {
    const j = answers.get('show ip ospf neighbor json') as
      { neighbors?: Record<string, { nbrState?: string; state?: string }[]> } | undefined;
    let full = 0;
    for (const list of Object.values(j?.neighbors ?? {})) {
      for (const n of list) if ((n.nbrState ?? n.state ?? '').startsWith('Full')) full++;
    }
    if (full < e.ospfNeighbors) missing.push(`${e.inst.ns}: OSPF neighbours ${full}/${e.ospfNeighbors} full`);
  }
  if (e.ospf6Neighbors > 0) {
    const full = fullNeighbours(answers.get('show ipv6 ospf6 neighbor json'));
    if (full < e.ospf6Neighbors)
      missing.push(`${e.inst.ns}: OSPFv3 neighbours ${full}/${e.ospf6Neighbors} full`);
  }
  return { ok: missing.length === 0, missing };
}

function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  return a.map((x, i) => [x, b[i]!]);
}

/** The neighbours in state Full anywhere in FRR's OSPFv3 neighbour JSON (a list or by interface). */
export function fullNeighbours(j: unknown): number {
  let full = 0;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const state = o.state ?? o.nbrState;
      if (typeof state === 'string' && (o.neighborId !== undefined || o.routerId !== undefined)) {
        if (state.startsWith('Full')) full++;
        return;
      }
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(j);
  return full;
}

/** An instance's BGP tables of these families (`show bgp ipv4|ipv6 unicast json`), in one vtysh run. */
export async function bgpTables(inst: FrrInstance, families: readonly (4 | 6)[]): Promise<unknown[]> {
  if (families.length === 0) return [];
  return vtyshJsonAll(inst, families.map((f) => `show bgp ${f === 4 ? 'ipv4' : 'ipv6'} unicast json`));
}

/**
 * A BGP session as one end sees it (a joint lab's interconnect): its state, and the prefixes
 * this end advertises to the neighbour after its export policy (what goes on the wire).
 */
export async function bgpSession(inst: FrrInstance, neighbor: string): Promise<{ state: string; advertised: string[] }> {
  const af = neighbor.includes(':') ? 'ipv6' : 'ipv4';
  const summary = (await vtyshJson(inst, 'show bgp summary json')) as Record<string, { peers?: Record<string, { state?: string }> }> | undefined;
  const state = Object.values(summary ?? {}).map((x) => x?.peers?.[neighbor]?.state).find((s) => s !== undefined) ?? 'absent';
  const out = (await vtyshJson(inst, `show bgp ${af} unicast neighbors ${neighbor} advertised-routes json`)) as { advertisedRoutes?: Record<string, unknown> } | undefined;
  return { state, advertised: Object.keys(out?.advertisedRoutes ?? {}).sort() };
}
