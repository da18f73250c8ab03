// `plumb graph`, run in-process like the real CLI: the DOT of the picture (titles, device tables
// with each interface's address at its own end, costs, BGP sessions, zones, clouds), its formats
// and options, and its errors.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { toDot } from '../../cli/report/picture.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { readSources } from '../../pipeline/sources.js';
import { capturedIo } from './captured-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TIMEOUT = 120_000; // Graphviz under a loaded machine
const hasGraphviz = spawnSync('dot', ['-V']).error === undefined;
if (!hasGraphviz && !process.env.CI) console.warn('\n*** Graphviz is not installed: skipping the SVG and PNG tests ***\n');

function modelOf(example: string): NetworkModel {
  const model = compileIntent(readSources([join(ROOT, 'examples', example)], ROOT)).model;
  if (!model) throw new Error(`${example} does not compile`);
  return model;
}

async function graph(args: string[]) {
  const io = capturedIo(ROOT);
  const code = await run(['graph', ...args], io);
  return { code, out: io.out, err: io.err };
}

/** The text of one interface row (the port) of a device's table in the DOT. */
function portRow(dot: string, device: string, port: string): string {
  const node = new RegExp(`^    "${device.replace('.', '\\.')}" \\[shape=plain, label=<(.*)>\\];$`, 'm').exec(dot);
  expect(node, `node ${device}`).not.toBeNull();
  const row = new RegExp(`<TD PORT="${port}"[^>]*>(.*?)</TD>`).exec(node![1]!);
  expect(row, `port ${port} of ${device}`).not.toBeNull();
  return row![1]!;
}

