// The IOS-XE reader on what a router prints for `show running-config` (ReadContext.source
// 'running', backends/cisco-iosxe/read-running.ts): every example's IOS-XE output in the form a
// Catalyst 8000V prints it back (iosxe-running-form.ts) reads into the device Plumb read from its
// own file, but for what only `! plumb` comments carried; defaults are skipped, the operator's
// own lines are listed as unmanaged, and an unknown line inside a block Plumb manages is an error
// at its line.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { ReadContext } from '../../backends/backend.js';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { fillFromIntent } from '../../pipeline/running.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { runningForm } from './iosxe-running-form.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';
import { compileText, device } from '../compiler/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const iosxe = backendFor('cisco-iosxe')!;
const ctx = (site: string, name: string, source?: 'running'): ReadContext => ({ id: `${site}.${name}`, site, name, role: 'router', ...(source ? { source } : {}) });

function example(path: string): string {
  return readFileSync(join(root, 'examples', path), 'utf8');
}

/** Every IOS-XE device of the examples' checked-in output: `[example, site, device]`. */
function iosxeDevices(): [string, string, string][] {
  return readdirSync(join(root, 'examples')).flatMap((example) => {
    const out = join(root, 'examples', example, 'out');
    if (!existsSync(out)) return [];
    return readdirSync(out, { withFileTypes: true })
      .filter((s) => s.isDirectory())
      .flatMap((site) =>
        readdirSync(join(out, site.name))
          .filter((name) => existsSync(join(out, site.name, name, `${name}.cfg`)))
          .map((name): [string, string, string] => [example, site.name, name]),
      );
  });
}

