// Seeded fuzzing of the whole front end: random mutations and truncations of the examples and
// random text through `analyze`. It must never throw or hang, and every diagnostic's span must
// be valid: inside its file, start <= end, line and column consistent with the offset; and the
// renderers must take every result.

import { cpuMs } from '../cpu-time.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import type { Span } from '../../language/diagnostic.js';
import { prng } from '../../bench/generate.js';
import { renderJson, renderText } from '../../language/render.js';

const EXAMPLES = ['acme', 'multicloud', 'campus'].map((n) => readFileSync(`examples/${n}/${n}.plumb`, 'utf8'));
const BUDGET_MS = 20_000;
const SLOW_CALL_MS = 3_000;

const VOCABULARY = [
  'site', 'router', 'firewall', 'link', '--', '->', 'segment', 'host', 'group', '=', ',', ':', '.',
  'external', 'asn', 'prefixes', 'attach', 'address', 'peer', 'gateway', 'announce', 'service',
  'policy', 'allow', 'deny', 'assert', 'reach', 'isolate', 'via', 'any', '{', '}', '"', '#', '\n',
  'tcp', 'udp', 'icmp', 'echo', '10.0.0.1/24', '10.0.0.0/8', '2001:db8::/32', '::', '0', '65535',
  '4294967295', '1-2', '99999999999999999999', 'cisco-iosxe', 'linux', 'frr', 'zone', 'vlan', 'cost',
  'loopback', 'pool', 'network', 'routing', 'ospf', 'static', 'web', 'fra1.edge1', 'é', '\t', '\r\n', '\u0000',
];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function spanProblem(span: Span, files: Map<string, { text: string; starts: number[] }>): string | undefined {
  const f = files.get(span.file);
  if (!f) return `unknown file ${span.file}`;
  const { start, end } = span;
  if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= f.text.length)) {
    return `offsets ${start.offset}..${end.offset} outside 0..${f.text.length}`;
  }
  for (const p of [start, end]) {
    const line = p.line;
    const ls = f.starts[line - 1];
    if (ls === undefined || p.offset < ls || (f.starts[line] !== undefined && p.offset >= f.starts[line]!)) {
      return `line ${line} does not hold offset ${p.offset}`;
    }
    if (p.column !== p.offset - ls + 1) return `column ${p.column} does not match offset ${p.offset} on line ${line}`;
  }
  return undefined;
}

function mutate(text: string, rand: () => number): string {
  const pos = (): number => Math.floor(rand() * (text.length + 1));
  const ops = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < ops; k++) {
    const choice = Math.floor(rand() * 7);
    const at = pos();
    if (choice === 0) text = text.slice(0, at); // truncation
    else if (choice === 1) text = text.slice(0, at) + text.slice(Math.min(text.length, at + Math.floor(rand() * 40)));
    else if (choice === 2) text = text.slice(0, at) + VOCABULARY[Math.floor(rand() * VOCABULARY.length)]! + text.slice(at);
    else if (choice === 3) text = text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x3000)) + text.slice(at);
    else if (choice === 4) {
      const lines = text.split('\n');
      const i = Math.floor(rand() * lines.length);
      lines.splice(Math.floor(rand() * lines.length), 0, lines[i]!); // duplicate a line elsewhere
      text = lines.join('\n');
    } else if (choice === 5) {
      const lines = text.split('\n');
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      text = lines.join('\n');
    } else {
      text = text.replace(/[0-9]/g, (d) => (rand() < 0.05 ? String(Math.floor(rand() * 10)) : d));
    }
  }
  return text;
}

function randomText(rand: () => number): string {
  const n = Math.floor(rand() * 400);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.3) s += VOCABULARY[Math.floor(rand() * VOCABULARY.length)]! + ' ';
    else if (r < 0.9) s += String.fromCharCode(32 + Math.floor(rand() * 95));
    else s += String.fromCharCode(Math.floor(rand() * 0xffff));
  }
  return s;
}

describe('front-end fuzz', () => {
  it('never throws or hangs, and every span is valid', () => {
    const rand = prng(20261125);
    const started = Date.now();
    let runs = 0;
    let withDiagnostics = 0;
    while (Date.now() - started < BUDGET_MS && runs < 5000) {
      const kind = runs % 10;
      const sources =
        kind === 9
          ? [{ path: 'random.plumb', text: randomText(rand) }]
          : kind === 8
            ? [
                { path: 'a.plumb', text: mutate(EXAMPLES[0]!, rand) },
                { path: 'b.plumb', text: mutate(EXAMPLES[1]!, rand) },
              ]
            : [{ path: 'mutant.plumb', text: mutate(EXAMPLES[runs % EXAMPLES.length]!, rand) }];
      const files = new Map(sources.map((s) => [s.path, { text: s.text, starts: lineStarts(s.text) }]));
      const t0 = cpuMs();
      let analysis;
      try {
        analysis = analyze(sources);
      } catch (err) {
        throw new Error(`analyze threw on run ${runs}: ${String(err)}\n--- input ---\n${sources.map((s) => s.text).join('\n--- next file ---\n')}`);
      }
      const took = Math.round(cpuMs() - t0);
      expect(took, `run ${runs} took ${took} ms`).toBeLessThan(SLOW_CALL_MS);
      for (const d of analysis.diagnostics) {
        for (const span of [d.span, ...d.related.map((r) => r.span)]) {
          const problem = spanProblem(span, files);
          if (problem) {
            throw new Error(`run ${runs}: ${d.code} "${d.message}": ${problem}\n--- input ---\n${sources.map((s) => s.text).join('\n--- next file ---\n')}`);
          }
        }
      }
      if (analysis.diagnostics.length > 0) withDiagnostics++;
      // The renderers must take whatever the checks produce.
      expect(renderText(analysis.diagnostics, sources, { color: runs % 2 === 0 })).toContain(analysis.diagnostics.length > 0 ? '-->' : 'ok');
      expect(JSON.parse(renderJson(analysis.diagnostics)).diagnostics).toHaveLength(analysis.diagnostics.length);
      expect(analysis.intent === undefined).toBe(analysis.diagnostics.some((d) => d.severity === 'error'));
      runs++;
    }
    // The fuzzer must really exercise the checks, not only the first syntax error.
    expect(runs).toBeGreaterThan(200);
    expect(withDiagnostics).toBeGreaterThan(runs / 2);
  }, 60_000);
});
