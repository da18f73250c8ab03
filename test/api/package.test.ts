// The package as a program outside the repository sees it: `import ... from 'plumb-net'`
// resolves through package.json's `exports` to the bundle's api.js and dist/api's declarations; tsc
// checks a consumer against them (and rejects a wrong call, so the types are really read); the
// consumer runs, prints only what it prints itself, and its process ends by itself after a
// proof (no Z3 worker left running). And the packed tarball holds the declarations.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, ensureBuilt, ROOT, type Consumer } from './consumer.js';

let program: Consumer;
beforeAll(async () => {
  await ensureBuilt();
  program = consumer();
}, 900_000);
afterAll(() => program?.remove());

const USES = `import { analyze, compile, verify, type AnalyzeResult, type SourceText, type VerifyResult } from 'plumb-net';

const sources: SourceText[] = [
  {
    path: 'generated.plumb',
    text: 'pool infra 10.255.0.0/16\\nsite s1 {\\n  router r1 frr\\n}\\nsegment a 10.0.1.0/24 at s1.r1\\nsegment b 10.0.2.0/24 at s1.r1\\npolicy {\\n  allow a -> b : https\\n}\\nassert reach a -> b : https\\n',
  },
];
const checked: AnalyzeResult = analyze(sources);
const errors: number | undefined = checked.report?.summary.errors;
const compiled = await compile(sources, { validate: false });
const files: string[] = (compiled.devices ?? []).flatMap((d) => d.files.map((f) => \`\${d.dir}/\${f.path}\`));
const proved: VerifyResult = await verify(sources, { timeoutMs: 120_000 });
const statuses = proved.report?.verdicts.map((v) => v.status);
console.log(JSON.stringify({ ok: checked.ok, errors, files, statuses }));
`;

describe("the package 'plumb-net'", () => {
  it('type-checks a consumer against the emitted declarations, rejects a wrong call, and its process ends by itself', async () => {
    // One tsc run over both programs (each a file of its own): every error is the wrong call's,
    // so the consumer type-checks, and tsc still emits it.
    program.write('uses', USES);
    program.write('wrong', "import { analyze } from 'plumb-net';\nconst r: string = analyze(42).ok;\nconsole.log(r);\n");
    const checked = await program.typeCheck();
    expect(checked.status).not.toBe(0);
    const errors = checked.output.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.startsWith('wrong.ts('))).toEqual([]);
    expect(checked.output).toContain("wrong.ts(2,27): error TS2345: Argument of type 'number' is not assignable to parameter of type 'IntentInput'");
    expect(checked.output).toContain("wrong.ts(2,7): error TS2322: Type 'boolean' is not assignable to type 'string'");
    const ran = await program.run('uses', program.dir, 300_000);
    expect(ran.timedOut, 'the process did not end by itself: a Z3 worker or a timer was left').toBe(false);
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.stdout)).toStrictEqual({ ok: true, errors: 0, files: ['s1/r1/frr.conf', 's1/r1/nftables.conf', 's1/r1/setup.sh'], statuses: ['proven'] });
  }, 900_000);

  it('packs the API with its declarations, and the exports map names them', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { types: string; default: string }>; types: string; bin: Record<string, string> };
    expect(pkg.exports['.']).toStrictEqual({ types: './dist/api/index.d.ts', default: './dist/cli/bundle/api.js' });
    expect(pkg.bin.plumb).toBe('dist/cli/main.js');
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const [packed] = JSON.parse(pack.stdout) as { size: number; files: { path: string }[] }[];
    const paths = new Set(packed!.files.map((f) => f.path));
    for (const p of ['dist/cli/bundle/api.js', 'dist/api/index.d.ts', 'dist/api/reports.d.ts', 'dist/pipeline/diff.d.ts', 'dist/compiler/model.d.ts', 'dist/verifier/verdict.d.ts', 'dist/cli/main.js']) {
      expect(paths.has(p), p).toBe(true);
    }
    expect([...paths].filter((p) => p.endsWith('.map'))).toStrictEqual([]);
    // One copy of the code: the library and the CLI share the bundle, the modules ship as declarations.
    // Outside it only the executable, the V8 flags it sets before it loads anything
    // (cli/v8-flags.ts) and its choice of a larger young generation (cli/young-generation.ts).
    const outsideBundle = new Set(['dist/cli/main.js', 'dist/cli/v8-flags.js', 'dist/cli/young-generation.js']);
    expect([...paths].filter((p) => p.endsWith('.js') && !p.startsWith('dist/cli/bundle/') && !outsideBundle.has(p))).toStrictEqual([]);
    expect(paths.has('dist/cli/v8-flags.js'), 'the flags main.js imports').toBe(true);
    expect(paths.has('dist/cli/young-generation.js'), 'the re-run main.js imports').toBe(true);
    // Small: the compressed tarball stays under 1 MiB.
    expect(packed!.size).toBeLessThan(1024 * 1024);
  });
});