describe('IOS-XE running configuration', () => {
  const devices = iosxeDevices();
  it('the examples have IOS-XE devices', () => expect(devices.length).toBeGreaterThan(1));

  for (const [ex, site, name] of devices) {
    it(`${ex} ${site}.${name}: as the router prints it, reads back as Plumb's own file, but for what its comments carried`, () => {
      const cfg = example(`${ex}/out/${site}/${name}/${name}.cfg`);
      const own = iosxe.read([{ path: `${name}.cfg`, content: cfg }], ctx(site, name));
      expect(own.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const run = runningForm(cfg);
      const r = iosxe.read([{ path: 'running-config.txt', content: run }], ctx(site, name, 'running'));
      expect(r.diagnostics.map((d) => `${d.code} ${d.span.start.line} ${d.message}`)).toEqual([]);
      // The comments are gone: the intent's annotations come from the compiled device.
      expect(fillFromIntent(r.device!, own.device!)).toEqual(own.device);
      const lines = run.split('\n');
      expect(r.unmanaged!.map((u) => lines[u.line - 1]!.trim().replace(/\$9\$\S+/, '$9$<hidden>').replace(/secret 9 \S+/, 'secret 9 <hidden>'))).toEqual(r.unmanaged!.map((u) => u.text.replace('$9$<hidden>', '<hidden>')));
      expect(r.unmanaged!.map((u) => u.text)).toEqual([
        'vrf definition Mgmt-intf',
        'ip domain name lab.example',
        'crypto pki trustpoint TP-self-signed-1234567890',
        'crypto pki certificate chain TP-self-signed-1234567890',
        'username admin privilege 15 secret 9 <hidden>',
        'interface GigabitEthernet1',
        'ip ssh bulk-mode 131072',
        'line con 0',
        'line aux 0',
        ...(run.includes('line vty 0 4') ? ['login local', 'login local'] : []),
      ]);
    });
  }

  it('an operator\'s edits: an entry added is read (so it becomes drift), defaults and unmanaged blocks are not, an unknown interface line is an error at its line', () => {
    const cfg = example('acme/out/fra1/edge1/edge1.cfg');
    const own = iosxe.read([{ path: 'edge1.cfg', content: cfg }], ctx('fra1', 'edge1')).device!;
    const run = runningForm(cfg)
      .replace('ip access-list extended ext-internet-out\n', 'ip access-list extended ext-internet-out\n 5 permit ip any any\n')
      .replace('no ip http server\n', 'ip http server\nip http authentication local\n')
      .replace('end\n', 'banner motd ^C\nAuthorized access only\n  permit ip any any\n^C\nend\n');
    const r = iosxe.read([{ path: 'running-config.txt', content: run }], ctx('fra1', 'edge1', 'running'));
    expect(r.diagnostics).toEqual([]);
    const lines = run.split('\n');
    const out = r.device!.filters.find((f) => f.name === 'ext-internet-out')!;
    expect(out.rules[0]).toMatchObject({ action: 'permit', match: {}, origin: { file: 'running-config.txt', start: { line: lines.indexOf(' 5 permit ip any any') + 1 } } });
    expect(out.rules.slice(1)).toEqual(own.filters.find((f) => f.name === 'ext-internet-out')!.rules);
    expect(r.unmanaged!.map((u) => u.text)).toEqual(expect.arrayContaining(['ip http server', 'ip http authentication local', 'banner motd ^C']));

    const bad = runningForm(cfg).replace(/(interface GigabitEthernet3\n)/, '$1 ip helper-address 10.0.9.9\n').replace(/(interface GigabitEthernet4\n)/, '$1 shutdown\n');
    const b = iosxe.read([{ path: 'running-config.txt', content: bad }], ctx('fra1', 'edge1', 'running'));
    const badLines = bad.split('\n');
    expect(b.diagnostics.map((d) => [d.code, d.span.start.line, d.message]).sort((x, y) => Number(x[1]) - Number(y[1]))).toEqual([
      ['R901', badLines.indexOf(' ip helper-address 10.0.9.9') + 1, 'unsupported interface line `ip helper-address 10.0.9.9`'],
      ['R904', badLines.indexOf(' shutdown') + 1, 'interface GigabitEthernet4 is shut down'],
    ]);
  });

  it('the hand-built edge router, a VLAN subinterface among its interfaces, reads back as the model', () => {
    // A rule without addresses of a one-family protocol (ICMP, ICMPv6) is written into its family's
    // list only, where a router prints its addresses as `any`: read back, it is that family's whole
    // range, which the compiler always writes out (the hand-built model leaves it implicit).
    const hand = edgeRouter();
    const whole = (r: FilterRule): FilterRule =>
      r.match.sources || r.match.destinations || (r.match.protocol !== 1 && r.match.protocol !== 58) ? r : { ...r, match: { ...r.match, sources: [r.match.protocol === 1 ? '0.0.0.0/0' : '::/0'] } };
    const d: DeviceModel = { ...hand, filters: hand.filters.map((f) => ({ ...f, rules: f.rules.map(whole) })) };
    expect(d).not.toEqual(hand);
    const files = iosxe.render(d, networkOf([d]));
    expect(files[0]!.content).toMatch(/encapsulation dot1Q 30/);
    const r = iosxe.read([{ path: 'running-config.txt', content: runningForm(files[0]!.content) }], { ...contextOf(d), source: 'running' });
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.interfaces.map((i) => i.name)).toContain(`${d.interfaces.find((i) => i.vlan === 30)!.name}.30`);
    expect(fillFromIntent(r.device!, canonicalDevice(d))).toEqual(canonicalDevice(d));
  });

  it('a running folder of an IOS-XE device holds one file', () => {
    const run = runningForm(example('acme/out/fra1/edge1/edge1.cfg'));
    const two = iosxe.read(
      [
        { path: 'a.txt', content: run },
        { path: 'b.txt', content: run },
      ],
      ctx('fra1', 'edge1', 'running'),
    );
    expect(two.device).toBeUndefined();
    expect(two.diagnostics.map((d) => d.code)).toEqual(['R905']);
  });

  it('an OSPF router\'s segment interface (broadcast, passive) is no link missing its network type', () => {
    const model = compileText(`network t
routing ospf
pool infra 10.255.0.0/16
site a {
  router r1 cisco-iosxe
  router r2 cisco-iosxe
  link r1 -- r2
}
segment s1 10.0.1.0/24 at a.r1
segment s2 10.0.2.0/24 at a.r2
policy {
  allow s1 -> s2 : https
}
`).model;
    const d = device(model, 'a.r1');
    const cfg = iosxe.render(d, model)[0]!.content;
    const own = iosxe.read([{ path: 'r1.cfg', content: cfg }], ctx('a', 'r1'));
    const r = iosxe.read([{ path: 'running-config.txt', content: runningForm(cfg) }], ctx('a', 'r1', 'running'));
    expect(r.diagnostics.map((x) => `${x.code} ${x.message}`)).toEqual([]);
    expect(fillFromIntent(r.device!, own.device!)).toEqual(own.device);
  });
});
