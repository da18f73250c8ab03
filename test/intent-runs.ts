// What the tests of secrets (compile -o, verify --configs), the authentication labs and the ICMP
// error tests share: running the CLI in-process on an intent written into a throwaway folder
// (what the command printed, the files it wrote), the keys the secrets tests use, the root-only
// guard of the namespace labs, and the edge-and-core site of the ICMP error intents.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'vitest';
import type { CliIo } from '../cli/io.js';
import { run } from '../cli/program.js';

/** The keys of the secrets tests: characters each platform takes as they are, none a regex metacharacter's worry. */
export const BGP_KEY = 'bgp-K3y+partner/1';
export const OSPF_KEY = 'ospf=Key_42';

export interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

/** A CliIo in `cwd` with the environment `env` that keeps what the command prints. */
export function capture(cwd: string, env: Record<string, string | undefined> = {}): Captured {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd, env };
  return { io, out: () => out, err: () => err };
}

/** Runs `plumb ARGS` in `cwd`: the exit code and what it printed. */
export async function plumb(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const c = capture(cwd, env);
  const code = await run(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Every regular file below `dir`, as paths. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A fresh folder holding `files` (path relative to it → content; a `.key` file is private, as secrets must be). */
export function intentFolder(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: path.endsWith('.key') ? 0o600 : 0o644 });
  }
  return dir;
}

/** Runs `fn` in a fresh folder holding `files`, removed afterwards whatever happens. */
export async function inIntentFolder<T>(prefix: string, files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = intentFolder(prefix, files);
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `it` for a lab that needs root (namespaces, FRR): skipped loudly elsewhere, never in CI. With
 * `concurrent`, a file's labs run at once (each lab's namespaces carry its own run id), so that
 * one lab's waits for routing overlap another's work.
 */
export function rootOnly(what: string, opts: { concurrent?: boolean } = {}): typeof it | typeof it.skip {
  const root = process.getuid?.() === 0;
  if (!root && !process.env.CI) console.warn(`\n*** SKIPPING ${what}: not root (it runs in CI as root) ***\n`);
  if (!root && !process.env.CI) return it.skip;
  return opts.concurrent ? it.concurrent : it;
}

/**
 * The start of the ICMP error intents: an `edge` router (stateless IOS-XE, or stateful FRR)
 * linked to an FRR core, OSPF between them, and the office segment behind the edge; the tests
 * add their own segments, externals, policy and assertions.
 */
export const edgeAndCore = (edge: 'cisco-iosxe' | 'frr'): string => `routing ospf
pool infra 10.255.0.0/16
pool infra6 fd00:255::/48
site s {
  router edge ${edge}
  router core frr
  link edge -- core
}
segment office 10.20.0.0/24, fd00:20::/64 at s.edge
`;

/**
 * Two FRR routers s.r1 and s.r2 on one link, segment a behind r1 and b behind r2, and a policy
 * that allows a -> b : https; `segments` adds segments before the policy, `tail` the assertions.
 * The CLI, API, verifier and lab tests that need a network this small share it.
 */
export const twoRouterIntent = (o: { network: string; routing?: 'static' | 'ospf'; segments?: string; tail: string }): string => `network ${o.network}
${o.routing ? `routing ${o.routing}\n` : ''}pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  link r1 -- r2
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
${o.segments ?? ''}policy {
  allow a -> b : https
}
${o.tail}`;

/**
 * A chain s.r1 -- s.r2 (IOS-XE) -- s.r3 with static routes, segments a, b and c behind them, and
 * a policy allowing a -> b : https, a -> c : ssh and b -> c : dns; `asserts` follows. Failing r2
 * or r2 -- r3 breaks a -> c alike: the tests of sharding and of failures name the same set.
 */
export const staticChainIntent = (asserts: string): string => `network t
routing static
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 cisco-iosxe
  router r3 frr
  link r1 -- r2
  link r2 -- r3
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
segment c 10.3.0.0/24 at s.r3
policy {
  allow a -> b : https
  allow a -> c : ssh
  allow b -> c : dns
}
${asserts}
`;

/**
 * A partner on s1.r1 whose BGP session is signed with the secret `partner-bgp` (the intent
 * declares the secret), announced segment `a`, and the https flow from the partner to `a` allowed
 * and asserted: what the authentication labs run.
 */
export const SIGNED_PARTNER = `external partner {
  asn 64600
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.10.1/30 peer 169.254.10.2
  announce a
  password partner-bgp
}
policy { allow partner -> a : https }
assert reach partner -> a : https
`;
