// The PAN-OS validators that run on this kind of machine: xmllint (Debian libxml2-utils) for
// well-formedness, and the shared prototypes panos_codegen_check.py (Palo Alto's pan-os-codegen
// specs; python3 + python3-yaml) and panos_xml_to_set.py. A missing tool skips its tests loudly
// outside CI and fails them in CI (CI set).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the shared validators live (PLUMB_SHARED_TOOLS overrides). */
export const SHARED = process.env.PLUMB_SHARED_TOOLS ?? '/work/shared/tools';
export const SPECS = process.env.PLUMB_PANOS_SPECS ?? '/work/shared/reference/panos/pan-os-codegen-specs';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

export const PANOS_TOOLS = {
  xmllint: has('xmllint'),
  codegen:
    has('python3') &&
    spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0 &&
    existsSync(join(SHARED, 'panos_codegen_check.py')) &&
    existsSync(SPECS),
  xmlToSet: has('python3') && existsSync(join(SHARED, 'panos_xml_to_set.py')),
};

export function skipWithoutPanosTool(tool: keyof typeof PANOS_TOOLS, what: string): boolean {
  if (PANOS_TOOLS[tool]) return false;
  if (process.env.CI) return false;
  console.warn(`\n*** SKIPPING ${tool} checks: ${what} is missing. CI runs them. ***\n`);
  return true;
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command on a temporary copy of `content`; resolves when it exits. */
export function runOnFile(name: string, content: string, command: string, args: (path: string) => string[]): Promise<ToolResult> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-panos-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args(path));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = (status: number | null, extra = ''): void => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr: stderr + extra, ms: performance.now() - t0 });
    };
    child.on('error', (e) => done(null, String(e)));
    child.on('close', (code) => done(code));
  });
}
