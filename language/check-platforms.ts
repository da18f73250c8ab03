// What each platform can do, and how externals attach to our devices (P5xx); interface names
// and description text that a platform's configuration cannot carry as written (P510-P515, the
// rules in platform-text.ts).

import type { ExternalAttach, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import { parseInteger } from './check-common.js';
import { PLATFORMS, type Platform } from './intent.js';
import { PLATFORM_TRAITS, platformsWhere } from './platforms.js';
import type { DeviceEntity, Resolution } from './resolve.js';
import type { Structure } from './check-structure.js';
import { proposeName } from './suggest.js';
import { stringValue } from './tokens.js';
import {
  descriptionMax,
  interfaceNameProblem,
  escapedCharacter,
  whitespaceProblem,
  type DescriptionPlace,
} from './platform-text.js';

export function isPlatform(text: string): text is Platform {
  return (PLATFORMS as readonly string[]).includes(text);
}

export function checkPlatforms(resolution: Resolution, structure: Structure, sink: DiagnosticSink): void {
  for (const dev of resolution.devices.values()) {
    const platform = dev.decl.platform.text;
    if (!isPlatform(platform)) {
      sink.report(Codes.unknownPlatform, dev.decl.platform.span, `unknown platform \`${platform}\``, {
        ...(proposeName(dev.decl.platform.span, platform, PLATFORMS) ?? { hint: `the platforms are ${PLATFORMS.join(', ')}` }),
      });
    } else if (!PLATFORM_TRAITS[platform].runsRoutingDaemon && dev.decl.asn) {
      sink.report(Codes.linuxWithAsn, dev.decl.asn.span, `\`${dev.id}\` is a \`${platform}\` device: it runs no routing daemon, so it cannot have an ASN`, {
        hint: instead(platform, 'remove `asn`'),
      });
    }
  }
  for (const seg of resolution.segments) {
    const gw = resolution.deviceRefs.get(seg.at);
    if (seg.zone && gw && gw.decl.role.text !== 'firewall') {
      sink.report(Codes.zoneWithoutFirewall, seg.zone.span, `zone \`${seg.zone.text}\` has no effect: the gateway \`${gw.id}\` is not a firewall`, {
        related: [{ span: gw.decl.span, message: 'declared here' }],
        hint: 'zones belong to firewalls; remove `zone` or put the segment behind a `firewall`',
      });
    }
  }
  for (const ext of resolution.externals) {
    const asnItem = structure.externalAsn.get(ext.name.text);
    const extAsn = asnItem ? parseInteger(asnItem.asn.text) : undefined;
    for (const item of ext.items) {
      if (item.kind !== 'attach') continue;
      const dev = resolution.deviceRefs.get(item.device);
      checkAttachMode(ext.name.text, item, asnItem !== undefined, sink);
      if (!dev || !asnItem) continue;
      checkEbgpDevice(ext.name.text, item, dev, extAsn, sink);
    }
  }
  checkInterfacePins(resolution, sink);
  checkDescriptions(resolution, structure, sink);
}

const platformOf = (dev: DeviceEntity | undefined): Platform | undefined => {
  const p = dev?.decl.platform.text;
  return p !== undefined && isPlatform(p) ? p : undefined;
};

/** A pinned interface name (`dev:NAME`) must be a name the device's platform has (P510-P512). */
function checkInterfacePins(resolution: Resolution, sink: DiagnosticSink): void {
  for (const { decl } of resolution.links) {
    for (const end of [decl.a, decl.b]) {
      const dev = resolution.deviceRefs.get(end.device);
      const platform = platformOf(dev);
      if (!end.ifname || !dev || !platform) continue;
      const problem = interfaceNameProblem(platform, end.ifname.text);
      if (problem === undefined) continue;
      sink.report(PLATFORM_TRAITS[platform].interfaces.invalidNameCode, end.ifname.span, `\`${end.ifname.text}\` is not a valid interface name on \`${dev.id}\` (${platform}): ${problem}`, {
        related: [{ span: dev.decl.span, message: `\`${dev.id}\` is declared here` }],
        hint: 'pin one of the device\'s real interface names, or leave the pin out and let Plumb name the port',
      });
    }
  }
}

/**
 * Description text where a platform writes it: the segment's or external's interface
 * (`segment NAME: TEXT`, as compiler/devices.ts composes it) and an eBGP neighbour (the text
 * alone). Too long (P513), whitespace the platform does not keep (P514), characters it shows
 * %-escaped (P515).
 */
function checkDescriptions(resolution: Resolution, structure: Structure, sink: DiagnosticSink): void {
  for (const seg of resolution.segments) {
    const platform = platformOf(resolution.deviceRefs.get(seg.at));
    if (!seg.description || !platform) continue;
    checkDescription(seg.description, platform, [{ prefix: `segment ${seg.name.text}: `, place: 'interface' }], sink);
  }
  for (const ext of resolution.externals) {
    if (!ext.description) continue;
    const places: Placed[] = [{ prefix: `external ${ext.name.text}: `, place: 'interface' }];
    if (structure.externalAsn.has(ext.name.text)) places.push({ prefix: '', place: 'bgp-neighbor' });
    const seen = new Set<Platform>();
    for (const item of ext.items) {
      const platform = item.kind === 'attach' ? platformOf(resolution.deviceRefs.get(item.device)) : undefined;
      if (!platform || seen.has(platform)) continue;
      seen.add(platform);
      checkDescription(ext.description, platform, places, sink);
    }
  }
}

interface Placed {
  /** What the compiler writes before the text there. */
  prefix: string;
  place: DescriptionPlace;
}

/** One description on one platform, in each place it is written; each code at most once. */
function checkDescription(token: Token, platform: Platform, places: Placed[], sink: DiagnosticSink): void {
  const text = stringValue(token.text);
  const name = PLATFORM_TRAITS[platform].displayName;
  const reported = new Set<string>();
  for (const { prefix, place } of places) {
    if (PLATFORM_TRAITS[platform].descriptions.unchecked.includes(place)) continue;
    const where = place === 'interface' ? 'interface description' : 'BGP neighbor description';
    const composed = prefix + text;
    const max = descriptionMax(platform, place);
    const length = [...composed].length;
    if (max !== undefined && length > max && !reported.has(Codes.descriptionTooLong)) {
      reported.add(Codes.descriptionTooLong);
      sink.report(Codes.descriptionTooLong, token.span, `this description makes the ${name} ${where} ${length} characters long; ${name} keeps at most ${max}`, {
        hint: `shorten it by ${length - max} characters`,
      });
    }
    const whitespace = whitespaceProblem(platform, composed);
    if (whitespace !== undefined && !reported.has(Codes.descriptionWhitespace)) {
      reported.add(Codes.descriptionWhitespace);
      sink.report(Codes.descriptionWhitespace, token.span, `with this description the ${name} ${where} ${whitespace}, which ${name} does not keep as written`, {
        hint: 'use single spaces between words and none at the ends',
      });
    }
  }
  const escaped = escapedCharacter(platform, text);
  if (escaped !== undefined) {
    sink.report(Codes.descriptionEscaped, token.span, `${escaped.why}: \`${escaped.char}\` in this description is written %-escaped on ${name}`, {
      hint: `leave it out of descriptions that reach ${name} devices, or accept the escaped form`,
    });
  }
}

function checkAttachMode(ext: string, attach: ExternalAttach, hasAsn: boolean, sink: DiagnosticSink): void {
  if (attach.peer && attach.gateway) {
    sink.report(Codes.peerOrGateway, attach.span, 'an attachment has either `peer` (eBGP) or `gateway` (static), not both', {
      hint: hasAsn ? 'keep `peer`: this external has an ASN' : 'keep `gateway`: this external has no ASN',
    });
  } else if (!attach.peer && !attach.gateway) {
    sink.report(Codes.peerOrGateway, attach.span, 'an attachment needs `peer ADDR` (eBGP) or `gateway ADDR` (static)', {
      hint: hasAsn ? 'add `peer ADDR`: this external has an ASN' : 'add `gateway ADDR`: this external has no ASN',
    });
  } else if (attach.peer && !hasAsn) {
    sink.report(Codes.peerWithoutAsn, attach.peer.span, `\`peer\` needs an eBGP session, but external \`${ext}\` has no \`asn\``, {
      hint: 'add `asn N` to the external, or use `gateway ADDR` for a static route',
    });
  } else if (attach.gateway && hasAsn) {
    sink.report(Codes.gatewayWithAsn, attach.gateway.span, `external \`${ext}\` has an \`asn\`, so it is reached by eBGP: use \`peer\`, not \`gateway\``, {
      hint: 'write `peer ADDR`, or remove `asn` to route to it statically',
    });
  }
}

function checkEbgpDevice(
  ext: string,
  attach: ExternalAttach,
  dev: DeviceEntity,
  extAsn: number | undefined,
  sink: DiagnosticSink,
): void {
  const related = [{ span: dev.decl.span, message: `\`${dev.id}\` is declared here` }];
  const platform = platformOf(dev);
  if (platform && !PLATFORM_TRAITS[platform].runsRoutingDaemon) {
    sink.report(Codes.ebgpExternalOnLinux, attach.device.span, `\`${dev.id}\` is a \`${platform}\` device: it runs no routing daemon and cannot hold the eBGP session to \`${ext}\``, {
      related,
      hint: `attach the external to a device that speaks BGP (${platformsWhere((traits) => traits.runsRoutingDaemon).join(', ')})`,
    });
  } else if (!dev.decl.asn) {
    sink.report(Codes.ebgpExternalWithoutAsn, attach.device.span, `external \`${ext}\` speaks eBGP, but \`${dev.id}\` has no \`asn\``, {
      related,
      hint: `add \`asn N\` to \`${dev.id}\``,
    });
  } else if (extAsn !== undefined && parseInteger(dev.decl.asn.text) === extAsn) {
    sink.report(Codes.externalWithOurAsn, attach.device.span, `external \`${ext}\` has the same ASN as \`${dev.id}\` (${extAsn}): the session would not be eBGP`, {
      related,
      hint: 'an external is another autonomous system; check both ASNs',
    });
  }
}

/** A hint for a platform without a routing daemon: the platform to use instead, or `otherwise`. */
function instead(platform: Platform, otherwise: string): string {
  const hint = PLATFORM_TRAITS[platform].noRoutingDaemonHint;
  return hint === undefined ? otherwise : `${hint}, or ${otherwise}`;
}
