// Re-applying an FRR box (`compile --previous`) against running daemons: in a namespace, FRR
// runs version N; setup.delta.sh, N+1's setup.sh and nftables.conf, then frr.reload.sh
// (frr-reload.py --test, then --reload) take it to N+1. FRR's own running configuration, read
// with the frr reader, must then hold exactly the N+1 model's routing, the same as N+1 loaded
// into fresh daemons; loading N+1 over N with `vtysh -f` instead leaves N's leftovers (the
// comparison can fail). Three FRR starts per box take about a minute on a loaded 2-core machine:
// the tests have room beyond the default 60 s. The versions: rules added, changed and removed, a group shrunk, segments
// and a link removed, an eBGP neighbour removed with its prefix-lists and route-maps, OSPFv3 gone.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalDevice } from '../../backends/canonical.js';
import { readFrrConf } from '../../backends/frr/conf-read.js';
import { frrDelta, FRR_RELOAD_FILE, FRR_RELOAD_PY } from '../../backends/frr/delta.js';
import { SETUP_DELTA_FILE } from '../../backends/linux/delta.js';
import type { DeviceModel } from '../../compiler/model.js';
import { FRR_LOADABLE } from '../backends/tools.js';
import { filesOf, versions } from '../backends/delta-linux-versions.js';
import { frrLab } from './frr-reload-lab.js';

const RELOADABLE = FRR_LOADABLE && spawnSync('test', ['-x', FRR_RELOAD_PY]).status === 0;
const skip = !RELOADABLE && !process.env.CI;
if (skip) console.warn(`\n*** SKIPPING frr-reload: needs root, Debian frr, frr-pythontools (${FRR_RELOAD_PY}) and iproute2. CI runs it. ***\n`);

/**
 * The boxes at once, and each box's three loads at once: each is FRR in a network namespace and a
 * folder of its own (frr-reload-lab.ts), mostly waiting for daemons to start and answer.
 */
const boxIt = skip ? it.skip : it.concurrent;

const zero = { file: '', start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } };

/** The routing FRR runs, as the frr reader reads it from `show running-config`. */
function routing(device: DeviceModel, running: string) {
  const read = readFrrConf('running.conf', running);
  return {
    errors: read.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message),
    model: modelRouting({ ...device, ...read, routerId: read.routerId, staticRoutes: read.staticRoutes } as DeviceModel),
    ospfInterfaces: withoutSpans(read.ospfInterfaces),
  };
}

/** `x` with every place in the file (a span: file, start, end) replaced by `true`: what, not where. */
function withoutSpans(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutSpans);
  if (typeof x !== 'object' || x === null) return x;
  if ('file' in x && 'start' in x && 'end' in x) return true;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, withoutSpans(v)]));
}

function modelRouting(d: DeviceModel) {
  const c = canonicalDevice(d);
  return {
    routerId: c.routerId,
    staticRoutes: c.staticRoutes.map((r) => ({ ...r, origin: zero })),
    ospf: c.ospf,
    bgp: c.bgp && { ...c.bgp, neighbors: c.bgp.neighbors.map((n) => ({ ...n, origin: zero, external: '' })) },
  };
}

describe('frr.reload.sh takes running FRR daemons from version N to N+1', () => {
  const { n, n1 } = versions();
  const boxes = n1.devices.filter((d) => d.device.platform === 'frr' && n.devices.some((o) => o.device.id === d.device.id));

  it('every FRR box of both versions changes its frr.conf, so each gets frr.reload.sh', () => {
    expect(boxes.map((b) => b.device.id)).toEqual(['euc.tgw1', 'fra.core1', 'sae.tgw2']);
    for (const b of boxes) expect(frrDelta(filesOf(n, b.device.id), b.files, b.device).map((f) => f.path).sort()).toEqual([FRR_RELOAD_FILE, SETUP_DELTA_FILE]);
  });

  for (const box of boxes) {
    boxIt(box.device.id, async () => {
      const id = box.device.id;
      const before = filesOf(n, id);
      const old = n.devices.find((d) => d.device.id === id)!.device;
      const interfaces = [...new Set([...old.interfaces, ...box.device.interfaces].map((i) => i.name))].sort();
      const delta = frrDelta(before, box.files, box.device);
      const args = '--confdir "$ETC" --vty_socket "$RUN" --rundir "$RUN"';
      const [reloaded, fresh, merged] = await Promise.all([
        frrLab(interfaces, before, {
          files: [...box.files, ...delta],
          run: `sh ${SETUP_DELTA_FILE} && sh setup.sh && nft -f nftables.conf && sh ${FRR_RELOAD_FILE} ${args}`,
        }),
        frrLab(interfaces, box.files),
        // Loading N+1 over N with vtysh -f merges instead (compared below).
        frrLab(interfaces, before, { files: box.files, run: 'sh setup.sh && vtysh --vty_socket "$RUN" -f frr.conf' }),
      ]);
      expect(reloaded.status, reloaded.output).toBe(0);
      // --test printed what it would change before --reload changed it.
      expect(reloaded.output).toContain('Lines To Delete');
      expect(fresh.status, fresh.output).toBe(0);
      const want = modelRouting(box.device);
      const got = routing(box.device, reloaded.running);
      expect(got.errors).toEqual([]);
      expect(got.model).toEqual(want);
      expect(got).toEqual(routing(box.device, fresh.running));
      // frr-reload.py saved what now runs (vtysh write) in the configuration folder.
      expect(reloaded.saved).toBeDefined();
      expect(routing(box.device, reloaded.saved!)).toEqual(got);
      // Loading N+1 over N with vtysh -f merges instead: N's leftovers stay (and may not even read
      // as a Plumb configuration any more).
      expect(routing(box.device, merged.running)).not.toEqual(got);
    }, 300_000);
  }

  boxIt('sae.tgw2: the neighbour removed, its route-maps and prefix-lists gone, the other one kept', async () => {
    const box = boxes.find((b) => b.device.id === 'sae.tgw2')!;
    const before = filesOf(n, 'sae.tgw2');
    const interfaces = [...new Set(n.devices.find((d) => d.device.id === 'sae.tgw2')!.device.interfaces.map((i) => i.name))].sort();
    const r = await frrLab(interfaces, before, {
      files: [...box.files, ...frrDelta(before, box.files, box.device)],
      run: `sh ${FRR_RELOAD_FILE} --confdir "$ETC" --vty_socket "$RUN" --rundir "$RUN"`,
    });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('no neighbor 169.254.21.2 remote-as 64611');
    expect(r.running).not.toContain('169.254.21.2');
    expect(r.running).not.toMatch(/PLUMB-lake2|198\.18\.0\.0/);
    expect(r.running).toContain('neighbor 169.254.20.2 remote-as 64610');
    expect(r.running).not.toContain('router ospf6');
  }, 180_000);
});
