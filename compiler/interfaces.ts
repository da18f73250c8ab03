// Each platform's interface naming: the names a real box of that platform has, so that the
// rendered configuration applies as it is. The first data port of an IOS-XE virtual router
// (GigabitEthernet1) and Linux's eth0 are management and never used.

import { match } from 'ts-pattern';
import type { Platform } from '../language/intent.js';

export function loopbackName(platform: Platform): string {
  return match(platform)
    .with('cisco-iosxe', () => 'Loopback0')
    .with('paloalto-panos', () => 'loopback.1')
    .with('frr', 'linux', () => 'lo')
    .exhaustive();
}

export function dataPortName(platform: Platform, n: number): string {
  return match(platform)
    .with('cisco-iosxe', () => `GigabitEthernet${n + 1}`)
    .with('paloalto-panos', () => `ethernet1/${n}`)
    .with('frr', 'linux', () => `eth${n}`)
    .exhaustive();
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

/** Whether the platform tracks connections (replies of admitted connections pass). */
export function isStateful(platform: Platform): boolean {
  return match(platform)
    .with('cisco-iosxe', () => false)
    .with('paloalto-panos', 'frr', 'linux', () => true)
    .exhaustive();
}

/** Plain code-unit order: the order of every name-sorted list in the model. */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
