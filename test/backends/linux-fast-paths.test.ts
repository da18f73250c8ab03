// The Linux backend's shortcuts for what nearly every input is, held to the general code they
// stand for: nftables comments and aliases of plain text (text.ts `capped`), port ranges and
// IPv4 addresses of nft rules (nft-rule.ts), the ports of VLAN devices brought up (setup-read.ts)
// and a route's hop text written once (setup-render.ts).

import { describe, expect, it } from 'vitest';
import { aliasText, cappedEscaped, nftCommentString } from '../../backends/linux/text.js';
import { portRange, prefixText } from '../../backends/linux/nft-rule.js';
import { readSetup } from '../../backends/linux/setup-read.js';
import { renderSetup } from '../../backends/linux/setup-render.js';
import { vlanCommand } from '../../backends/linux/vlan.js';
import { canonicalPrefix, parseAddress } from '../../language/address.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import { prng } from '../verifier/random-networks.js';
import { gw1, network, span } from './builder.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const PIECES = ['allow', ' ', 'web', '->', 'db', ':', 'https', '(a.plumb:12)', '"', "'", '#', '\\', '%', '%41', '%u0041', 'é', '\u202E', '\n', '\t', '  ', 'x'.repeat(40)];

describe('nftables comments and aliases of plain text', () => {
  it('are what the general escaping and capping give, on seeded texts', () => {
    const rand = prng(4201);
    let plain = 0;
    for (let n = 0; n < 6000; n++) {
      const parts = Math.floor(rand() * 12);
      let text = '';
      for (let k = 0; k < parts; k++) text += rand() < 0.8 ? pick(rand, PIECES.slice(0, 8)) : pick(rand, PIECES);
      if (/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text) && !/["%]/.test(text)) plain++;
      expect(nftCommentString(text), JSON.stringify(text)).toBe(cappedEscaped(text, '"', 120));
      expect(aliasText(text), JSON.stringify(text)).toBe(cappedEscaped(text, `"'#\\`, 255));
    }
    expect(plain).toBeGreaterThan(1000);
  });

  it('keeps a plain text of exactly the cap, and cuts one a character longer', () => {
    expect(nftCommentString('a'.repeat(120))).toBe('a'.repeat(120));
    expect(nftCommentString('a'.repeat(121))).toBe('a'.repeat(120));
    expect(aliasText(`${'b'.repeat(254)}'`)).toBe(cappedEscaped(`${'b'.repeat(254)}'`, `"'#\\`, 255));
  });
});

/** nft-rule.ts's `portRange` as a regular expression. */
function portRangeGeneral(text: string): { from: number; to: number } | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : from;
  if (from > 65535 || to > 65535 || to < from) return undefined;
  return { from, to };
}

/** nft-rule.ts's `prefixText` with every address parsed. */
function prefixTextGeneral(text: string, family: 4 | 6): string | undefined {
  const withLength = text.includes('/') ? text : `${text}/${family === 4 ? 32 : 128}`;
  const addr = parseAddress(withLength.slice(0, withLength.indexOf('/')));
  if (!addr || addr.family !== family) return undefined;
  return canonicalPrefix(withLength);
}

describe('nft rule values', () => {
  it('reads port ranges as the regular expression does', () => {
    const rand = prng(4202);
    const piece = (): string => pick(rand, ['0', '1', '80', '443', '8080', '65535', '65536', '99999', '123456', '007', '', '-', 'a', ' ', '١']);
    for (let n = 0; n < 20000; n++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 3) }, piece).join(rand() < 0.7 ? '-' : '');
      expect(portRange(text), JSON.stringify(text)).toEqual(portRangeGeneral(text));
    }
  });

  it('reads addresses and prefixes of both families as the general parse does', () => {
    const rand = prng(4203);
    const octet = (): string => pick(rand, ['0', '1', '10', '255', '256', '01', '192', '', 'a', ' 1']);
    for (let n = 0; n < 20000; n++) {
      const address =
        rand() < 0.8
          ? Array.from({ length: pick(rand, [4, 4, 4, 3, 5]) }, octet).join('.')
          : pick(rand, ['2001:db8::', '2001:db8::1', '::', '::ffff:1.2.3.4', 'fe80::1%eth0', '1.2.3.4:80']);
      const text = rand() < 0.25 ? address : `${address}/${pick(rand, ['0', '8', '24', '32', '33', '64', '128', '08', '', 'x'])}`;
      for (const family of [4, 6] as const) expect(prefixText(text, family), `${text} ${family}`).toBe(prefixTextGeneral(text, family));
    }
  });
});

