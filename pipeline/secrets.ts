// The values of the intent's secrets, for `plumb compile -o` and `verify --configs`: each secret
// a BGP session or an OSPF interface of the model names is read from its environment variable or
// its file (a path relative to the folder of the intent file that declares it; one trailing line
// end dropped). Nothing here prints or returns a value except in `values`: the diagnostics name
// the secret, the variable or the path, never the key.
//
// Refused, each at the `secret` line (file:line:col) with an error: a variable that is not set
// or a file that cannot be read (C721); a file that its group or others may read (C722, as ssh
// refuses such a key: `chmod 600`); an empty value, one with characters no platform's syntax
// takes as they are, or one longer than the platforms keep (C723: TCP-MD5 keys up to 80
// characters, OSPF MD5 keys up to 16).

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { NetworkModel, Platform, SecretModel } from '../compiler/model.js';
import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';

/** What a key is used for, which decides how long it may be. */
export type SecretUse = 'bgp' | 'ospf';

/** The longest key each use takes: TCP-MD5 (IOS-XE, Linux: 80), OSPF MD5 (RFC 2328: 16). */
export const MAX_KEY_LENGTH: Record<SecretUse, number> = { bgp: 80, ospf: 16 };

/** A secret's use on a platform, as `usedSecrets` lists it (`bgp paloalto-panos`). */
type PlacedUse = `${SecretUse} ${Platform}`;

/** The characters a key may hold: none needs quoting or escaping in any platform's syntax. */
export const KEY_CHARACTERS = /^[A-Za-z0-9_.+=@%^~*,/:-]+$/;

/** The largest secret file read. */
const MAX_FILE_BYTES = 4096;

export interface ResolvedSecrets {
  /** Secret name → value, for every secret the model uses that could be read and passed the checks. */
  values: Map<string, string>;
  diagnostics: Diagnostic[];
}

export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths of the intent are taken from (the CLI's working folder). */
  cwd: string;
}

/** The secrets the model uses, each with its uses and the platforms they are written for. */
export function usedSecrets(model: NetworkModel): Map<string, Set<PlacedUse>> {
  const used = new Map<string, Set<PlacedUse>>();
  const use = (name: string, u: SecretUse, platform: Platform): void => {
    let set = used.get(name);
    if (!set) used.set(name, (set = new Set()));
    set.add(`${u} ${platform}`);
  };
  for (const d of model.devices) {
    for (const n of d.bgp?.neighbors ?? []) if (n.password) use(n.password.secret, 'bgp', d.platform);
    for (const o of d.ospf?.interfaces ?? []) if (o.authentication) use(o.authentication.secret, 'ospf', d.platform);
  }
  return used;
}

/** Reads every secret the model uses (see the top of this file). */
export function resolveSecrets(model: NetworkModel, sources: SecretSources): ResolvedSecrets {
  const values = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const declared = new Map((model.secrets ?? []).map((s) => [s.name, s]));
  for (const [name, uses] of [...usedSecrets(model)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const secret = declared.get(name);
    if (!secret) throw new Error(`internal: the model uses secret ${name}, which it does not declare`);
    const read = readSecret(secret, sources);
    if ('problem' in read) {
      diagnostics.push(diagnostic(read.code, secret.origin, read.problem, { hint: read.hint }));
      continue;
    }
    const problem = valueProblem(read.value, uses);
    if (problem) {
      diagnostics.push(diagnostic(Codes.secretValueUnusable, secret.origin, `the value of secret \`${name}\` (${where(secret)}) ${problem.what}`, { hint: problem.hint }));
      continue;
    }
    values.set(name, read.value);
  }
  return { values, diagnostics };
}

function where(s: SecretModel): string {
  return s.source === 'env' ? `environment variable ${s.location}` : `file ${s.location}`;
}

type Read = { value: string } | { problem: string; hint: string; code: (typeof Codes)[keyof typeof Codes] };

function readSecret(s: SecretModel, sources: SecretSources): Read {
  if (s.source === 'env') {
    const value = sources.env[s.location];
    if (value === undefined) {
      return {
        code: Codes.secretUnreadable,
        problem: `secret \`${s.name}\`: the environment variable ${s.location} is not set`,
        hint: `set it to the key before running plumb compile, e.g. from your CI's secret store: ${s.location}=...`,
      };
    }
    return { value };
  }
  const path = resolve(dirname(resolve(sources.cwd, s.origin.file)), s.location);
  let mode: number;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { code: Codes.secretUnreadable, problem: `secret \`${s.name}\`: ${path} is not a file`, hint: 'give the path of the file that holds the key' };
    mode = st.mode;
    size = st.size;
  } catch {
    return {
      code: Codes.secretUnreadable,
      problem: `secret \`${s.name}\`: the file ${path} does not exist`,
      hint: `write the key into it (one line) and make it private: chmod 600 ${path}; a relative path is taken from the folder of ${s.origin.file}`,
    };
  }
  if ((mode & 0o077) !== 0) {
    return {
      code: Codes.secretFileShared,
      problem: `secret \`${s.name}\`: ${path} may be read by its group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')})`,
      hint: `make it private to its owner: chmod 600 ${path}`,
    };
  }
  if (size > MAX_FILE_BYTES) return { code: Codes.secretValueUnusable, problem: `secret \`${s.name}\`: ${path} is larger than a key (${size} bytes)`, hint: 'the file holds the key alone, on one line' };
  try {
    const text = readFileSync(path, 'utf8');
    return { value: text.replace(/\r?\n$/, '') };
  } catch (err) {
    return { code: Codes.secretUnreadable, problem: `secret \`${s.name}\`: ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, hint: 'plumb compile must be able to read the file' };
  }
}

function valueProblem(value: string, uses: ReadonlySet<PlacedUse>): { what: string; hint: string } | undefined {
  if (value === '') return { what: 'is empty', hint: 'set the key itself: an empty key authenticates nothing' };
  if (!KEY_CHARACTERS.test(value)) {
    return {
      what: 'holds a character Plumb does not write into configurations (a blank, a quote, `?`, `!`, `#`, `\\`, `<`, `>`, `&` or a non-ASCII character)',
      hint: 'use letters, digits and `- _ . + = @ % ^ ~ * , / :` (a base64 or hex key is fine)',
    };
  }
  for (const placed of [...uses].sort()) {
    const [use, platform] = placed.split(' ') as [SecretUse, Platform];
    // a platform that keeps shorter BGP keys (PAN-OS: 63) would refuse a longer one at its commit
    const platformMax = use === 'bgp' ? PLATFORM_TRAITS[platform].bgpKeyMaxLength : undefined;
    const max = platformMax ?? MAX_KEY_LENGTH[use];
    if (value.length > max) {
      const where = platformMax === undefined ? '' : ` on ${platform}`;
      return {
        what: `has ${value.length} characters; ${use === 'bgp' ? 'a BGP TCP-MD5 password' : 'an OSPF MD5 key'}${where} has at most ${max}`,
        hint: `use a shorter key for ${use === 'bgp' ? 'BGP' : 'OSPF'}`,
      };
    }
  }
  return undefined;
}
