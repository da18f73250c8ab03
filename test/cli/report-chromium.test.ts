// plumb report's page in headless Chromium (Debian's `chromium`): it loads without a word on the
// console (a page with a script error is caught: the check can fail), renders to a PNG of some
// substance, and its DOM after the script ran holds the picture, the assertion rows, the
// refutation's path marked on the picture (the first by default, another by the page's
// address) and the configurations. Without Chromium the test is skipped loudly, except in CI.

import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TIMEOUT = 900_000; // Chromium starts in 10-60 s on a loaded machine
const hasChromium = spawnSync('chromium', ['--version']).error === undefined;
if (!hasChromium && !process.env.CI) console.warn('\n*** SKIPPING the plumb report browser test: `chromium` is not installed (apt-get install chromium) ***\n');
const tmp = mkdtempSync(join(tmpdir(), 'plumb-report-chromium-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Chromium's flags for one headless run: its own profile, no sandbox (root in CI), console to
 * stderr. Run without blocking: a browser start under load can take tens of seconds, and a
 * test worker blocked that long misses its runner's messages.
 */
async function chromium(args: string[]): Promise<{ stdout: string; console: string[] }> {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const child = spawn(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
  const status = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  expect(status).toBe(0);
  // Every console message (log, warning, error, an uncaught exception) is a `:CONSOLE` line.
  return { stdout, console: stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)) };
}

/** The DOM after the page's script ran, and what the page wrote on the console. */
async function load(url: string): Promise<{ dom: string; console: string[] }> {
  const r = await chromium(['--dump-dom', url]);
  return { dom: r.stdout, console: r.console };
}

async function report(paths: string[], out: string): Promise<number> {
  return run(['report', ...paths, '-o', out, '--no-times'], capturedIo(ROOT));
}

/** The titles of the SVG groups marked as the selected path. */
function marked(dom: string): string[] {
  return [...dom.matchAll(/<g id="[^"]+" class="(?:node|edge) on-path">\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!.replace(/&#45;|&#x2d;/gi, '-')).sort();
}

describe.skipIf(!hasChromium && !process.env.CI)('plumb report in headless Chromium', () => {
  it('catches a page whose script fails', async () => {
    const bad = join(tmp, 'bad.html');
    writeFileSync(bad, '<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script></body></html>');
    const { console } = await load(pathToFileURL(bad).href);
    expect(console.join('\n')).toContain('Uncaught ReferenceError');
  }, TIMEOUT);

  it('loads ACME\'s report without console output and renders it', async () => {
    const out = join(tmp, 'acme.html');
    expect(await report(['examples/acme'], out)).toBe(0);
    const { dom, console } = await load(pathToFileURL(out).href);
    expect(console).toEqual([]);
    expect(dom).toContain('<svg class="picture"');
    expect(dom.match(/<tr class="assertion/g)).toHaveLength(9);
    expect(dom.match(/<details class="device"/g)).toHaveLength(5);
    expect(dom).toContain('<pre class="config">');
    const png = join(tmp, 'acme.png');
    const shot = await chromium([`--screenshot=${png}`, '--window-size=1400,2400', '--hide-scrollbars', pathToFileURL(out).href]);
    expect(shot.console).toEqual([]);
    expect(existsSync(png)).toBe(true);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1400);
    // A blank page of that size compresses to a few kilobytes; the picture and tables do not.
    expect(bytes.length).toBeGreaterThan(100_000);
  }, TIMEOUT);

  it('marks a refutation\'s path on the picture, the first by default and another by the address', async () => {
    const dir = join(tmp, 'acme-failing');
    cpSync(join(ROOT, 'examples', 'acme', 'acme.plumb'), join(dir, 'acme.plumb'));
    appendFileSync(join(dir, 'acme.plumb'), 'assert isolate office -> web : https\nassert reach guest -> web : http\n');
    const out = join(tmp, 'failing.html');
    expect(await report([dir], out)).toBe(1);
    const first = await load(pathToFileURL(out).href);
    expect(first.console).toEqual([]);
    expect(first.dom).toMatch(/<tr class="assertion has-path selected" id="assertion-10"/);
    expect(marked(first.dom)).toEqual(['ams1.core2', 'ams1.core2:eth2--fra1.core1:eth1', 'ams1.core2:eth4--segment:office', 'fra1.core1', 'fra1.core1:eth2--fra1.fw1:ethernet1/1', 'fra1.fw1', 'fra1.fw1:ethernet1/3--segment:web', 'segment:office', 'segment:web']);
    const second = await load(`${pathToFileURL(out).href}#assertion-11`);
    expect(second.console).toEqual([]);
    expect(second.dom).toMatch(/<tr class="assertion has-path selected" id="assertion-11"/);
    expect(second.dom).not.toMatch(/id="assertion-10"[^>]*selected|selected[^>]*id="assertion-10"/);
    // The guest's packet is dropped where it enters: the Linux gateway holds the deny.
    expect(marked(second.dom)).toEqual(['ams1.gw1', 'ams1.gw1:eth2--segment:guest', 'segment:guest']);
  }, TIMEOUT);
});
