// The resolver's memo (language/resolve-memo.ts): a project re-resolves only the declarations an
// edit touched while the namespace stays the same, and replays what the others resolved to. The
// analysis must still be exactly that of a full check: diagnostics, and the symbol table the
// editor's navigation answers from, after every edit of a sequence that mostly keeps the names
// declared (the memo's path) and sometimes changes them (its fallback).

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { DiagnosticSink } from '../../language/check-common.js';
import { parse } from '../../language/parser.js';
import { resolve } from '../../language/resolve.js';
import { ResolveMemo } from '../../language/resolve-memo.js';
import { prng } from '../../bench/generate.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { IncrementalParser } from '../../lsp/incremental-parse.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';
import { generatedIntent } from './harness.js';
import { expectEqual } from '../expect-equal.js';
import { checkTwoFiles, cutInTwo } from './two-files.js';

const RULE = /^ {2}(allow|deny) (\S+) -> (\S+) : (\S+)/;
const DECLARED = /^(segment|host|group|service|external|site|pool) (\S+)/;

/**
 * An edit that leaves the declared names as they were, mostly: a rule's name replaced by another
 * declared name (of the right kind or not), by an unknown name or by a device, a rule deleted or
 * copied, a segment moved to another device or to one that does not exist, its prefix or a
 * device's platform changed; one edit in eight renames a declaration instead.
 */
function referenceEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rules = lines.flatMap((l, i) => (RULE.test(l) ? [i] : []));
  const declared = lines.flatMap((l) => DECLARED.exec(l)?.[2] ?? []);
  const segments = lines.flatMap((l, i) => (l.startsWith('segment ') ? [i] : []));
  const devices = lines.flatMap((l, i) => (/^ {2}(router|firewall) /.test(l) ? [i] : []));
  const kind = rand();
  if (kind < 0.4 && rules.length > 0) {
    const at = pick(rules);
    const [, , src, , svc] = RULE.exec(lines[at]!)!;
    const which = rand();
    const replacement = pick([pick(declared), pick(declared), `${src}x`, 'nosuch', 's000.d1', 'http']);
    lines[at] = which < 0.7 ? lines[at]!.replace(` ${src} `, ` ${replacement} `) : lines[at]!.replace(`: ${svc}`, `: ${replacement}`);
  } else if (kind < 0.5 && rules.length > 0) lines.splice(pick(rules), 1);
  else if (kind < 0.6 && rules.length > 0) {
    const at = pick(rules);
    lines.splice(pick(rules), 0, lines[at]!);
  } else if (kind < 0.75 && segments.length > 0) {
    const at = pick(segments);
    const device = pick(['s000.d0', 's001.d2', 's000.d9', 's009.d0', 's001.d4']);
    lines[at] = lines[at]!.replace(/ at \S+/, ` at ${device}`);
  } else if (kind < 0.82 && segments.length > 0) {
    const at = pick(segments);
    lines[at] = lines[at]!.replace(/ 10\.(\d+)\./, (_, n: string) => ` 10.${(Number(n) + 1) % 256}.`);
  } else if (kind < 0.88 && devices.length > 0) {
    const at = pick(devices);
    lines[at] = lines[at]!.replace(/ (cisco-iosxe|paloalto-panos|frr|linux)/, ` ${pick(['cisco-iosxe', 'frr', 'linux', 'juniper'])}`);
  } else {
    const at = lines.findIndex((l) => DECLARED.test(l) && rand() < 0.02);
    if (at >= 0) lines[at] = lines[at]!.replace(/^(\S+) (\S+)/, '$1 $2q');
  }
  return lines.join('\n');
}

/**
 * The generated intent's segments. At 1,300 both seeds' edits still reach P203 (at 900 and 1,100
 * seed 1 no longer does), and keeping outcomes that reported, ignoring the namespace, and
 * dropping a replayed device reference fail the same tests as at 1,500.
 */
const SEGMENTS = 1300;

describe('the resolver memo', () => {
  for (const seed of [1, 2]) {
    it(`gives a full check's diagnostics and symbols after 25 accumulating edits of references, in one file and across two (seed ${seed})`, async () => {
      const frontEnd = await loadFrontEnd();
      const rand = prng(20261206 + seed);
      const original = generatedIntent(SEGMENTS, seed);
      let texts = cutInTwo(original);
      let text = original;
      const single = new Project('single', undefined);
      const pair = new Project('pair', undefined);
      const codes = new Set<string>();
      for (let i = 0; i < 25; i++) {
        await new Promise((r) => setImmediate(r));
        text = referenceEdit(text, rand);
        const which = rand() < 0.5 ? 0 : 1;
        texts = which === 0 ? [referenceEdit(texts[0], rand), texts[1]] : [texts[0], referenceEdit(texts[1], rand)];
        single.files.clear();
        single.files.set('big.plumb', new ProjectFile('big.plumb', 'big.plumb', text, undefined));
        const got = single.analysis(frontEnd, { intent: false }).result;
        const full = analyze([{ path: 'big.plumb', text }]);
        expectEqual(got.diagnostics, full.diagnostics);
        expectEqual(got.symbols, full.symbols);
        const { got: gotPair, full: fullPair } = checkTwoFiles(pair, frontEnd, texts);
        expectEqual(gotPair.diagnostics, fullPair.diagnostics);
        expectEqual(gotPair.symbols, fullPair.symbols);
        for (const d of [...full.diagnostics, ...fullPair.diagnostics]) codes.add(d.code);
      }
      // Unknown names, names of the wrong kind and devices in rules persist across edits that
      // keep the namespace: reports that the memo must not replay as clean.
      expect(codes).toContain('P201');
      expect(codes).toContain('P203');
    }, 240_000);
  }

  it('maps every device reference it replays to the device declared now, not the one of the last resolution', () => {
    // Assertions through a device, far below its site: their references are kept.
    const original = `${generatedIntent(SEGMENTS, 3)}\nassert reach seg0 -> seg5 : svc0 via s000.d0\nassert reach seg1 -> seg6 : svc1 via s000.d0\n`;
    const parser = new IncrementalParser(parse, 'big.plumb');
    const memo = new ResolveMemo();
    const before = resolve([parser.parse(original).file], new DiagnosticSink(), memo);
    // The site's block is parsed again (a platform changed); the assertions are not, and what
    // their references resolved to is replayed.
    const edited = original.replace(/(site s000 [^\n]*\n {2}router d0) cisco-iosxe/, '$1 frr');
    expect(edited).not.toBe(original);
    const resolution = resolve([parser.parse(edited).file], new DiagnosticSink(), memo);
    const vias = resolution.assertions.flatMap((a) => (a.via ? [a.via] : []));
    expect(vias).toHaveLength(2);
    // The same objects as before the edit: the memo's path, not a fresh resolution.
    expect(before.assertions.some((a) => a.via === vias[0])).toBe(true);
    for (const via of vias) {
      const device = resolution.deviceRefs.get(via)!;
      expect(device.decl.platform.text).toBe('frr');
    }
    for (const device of resolution.deviceRefs.values()) expect(device).toBe(resolution.devices.get(device.id));
  });
});