describe('plumb graph: the DOT of the picture', () => {
  it('titles the graph with the network and each site with its description and name', async () => {
    const { code, out } = await graph(['examples/acme']);
    expect(code).toBe(0);
    expect(out.startsWith('graph "acme" {\n  graph [label="acme: ACME edge: Frankfurt and Amsterdam\\nrouting ospf"')).toBe(true);
    expect(out).toContain('subgraph "cluster_fra1" {\n    graph [label="Frankfurt FR5 (fra1)"');
    expect(out).toContain('subgraph "cluster_ams1" {\n    graph [label="Amsterdam AM3 (ams1)"');
  }, TIMEOUT);

  it('labels devices with name, platform, role, router id and ASN, coloured by platform', async () => {
    const { out } = await graph(['examples/acme']);
    expect(out).toContain('<TD BGCOLOR="#1f77b4" ALIGN="LEFT"><FONT COLOR="white" POINT-SIZE="12"><B>edge1</B></FONT><BR ALIGN="LEFT"/><FONT COLOR="white">cisco-iosxe · router · AS 65010</FONT>');
    expect(out).toContain('<B>fw1</B></FONT><BR ALIGN="LEFT"/><FONT COLOR="white">paloalto-panos · firewall</FONT>');
    const edge1 = modelOf('acme').devices.find((d) => d.id === 'fra1.edge1')!;
    expect(out).toContain(`router id ${edge1.routerId}`);
  }, TIMEOUT);

  it('draws every link from the interface row of each end, which holds that end\'s own address', () => {
    for (const example of ['acme', 'campus', 'failover', 'harbor', 'multicloud']) {
      const model = modelOf(example);
      const dot = toDot(model);
      for (const d of model.devices) {
        for (const i of d.interfaces.filter((x) => x.role === 'link' && x.peer)) {
          const [a, b] = [`"${d.id}":"${i.name}"`, `"${i.peer!.device}":"${i.peer!.interface}"`];
          expect(dot.includes(`  ${a} -- ${b} [`) || dot.includes(`  ${b} -- ${a} [`), `${example}: ${d.id} ${i.name}`).toBe(true);
          const row = portRow(dot, d.id, i.name);
          expect(row).toContain(`<B>${i.name}</B>`);
          for (const address of i.addresses) expect(row).toContain(address);
        }
      }
    }
  });

  it('puts the OSPF cost on a link, the zone on a firewall interface and segment, eBGP sessions dashed with both ASNs', async () => {
    const { out } = await graph(['examples/acme']);
    expect(out).toMatch(/"ams1\.core2":"eth2" -- "fra1\.core1":"eth1" \[penwidth=2, label="cost 10"\];/);
    expect(out).toMatch(/"fra1\.core1":"eth2" -- "fra1\.fw1":"ethernet1\/1" \[penwidth=2, label="cost 1"\];/);
    // gw1 (Linux) runs no OSPF: its link has no cost
    expect(out).toMatch(/"ams1\.core2":"eth1" -- "ams1\.gw1":"eth1" \[penwidth=2\];/);
    expect(portRow(out, 'fra1.fw1', 'ethernet1/3')).toContain('<I>zone dmz</I>');
    expect(out).toContain('"segment:web" [label="web\\n10.10.1.0/24\\n2001:db8:10:1::/64\\nzone dmz", shape=note, style=filled, fillcolor="#fff4d6"');
    expect(out).toContain(
      '"fra1.edge1":"GigabitEthernet4" -- "external:snowflake" [style=dashed, color="#7b3fa0", fontcolor="#7b3fa0", label="eBGP AS 65010 – AS 64600\\npeer 169.254.10.2"];',
    );
    expect(out).toContain('"fra1.edge1":"GigabitEthernet3" -- "external:internet" [color="#8a8a8a", label="static via 203.0.113.1"];');
    expect(out).toContain('"external:snowflake" [label="snowflake\\nSnowflake private link, Frankfurt\\n198.51.100.0/24", shape=ellipse');
    expect(out).not.toContain('shape=cloud'); // not a Graphviz shape
  }, TIMEOUT);

  it('draws a segment inside its gateway\'s site', async () => {
    const { out } = await graph(['examples/acme']);
    const fra1 = out.slice(out.indexOf('subgraph "cluster_fra1"'), out.indexOf('\n  }', out.indexOf('subgraph "cluster_fra1"')));
    expect(fra1).toContain('"segment:web"');
    expect(fra1).toContain('"segment:db"');
    expect(fra1).not.toContain('"segment:office"');
  }, TIMEOUT);

  it('gives the same bytes for the same intent, whatever the layout option leaves alone', async () => {
    const first = await graph(['examples/multicloud']);
    const second = await graph(['examples/multicloud', '--format', 'dot', '--layout', 'dot']);
    expect(second.out).toBe(first.out);
    const fdp = await graph(['examples/multicloud', '--layout', 'fdp']);
    expect(fdp.out).toContain('overlap=false');
    expect(fdp.out.replace(/graph \[label=.*\n/, '')).toBe(first.out.replace(/graph \[label=.*\n/, ''));
  }, TIMEOUT);
});

describe('plumb graph: formats and errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'plumb-graph-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(!hasGraphviz && !process.env.CI)('renders SVG with the node ids as titles, the same bytes every time', async () => {
    const first = await graph(['examples/acme', '--format', 'svg']);
    expect(first.code).toBe(0);
    expect(first.err).not.toContain('Graphviz');
    for (const id of ['fra1.fw1', 'ams1.core2', 'segment:web', 'external:internet', 'cluster_fra1']) expect(first.out).toContain(`<title>${id}</title>`);
    expect((await graph(['examples/acme', '--format', 'svg'])).out).toBe(first.out);
  }, TIMEOUT);

  it.skipIf(!hasGraphviz && !process.env.CI)('writes a PNG with -o, and refuses a PNG on stdout', async () => {
    const file = join(tmp, 'acme.png');
    expect((await graph(['examples/acme', '--format', 'png', '-o', file])).code).toBe(0);
    expect(readFileSync(file).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const refused = await graph(['examples/acme', '--format', 'png']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('a PNG is written to a file');
  }, TIMEOUT);

  it('says clearly when Graphviz is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await graph(['examples/acme', '--format', 'svg']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('Graphviz `dot` was not found');
      expect(r.out).toBe('');
    } finally {
      process.env.PATH = saved;
    }
  }, TIMEOUT);

  it('rejects an unknown format or layout', async () => {
    const format = await graph(['examples/acme', '--format', 'gif']);
    expect(format.code).toBe(2);
    expect(format.err).toContain('unknown format `gif`');
    const layout = await graph(['examples/acme', '--layout', 'circo']);
    expect(layout.code).toBe(2);
    expect(layout.err).toContain('unknown layout `circo`');
  });

  it('cannot write into a missing folder', async () => {
    const r = await graph(['examples/acme', '-o', join(tmp, 'missing', 'acme.dot')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write');
    expect(r.err).toContain('ENOENT');
  }, TIMEOUT);
});
