// The checks' memo (language/check-memo.ts): a project checks again only the policies whose names
// an edit changed, and the checks that read no policy only when what they read changed. The
// diagnostics must still be exactly those of a full check after every edit of a sequence that
// changes what the kept outcomes depend on: prefixes of either family, overlaps, group members
// (devices among them), hosts' segments, services that name services, declarations removed or
// renamed, and rules.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { CheckMemo } from '../../language/check-memo.js';
import { prng } from '../../bench/generate.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';
import { generatedIntent } from './harness.js';
import { checkTwoFiles, cutInTwo } from './two-files.js';

const RULE = /^ {2}(allow|deny) (\S+) -> (\S+)/;
const DECLARED = /^(segment|host|group|service|external|site|pool) (\S+)/;

/**
 * An edit of what a rule's checks depend on, or of a rule, or of the network the other checks
 * read. `resolvable`: every name stays declared (a name that does not resolve hides P601 and
 * P604 from the report, and with them any mistake of the memo in them); a new segment may be
 * declared. Otherwise names may also go unknown, declarations be removed or renamed.
 */
function checkEdit(text: string, rand: () => number, resolvable: boolean): string {
  const lines = text.split('\n');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const at = (re: RegExp): number[] => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  const rules = at(RULE);
  const segments = at(/^segment /);
  const groups = at(/^group /);
  const hosts = at(/^host /);
  const services = at(/^service /);
  const devices = at(/^ {2}(router|firewall) /);
  const prefixes = at(/^ {2}prefixes /);
  const declared = lines.flatMap((l) => DECLARED.exec(l)?.[2] ?? []);
  // A file without segments or groups names those of the other file (the generator's first ones).
  const segmentNames = segments.length > 0 ? segments.map((i) => lines[i]!.split(' ')[1]!) : ['seg0', 'seg1'];
  const groupNames = groups.length > 0 ? groups.map((i) => lines[i]!.split(' ')[1]!) : ['g0', 'g1'];
  const v6 = (): string => `2001:db8:${Math.floor(rand() * 4096).toString(16)}::/64`;
  const kind = rand();
  if (kind < 0.22 && rules.length > 0) {
    const i = pick(rules);
    const [, , src, dst] = RULE.exec(lines[i]!)!;
    const names = [pick(segmentNames), pick(segmentNames), pick(groupNames), pick(groupNames), 'any'];
    const replacement = pick(resolvable ? names : [...names, pick(declared), 's001.d2', 'nosuch']);
    lines[i] = rand() < 0.5 ? lines[i]!.replace(` ${src} `, ` ${replacement} `) : lines[i]!.replace(`-> ${dst}`, `-> ${replacement}`);
  } else if (kind < 0.28 && rules.length > 0) lines.splice(pick(rules), 1);
  else if (kind < 0.32 && rules.length > 0) lines.splice(pick(rules), 0, lines[pick(rules)]!);
  else if (kind < 0.46 && segments.length > 0) {
    // Another family, the prefix of another segment (an overlap), or back to IPv4.
    // Half the time a segment a rule names as its source: its rules' families change.
    const source = rules.length > 0 && rand() < 0.5 ? RULE.exec(lines[pick(rules)]!)![2]! : undefined;
    const named = segments.find((s) => lines[s]!.startsWith(`segment ${source} `));
    const i = named ?? pick(segments);
    const other = segments.length > 0 ? lines[pick(segments)]!.split(' ')[2]! : '10.0.0.0/24';
    const prefix = pick([v6(), v6(), other, `10.${Math.floor(rand() * 200)}.${Math.floor(rand() * 250)}.0/24`]);
    lines[i] = lines[i]!.replace(/^(segment \S+) \S+/, `$1 ${prefix}`);
  } else if (kind < 0.58 && groups.length > 0) {
    const i = pick(groups);
    const member = pick(['s001.d2', 's000.d0', pick(segmentNames), pick(groupNames), resolvable ? pick(segmentNames) : 'nosuch']);
    lines[i] = rand() < 0.5 ? lines[i]!.replace(/= \S+?(,|$)/, `= ${member}$1`) : `${lines[i]}, ${member}`;
  } else if (kind < 0.64 && hosts.length > 0) {
    const i = pick(hosts);
    lines[i] = rand() < 0.5 ? lines[i]!.replace(/ in \S+/, ` in ${pick(segmentNames)}`) : lines[i]!.replace(/^(host \S+) \S+/, '$1 2001:db8::10');
  } else if (kind < 0.7 && services.length > 0) {
    const i = pick(services);
    const other = lines[pick(services)]!.split(' ')[1]!;
    lines[i] = lines[i]!.replace(/= .*/, rand() < 0.5 ? `= ${other}` : `= tcp 80, ${other}`);
  } else if (kind < 0.76 && segments.length + hosts.length > 0) {
    // A segment declared (and used by a rule after it, sometimes), or one removed.
    if (resolvable) {
      const name = `added${Math.floor(rand() * 1e6)}`;
      lines.splice(pick(segments), 0, `segment ${name} ${pick([v6(), `10.${200 + Math.floor(rand() * 50)}.${Math.floor(rand() * 250)}.0/24`])} at s000.d0`);
      if (rand() < 0.5 && rules.length > 0) lines.splice(pick(rules) + 2, 0, `  allow ${name} -> ${pick(segmentNames)}`);
    } else lines.splice(pick([...segments, ...hosts]), 1);
  } else if (kind < 0.82 && prefixes.length > 0) {
    const i = pick(prefixes);
    const overlapping = segments.length > 0 ? lines[pick(segments)]!.split(' ')[2]! : '10.0.0.0/24';
    lines[i] = `  prefixes ${pick([v6(), '198.18.200.0/24', overlapping])}`;
  } else if (kind < 0.88 && devices.length > 0) {
    const i = pick(devices);
    lines[i] = lines[i]!.replace(/ (cisco-iosxe|paloalto-panos|frr|linux)/, ` ${pick(['cisco-iosxe', 'frr', 'linux', 'paloalto-panos'])}`);
  } else if (!resolvable) {
    const i = lines.findIndex((l) => DECLARED.test(l) && rand() < 0.02);
    if (i >= 0) lines[i] = lines[i]!.replace(/^(\S+) (\S+)/, '$1 $2q');
  }
  return lines.join('\n');
}

