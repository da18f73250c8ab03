// Two versions of one network for the re-apply tests (`compile --previous`): version N is the
// multicloud example with a second eBGP partner on sae.tgw2, a tagged (VLAN) segment and IPv6
// on the São Paulo application segment; version N+1 is a modified copy: rules added, changed and
// removed, a group shrunk, segments removed (with their addresses, routes, VLAN device and the
// IPv6 of a link), a segment added, a link removed (the interfaces after it renumbered) and an
// eBGP neighbour removed (its prefix-lists and route-maps with it). Each edit must apply to the
// example's text as it is: a test fails when the example changes under it.

import { readFileSync } from 'node:fs';
import type { RenderedFile } from '../../backends/backend.js';
import { renderOutput, type RenderedOutput } from '../../backends/output.js';
import { compileIntent } from '../../pipeline/compile.js';

const EXAMPLE = 'examples/multicloud/multicloud.plumb';

const LAKE2 = `external lake2 "Second data platform link, São Paulo" {
  asn 64611
  prefixes 198.18.0.0/24
  attach sae.tgw2 address 169.254.21.1/30 peer 169.254.21.2
  announce etl-sae
}

`;

/** `text` with each [from, to] replaced once; throws when `from` is not in the text. */
function edit(text: string, edits: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of edits) {
    if (!out.includes(from)) throw new Error(`the edit does not apply: ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

export function versionTexts(): { n: string; n1: string } {
  const n = edit(readFileSync(EXAMPLE, 'utf8'), [
    ["# The carrier's MPLS", `${LAKE2}# The carrier's MPLS`],
    ['  allow etl-sae -> datalake : etl-feed\n', '  allow etl-sae -> datalake : etl-feed\n  allow etl-sae -> lake2 : etl-feed\n'],
    ['segment etl-sae', 'segment iot-sae 10.50.9.0/24 at sae.wl2 vlan 30 "sensors"\nsegment etl-sae'],
    ['segment app-sae 10.50.1.0/24 at', 'segment app-sae 10.50.1.0/24, 2001:db8:50:1::/64 at'],
    ['  allow bastion -> internal : ssh, ping\n', '  allow bastion -> internal : ssh, ping\n  allow bastion -> iot-sae : ssh\n'],
  ]);
  const n1 = edit(n, [
    [LAKE2, ''],
    ['  allow etl-sae -> lake2 : etl-feed\n', ''],
    ['segment iot-sae 10.50.9.0/24 at sae.wl2 vlan 30 "sensors"\n', ''],
    ['  allow bastion -> iot-sae : ssh\n', ''],
    ['segment app-sae 10.50.1.0/24, 2001:db8:50:1::/64 at sae.wl2 "application tier, sa-east-1"\n', ''],
    ['group workloads = app-euc, app-sae', 'group workloads = app-euc'],
    ['  allow etl-sae -> datalake : etl-feed\n', '  allow etl-sae -> datalake : etl-feed, https\n'],
    ['  allow bastion -> internal : ssh, ping\n', '  allow bastion -> internal : ssh\n  allow corp -> app-euc : ssh\n'],
    ['assert reach app-sae -> warehouse : warehouse-sql\n', ''],
    ['link euc.tgw1 -- sae.tgw2 cost 40\n', ''],
    ['segment app-euc 10.40.1.0/24 at euc.wl1', 'segment app2-euc 10.40.3.0/24 at euc.wl1\nsegment app-euc 10.40.1.0/24 at euc.wl1'],
  ]);
  return { n, n1 };
}

/** One version compiled and rendered as `plumb compile -o` renders it. */
export function renderVersion(text: string, path: string): RenderedOutput {
  const sources = [{ path, text }];
  const compiled = compileIntent(sources);
  if (!compiled.model) throw new Error(`${path} does not compile: ${JSON.stringify(compiled.diagnostics.slice(0, 3))}`);
  return renderOutput(compiled.model, sources);
}

let cache: { n: RenderedOutput; n1: RenderedOutput } | undefined;

/** Both versions, rendered once per test file. */
export function versions(): { n: RenderedOutput; n1: RenderedOutput } {
  if (cache) return cache;
  const { n, n1 } = versionTexts();
  cache = { n: renderVersion(n, 'n/multicloud.plumb'), n1: renderVersion(n1, 'n1/multicloud.plumb') };
  return cache;
}

/** A device's files in a rendered version. */
export function filesOf(output: RenderedOutput, id: string): RenderedFile[] {
  const d = output.devices.find((x) => x.device.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d.files;
}
