// plumb report in-process: the page of ACME and of a failing copy of it, its sections, the
// refutation's path marked on the picture, the configurations' links to intent lines, the same
// bytes twice with --no-times, --against's flow diff, and the usage errors.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TIMEOUT = 600_000;
const hasGraphviz = spawnSync('dot', ['-V']).error === undefined;
if (!hasGraphviz && !process.env.CI) console.warn('\n*** SKIPPING the plumb report tests: Graphviz `dot` is not installed ***\n');
const tmp = mkdtempSync(join(tmpdir(), 'plumb-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const inPool = sharedSolvers();
const runShared = (args: string[], c: CapturedIo): Promise<number> => inPool(() => run(args, c));

/** A copy of ACME with one more assertion, which the policy refutes (office reaches web by https). */
function failingAcme(dir: string): string {
  const copy = join(dir, 'acme-failing');
  cpSync(join(ROOT, 'examples', 'acme', 'acme.plumb'), join(copy, 'acme.plumb'));
  appendFileSync(join(copy, 'acme.plumb'), 'assert isolate office -> web : https\n');
  return copy;
}

async function report(args: string[], cwd = ROOT): Promise<{ code: number; err: string }> {
  const io = capturedIo(cwd);
  const code = await runShared(['report', ...args], io);
  return { code, err: io.err };
}

describe.skipIf(!hasGraphviz && !process.env.CI)('plumb report', () => {
  it('writes ACME as one page with every section and nothing to load', async () => {
    const out = join(tmp, 'acme.html');
    const { code } = await report(['examples/acme', '-o', out, '--no-times']);
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of ['picture', 'assertions', 'diagnostics', 'configs', 'intent']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<svg class="picture"');
    expect(html.match(/<tr class="assertion/g)).toHaveLength(9);
    expect(html).toContain('warning[C703]');
    // Nothing from the network: no external source, stylesheet, font or script.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    // Each device's files, with their origin comments as links to the intent lines.
    for (const device of ['ams1.core2', 'ams1.gw1', 'fra1.core1', 'fra1.edge1', 'fra1.fw1']) expect(html).toContain(`id="device-${device}"`);
    expect(html).toMatch(/<a class="origin" href="#src-0-L8" title="router edge1 cisco-iosxe asn 65010">examples\/acme\/acme.plumb:8:3-8:37<\/a>/);
    expect(html).toContain('<span class="line" id="src-0-L8">');
    expect(html).not.toMatch(/class="(node|edge) on-path"/);
    const again = join(tmp, 'acme-again.html');
    await report(['examples/acme', '-o', again, '--no-times']);
    expect(readFileSync(again, 'utf8')).toBe(html);
  }, TIMEOUT);

  it('marks the first refutation\'s path on the picture and exits 1', async () => {
    const dir = failingAcme(tmp);
    const out = join(tmp, 'failing.html');
    const { code } = await report([dir, '-o', out, '--no-times']);
    expect(code).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<td class="verdict refuted">refuted<\/td><td>assert isolate office -&gt; web : https/);
    const row = /<tr class="assertion has-path selected" id="assertion-10" data-path="([^"]+)">/.exec(html);
    expect(row).not.toBeNull();
    // The marked groups are the row's: the devices office's packets cross, the segments at both ends, the edges between.
    const marked = [...html.matchAll(/<g id="([^"]+)" class="(?:node|edge) on-path">\s*<title>([^<]*)<\/title>/g)].map((m) => ({ id: m[1]!, title: m[2]!.replace(/&#45;/g, '-') }));
    expect(marked.map((m) => m.id).sort()).toEqual(row![1]!.split(' '));
    const titles = marked.map((m) => m.title);
    for (const node of ['segment:office', 'ams1.core2', 'fra1.core1', 'fra1.fw1', 'segment:web']) expect(titles).toContain(node);
    expect(titles).toContain('ams1.core2:eth2--fra1.core1:eth1');
    expect(titles).not.toContain('ams1.gw1');
    expect(titles).not.toContain('fra1.edge1');
    expect(html).toContain('<pre class="trace">packet: tcp ');
  }, TIMEOUT);

  it('shows the flow diff --against the old intent', async () => {
    const dir = failingAcme(join(tmp, 'diff'));
    const text = readFileSync(join(dir, 'acme.plumb'), 'utf8').replace('allow office -> web : http\n', '');
    writeFileSync(join(dir, 'acme.plumb'), text);
    const out = join(tmp, 'diff.html');
    await report([dir, '-o', out, '--no-times', '--against', 'examples/acme']);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<section id="diff"><h2>Flow diff against examples/acme</h2><pre class="diff">plumb diff examples/acme -&gt; ');
    expect(html).toMatch(/flows: 0 newly allowed, [1-9][0-9]* lost/);
  }, TIMEOUT);

  it('escapes the intent\'s text', async () => {
    const dir = join(tmp, 'hostile');
    cpSync(join(ROOT, 'examples', 'acme', 'acme.plumb'), join(dir, 'acme.plumb'));
    const text = readFileSync(join(dir, 'acme.plumb'), 'utf8').replace('"Frankfurt FR5"', '"</title><script>alert(1)</script>&amp;"');
    writeFileSync(join(dir, 'acme.plumb'), text);
    const out = join(tmp, 'hostile.html');
    await report([dir, '-o', out, '--no-times']);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;');
  }, TIMEOUT);

  it('leaves keys as their secrets\' placeholders, set or not', async () => {
    const dir = join(tmp, 'secret');
    cpSync(join(ROOT, 'examples', 'acme', 'acme.plumb'), join(dir, 'acme.plumb'));
    const text = readFileSync(join(dir, 'acme.plumb'), 'utf8').replace('  asn 64600\n', '  asn 64600\n  password partner-bgp\n');
    writeFileSync(join(dir, 'acme.plumb'), `${text}secret partner-bgp from env PLUMB_PARTNER_BGP\n`);
    const out = join(tmp, 'secret.html');
    const io = capturedIo(ROOT);
    io.env = { PLUMB_PARTNER_BGP: 'Sup3rSecretKey' };
    expect(await runShared(['report', dir, '-o', out, '--no-times'], io)).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('plumb-secret.partner-bgp');
    expect(html).not.toContain('Sup3rSecretKey');
  }, TIMEOUT);

  it('needs -o, and a readable --against', async () => {
    const io = capturedIo(ROOT);
    expect(await runShared(['report', 'examples/acme'], io)).toBe(2);
    expect(io.err).toContain('plumb report writes a file');
    const against = capturedIo(ROOT);
    expect(await runShared(['report', 'examples/acme', '-o', join(tmp, 'x.html'), '--against', 'no/such/dir'], against)).toBe(2);
    expect(against.err).toContain('--against');
  }, TIMEOUT);
});