/**
 * The generated intent's segments: about 1,200 rules in two policies, so that an edit leaves one
 * policy's outcomes to replay (at 800, one policy: the memo's paths are rarely taken). Ignoring
 * changes for families, for usage or for devices, keeping a network check quiet that had
 * reported, and not spreading a change to what names it fail the same tests here as at 1,500.
 */
const SEGMENTS = 1000;

describe('the checks memo', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [seed, resolvable] of [[1, true], [2, true], [3, false]] as const) {
    it(`gives a full check's diagnostics after 30 accumulating edits${resolvable ? ' that keep every name declared' : ''}, in one file and across two (seed ${seed})`, async () => {
      const replay = vi.spyOn(CheckMemo.prototype, 'replay');
      const skips = vi.spyOn(CheckMemo.prototype, 'skips');
      const frontEnd = await loadFrontEnd();
      const rand = prng(20261207 + seed);
      const original = generatedIntent(SEGMENTS, seed);
      let texts = cutInTwo(original);
      let text = original;
      const single = new Project('single', undefined);
      const pair = new Project('pair', undefined);
      const codes = new Set<string>();
      // The last full checks, in one file and in two: an edit may leave a text as it was (while
      // every name must stay declared its last case changes nothing; a platform may be replaced
      // by itself), and the full check of the same text is the same.
      let last: { text: string; full: ReturnType<typeof analyze> } | undefined;
      let lastPair: { texts: readonly [string, string]; full: ReturnType<typeof analyze> } | undefined;
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setImmediate(r));
        text = checkEdit(text, rand, resolvable);
        texts = rand() < 0.5 ? [checkEdit(texts[0], rand, resolvable), texts[1]] : [texts[0], checkEdit(texts[1], rand, resolvable)];
        single.files.clear();
        single.files.set('big.plumb', new ProjectFile('big.plumb', 'big.plumb', text, undefined));
        const got = single.analysis(frontEnd, { intent: false }).result;
        const full = last?.text === text ? last.full : analyze([{ path: 'big.plumb', text }]);
        last = { text, full };
        expect(got.diagnostics).toEqual(full.diagnostics);
        const samePair = lastPair?.texts[0] === texts[0] && lastPair.texts[1] === texts[1];
        const { got: gotPair, full: fullPair } = checkTwoFiles(pair, frontEnd, texts, samePair ? lastPair!.full : undefined);
        lastPair = { texts, full: fullPair };
        expect(gotPair.diagnostics).toEqual(fullPair.diagnostics);
        for (const d of [...full.diagnostics, ...fullPair.diagnostics]) codes.add(d.code);
      }
      // What the kept outcomes must follow: families (P604), declarations in use (P601), devices
      // in groups (P420), overlapping prefixes (P3xx).
      if (resolvable) {
        expect(codes).toContain('P604');
        expect(codes).toContain('P601');
      } else expect(codes).toContain('P201');
      expect(codes).toContain('P420');
      expect([...codes].some((c) => c.startsWith('P3'))).toBe(true);
      // The memo's paths were taken, not only the full checks.
      expect(replay.mock.results.filter((r) => r.value !== undefined).length).toBeGreaterThan(50);
      expect(skips.mock.results.filter((r) => r.value === true).length).toBeGreaterThan(5);
    }, 240_000);
  }

  it('checks the network again when only the order of the segments changed', async () => {
    // Two policies, each followed by a segment, swapped whole: the incremental parser keeps each
    // chunk's objects (kept by its text), so every name stands for the same declaration as
    // before and only the segments' order differs. The network checks read the segments in
    // order: the memo may skip them only while that order is the same too.
    const policyWithSegment = (name: string, third: number): string =>
      `policy ${name} {\n  allow seg0 -> seg1\n}\nsegment ${name}net 10.251.${third}.0/24 at s000.d0\n`;
    // Over the size below which a file is parsed whole (16 KiB).
    const head = generatedIntent(200, 5);
    const [first, second, last] = [policyWithSegment('ordera', 1), policyWithSegment('orderb', 2), 'policy orderc {\n  allow seg0 -> seg1\n}\n'];
    const skips = vi.spyOn(CheckMemo.prototype, 'skips');
    const frontEnd = await loadFrontEnd();
    const project = new Project('order', undefined);
    const check = (text: string): boolean[] => {
      project.files.clear();
      project.files.set('big.plumb', new ProjectFile('big.plumb', 'big.plumb', text, undefined));
      skips.mockClear();
      expect(project.analysis(frontEnd, { intent: false }).result.diagnostics).toEqual(analyze([{ path: 'big.plumb', text }]).diagnostics);
      return skips.mock.results.map((r) => r.value as boolean);
    };
    check(`${head}${first}${second}${last}`);
    const swapped = `${head}${second}${first}${last}`;
    const every = (skipped: boolean): boolean[] => ['secrets', 'values', 'addresses', 'nat', 'platforms'].map(() => skipped);
    expect(check(swapped)).toEqual(every(false));
    // The same order again, a rule edited: the network checks are skipped (they reported nothing).
    expect(check(swapped.replace(/allow seg0 -> seg1\n\}\n$/, 'allow seg1 -> seg0\n}\n'))).toEqual(every(true));
  });

  it('follows a change through a nested group to the rules that name the outer group', async () => {
    // `outer` names only `inner`: an edit of `inner` or of its segment leaves `outer`, the policy
    // and its rule the same objects (the policy's chunk, which `outer` ends, is not parsed again), and must still reach the rule's families, devices and the
    // declarations it keeps in use.
    const frontEnd = await loadFrontEnd();
    const base = `${generatedIntent(SEGMENTS, 4)}
segment lonely 10.251.0.0/24 at s000.d0
segment deep 10.252.0.0/24 at s000.d0
group inner = deep
policy nested {
  allow outer -> seg1
}
group outer = inner
`;
    const project = new Project('nested', undefined);
    // Each text's full check, made once: the base text is checked again after every change.
    const fullChecks = new Map<string, ReturnType<typeof analyze>>();
    const check = (text: string): string[] => {
      project.files.clear();
      project.files.set('big.plumb', new ProjectFile('big.plumb', 'big.plumb', text, undefined));
      const got = project.analysis(frontEnd, { intent: false }).result;
      let full = fullChecks.get(text);
      if (!full) fullChecks.set(text, (full = analyze([{ path: 'big.plumb', text }])));
      expect(got.diagnostics).toEqual(full.diagnostics);
      return got.diagnostics.map((d) => d.code);
    };
    expect(check(base)).toEqual(['P601']);
    // `deep` becomes IPv6: the rule's sources are IPv6 only (P604).
    expect(check(base.replace('segment deep 10.252.0.0/24', 'segment deep 2001:db8:252::/64'))).toEqual(['P601', 'P604']);
    expect(check(base)).toEqual(['P601']);
    // `inner` takes `lonely` in: used through `outer` now (no P601).
    expect(check(base.replace('group inner = deep', 'group inner = deep, lonely'))).toEqual([]);
    expect(check(base)).toEqual(['P601']);
    // `inner` takes a device in: the rule names a device through `outer` (P420).
    expect(check(base.replace('group inner = deep', 'group inner = deep, s000.d1'))).toContain('P420');
    expect(check(base)).toEqual(['P601']);
  });
});
