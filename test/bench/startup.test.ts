// What keeps `plumb --version` and `plumb check` quick to start (docs/performance.md): a command
// line loads only the command module it names, and each entry of the command list registers the
// command it is named after.

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import type { CliIo } from '../../cli/io.js';
import { commandsFor, run } from '../../cli/program.js';

const names = (argv: string[]): string[] => commandsFor(argv).map((c) => c.name);
const ioInto = (out: string[]): CliIo => ({ stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), isTTY: false, cwd: process.cwd(), env: {} });

describe('lazy commands', () => {
  it('loads no command for --version, the named one for a command, all for help and unknown words', () => {
    expect(names(['--version'])).toEqual([]);
    expect(names(['-V'])).toEqual([]);
    expect(names(['check', 'a.plumb'])).toEqual(['check']);
    expect(names(['verify', '--help'])).toEqual(['verify']);
    const all = COMMANDS.map((c) => c.name);
    expect(names([])).toEqual(all);
    expect(names(['--help'])).toEqual(all);
    expect(names(['help', 'check'])).toEqual(all);
    expect(names(['chek'])).toEqual(all);
    expect(names(['--version', 'check'])).toEqual(all);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('the entry %s registers exactly that command', async (name, entry) => {
    const program = new Command('plumb');
    (await entry.load())(program, { io: ioInto([]), setExit: () => {} });
    expect(program.commands.map((c) => c.name())).toEqual([name]);
  });

  it('prints the version with no command loaded, and every command in the help', async () => {
    const out: string[] = [];
    const io = ioInto(out);
    expect(await run(['--version'], io)).toBe(0);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
    out.length = 0;
    expect(await run(['--help'], io)).toBe(0);
    for (const c of COMMANDS) expect(out.join('')).toMatch(new RegExp(`^  ${c.name} `, 'm'));
  });
});
