// Every file the frr and linux backends render for the hand-built devices passes the real tools.
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { allDevices, network } from './builder.js';
import { nftCheck, setupRun, skipWithout, vtyshCheck } from './tools.js';
import { linuxPorts } from './linux-ports.js';

const devices = allDevices();
const model = network(devices);
const filesOf = (id: string): Map<string, string> => {
  const d = devices.find((x) => x.id === id)!;
  return new Map(
    backendFor(d.platform)!
      .render(d, model)
      .map((f) => [f.path, f.content]),
  );
};

describe('nft -c -f accepts every nftables.conf', () => {
  for (const d of devices) {
    it.skipIf(skipWithout('nft', 'nftables'))(d.id, () => {
      const r = nftCheck(filesOf(d.id).get('nftables.conf')!);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe('vtysh -C accepts every frr.conf', () => {
  for (const d of devices.filter((x) => x.platform === 'frr')) {
    it.skipIf(skipWithout('vtysh', 'frr'))(d.id, () => {
      const r = vtyshCheck(filesOf(d.id).get('frr.conf')!);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe('setup.sh runs (twice) in a throwaway namespace and installs what the model says', () => {
  for (const d of devices) {
    it.skipIf(skipWithout('ip', 'iproute2 and procps'))(d.id, () => {
      const r = setupRun(
        filesOf(d.id).get('setup.sh')!,
        linuxPorts(d),
      );
      expect(r.status, r.output).toBe(0);
      for (const i of d.interfaces)
        for (const a of i.addresses)
          expect(r.output).toContain(`${a.includes(':') ? 'inet6' : 'inet'} ${a} `);
      if (d.platform === 'linux') {
        for (const s of d.staticRoutes)
          expect(r.output).toContain(s.prefix === '0.0.0.0/0' ? 'default' : s.prefix);
      }
    });
  }
});

describe('the checks can fail', () => {
  it.skipIf(skipWithout('nft', 'nftables'))('nft rejects a rule mixing IPv4 and IPv6 addresses', () => {
    const r = nftCheck(
      'table inet plumb {\n\tchain c {\n\t\tip saddr 10.0.0.0/8 ip6 daddr ::/0 drop\n\t}\n}\n',
    );
    expect(r.status).not.toBe(0);
  });
  it.skipIf(skipWithout('nft', 'nftables'))('loading catches a jump loop that nft -c passes', () => {
    const r = nftCheck(
      'table inet plumb {\n\tchain a {\n\t\tjump b\n\t}\n\tchain b {\n\t\tjump a\n\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tjump a\n\t}\n}\n',
    );
    expect(r.status).not.toBe(0);
  });
  it.skipIf(skipWithout('vtysh', 'frr'))('vtysh rejects an unknown OSPF command', () => {
    expect(vtyshCheck('router ospf\n ospf bogus 1\nexit\n').status).not.toBe(0);
  });
  it.skipIf(skipWithout('ip', 'iproute2 and procps'))(
    'setup.sh fails on a route through a missing interface',
    () => {
      const script =
        "#!/bin/sh\nset -eu\nip -batch - <<'PLUMB_EOF'\nroute replace 10.0.0.0/8 dev eth9\nPLUMB_EOF\n";
      expect(setupRun(script, []).status).not.toBe(0);
    },
  );
});
