// What each platform can do, and how externals attach to our devices (P5xx).

import type { ExternalAttach } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { parseInteger } from './check-common.js';
import { PLATFORMS, type Platform } from './intent.js';
import type { DeviceEntity, Resolution } from './resolve.js';
import type { Structure } from './check-structure.js';
import { didYouMean } from './suggest.js';

export function isPlatform(text: string): text is Platform {
  return (PLATFORMS as readonly string[]).includes(text);
}

export function checkPlatforms(r: Resolution, s: Structure, sink: DiagnosticSink): void {
  for (const dev of r.devices.values()) {
    const platform = dev.decl.platform.text;
    if (!isPlatform(platform)) {
      sink.error('P501', dev.decl.platform.span, `unknown platform \`${platform}\``, {
        hint: didYouMean(platform, PLATFORMS) ?? `the platforms are ${PLATFORMS.join(', ')}`,
      });
    } else if (platform === 'linux' && dev.decl.asn) {
      sink.error('P502', dev.decl.asn.span, `\`${dev.id}\` is a \`linux\` device: it runs no routing daemon, so it cannot have an ASN`, {
        hint: 'use `frr` for a Linux box that speaks BGP, or remove `asn`',
      });
    }
  }
  for (const seg of r.segments) {
    const gw = r.deviceRefs.get(seg.at);
    if (seg.zone && gw && gw.decl.role.text !== 'firewall') {
      sink.warning('P508', seg.zone.span, `zone \`${seg.zone.text}\` has no effect: the gateway \`${gw.id}\` is not a firewall`, {
        related: [{ span: gw.decl.span, message: 'declared here' }],
        hint: 'zones belong to firewalls; remove `zone` or put the segment behind a `firewall`',
      });
    }
  }
  for (const ext of r.externals) {
    const asnItem = s.externalAsn.get(ext.name.text);
    const extAsn = asnItem ? parseInteger(asnItem.asn.text) : undefined;
    for (const item of ext.items) {
      if (item.kind !== 'attach') continue;
      const dev = r.deviceRefs.get(item.device);
      checkAttachMode(ext.name.text, item, asnItem !== undefined, sink);
      if (!dev || !asnItem) continue;
      checkEbgpDevice(ext.name.text, item, dev, extAsn, sink);
    }
  }
}

function checkAttachMode(ext: string, a: ExternalAttach, hasAsn: boolean, sink: DiagnosticSink): void {
  if (a.peer && a.gateway) {
    sink.error('P507', a.span, 'an attachment has either `peer` (eBGP) or `gateway` (static), not both', {
      hint: hasAsn ? 'keep `peer`: this external has an ASN' : 'keep `gateway`: this external has no ASN',
    });
  } else if (!a.peer && !a.gateway) {
    sink.error('P507', a.span, 'an attachment needs `peer ADDR` (eBGP) or `gateway ADDR` (static)', {
      hint: hasAsn ? 'add `peer ADDR`: this external has an ASN' : 'add `gateway ADDR`: this external has no ASN',
    });
  } else if (a.peer && !hasAsn) {
    sink.error('P505', a.peer.span, `\`peer\` needs an eBGP session, but external \`${ext}\` has no \`asn\``, {
      hint: 'add `asn N` to the external, or use `gateway ADDR` for a static route',
    });
  } else if (a.gateway && hasAsn) {
    sink.error('P506', a.gateway.span, `external \`${ext}\` has an \`asn\`, so it is reached by eBGP: use \`peer\`, not \`gateway\``, {
      hint: 'write `peer ADDR`, or remove `asn` to route to it statically',
    });
  }
}

function checkEbgpDevice(
  ext: string,
  a: ExternalAttach,
  dev: DeviceEntity,
  extAsn: number | undefined,
  sink: DiagnosticSink,
): void {
  const related = [{ span: dev.decl.span, message: `\`${dev.id}\` is declared here` }];
  if (dev.decl.platform.text === 'linux') {
    sink.error('P503', a.device.span, `\`${dev.id}\` is a \`linux\` device: it runs no routing daemon and cannot hold the eBGP session to \`${ext}\``, {
      related,
      hint: 'attach the external to a device that speaks BGP (frr, cisco-iosxe, paloalto-panos)',
    });
  } else if (!dev.decl.asn) {
    sink.error('P504', a.device.span, `external \`${ext}\` speaks eBGP, but \`${dev.id}\` has no \`asn\``, {
      related,
      hint: `add \`asn N\` to \`${dev.id}\``,
    });
  } else if (extAsn !== undefined && parseInteger(dev.decl.asn.text) === extAsn) {
    sink.error('P509', a.device.span, `external \`${ext}\` has the same ASN as \`${dev.id}\` (${extAsn}): the session would not be eBGP`, {
      related,
      hint: 'an external is another autonomous system; check both ASNs',
    });
  }
}
