// The file-name injection cases of the security review, end to end: the example intent saved
// under a name that holds a shell command or an nftables rule after a line break, compiled by
// the built CLI (with and without translation validation), and each Linux box's emitted
// setup.sh and nftables.conf run in a throwaway network namespace (unshare -n: created for the
// run, gone when it ends). No injected effect may show: the marker file the command would
// create does not exist, and the addresses, routes and loaded ruleset are exactly those of the
// same intent under a plain name (rule comments aside, which name the file).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';
import { skipWithout } from './tools.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const INTENT = readFileSync(join(ROOT, 'examples', 'acme', 'acme.plumb'), 'utf8');
const LINUX_BOXES = ['ams1/gw1', 'ams1/core2', 'fra1/core1'];
const dir = mkdtempSync(join(tmpdir(), 'plumb-inject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = {
  shell: 'x\ntouch PWNED\n.plumb',
  nft: 'x\naccept\n#.plumb',
  plain: 'acme.plumb',
};

/** Compiles the example saved as `file` in a folder of its own; returns that folder. */
function compileAs(label: string, file: string, validate: boolean): string {
  const folder = join(dir, `${label}-${validate ? 'validated' : 'unvalidated'}`);
  mkdirSync(folder);
  writeFileSync(join(folder, file), INTENT);
  const args = [CLI, 'compile', ...(validate ? [] : ['--no-validate']), '-o', 'out', file];
  const r = spawnSync(process.execPath, args, { cwd: folder, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return folder;
}

function inNamespace(cwd: string, script: string): { status: number | null; output: string } {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Runs a box's setup.sh (its interfaces as veths) from `folder`; the addresses and routes after. */
function setupState(folder: string, box: string): string {
  const path = join(folder, 'out', box, 'setup.sh');
  const names = readSetup(path, readFileSync(path, 'utf8')).interfaces.map((i) => i.name).filter((n) => n !== 'lo');
  const links = names.map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i}; ip link set plumbpeer${i} up;`).join(' ');
  const r = inNamespace(folder, `set -e; ip link set lo up; ${links} sh ${JSON.stringify(path)}; ip -o addr show scope global | awk '{print $2, $3, $4}'; ip route show; ip -6 route show | grep -v '^fe80::' || true`);
  expect(r.status, r.output).toBe(0);
  return r.output;
}

/** Loads a box's nftables.conf; the table as the kernel holds it, rule comments left out. */
function loadedRuleset(folder: string, box: string): string {
  const path = join(folder, 'out', box, 'nftables.conf');
  const r = inNamespace(folder, `nft -f ${JSON.stringify(path)} && nft list table inet plumb`);
  expect(r.status, r.output).toBe(0);
  return r.output.replace(/ comment "[^"]*"/g, '');
}

const skip = skipWithout('ip', 'iproute2') || skipWithout('nft', 'nftables') || !existsSync(CLI);

describe.skipIf(skip)('a source file name cannot inject into setup.sh or nftables.conf', () => {
  for (const validate of [false, true]) {
    it(`${validate ? 'validated' : '--no-validate'}: no command runs, no rule is added`, () => {
      const plain = compileAs('plain', CASES.plain, validate);
      const shell = compileAs('shell', CASES.shell, validate);
      const nft = compileAs('nft', CASES.nft, validate);
      for (const box of LINUX_BOXES) {
        const expected = { setup: setupState(plain, box), rules: loadedRuleset(plain, box) };
        expect(expected.rules).toContain('chain forward');
        for (const folder of [shell, nft]) {
          expect(setupState(folder, box)).toBe(expected.setup);
          expect(existsSync(join(folder, 'PWNED'))).toBe(false);
          expect(existsSync(join(folder, 'out', box, 'PWNED'))).toBe(false);
          expect(loadedRuleset(folder, box)).toBe(expected.rules);
        }
        // the names are there, encoded: one word of ASCII in every origin tag
        const setup = readFileSync(join(shell, 'out', box, 'setup.sh'), 'utf8');
        expect(setup).toContain('x%0Atouch%20PWNED%0A.plumb:');
        expect(setup.split('\n').filter((l) => l.startsWith('touch'))).toEqual([]);
        const rules = readFileSync(join(nft, 'out', box, 'nftables.conf'), 'utf8');
        expect(rules.split('\n').filter((l) => l.trim() === 'accept')).toEqual([]);
      }
    }, 180_000);
  }
});
