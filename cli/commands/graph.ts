// `plumb graph FILE|DIR... [--format dot|svg]`: the topology as Graphviz: sites as clusters,
// devices shaped and coloured by platform, links labelled with interfaces and addresses,
// segments and externals as their own nodes. SVG is made by piping the DOT text to Graphviz
// `dot`; without it on PATH the command says so and exits 2. Every id and label goes through
// dotString (cli/report/escape.ts), so any name gives well-formed DOT.

import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { match } from 'ts-pattern';
import { externalNode, intentGraph, segmentNode, type GraphEdge, type GraphNode } from '../../compiler/graph.js';
import type { NetworkModel, Platform } from '../../compiler/model.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { dotString as q } from '../report/escape.js';
import { compileSources } from './compile.js';

const FORMATS = ['dot', 'svg'] as const;

export function registerGraph(program: Command, ctx: CommandContext): void {
  program
    .command('graph')
    .description('draw the topology: sites, devices, links with addresses, segments, externals')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--format <format>', 'output format: dot or svg', 'dot')
    .action((paths: string[], opts: { format: string }) => {
      ctx.setExit(runGraph(paths, opts.format, ctx));
    });
}

export function runGraph(paths: readonly string[], format: string, ctx: CommandContext): ExitCode {
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format \`${format}\``, 'use --format dot or --format svg');
  }
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  const dot = toDot(compiled.model);
  if (format === 'dot') {
    ctx.io.stdout(dot);
    return ExitCode.ok;
  }
  const res = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.error) {
    throw new UsageError(
      'cannot make SVG: Graphviz `dot` was not found on PATH',
      'install Graphviz (Debian: apt install graphviz), or use --format dot and render it elsewhere',
    );
  }
  if (res.status !== 0) {
    throw new Error(`Graphviz dot failed (exit ${res.status}): ${res.stderr}`);
  }
  ctx.io.stdout(res.stdout);
  return ExitCode.ok;
}

/** A device's shape and colour: its platform's row of the platform table (a firewall: an octagon). */
function platformStyle(platform: Platform, role: 'router' | 'firewall'): string {
  const { shape, color } = PLATFORM_TRAITS[platform].graph;
  return `shape=${role === 'firewall' ? 'octagon' : shape}, color=${q(color)}, penwidth=2`;
}

/** Deterministic DOT text of the model's topology. */
export function toDot(model: NetworkModel): string {
  const g = intentGraph(model);
  const lines: string[] = [`graph ${q(model.name)} {`, '  graph [fontname="Helvetica", rankdir=LR];', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=8];'];
  const sites = [...new Set(model.devices.map((d) => d.site))].sort();
  sites.forEach((site, k) => {
    lines.push(`  subgraph ${q(`cluster_${k}`)} {`, `    label=${q(site)};`, '    style=rounded;');
    for (const d of model.devices.filter((x) => x.site === site)) {
      const node = g.node(d.id) as GraphNode;
      if (node.kind !== 'device') continue;
      const label = `${d.name}\n${d.platform}${d.routerId ? `\n${d.routerId}` : ''}`;
      lines.push(`    ${q(d.id)} [label=${q(label)}, ${platformStyle(d.platform, d.role)}];`);
    }
    lines.push('  }');
  });
  for (const e of model.endpoints) {
    if (e.kind === 'segment') {
      lines.push(`  ${q(segmentNode(e.name))} [label=${q(`${e.name}\n${e.include.join('\n')}`)}, shape=note];`);
    } else if (e.kind === 'external') {
      lines.push(`  ${q(externalNode(e.name))} [label=${q(`${e.name}\n${e.include.join('\n')}`)}, shape=cloud];`);
    }
  }
  const edges = g.edges().sort((a, b) => (`${a.v}|${a.w}|${a.name}` < `${b.v}|${b.w}|${b.name}` ? -1 : 1));
  for (const ref of edges) {
    const e = g.edge(ref) as GraphEdge;
    const label = match(e.kind)
      .with('link', () => `${e.fromInterface} ${e.fromAddresses.join(' ')}\n${e.toInterface} ${e.toAddresses.join(' ')}`)
      .with('gateway', 'attach', () => `${e.fromInterface} ${e.fromAddresses.join(' ')}`)
      .exhaustive();
    const style = e.kind === 'link' ? '' : ', style=dashed';
    lines.push(`  ${q(ref.v)} -- ${q(ref.w)} [label=${q(label)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
