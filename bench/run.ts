// `npm run bench [-- --quick] [--burn] [SUITE...]`: runs the default suites of bench/index.ts (or
// those named on the command line) and prints one table per suite. Exit code 1 when a figure is
// over its ceiling (bench/ceilings.ts).

import { DEFAULT_SUITES, SUITES, type BenchOptions } from './index.js';
import { formatTable } from './table.js';

async function main(argv: string[]): Promise<number> {
  const named = argv.filter((a) => !a.startsWith('-'));
  const wanted = named.length > 0 ? named : DEFAULT_SUITES;
  const options: BenchOptions = { quick: argv.includes('--quick'), burn: argv.includes('--burn') };
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  let failed = false;
  for (const suite of SUITES) {
    if (!wanted.includes(suite.name)) continue;
    process.stdout.write(`\n## ${suite.name}: ${suite.description}\n\n`);
    const result = await suite.run(options);
    process.stdout.write(`${formatTable(result.rows)}\n`);
    for (const note of result.notes) process.stdout.write(`${note}\n`);
    if (!result.ok) failed = true;
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