describe('the ports of VLAN devices', () => {
  it('are brought up without becoming interfaces, whatever the order of the lines', () => {
    const rand = prng(4204);
    for (let n = 0; n < 300; n++) {
      const ports = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, k) => `eth${k + 1}`);
      const vlans = ports.filter(() => rand() < 0.6);
      const lines: string[] = [];
      for (const p of ports) {
        if (vlans.includes(p)) {
          const id = 100 + Math.floor(rand() * 3);
          // created once or twice (a re-run's line), the port up before or after it
          const create = vlanCommand(p, `${p}.${id}`, id);
          if (rand() < 0.3) lines.push(`ip link set dev ${p} up`, create);
          else lines.push(create, `ip link set dev ${p} up`);
          if (rand() < 0.3) lines.push(create, `ip link set dev ${p} up`);
        } else {
          lines.push(`ip link set dev ${p} up`);
        }
      }
      const text = ['#!/bin/sh', 'set -eu', 'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1', ...lines, ''].join('\n');
      const r = readSetup('setup.sh', text);
      // a port is an interface when it carries no VLAN or was brought up before its VLAN device
      const expected = ports.filter((p) => {
        const up = lines.indexOf(`ip link set dev ${p} up`);
        const created = lines.findIndex((l) => l.includes(`add link ${p} name`));
        return created < 0 || up < created;
      });
      expect(r.interfaces.map((i) => i.name), text).toEqual(expected);
      expect([...r.vlans.values()].map((v) => v.parent).sort(), text).toEqual([...vlans].sort());
    }
  });
});

describe('setup.sh route lines', () => {
  it('write each route\'s own next hop and interface, however its neighbours share them', () => {
    const rand = prng(4205);
    for (let n = 0; n < 200; n++) {
      const routes: StaticRouteModel[] = [];
      for (let k = 0; k < 12; k++) {
        const nextHop = pick(rand, ['192.0.2.1', '192.0.2.1', '192.0.2.2', undefined]);
        const iface = pick(rand, ['eth1', 'eth1', 'eth2', undefined]);
        const route: StaticRouteModel = { prefix: `10.${k}.0.0/16`, origin: span(40 + k) };
        if (nextHop !== undefined) route.nextHop = nextHop;
        if (iface !== undefined || nextHop === undefined) route.interface = iface ?? 'eth3';
        if (rand() < 0.2) route.distance = 5;
        routes.push(route);
      }
      const device = { ...gw1(), staticRoutes: routes };
      const text = renderSetup(device, network([device]), { routes: true, routerIdComment: true });
      const written = text.split('\n').filter((l) => l.startsWith('route replace '));
      expect(written).toEqual(
        routes.map(
          (r) =>
            `route replace ${r.prefix}${r.nextHop !== undefined ? ` via ${r.nextHop}` : ''}${r.interface !== undefined ? ` dev ${r.interface}` : ''}${r.distance !== undefined ? ` metric ${r.distance}` : ''}`,
        ),
      );
      const comments = text.split('\n').filter((l) => l.startsWith('# route '));
      expect(comments.map((l) => l.slice(0, l.indexOf(' @ ')))).toEqual(written.map((l) => `# route ${l.slice('route replace '.length).replace(/ metric \d+$/, '')}`));
      // and read back as they were
      expect(readSetup('setup.sh', text).staticRoutes.map((r) => [r.prefix, r.nextHop, r.interface, r.distance])).toEqual(
        routes.map((r) => [r.prefix, r.nextHop, r.interface, r.distance]),
      );
    }
  });
});
