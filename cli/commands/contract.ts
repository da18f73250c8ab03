// `plumb contract check PATH... [--format text|json]`: checks the contracts of each path given
// (a file or a folder, one intent or module each) and of the modules it imports, on their own (docs/language.md, "Contracts"): parties and AS
// numbers, the meeting point, the announcements, the offers and their services. No network is
// needed: a module of contracts alone is valid input. Prints one line per contract, or the
// diagnostics. Exit codes as `plumb check`: 0 clean, 1 with errors, 2 when the input cannot be
// read or holds no contract.

import type { Command } from 'commander';
import { analyze } from '../../language/analyze.js';
import type { ContractSummary } from '../../language/contracts.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../../language/diagnostic.js';
import { renderJson, renderText } from '../../language/render.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { InputError, readSources, type SourceText } from '../../pipeline/sources.js';

const FORMATS = ['text', 'json'] as const;

export function registerContract(program: Command, ctx: CommandContext): void {
  const contract = program.command('contract').description('work with contracts, the interconnects two parties agree on');
  contract
    .command('check')
    .description('check the contracts of the files given and of their imports on their own: parties, meeting point, announcements, offers')
    .argument('<paths...>', '.plumb files, or directories of them')
    .option('--format <format>', 'output format: text or json', 'text')
    .action((paths: string[], opts: { format: string }) => {
      ctx.setExit(runContractCheck(paths, opts.format, ctx));
    });
}

export function runContractCheck(paths: readonly string[], format: string, ctx: CommandContext): ExitCode {
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format \`${format}\``, `use one of: ${FORMATS.join(', ')}`);
  // Each path is read and checked on its own: two parties' folders are two intents (each with
  // its `network`), which reach the contract they share each through its own import. A contract
  // or a diagnostic reached from several paths is reported once.
  const sources: SourceText[] = [];
  const diagnostics: Diagnostic[] = [];
  const contracts: ContractSummary[] = [];
  const seen = new Set<string>();
  const once = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  for (const path of paths) {
    const read = readSources([path], ctx.io.cwd);
    const analysis = analyze(read);
    for (const s of read) if (once(`source\u0000${s.path}`)) sources.push(s);
    for (const d of analysis.diagnostics) if (once(`diagnostic\u0000${d.code}\u0000${d.span.file}\u0000${d.span.start.offset}\u0000${d.message}`)) diagnostics.push(d);
    for (const c of analysis.contracts ?? []) if (once(`contract\u0000${c.span.file}\u0000${c.span.start.offset}`)) contracts.push(c);
  }
  diagnostics.sort(compareDiagnostics);
  if (contracts.length === 0 && !hasErrors(diagnostics)) {
    throw new InputError(`no contract in ${paths.join(', ')}`, 'a contract is `contract NAME { ... }` (docs/language.md, "Contracts")');
  }
  if (format === 'json') {
    const report = JSON.parse(renderJson(diagnostics)) as object;
    ctx.io.stdout(`${JSON.stringify({ ...report, contracts: contracts.map(jsonOf) }, null, 2)}\n`);
  } else {
    const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
    if (diagnostics.length > 0) ctx.io.stdout(renderText(diagnostics, sources, { color }));
    for (const c of contracts) if (c.parties) ctx.io.stdout(`${summaryLine(c)}\n`);
  }
  return hasErrors(diagnostics) ? ExitCode.failed : ExitCode.ok;
}

/** `contract frankfurt: 2 parties, 3 prefixes announced, 2 offers` */
export function summaryLine(c: ContractSummary): string {
  const n = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  return `contract ${c.name}: ${n(c.parties!.length, 'party', 'parties')}, ${n(c.announced!, 'prefix', 'prefixes')} announced, ${n(c.offers!, 'offer', 'offers')}`;
}

function jsonOf(c: ContractSummary): object {
  return {
    name: c.name,
    file: c.span.file,
    line: c.span.start.line,
    valid: c.parties !== undefined,
    ...(c.parties ? { parties: c.parties, announced: c.announced, offers: c.offers } : {}),
  };
}
