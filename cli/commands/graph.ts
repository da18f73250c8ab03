// `plumb graph FILE|DIR... [--format dot|svg|png] [--layout dot|neato|fdp] [-o FILE]`: the
// topology picture (cli/report/picture.ts builds its DOT), on stdout or into FILE (a PNG, being
// bytes, only into a file). `--format dot` prints that DOT and needs no
// Graphviz; SVG and PNG are made by Graphviz in two steps: the layout engine places everything
// (`ENGINE -Tdot`), the externals' clouds are painted behind their places
// (cli/report/picture-cloud.ts), and `neato -n2` renders the placed graph as it is. Without
// Graphviz on PATH the command says so and exits 2; anything Graphviz writes on stderr (a warning
// is a defect of the picture) fails the command.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CheckedIntent } from '../../language/intent.js';
import { visibleText } from '../../language/safe-text.js';
import { checkIntent } from '../../pipeline/compile.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { withClouds } from '../report/picture-cloud.js';
import { DEFAULT_LAYOUT, LAYOUTS, toDot, type Layout, type PictureDescriptions } from '../report/picture.js';
import { compileSources } from './compile.js';

const FORMATS = ['dot', 'svg', 'png'] as const;
export type PictureFormat = (typeof FORMATS)[number];

export function registerGraph(program: Command, ctx: CommandContext): void {
  program
    .command('graph')
    .description('draw the topology: sites, devices with interfaces and addresses, links, segments, externals')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--format <format>', 'output format: dot, svg or png', 'dot')
    .option('--layout <engine>', `Graphviz layout engine: ${LAYOUTS.join(', ')}`, DEFAULT_LAYOUT)
    .option('-o, --out <file>', 'write the picture to FILE instead of stdout (required for png)')
    .action((paths: string[], opts: GraphOptions) => {
      ctx.setExit(runGraph(paths, opts, ctx));
    });
}

export interface GraphOptions {
  format: string;
  layout?: string;
  out?: string;
}

export function runGraph(paths: readonly string[], opts: GraphOptions, ctx: CommandContext): ExitCode {
  const { format, out } = opts;
  const layout = opts.layout ?? DEFAULT_LAYOUT;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format \`${format}\``, `use --format ${FORMATS.join(', ')}`);
  }
  if (!(LAYOUTS as readonly string[]).includes(layout)) {
    throw new UsageError(`unknown layout \`${layout}\``, `use --layout ${LAYOUTS.join(', ')}`);
  }
  if (format === 'png' && out === undefined) {
    throw new UsageError('a PNG is written to a file, not to stdout', 'add -o FILE, e.g. -o topology.png');
  }
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  // The descriptions are in the checked intent, which compileSources does not keep: the front
  // end runs once more on the same sources (a fraction of the compilation).
  const descriptions = descriptionsOf(checkIntent(compiled.sources).intent);
  const dot = toDot(compiled.model, { layout: layout as Layout, descriptions });
  const picture = format === 'dot' ? Buffer.from(dot, 'utf8') : renderPicture(dot, layout as Layout, format as 'svg' | 'png');
  if (out === undefined) ctx.io.stdout(picture.toString('utf8'));
  else writePicture(resolve(ctx.io.cwd, out), out, picture);
  return ExitCode.ok;
}

function writePicture(abs: string, shown: string, bytes: Buffer): void {
  try {
    writeFileSync(abs, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`cannot write ${visibleText(shown)}: ${code}`, 'give a path in a folder that exists and is writable');
  }
}

/** The descriptions the intent writes and the model does not carry. */
export function descriptionsOf(intent: CheckedIntent | undefined): PictureDescriptions {
  if (!intent) return {};
  const described = (xs: readonly { name: string; description?: string }[]) =>
    Object.fromEntries(xs.filter((x) => x.description).map((x) => [x.name, x.description!]));
  return { network: intent.description, sites: described(intent.sites), externals: described(intent.externals) };
}

/**
 * The picture's DOT laid out by `layout`, with clouds, rendered by Graphviz: SVG or PNG, or
 * Graphviz's JSON of what it drew (for cli/report/picture-measure.ts).
 */
export function renderPicture(dot: string, layout: Layout, format: 'svg' | 'png' | 'json'): Buffer {
  return graphviz('neato', ['-n2', `-T${format}`], Buffer.from(placePicture(dot, layout), 'utf8'));
}

/** The picture's DOT placed by the layout engine (`-Tdot`), with the externals' clouds painted in. */
export function placePicture(dot: string, layout: Layout): string {
  return withClouds(graphviz(layout, ['-Tdot'], Buffer.from(dot, 'utf8')).toString('utf8'));
}

/** Runs one Graphviz program; its stderr must stay empty. */
export function graphviz(program: string, args: readonly string[], input: Buffer): Buffer {
  const res = spawnSync(program, [...args], { input, maxBuffer: 1 << 30 });
  if (res.error) {
    throw new UsageError(
      `cannot draw the picture: Graphviz \`${program}\` was not found on PATH`,
      'install Graphviz (Debian: apt install graphviz), or use --format dot and render it elsewhere',
    );
  }
  const stderr = res.stderr.toString('utf8').trim();
  if (res.status !== 0 || stderr !== '') {
    throw new Error(`Graphviz ${program} ${args.join(' ')} failed (exit ${res.status}): ${stderr}`);
  }
  return res.stdout;
}
