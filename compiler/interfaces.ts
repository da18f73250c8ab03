// The names the compiler gives a device's interfaces: the names a real box of its platform has
// (the platform table's interface naming, language/platforms.ts), so that the rendered
// configuration applies as it is; and the name orders of the model.

import type { Platform } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';

export function loopbackName(platform: Platform): string {
  return PLATFORM_TRAITS[platform].interfaces.loopback;
}

export function dataPortName(platform: Platform, index: number): string {
  return PLATFORM_TRAITS[platform].interfaces.dataPort(index);
}

/**
 * Hands out data port names in order (1, 2, ...), skipping the names that are pinned in the
 * intent, so a pinned name is never given to another interface.
 */
export class PortNamer {
  private next = 1;
  constructor(
    private readonly platform: Platform,
    private readonly pinned: ReadonlySet<string>,
  ) {}

  take(): string {
    for (;;) {
      const name = dataPortName(this.platform, this.next++);
      if (!this.pinned.has(name)) return name;
    }
  }
}

/**
 * Whether a device of the platform in this role tracks connections (replies of admitted
 * connections pass): always, or as a firewall only (an IOS-XE `firewall` is a zone-based
 * firewall; an IOS-XE `router` keeps stateless ACLs).
 */
export function isStateful(platform: Platform, role: 'router' | 'firewall'): boolean {
  const stateful = PLATFORM_TRAITS[platform].stateful;
  return stateful === 'always' || role === 'firewall';
}

/** Whether a stateful device of the platform leaves its own connections untracked (DeviceModel.ownConnectionsUntracked). */
export function ownConnectionsUntracked(platform: Platform, role: 'router' | 'firewall'): boolean {
  return isStateful(platform, role) && !PLATFORM_TRAITS[platform].tracksOwnConnections;
}

/** Plain code-unit order: the order of every name-sorted list in the model. */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a switch over interface roles does with a role no case names (the type says none is left, as ts-pattern's exhaustive match threw). */
export function unknownRole(role: never): never {
  throw new Error(`unknown interface role: ${JSON.stringify(role)}`);
}
